//! How long a token may live and what time it is now: shared by minting
//! (`token`) and verifying (`verify`), so that neither imports the other.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The default longest lifetime (`exp - iat`) a token may have: 30 days.
pub const DEFAULT_MAX_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A duration in whole seconds, rounded up: JWT times are whole seconds, and
/// rounding down would turn a leeway or a limit of 0.5 s into none at all.
pub(crate) fn whole_seconds_up(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
}

/// The current Unix time in seconds; a clock set before 1970 reads as 0,
/// which makes every token look issued in the future rather than valid.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
