//! [`WebhookReceiver`]: the whole trust decision, on one screen.

use std::time::{Duration, SystemTime};

use super::canonical::canonicalize;
use super::events::WebhookEvent;
use super::header;
use super::key::{SignedText, WebhookKey};
use super::{WebhookError, DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE};

/// Verifies the webhooks Huddle01 sends, byte-compatible with the SDK's
/// `WebhookReceiver` (2.6.2) and stricter where it is weak: a replay window,
/// a size cap and a strict header (see the [module docs](super)).
///
/// Build one per API key and share it (it is `Send + Sync`; the key is keyed
/// into HMAC states once, here, and `Debug` never shows it).
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    key: WebhookKey,
    tolerance: Option<Duration>,
    max_body_bytes: usize,
}

impl WebhookReceiver {
    /// A receiver for webhooks signed with this API key (the value sent as
    /// `x-api-key`, not the API secret). An empty key is refused.
    pub fn new(api_key: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        Ok(WebhookReceiver {
            key: WebhookKey::new(api_key.as_ref())?,
            tolerance: Some(DEFAULT_TOLERANCE),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// How far the timestamp may be from the clock, in both directions
    /// [default: [`DEFAULT_TOLERANCE`]]; `None` accepts any timestamp, as
    /// the SDK does.
    pub fn tolerance(mut self, tolerance: Option<Duration>) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The largest body read [default: [`DEFAULT_MAX_BODY_BYTES`]].
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The receiver's cap on bodies, for those that read the body (the axum
    /// extractor stops reading there).
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Verifies a webhook: `body` as received, byte for byte, and the value
    /// of its `huddle01-signature` header.
    pub fn receive(
        &self,
        body: &[u8],
        signature_header: &str,
    ) -> Result<WebhookEvent, WebhookError> {
        self.receive_at(body, signature_header, SystemTime::now())
    }

    /// [`receive`](Self::receive) with the clock at `now`, for tests.
    pub fn receive_at(
        &self,
        body: &[u8],
        signature_header: &str,
        now: SystemTime,
    ) -> Result<WebhookEvent, WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::TooLarge {
                limit: self.max_body_bytes,
            });
        }
        let header = header::parse(signature_header)?;
        let canonical = canonicalize(body)?;
        let signed = SignedText::of(&canonical, header.timestamp_text)?;
        // What the SDK signs is V8's form of the body; a sender that signs
        // the bytes it sends is accepted too (one more MAC, only when the
        // two differ and the first did not match).
        let genuine = self.key.verify(header.algorithm, signed, &header.tag)
            || (body != canonical.json.as_bytes()
                && self
                    .key
                    .verify(header.algorithm, signed.over(body), &header.tag));
        if !genuine {
            return Err(WebhookError::BadSignature {
                algorithm: header.algorithm,
            });
        }
        self.check_timestamp(header.timestamp_millis, now)?;
        let id = signed.id.to_owned();
        WebhookEvent::new(id, header.timestamp_millis, canonical.json).map_err(|e| {
            WebhookError::NotJson {
                offset: e.column(),
                reason: "serde_json cannot read V8's form of it",
            }
        })
    }

    /// The replay window: `t` within the tolerance of `now`, either way.
    fn check_timestamp(&self, timestamp_millis: u64, now: SystemTime) -> Result<(), WebhookError> {
        let Some(tolerance) = self.tolerance else {
            return Ok(());
        };
        let signed_at = SystemTime::UNIX_EPOCH + Duration::from_millis(timestamp_millis);
        match now.duration_since(signed_at) {
            Ok(age) if age > tolerance => Err(WebhookError::TooOld { age, tolerance }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > tolerance => Err(WebhookError::FromFuture {
                ahead: ahead.duration(),
                tolerance,
            }),
            Err(_) => Ok(()),
        }
    }
}
