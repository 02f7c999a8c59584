//! The key a verifier holds for one `kid`: the HS256 MAC state of an API
//! key, or a public key.

use std::fmt;

use super::prepared_mac::PreparedMac;
use super::public_key::PublicKey;
use super::Algorithm;

/// A key a verifier checks signatures with, bound to exactly one algorithm.
#[derive(Clone)]
pub(crate) enum VerifyingKey {
    Hs256 { mac: PreparedMac },
    Public(PublicKey),
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyingKey::Hs256 { .. } => f.write_str("HS256(<redacted>)"),
            VerifyingKey::Public(key) => fmt::Debug::fmt(key, f),
        }
    }
}

impl VerifyingKey {
    pub(crate) fn from_api_key(key: &crate::ApiKey) -> Self {
        VerifyingKey::Hs256 {
            mac: key.mac().clone(),
        }
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            VerifyingKey::Hs256 { .. } => Algorithm::HS256,
            VerifyingKey::Public(key) => key.algorithm(),
        }
    }

    /// Whether `signature` (already base64-decoded) signs `signing_input`.
    /// The HMAC comparison is constant-time (see [`PreparedMac::verify`]).
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyingKey::Hs256 { mac } => mac.verify(signing_input, signature),
            VerifyingKey::Public(key) => key.verify(signing_input, signature),
        }
    }
}
