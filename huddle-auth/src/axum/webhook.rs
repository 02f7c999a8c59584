//! [`VerifiedWebhook`]: a webhook from Huddle01, verified before the handler
//! runs (features `axum` and `webhooks`).

use std::fmt;
use std::sync::Arc;

use axum_core::body::Body;
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::rejection::json_error;
use crate::webhooks::{WebhookError, WebhookEvent, WebhookReceiver, SIGNATURE_HEADER};

/// A request whose body is a webhook that verified with the
/// [`WebhookReceiver`] of the router state (any state from which an
/// `Arc<WebhookReceiver>` can be taken with [`FromRef`], as the token
/// extractors take their verifier).
///
/// It reads the raw body, never more than the receiver's
/// [`body_limit`](WebhookReceiver::body_limit), and the `huddle01-signature`
/// header. A refusal is a [`WebhookRejection`], with the JSON body of the
/// token extractors, `{"error", "reason", "description"}`:
///
/// | what | status | `error` |
/// |---|---|---|
/// | no `huddle01-signature` header | 401 | `invalid_signature` |
/// | a signature that does not match, a timestamp outside the replay window | 401 | `invalid_signature` |
/// | two `huddle01-signature` headers, a malformed header or body, no id, an unknown algorithm | 400 | `invalid_request` |
/// | a body over the receiver's cap | 413 | `invalid_request` |
///
/// ```
/// use std::sync::Arc;
///
/// use axum::{http::StatusCode, routing::post, Router};
/// use huddle_auth::axum::VerifiedWebhook;
/// use huddle_auth::webhooks::{Event, WebhookReceiver};
///
/// async fn webhook(VerifiedWebhook(webhook): VerifiedWebhook) -> StatusCode {
///     if let Event::PeerJoined(peer) = webhook.event() {
///         println!("{} joined {}", peer.id, peer.room_id);
///     }
///     StatusCode::NO_CONTENT
/// }
///
/// let receiver = WebhookReceiver::new("ak_test_huddle_auth")?;
/// let app: Router = Router::new()
///     .route("/webhooks/huddle01", post(webhook))
///     .with_state(Arc::new(receiver));
/// # drop(app);
/// # Ok::<(), huddle_auth::webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedWebhook(pub WebhookEvent);

impl<S> FromRequest<S> for VerifiedWebhook
where
    Arc<WebhookReceiver>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Arc::<WebhookReceiver>::from_ref(state);
        let (parts, body) = request.into_parts();
        let header = signature_header(&parts.headers)?;
        let body = read_body(body, receiver.body_limit()).await?;
        Ok(VerifiedWebhook(receiver.receive(&body, header)?))
    }
}

/// The one `huddle01-signature` header's value.
fn signature_header(headers: &HeaderMap) -> Result<&str, WebhookRejection> {
    let mut values = headers.get_all(SIGNATURE_HEADER).iter();
    let value = values.next().ok_or(WebhookError::MissingHeader)?;
    if values.next().is_some() {
        return Err(WebhookError::RepeatedHeader.into());
    }
    value.to_str().map_err(|_| {
        WebhookError::MalformedHeader {
            reason: "is not visible ASCII",
        }
        .into()
    })
}

/// The raw body, refused past `limit` bytes without reading further.
async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, WebhookRejection> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes().to_vec()),
        Err(error) if error.is::<LengthLimitError>() => {
            Err(WebhookError::TooLarge { limit }.into())
        }
        Err(_) => Err(WebhookRejection {
            status: StatusCode::BAD_REQUEST,
            reason: "unreadable_body",
            description: "the request body could not be read".to_owned(),
            source: None,
        }),
    }
}

/// Why [`VerifiedWebhook`] refused a request; turns into a 400, 401 or 413
/// with the JSON body of the token extractors. The description names the
/// reason and never quotes the body or the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRejection {
    status: StatusCode,
    reason: &'static str,
    description: String,
    source: Option<WebhookError>,
}

impl WebhookRejection {
    /// The status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// A stable name for the reason (`bad_signature`, `too_old`,
    /// `malformed_header`, ...), as in the response body.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// The receiver's error, for the server's own logs.
    pub fn webhook_error(&self) -> Option<&WebhookError> {
        self.source.as_ref()
    }

    fn error_code(&self) -> &'static str {
        match self.status {
            StatusCode::UNAUTHORIZED => "invalid_signature",
            StatusCode::INTERNAL_SERVER_ERROR => "server_error",
            _ => "invalid_request",
        }
    }
}

impl From<WebhookError> for WebhookRejection {
    /// Every variant is placed here, without a wildcard: what says the
    /// webhook is not genuine or not current is a 401; what says the request
    /// is not a webhook at all is a 400.
    fn from(error: WebhookError) -> Self {
        let (status, reason) = match &error {
            WebhookError::MissingHeader => (StatusCode::UNAUTHORIZED, "missing_signature"),
            WebhookError::BadSignature { .. } => (StatusCode::UNAUTHORIZED, "bad_signature"),
            WebhookError::TooOld { .. } => (StatusCode::UNAUTHORIZED, "too_old"),
            WebhookError::FromFuture { .. } => (StatusCode::UNAUTHORIZED, "from_future"),
            WebhookError::RepeatedHeader => (StatusCode::BAD_REQUEST, "repeated_header"),
            WebhookError::MalformedHeader { .. } => (StatusCode::BAD_REQUEST, "malformed_header"),
            WebhookError::UnsupportedAlgorithm { .. } => {
                (StatusCode::BAD_REQUEST, "unsupported_algorithm")
            }
            WebhookError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            WebhookError::NotJson { .. } => (StatusCode::BAD_REQUEST, "not_json"),
            WebhookError::LoneSurrogate { .. } | WebhookError::TooDeep { .. } => {
                (StatusCode::BAD_REQUEST, "unrepresentable")
            }
            WebhookError::NoId { .. } => (StatusCode::BAD_REQUEST, "no_id"),
            // Only `WebhookReceiver::new` refuses a key, before any request.
            WebhookError::EmptyKey => (StatusCode::INTERNAL_SERVER_ERROR, "server_error"),
        };
        WebhookRejection {
            status,
            reason,
            description: error.to_string(),
            source: Some(error),
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description, self.reason)
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        json_error(
            self.status,
            self.error_code(),
            self.reason,
            &self.description,
        )
    }
}
