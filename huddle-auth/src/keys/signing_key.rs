//! The one signing-key type that the library, the command line and the
//! token server share: an API key or a private key, chosen at run time.

use std::path::Path;

use super::api_key::ApiKey;
use super::private_key::PrivateKey;
use super::public_key::PublicKey;
use super::Algorithm;
use crate::KeyError;

/// The key that signs tokens when the kind is chosen by configuration: an
/// [`ApiKey`] (HS256) or a [`PrivateKey`] (EdDSA, ES256, RS256).
///
/// ```
/// use huddle_auth::{AccessToken, ApiKey, SigningKey};
///
/// let key = SigningKey::from(ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?);
/// assert_eq!(key.key_id(), "ak_demo");
/// assert!(key.jwks().is_none(), "an API key publishes nothing");
/// let token = AccessToken::new(&key, "abc-defg-hij").to_jwt()?;
/// assert!(huddle_auth::has_three_segments(&token));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum SigningKey {
    /// HS256 with an API key's secret.
    Api(ApiKey),
    /// EdDSA, ES256 or RS256 with a private key, whose public half verifiers
    /// load from a JWKS.
    Private(PrivateKey),
}

impl SigningKey {
    /// A private key from PKCS#8 PEM text; see [`PrivateKey::from_pkcs8_pem`].
    pub fn from_pkcs8_pem(kid: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        PrivateKey::from_pkcs8_pem(kid, pem).map(SigningKey::Private)
    }

    /// A private key from a PKCS#8 PEM file; the error names the file.
    pub fn from_pkcs8_file(
        kid: impl Into<String>,
        path: impl AsRef<Path>,
    ) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let file = |reason: String| KeyError::File {
            path: path.display().to_string(),
            reason,
        };
        // The PEM is key material: wiped once the key is parsed.
        let pem = zeroize::Zeroizing::new(
            std::fs::read_to_string(path).map_err(|e| file(e.to_string()))?,
        );
        SigningKey::from_pkcs8_pem(kid, &pem).map_err(|e| file(e.to_string()))
    }

    /// The key id, sent as the header's `kid` and the `projectId` claim.
    pub fn key_id(&self) -> &str {
        match self {
            SigningKey::Api(key) => key.id(),
            SigningKey::Private(key) => key.kid(),
        }
    }

    /// The algorithm the key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            SigningKey::Api(_) => Algorithm::HS256,
            SigningKey::Private(key) => key.algorithm(),
        }
    }

    /// The public half, for a private key; an API key has none.
    pub fn public_key(&self) -> Option<PublicKey> {
        match self {
            SigningKey::Api(_) => None,
            SigningKey::Private(key) => Some(key.public_key()),
        }
    }

    /// The JWKS verifiers load to check this key's tokens, for a private
    /// key; an API key's secret is never published.
    pub fn jwks(&self) -> Option<jsonwebtoken::jwk::JwkSet> {
        match self {
            SigningKey::Api(_) => None,
            SigningKey::Private(key) => Some(key.jwks()),
        }
    }
}

impl From<ApiKey> for SigningKey {
    fn from(key: ApiKey) -> Self {
        SigningKey::Api(key)
    }
}

impl From<PrivateKey> for SigningKey {
    fn from(key: PrivateKey) -> Self {
        SigningKey::Private(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_that_cannot_be_read_or_parsed_is_named() {
        let error = SigningKey::from_pkcs8_file("k", "/nonexistent/key.pem").expect_err("no file");
        assert!(
            error.to_string().starts_with("/nonexistent/key.pem: "),
            "{error}"
        );
        let dir =
            std::env::temp_dir().join(format!("huddle-auth-signing-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("jwks.json");
        std::fs::write(&path, r#"{"keys":[]}"#).expect("write");
        let error = SigningKey::from_pkcs8_file("k", &path).expect_err("a JWKS");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: private key: the file is JSON (a JWK or JWKS), not PEM; \
                 expected a PKCS#8 private key PEM (-----BEGIN PRIVATE KEY-----)",
                path.display()
            )
        );
        let key = PrivateKey::generate(Algorithm::EdDSA, "k").expect("key");
        let path = dir.join("key.pem");
        std::fs::write(&path, key.to_pkcs8_pem().expect("PEM").as_bytes()).expect("write");
        let loaded = SigningKey::from_pkcs8_file("k1", &path).expect("a PKCS#8 key");
        assert_eq!(loaded.key_id(), "k1");
        assert_eq!(loaded.algorithm(), Algorithm::EdDSA);
        assert!(loaded.jwks().is_some());
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
