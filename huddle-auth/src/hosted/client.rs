//! The client of Huddle01's infra: where it is, the API key, and how long a
//! call may take.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, USER_AGENT};

use super::error::HostedError;
use crate::http;
use crate::MintError;

/// The infra's base URL, the SDK's `INFRA_URL`.
pub const DEFAULT_BASE_URL: &str = "https://infra-api.huddle01.workers.dev";
/// How long one call may take by default, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read; a longer one is an invalid response.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// The `x-sdk-version` sent: the version of the Node SDK whose contract
/// (paths, bodies, headers) this client follows, as that SDK sends its own.
pub const SDK_VERSION: &str = "2.6.2";
/// The `User-Agent` sent: this crate and its version.
pub const USER_AGENT_VALUE: &str = concat!("huddle-auth/", env!("CARGO_PKG_VERSION"));

/// A client of Huddle01's infra: creates rooms and has it issue peer tokens.
///
/// Cheap to clone and safe to share between tasks: clones share one
/// connection pool. The API key is the only credential it sends (as
/// `x-api-key`); its `Debug` output never shows it.
///
/// ```no_run
/// use huddle_auth::hosted::Huddle01Client;
/// use huddle_auth::Role;
///
/// # async fn run() -> Result<(), huddle_auth::hosted::HostedError> {
/// let client = Huddle01Client::new("ak_live_…")?;
/// let room_id = client.create_room().send().await?;
/// let token = client.peer_token(&room_id).role(Role::Host).to_jwt().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Huddle01Client {
    http: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
    timeout: Duration,
}

impl fmt::Debug for Huddle01Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Huddle01Client")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Huddle01Client {
    /// A client of the infra at [`DEFAULT_BASE_URL`] with its own HTTP
    /// client and the default timeout.
    pub fn new(api_key: impl Into<String>) -> Result<Self, HostedError> {
        Self::builder(api_key).build()
    }

    /// A builder, to set the base URL, the timeout or the HTTP client.
    pub fn builder(api_key: impl Into<String>) -> Huddle01ClientBuilder {
        Huddle01ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            http: None,
        }
    }

    /// The base URL calls go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How long one call may take, response body included.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// POSTs `body` as JSON to `path` with the client's headers and `extra`,
    /// under the timeout and the body cap, and reads the answer with `read`.
    pub(crate) async fn post_json<T>(
        &self,
        path: &str,
        extra: &[(&'static str, &'static str)],
        body: &impl serde::Serialize,
        read: impl FnOnce(u16, &[u8]) -> Result<T, HostedError>,
    ) -> Result<T, HostedError> {
        let body = serde_json::to_vec(body).map_err(|e| {
            HostedError::Input(MintError::invalid(
                "request",
                format!("cannot be serialized: {e}"),
            ))
        })?;
        let mut request = self
            .http
            .post(format!("{}{path}", self.base_url))
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json");
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let response = http::exchange(request.body(body), self.timeout, MAX_RESPONSE_BYTES).await?;
        read(response.status, &response.body).map_err(|error| self.redacted(error))
    }

    /// The error with the API key blanked out of the infra's text, should
    /// an answer echo it: an error may end up in a log.
    fn redacted(&self, error: HostedError) -> HostedError {
        let Some(key) = self.headers.get("x-api-key").and_then(|v| v.to_str().ok()) else {
            return error;
        };
        match error {
            HostedError::Status { status, body } => HostedError::Status {
                status,
                body: body.replace(key, "<redacted>"),
            },
            HostedError::InvalidResponse { reason } => HostedError::InvalidResponse {
                reason: reason.replace(key, "<redacted>"),
            },
            other => other,
        }
    }
}

/// Settings of a [`Huddle01Client`].
#[derive(Clone)]
#[must_use = "a client is only made by `build`"]
pub struct Huddle01ClientBuilder {
    api_key: String,
    base_url: String,
    timeout: Duration,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for Huddle01ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Huddle01ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("http", &self.http.as_ref().map(|_| "given"))
            .finish()
    }
}

impl Huddle01ClientBuilder {
    /// The infra's base URL, by default [`DEFAULT_BASE_URL`]; a trailing `/`
    /// is dropped. [`build`](Self::build) refuses any but `https`, or `http`
    /// to a loopback address (a test server, a local proxy).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long one call may take, response body included; by default
    /// [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// An HTTP client of your own (a shared connection pool, a proxy, extra
    /// roots). Its redirect policy and TLS settings are yours; without one
    /// the client uses rustls with the system's roots and follows no
    /// redirect.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the client. The base URL must be
    /// `https`, or `http` to a loopback address only (the JWKS URL's
    /// policy): the API key is sent with every call, and over plain `http`
    /// anyone on the path could read it. Nothing is sent here.
    pub fn build(self) -> Result<Huddle01Client, HostedError> {
        let input = |field, reason: &str| HostedError::Input(MintError::invalid(field, reason));
        // Visible ASCII, 0x21 to 0x7E: what a header value carries as it is
        // (a space would be trimmed, anything else sent as raw bytes).
        if self.api_key.is_empty() {
            return Err(input("apiKey", "must not be empty"));
        }
        if !self.api_key.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(input(
                "apiKey",
                "must be visible ASCII without spaces (it is sent as a header)",
            ));
        }
        let mut api_key = HeaderValue::from_str(&self.api_key)
            .map_err(|_| input("apiKey", "must be visible ASCII without spaces"))?;
        // Keeps it out of hyper's and reqwest's debug output.
        api_key.set_sensitive(true);
        if self.timeout.is_zero() {
            return Err(input("timeout", "must be positive"));
        }
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| input("baseUrl", &format!("not a URL: {e}")))?;
        http::check_url_policy(&parsed).map_err(|reason| input("baseUrl", &reason))?;
        if parsed.cannot_be_a_base() {
            return Err(input("baseUrl", "is not an http(s) URL"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(input("baseUrl", "must have no query or fragment"));
        }
        let http = match self.http {
            Some(http) => http,
            None => http::default_client()?,
        };
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", api_key);
        headers.insert("x-sdk-version", HeaderValue::from_static(SDK_VERSION));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        Ok(Huddle01Client {
            http,
            base_url,
            headers,
            timeout: self.timeout,
        })
    }
}
