//! Keys: the HS256 API key, asymmetric private keys for minting, and the
//! public keys a verifier holds. Every key is parsed once, when it is built,
//! so minting a token does no key work beyond the signature itself.
//!
//! Keys know key material only: PEM, DER and JWK in, signature bytes out
//! for the bytes they are given. How a token is written around those bytes
//! (headers, segments, base64url) belongs to the `jws` module, which builds
//! on this one; nothing here imports it.

// Imports point one way: the containers (`pkix`) and the strength rules
// (`strength`) know no key type of this crate; the key types build on them;
// the JWK reader, the key set and the signing key build on the key types.
mod api_key;
mod jwk;
mod key_set;
mod pkix;
mod prepared_mac;
mod private_key;
mod public_key;
mod signature;
mod signing_key;
mod strength;
mod unique_json;
mod verifying_key;

use std::fmt;

pub use api_key::ApiKey;
pub use jwk::SkippedKey;
pub(crate) use jwk::{key_from_jwk_json, keys_from_jwks};
pub use key_set::KeySet;
#[cfg(feature = "webhooks")]
pub(crate) use prepared_mac::PreparedMac;
pub use private_key::PrivateKey;
pub use public_key::PublicKey;
pub use signing_key::SigningKey;
pub(crate) use verifying_key::VerifyingKey;

/// The JWS algorithms this crate signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256, keyed with the API secret (the default).
    HS256,
    /// Ed25519 signatures.
    EdDSA,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// RSASSA-PKCS1-v1_5 with SHA-256, keys of at least 2048 bits.
    RS256,
}

impl Algorithm {
    /// Every supported algorithm.
    pub const ALL: [Algorithm; 4] = [
        Algorithm::HS256,
        Algorithm::EdDSA,
        Algorithm::ES256,
        Algorithm::RS256,
    ];

    /// The JWS `alg` value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::ES256 => "ES256",
            Algorithm::RS256 => "RS256",
        }
    }

    /// The algorithm with this exact `alg` value. Matching is case-sensitive,
    /// as RFC 7515 section 4.1.1 requires, so `hs256` is no algorithm.
    pub fn from_alg(alg: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.as_str() == alg)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Algorithm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_alg(s).ok_or_else(|| {
            format!("unknown algorithm {s:?}; expected one of HS256, EdDSA, ES256, RS256")
        })
    }
}

pub(crate) fn check_key_id(kid: &str) -> Result<(), crate::KeyError> {
    if kid.is_empty() {
        Err(crate::KeyError::EmptyKeyId)
    } else {
        Ok(())
    }
}
