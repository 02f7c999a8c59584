//! Durations given on the command line (`--max-lifetime`, `--leeway`), read
//! as `--ttl` is read: integer seconds or a span such as `4h`, `7d`, `"2 days"`.

use std::time::Duration;

use crate::failure::Failure;

/// The forms a duration may take, for error messages.
const FORMS: &str = "write seconds or a span such as \"4h\", \"7d\", \"2 days\", \"90m\"";

/// Reads the value of `flag`; zero is allowed (a leeway of none).
pub fn parse(flag: &str, text: &str) -> Result<Duration, Failure> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(text).map_err(|e| {
        Failure::new(
            flag,
            format_args!("{text:?} is not a duration ({e}); {FORMS}"),
        )
    })
}

/// Reads the value of `flag`, which must be longer than zero.
pub fn parse_positive(flag: &str, text: &str) -> Result<Duration, Failure> {
    let duration = parse(flag, text)?;
    if duration.is_zero() {
        return Err(Failure::new(flag, "must be longer than zero"));
    }
    Ok(duration)
}

/// A whole number of seconds in words, largest unit first: `30 days`,
/// `365 days 6 hours`, `1 minute 30 seconds`.
pub fn describe(secs: u64) -> String {
    let units = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = secs;
    let mut words = Vec::new();
    for (size, name) in units {
        let count = rest / size;
        rest %= size;
        if count > 0 {
            let plural = if count == 1 { "" } else { "s" };
            words.push(format!("{count} {name}{plural}"));
        }
    }
    if words.is_empty() {
        "0 seconds".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_of_ttl() {
        for (text, secs) in [
            ("3600", 3600),
            ("4h", 14_400),
            ("7d", 604_800),
            ("2 days", 172_800),
            ("90m", 5_400),
            (" 0 ", 0),
        ] {
            assert_eq!(
                parse("--leeway", text).expect("a duration"),
                Duration::from_secs(secs),
                "{text}"
            );
        }
    }

    #[test]
    fn errors_name_the_flag() {
        let failure = parse("--leeway", "soon").expect_err("not a duration");
        assert!(
            failure
                .to_string()
                .starts_with("--leeway: \"soon\" is not a duration ("),
            "{failure}"
        );
        let failure = parse_positive("--max-lifetime", "0s").expect_err("zero");
        assert_eq!(
            failure.to_string(),
            "--max-lifetime: must be longer than zero"
        );
    }

    #[test]
    fn describes_in_words() {
        assert_eq!(describe(2_592_000), "30 days");
        assert_eq!(describe(31_557_600), "365 days 6 hours");
        assert_eq!(describe(90), "1 minute 30 seconds");
        assert_eq!(describe(3_600), "1 hour");
        assert_eq!(describe(0), "0 seconds");
    }
}
