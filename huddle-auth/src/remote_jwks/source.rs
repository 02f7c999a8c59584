//! Where the bytes of a JWKS document come from.

use std::future::Future;
use std::pin::Pin;

/// The future a [`JwksSource`] returns: the document's bytes, or why it
/// could not be had.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, FetchError>> + Send + 'a>>;

/// Fetches one JWKS document, for a [`RemoteJwks`](crate::RemoteJwks) cache.
///
/// The cache calls it at most once at a time and bounds each call with its
/// fetch timeout, dropping the future when the time is up; a source needs no
/// timeout of its own but must cap the size of what it reads.
///
/// ```
/// use huddle_auth::{FetchError, FetchFuture, JwksSource};
///
/// /// A document held in memory.
/// #[derive(Debug)]
/// struct Fixed(&'static str);
///
/// impl JwksSource for Fixed {
///     fn fetch(&self) -> FetchFuture<'_> {
///         Box::pin(async move { Ok(self.0.as_bytes().to_vec()) })
///     }
/// }
/// # let _ = Fixed(r#"{"keys":[]}"#);
/// ```
pub trait JwksSource: std::fmt::Debug + Send + Sync + 'static {
    /// Starts one fetch of the document.
    fn fetch(&self) -> FetchFuture<'_>;
}

/// Why a [`JwksSource`] could not deliver the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The server answered with a status other than 200 (redirects included:
    /// they are not followed).
    #[error("the server answered {status}, not 200")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// The document was larger than the source accepts.
    #[error("the document is larger than {limit_bytes} bytes")]
    TooLarge {
        /// The most bytes the source reads.
        limit_bytes: usize,
    },
    /// The connection failed (DNS, TCP, TLS, a body cut short, ...).
    #[error("{reason}")]
    Transport {
        /// What failed, without credentials.
        reason: String,
    },
}

/// A shared source, so one client can back several caches or be kept by the
/// caller.
impl<S: JwksSource> JwksSource for std::sync::Arc<S> {
    fn fetch(&self) -> FetchFuture<'_> {
        S::fetch(self)
    }
}
