//! The API key as webhook HMAC keys: keyed once for each algorithm, so each
//! webhook costs only the hashing of its own bytes.

use std::fmt;

use hmac::Mac;
use sha2::{Sha256, Sha512};

use super::canonical::Canonical;
use super::{WebhookAlgorithm, WebhookError};
use crate::keys::PreparedMac;

/// HMAC-SHA256 and HMAC-SHA512 keyed with the API key. Like the HS256 key,
/// it keeps no copy of the key itself and `Debug` shows none.
#[derive(Clone)]
pub(crate) struct WebhookKey {
    sha256: PreparedMac<Sha256>,
    sha512: PreparedMac<Sha512>,
}

impl fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookKey(<redacted>)")
    }
}

/// The text a webhook's MAC covers: `` `${id}.${t}.${json}` `` (SDK 2.6.2,
/// `dist/webhooks`), given in parts so it is never joined in memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignedText<'a> {
    pub(crate) id: &'a str,
    pub(crate) timestamp: &'a str,
    pub(crate) json: &'a [u8],
}

impl<'a> SignedText<'a> {
    /// The signed text over V8's form of the body, or why the body has none.
    pub(crate) fn of(canonical: &'a Canonical, timestamp: &'a str) -> Result<Self, WebhookError> {
        let id = canonical
            .id
            .as_deref()
            .map_err(|&reason| WebhookError::NoId { reason })?;
        Ok(SignedText {
            id,
            timestamp,
            json: canonical.json.as_bytes(),
        })
    }

    /// The same id and timestamp over other bytes (the raw body).
    pub(crate) fn over(self, json: &'a [u8]) -> Self {
        SignedText { json, ..self }
    }
}

impl WebhookKey {
    /// Keys both HMACs; an empty key is refused.
    pub(crate) fn new(api_key: &[u8]) -> Result<Self, WebhookError> {
        if api_key.is_empty() {
            return Err(WebhookError::EmptyKey);
        }
        // HMAC takes a key of any length (RFC 2104 section 2), so this cannot fail.
        let keyed = |_| WebhookError::EmptyKey;
        Ok(WebhookKey {
            sha256: PreparedMac::new(api_key).map_err(keyed)?,
            sha512: PreparedMac::new(api_key).map_err(keyed)?,
        })
    }

    /// The MAC of `text`.
    pub(crate) fn tag(&self, algorithm: WebhookAlgorithm, text: SignedText<'_>) -> Vec<u8> {
        match algorithm {
            WebhookAlgorithm::Sha256 => mac(self.sha256.start(), text),
            WebhookAlgorithm::Sha512 => mac(self.sha512.start(), text),
        }
    }

    /// Whether `tag` is the MAC of `text`: lengths first, then in constant
    /// time (`Mac::verify_slice`, see `PreparedMac::verify`).
    pub(crate) fn verify(
        &self,
        algorithm: WebhookAlgorithm,
        text: SignedText<'_>,
        tag: &[u8],
    ) -> bool {
        match algorithm {
            WebhookAlgorithm::Sha256 => feed(self.sha256.start(), text).verify_slice(tag).is_ok(),
            WebhookAlgorithm::Sha512 => feed(self.sha512.start(), text).verify_slice(tag).is_ok(),
        }
    }
}

fn feed<M: Mac>(mut mac: M, text: SignedText<'_>) -> M {
    mac.update(text.id.as_bytes());
    mac.update(b".");
    mac.update(text.timestamp.as_bytes());
    mac.update(b".");
    mac.update(text.json);
    mac
}

fn mac<M: Mac>(mac: M, text: SignedText<'_>) -> Vec<u8> {
    feed(mac, text).finalize().into_bytes().to_vec()
}
