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
    /// A fetch was needed outside a Tokio runtime, whose timer bounds it.
    #[error("fetching the JWKS needs a Tokio runtime with its time driver enabled")]
    NoRuntime,
}
