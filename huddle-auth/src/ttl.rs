//! Token lifetime: integer seconds, a `Duration`, or the SDK's strings.

use std::time::Duration;

use huddle_auth_core::rules;

use crate::MintError;

/// How long a token lives: integer seconds, a [`Duration`], or a string in
/// the SDK's documented forms (`"4h"`, `"10h"`, `"7d"`, `"2 days"`, `"90m"`,
/// or plain seconds such as `"3600"`). Must be positive; fractions of a
/// second are dropped, since JWT times are whole seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ttl {
    /// Whole seconds.
    Seconds(u64),
    /// A duration.
    Duration(Duration),
    /// A duration written as text.
    Text(String),
}

impl Ttl {
    /// The SDK's default: 4 hours.
    pub const DEFAULT: Ttl = Ttl::Seconds(rules::DEFAULT_TTL_SECS);

    /// The lifetime in whole seconds, checked by rule 6.
    ///
    /// ```
    /// use huddle_auth::Ttl;
    ///
    /// assert_eq!(Ttl::from("2 days").seconds()?, 172_800);
    /// assert_eq!(Ttl::from("90m").seconds()?, 5_400);
    /// assert!(Ttl::from(0).seconds().is_err());
    /// # Ok::<(), huddle_auth::MintError>(())
    /// ```
    pub fn seconds(&self) -> Result<u64, MintError> {
        let secs = match self {
            Ttl::Seconds(secs) => *secs,
            Ttl::Duration(duration) => duration.as_secs(),
            Ttl::Text(text) => parse_seconds(text)?,
        };
        rules::check_ttl_secs(secs)?;
        Ok(secs)
    }
}

fn parse_seconds(text: &str) -> Result<u64, MintError> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(secs);
    }
    humantime::parse_duration(text)
        .map(|d| d.as_secs())
        .map_err(|e| {
            MintError::invalid(
                "ttl",
                format!("{text:?} is not a duration ({e}); write seconds or a span such as \"4h\", \"7d\", \"2 days\", \"90m\""),
            )
        })
}

impl Default for Ttl {
    fn default() -> Self {
        Ttl::DEFAULT
    }
}

impl From<u64> for Ttl {
    fn from(secs: u64) -> Self {
        Ttl::Seconds(secs)
    }
}

impl From<u32> for Ttl {
    fn from(secs: u32) -> Self {
        Ttl::Seconds(secs.into())
    }
}

impl From<i32> for Ttl {
    /// Negative values are kept as text so they are refused with a message.
    fn from(secs: i32) -> Self {
        u64::try_from(secs).map_or_else(|_| Ttl::Text(secs.to_string()), Ttl::Seconds)
    }
}

impl From<Duration> for Ttl {
    fn from(duration: Duration) -> Self {
        Ttl::Duration(duration)
    }
}

impl From<&str> for Ttl {
    fn from(text: &str) -> Self {
        Ttl::Text(text.to_owned())
    }
}

impl From<String> for Ttl {
    fn from(text: String) -> Self {
        Ttl::Text(text)
    }
}
