//! The HTTP plumbing of every network call this crate makes: the default
//! client (rustls with the `ring` provider, no redirects, no OpenSSL) and one
//! exchange that fails closed: a deadline over the whole exchange, body
//! included, and a body read chunk by chunk up to a cap, so that a slow or
//! endless server can neither hang a caller nor fill its memory. Written for
//! the hosted client and any later fetcher (a remote JWKS) alike.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};

/// The URL policy of every call this crate makes, to Huddle01's infra and to
/// a JWKS alike: `https`, or plain `http` only to a loopback address (for
/// tests and sidecars), and no user name or password. Over plain `http`
/// elsewhere anyone on the path could read the API key, or swap the keys
/// and then sign any token. The reason names the scheme and the host, never
/// the rest of the URL.
pub(crate) fn check_url_policy(url: &Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".to_owned());
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "https" => Err("an https URL needs a host".to_owned()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "must use https; plain http is allowed only to loopback (127.0.0.0/8, ::1, localhost), not to {}",
            url.host_str().unwrap_or("an empty host")
        )),
        other => Err(format!("must use https, not {other}:")),
    }
}

/// Whether the URL's host is loopback: `127.0.0.0/8`, `::1` or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        // The `url` crate lowercases domains; `localhost.` is the same name.
        Some(Host::Domain(name)) => name == "localhost" || name == "localhost.",
        None => false,
    }
}

/// A response read in full: its status and at most the cap of body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why an exchange produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HttpError {
    /// The deadline passed before the body was read in full.
    Timeout(Duration),
    /// The body is longer than the cap.
    TooLarge { limit: usize },
    /// The connection, TLS or HTTP failed; the reason names no header value.
    Transport(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Timeout(after) => write!(f, "no complete response within {after:?}"),
            HttpError::TooLarge { limit } => write!(f, "the body is over {limit} bytes"),
            HttpError::Transport(reason) => f.write_str(reason),
        }
    }
}

/// The client used when the caller hands in none: TLS by rustls with the
/// `aws-lc-rs` provider (the library that signs and verifies tokens) and the
/// system's roots, HTTP/1.1, and no redirects (a
/// redirect of an authenticated call could carry it somewhere else). Callers
/// set their `User-Agent` per request, so that a client handed in sends it too.
pub(crate) fn default_client() -> Result<reqwest::Client, HttpError> {
    let transport = |what: &str, e: &dyn fmt::Display| HttpError::Transport(format!("{what}: {e}"));
    // An explicit provider, not a process-wide default: installing one would
    // change the TLS of every other rustls user in the program.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| transport("TLS certificate verifier", &e))?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| transport("TLS configuration", &e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| transport("HTTP client", &error_chain(&e)))
}

/// Sends `request` and reads its response, all of it within `timeout`, and
/// at most `cap` body bytes.
pub(crate) async fn exchange(
    request: reqwest::RequestBuilder,
    timeout: Duration,
    cap: usize,
) -> Result<HttpResponse, HttpError> {
    match tokio::time::timeout(timeout, send_and_read(request, timeout, cap)).await {
        Ok(result) => result,
        Err(_elapsed) => Err(HttpError::Timeout(timeout)),
    }
}

async fn send_and_read(
    request: reqwest::RequestBuilder,
    timeout: Duration,
    cap: usize,
) -> Result<HttpResponse, HttpError> {
    let failed = |e: reqwest::Error| {
        // A client handed in by the caller may have a timeout of its own.
        if e.is_timeout() {
            HttpError::Timeout(timeout)
        } else {
            HttpError::Transport(error_chain(&e))
        }
    };
    let mut response = request.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|len| len > cap as u64)
    {
        return Err(HttpError::TooLarge { limit: cap });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > cap {
            return Err(HttpError::TooLarge { limit: cap });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(HttpResponse { status, body })
}

/// The error and its causes on one line: reqwest's own message alone
/// ("error sending request") hides whether DNS, TCP or TLS failed. None of
/// them holds a header value, so the API key cannot appear here.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
        source = source.and_then(std::error::Error::source);
    }
    message
}
