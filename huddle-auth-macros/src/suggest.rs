//! "Did you mean" hints for misspelled keys, sources, bases and options.

/// Jaro-Winkler similarity above which a valid name is offered as the fix
/// (darling's threshold: close enough for typos and missing letters, far
/// enough that unrelated names are not proposed).
const THRESHOLD: f64 = 0.8;

/// The valid name closest to `written`, if one is close enough to be the
/// intended one.
///
/// Names are compared after lower-casing and dropping `_` and `-`, so the
/// snake_case spelling of a camelCase key (`can_produce`) and a change of
/// case (`Cohost`) are recognised as the same name.
pub fn closest<'a>(written: &str, valid: &[&'a str]) -> Option<&'a str> {
    let written = normalize(written);
    let mut best: Option<(f64, &'a str)> = None;
    for &candidate in valid {
        let score = strsim::jaro_winkler(&written, &normalize(candidate));
        if score >= THRESHOLD && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// `` `a`, `b` or `c` ``, for messages that list every valid name.
pub fn one_of(valid: &[&str]) -> String {
    listed(valid, "or")
}

/// `` `a`, `b` and `c` ``.
pub fn all_of(names: &[&str]) -> String {
    listed(names, "and")
}

fn listed(names: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "; did you mean `x`?" when a valid name is close, otherwise the list of
/// valid names, to append to an "unknown ..." message.
pub fn hint(written: &str, valid: &[&str], what: &str) -> String {
    match closest(written, valid) {
        Some(name) => format!("; did you mean `{name}`?"),
        None => format!("; {what} is one of {}", one_of(valid)),
    }
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use huddle_auth_core::Permissions;

    #[test]
    fn snake_case_and_missing_letters_find_the_key() {
        assert_eq!(
            closest("can_produce", &Permissions::KEYS),
            Some("canProduce")
        );
        assert_eq!(
            closest("canProduceSource", &Permissions::KEYS),
            Some("canProduceSources")
        );
        assert_eq!(
            closest("canRecieveData", &Permissions::KEYS),
            Some("canRecvData")
        );
        assert_eq!(closest("Admin", &Permissions::KEYS), Some("admin"));
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        assert_eq!(closest("canFly", &Permissions::KEYS), None);
        assert_eq!(closest("moderator", &Permissions::KEYS), None);
        assert_eq!(closest("x", &["cam", "mic", "screen"]), None);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(
            one_of(&["cam", "mic", "screen"]),
            "`cam`, `mic` or `screen`"
        );
        assert_eq!(one_of(&["name"]), "`name`");
        assert_eq!(all_of(&["cam", "mic"]), "`cam` and `mic`");
        assert_eq!(
            hint("nmae", &["name"], "an option"),
            "; did you mean `name`?"
        );
        assert_eq!(
            hint("zzz", &["cam", "mic"], "a source"),
            "; a source is one of `cam` or `mic`"
        );
    }
}
