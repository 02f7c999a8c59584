//! [`WebhookSigner`]: signs a body exactly as Huddle01 does, for tests of a
//! webhook endpoint. The SDK has nothing like it.

use std::time::{SystemTime, UNIX_EPOCH};

use super::canonical::canonicalize;
use super::key::{SignedText, WebhookKey};
use super::{WebhookAlgorithm, WebhookError};

/// Writes the `huddle01-signature` header Huddle01 would send with a body:
/// `t=<t>,sha256=<hex>`, the HMAC over `` `${id}.${t}.${V8 form of body}` ``
/// keyed with the API key. [`WebhookReceiver`](super::WebhookReceiver) and
/// the SDK's `WebhookReceiver` accept it.
///
/// ```
/// use huddle_auth::webhooks::{WebhookAlgorithm, WebhookSigner};
///
/// let signer = WebhookSigner::new("ak_test_huddle_auth")?;
/// let body = br#"{"id":"evt_1","event":"meeting:started","payload":{"sessionId":"s1","roomId":"abc-defg-hij","createdAt":1700000000000}}"#;
/// // The golden vector "simple" of the reference.
/// assert_eq!(
///     signer.sign_at(body, 1_700_000_000_000)?,
///     "t=1700000000000,sha256=5a7fb329e895c0220e188620a6de8f875268494509d8b17c14d250f8b2e2cbb7"
/// );
/// let sha512 = signer.algorithm(WebhookAlgorithm::Sha512).sign(body)?;
/// assert!(sha512.contains(",sha512="));
/// # Ok::<(), huddle_auth::webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone)]
pub struct WebhookSigner {
    key: WebhookKey,
    algorithm: WebhookAlgorithm,
}

impl WebhookSigner {
    /// A signer with this API key, signing with SHA-256 as Huddle01 does. An
    /// empty key is refused.
    pub fn new(api_key: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        Ok(WebhookSigner {
            key: WebhookKey::new(api_key.as_ref())?,
            algorithm: WebhookAlgorithm::Sha256,
        })
    }

    /// Signs with this algorithm instead.
    pub fn algorithm(mut self, algorithm: WebhookAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The header for `body`, with `t` the clock's time in milliseconds.
    pub fn sign(&self, body: &[u8]) -> Result<String, WebhookError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        self.sign_at(body, now)
    }

    /// The header for `body` with this `t`, written as given (milliseconds,
    /// or seconds below 10^11, as the receiver reads it).
    ///
    /// # Errors
    /// What the receiver would refuse the body for: not JSON, a falsy id, a
    /// lone surrogate, too deep.
    pub fn sign_at(&self, body: &[u8], timestamp: u64) -> Result<String, WebhookError> {
        let canonical = canonicalize(body)?;
        let timestamp = timestamp.to_string();
        let signed = SignedText::of(&canonical, &timestamp)?;
        let tag = self.key.tag(self.algorithm, signed);
        Ok(format!(
            "t={timestamp},{}={}",
            self.algorithm,
            hex::encode(tag)
        ))
    }
}
