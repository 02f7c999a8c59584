use std::fmt;
use std::sync::OnceLock;

use hmac::Mac;
use zeroize::Zeroizing;

use super::check_key_id;
use super::prepared_mac::PreparedMac;
use super::signature::Signature;
use crate::KeyError;

/// The shortest HS256 secret accepted: the size of the hash (RFC 7518 section 3.2).
pub const MIN_SECRET_BYTES: usize = 32;

/// An API key: a public key id and the secret that signs HS256 tokens.
///
/// The secret is checked once (at least 32 bytes) and turned into a prepared
/// HMAC state once, so each token costs one HMAC of its own bytes. The key
/// keeps no copy of the secret itself, only that state, which is overwritten
/// when the key is dropped (best effort: see the notes on secrets in the
/// README) and never shown by `Debug`. The secret passed in stays the
/// caller's; pass a `zeroize::Zeroizing<String>` to have it wiped too.
#[derive(Clone)]
pub struct ApiKey {
    id: String,
    mac: PreparedMac,
    // The JWS layer encodes the header the first time the key signs and keeps
    // it here, so it is encoded once per key, not once per token.
    jws_header: OnceLock<String>,
}

impl ApiKey {
    /// An API key with this id and secret.
    ///
    /// ```
    /// use huddle_auth::ApiKey;
    ///
    /// let key = ApiKey::new("ak_live_1", "a secret of at least thirty-two bytes")?;
    /// assert_eq!(key.id(), "ak_live_1");
    /// assert!(!format!("{key:?}").contains("thirty-two"));
    /// assert!(ApiKey::new("ak_live_1", "short").is_err());
    /// // The id travels in clear in every token: it can never be the secret.
    /// let secret = "a secret of at least thirty-two bytes";
    /// assert!(ApiKey::new(secret, secret).is_err());
    /// # Ok::<(), huddle_auth::KeyError>(())
    /// ```
    pub fn new(id: impl Into<String>, secret: impl AsRef<[u8]>) -> Result<Self, KeyError> {
        let id = id.into();
        check_key_id(&id)?;
        let secret = secret.as_ref();
        // Every token carries the id as `kid` and `projectId`: a secret
        // passed as the id (a swapped pair of flags or variables) would be
        // published with the first token.
        if secret == id.as_bytes() {
            return Err(KeyError::SecretIsKeyId);
        }
        if secret.len() < MIN_SECRET_BYTES {
            return Err(KeyError::SecretTooShort {
                bytes: secret.len(),
            });
        }
        let mac = PreparedMac::new(secret).map_err(|_| KeyError::SecretTooShort {
            bytes: secret.len(),
        })?;
        Ok(ApiKey {
            id,
            mac,
            jws_header: OnceLock::new(),
        })
    }

    /// The environment variable [`ApiKey::from_env`] reads the key id from.
    pub const ID_ENV: &'static str = "HUDDLE_API_KEY";

    /// The environment variable [`ApiKey::from_env`] reads the secret from.
    pub const SECRET_ENV: &'static str = "HUDDLE_API_SECRET";

    /// The API key of the process environment: the id from
    /// `HUDDLE_API_KEY`, the secret from `HUDDLE_API_SECRET`.
    ///
    /// The secret may be any bytes (it keys an HMAC, it need not be UTF-8);
    /// the copy read from the environment is wiped once the key is built.
    /// A variable that is unset or empty is an error naming it.
    pub fn from_env() -> Result<Self, KeyError> {
        let id = std::env::var_os(Self::ID_ENV)
            .filter(|id| !id.is_empty())
            .ok_or(KeyError::MissingEnv {
                variable: Self::ID_ENV,
            })?
            .into_string()
            .map_err(|_| KeyError::Env {
                variable: Self::ID_ENV,
                reason: "is not valid UTF-8",
            })?;
        let secret = std::env::var_os(Self::SECRET_ENV)
            .filter(|secret| !secret.is_empty())
            .ok_or(KeyError::MissingEnv {
                variable: Self::SECRET_ENV,
            })?;
        let secret = Zeroizing::new(secret.into_encoded_bytes());
        ApiKey::new(id, secret.as_slice())
    }

    /// The key id (the project's API key id).
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn mac(&self) -> &PreparedMac {
        &self.mac
    }

    /// The HMAC-SHA256 tag of `signing_input`.
    pub(crate) fn sign(&self, signing_input: &[u8]) -> Signature {
        let mut mac = self.mac.start();
        mac.update(signing_input);
        Signature::Bytes32(mac.finalize().into_bytes().into())
    }

    /// Where the JWS layer keeps this key's encoded header.
    pub(crate) fn jws_header(&self) -> &OnceLock<String> {
        &self.jws_header
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}
