//! The JWKS source of a URL: one GET over the crate's HTTP plumbing, and the
//! constructor that pairs it with the strict parser, for the common case.

use std::time::Duration;

use reqwest::header::USER_AGENT;

use super::{FetchError, FetchFuture, JwksError, JwksSource, JwksUrl, RemoteJwks};
use crate::http::{self, HttpError};
use crate::KeySet;

/// The largest JWKS document an [`HttpJwksSource`] reads: 256 KiB, a few
/// hundred keys, far beyond any real issuer's set.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

// The cache bounds each fetch with its own fetch timeout and drops the future
// when it passes; a second, shorter deadline here would only misreport it.
const NO_DEADLINE_OF_ITS_OWN: Duration = Duration::MAX;

/// A [`JwksSource`] that GETs a [`JwksUrl`]: status 200 only, redirects not
/// followed (a 3xx is [`FetchError::Status`]), a body over
/// [`MAX_JWKS_BYTES`] refused ([`FetchError::TooLarge`]), and a
/// `User-Agent` of [`USER_AGENT_VALUE`](crate::hosted::USER_AGENT_VALUE).
///
/// The default client verifies TLS with rustls (`ring`) and the system's
/// roots and follows no redirect. A client handed in with
/// [`with_client`](Self::with_client) keeps its own settings (proxies,
/// timeouts, redirect policy): give it `redirect::Policy::none()` to keep
/// the no-redirect rule, since a redirect it follows is not seen here.
///
/// ```
/// use huddle_auth::{HttpJwksSource, JwksUrl};
///
/// let url = JwksUrl::parse("https://huddle01.app/jwks.json")?;
/// let source = HttpJwksSource::new(url)?;
/// assert_eq!(source.url().as_str(), "https://huddle01.app/jwks.json");
/// # Ok::<(), huddle_auth::JwksError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpJwksSource {
    url: JwksUrl,
    client: reqwest::Client,
}

impl HttpJwksSource {
    /// A source for `url` with the default client. Fails only if the TLS
    /// configuration cannot be built (no usable system roots).
    pub fn new(url: JwksUrl) -> Result<Self, JwksError> {
        let client = http::default_client().map_err(|e| fetch_error(e, MAX_JWKS_BYTES))?;
        Ok(Self::with_client(url, client))
    }

    /// A source for `url` that sends its requests through `client`.
    pub fn with_client(url: JwksUrl, client: reqwest::Client) -> Self {
        Self { url, client }
    }

    /// The URL fetched.
    pub fn url(&self) -> &JwksUrl {
        &self.url
    }
}

impl JwksSource for HttpJwksSource {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(async move {
            let request = self
                .client
                .get(self.url.as_url().clone())
                .header(USER_AGENT, crate::hosted::USER_AGENT_VALUE);
            let response = http::exchange(request, NO_DEADLINE_OF_ITS_OWN, MAX_JWKS_BYTES)
                .await
                .map_err(|e| fetch_error(e, MAX_JWKS_BYTES))?;
            if response.status != 200 {
                return Err(FetchError::Status {
                    status: response.status,
                });
            }
            Ok(response.body)
        })
    }
}

fn fetch_error(error: HttpError, limit_bytes: usize) -> FetchError {
    match error {
        HttpError::TooLarge { .. } => FetchError::TooLarge { limit_bytes },
        // A client handed in may time out on its own, before the cache does.
        HttpError::Timeout(_) | HttpError::Transport(_) => FetchError::Transport {
            reason: error.to_string(),
        },
    }
}

impl RemoteJwks<KeySet> {
    /// The common case: the key set at `url` (`https`, or `http` to loopback
    /// only; any other URL is refused here, before any fetch), fetched with
    /// the default client and parsed by [`KeySet::from_remote_jwks`]: a
    /// malformed document refused, each key this crate cannot verify with
    /// skipped and reported. Default timings; nothing is fetched yet.
    ///
    /// ```
    /// use huddle_auth::{KeySet, RemoteJwks};
    ///
    /// let jwks = RemoteJwks::<KeySet>::from_url("https://huddle01.app/jwks.json")?;
    /// assert!(RemoteJwks::<KeySet>::from_url("http://example.com/jwks.json").is_err());
    /// # let _ = jwks;
    /// # Ok::<(), huddle_auth::JwksError>(())
    /// ```
    pub fn from_url(url: &str) -> Result<Self, JwksError> {
        Ok(Self::from_http(HttpJwksSource::new(JwksUrl::parse(url)?)?))
    }

    /// Like [`from_url`](Self::from_url), over a source built by the caller
    /// (say, with a client of its own).
    pub fn from_http(source: HttpJwksSource) -> Self {
        RemoteJwks::new(source, KeySet::from_remote_jwks)
    }
}
