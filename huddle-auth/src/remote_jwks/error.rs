//! Why a remote key set could not be had.

use std::time::Duration;

use super::FetchError;

/// Why a [`RemoteJwks`](crate::RemoteJwks) cache could not deliver a key set,
/// or why its URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwksError {
    /// The JWKS URL breaks the policy (`https`, or `http` to loopback only).
    #[error("JWKS URL: {reason}")]
    Url {
        /// What is wrong with it; never the URL's credentials.
        reason: String,
    },
    /// The fetch took longer than the fetch timeout.
    #[error("fetching the JWKS timed out after {}", humantime::format_duration(*after))]
    Timeout {
        /// The fetch timeout in force.
        after: Duration,
    },
    /// The source could not deliver the document.
    #[error("fetching the JWKS failed: {0}")]
    Fetch(#[from] FetchError),
    /// The document was fetched but is not an acceptable key set.
    #[error("the fetched JWKS was refused: {reason}")]
    Parse {
        /// Why the parser refused it.
        reason: String,
    },
    /// A refresh failed and the last good key set is too old to serve: past
    /// its max age and the stale-if-error window after it.
    #[error(
        "the last good JWKS is {} old, past its max age and the stale-if-error window of {}, and refreshing it failed: {cause}",
        humantime::format_duration(*age),
        humantime::format_duration(*window)
    )]
    StaleWindowPassed {
        /// How old the last good set is, to the second.
        age: Duration,
        /// The stale-if-error window in force.
        window: Duration,
        /// Why the refresh failed.
        cause: Box<JwksError>,
    },
    /// The last fetch failed, less than the miss cooldown ago, and no good
    /// key set is at hand: no fetch starts until the cooldown passes, so
    /// that a key source that is down is not asked again on every call.
    #[error(
        "the last fetch of the JWKS failed and is not retried for another {}: {cause}",
        humantime::format_duration(Duration::from_secs(crate::lifetime::whole_seconds_up(*retry_in)))
    )]
    CoolingDown {
        /// How long until a fetch may start again.
        retry_in: Duration,
        /// Why the last fetch failed.
        cause: Box<JwksError>,
    },
    /// The fetch's task ended before the fetch did: its runtime shut down,
    /// or it panicked (a runtime without its time driver).
    #[error("the fetch of the JWKS was aborted before it finished (its runtime shut down)")]
    FetchAborted,
    /// A fetch was needed outside a Tokio runtime, whose timer bounds it.
    #[error("fetching the JWKS needs a Tokio runtime with its time driver enabled")]
    NoRuntime,
}
