//! The private keys that sign EdDSA, ES256 and RS256 tokens.

use std::fmt;
use std::sync::OnceLock;

use pkcs8::{EncodePrivateKey, LineEnding};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::pkix::{self, Pkcs8Key};
use super::public_key::PublicKey;
use super::signature::Signature;
use super::strength::check_rsa;
use super::{check_key_id, Algorithm};
use crate::KeyError;

/// The bit size of RSA keys that [`PrivateKey::generate`] makes.
const RSA_GENERATED_BITS: usize = 2048;

enum Inner {
    Ed25519(ed25519_dalek::SigningKey),
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

// Each key type wipes its secret scalar or primes when dropped; this stops
// the build if an upgrade of those crates ever gives that up.
const _: () = {
    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    let _ = zeroized_on_drop::<ed25519_dalek::SigningKey>;
    let _ = zeroized_on_drop::<p256::ecdsa::SigningKey>;
    let _ = zeroized_on_drop::<rsa::pkcs1v15::SigningKey<Sha256>>;
};

/// A private key that signs EdDSA, ES256 or RS256 tokens, with the `kid`
/// under which its public key is published.
///
/// Parsed once from PKCS#8 when built (never again per token); the key
/// material is zeroed on drop and never shown by `Debug`.
pub struct PrivateKey {
    kid: String,
    inner: Inner,
    // As for `ApiKey`: the header the JWS layer encodes once for this key.
    jws_header: OnceLock<String>,
}

impl PrivateKey {
    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`); the
    /// algorithm follows from the key: Ed25519 gives EdDSA, P-256 gives ES256,
    /// RSA (2048 to 4096 bits) gives RS256.
    ///
    /// Given something else (a JWKS, a public key, a PKCS#1 or SEC1 key),
    /// the error says what the file is and how to convert it.
    pub fn from_pkcs8_pem(kid: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        PrivateKey::from_pkcs8_der(kid, pkix::pkcs8_pem(pem)?.as_bytes())
    }

    /// Reads a PKCS#8 DER private key; see [`PrivateKey::from_pkcs8_pem`].
    pub fn from_pkcs8_der(kid: impl Into<String>, der: &[u8]) -> Result<Self, KeyError> {
        let kid = kid.into();
        check_key_id(&kid)?;
        let inner = match pkix::read_pkcs8(der)? {
            Pkcs8Key::Ed25519(key) => Inner::Ed25519(key),
            Pkcs8Key::P256(key) => Inner::Es256(key),
            Pkcs8Key::Rsa(key) => {
                check_rsa(&key)?;
                Inner::Rs256(Box::new(rsa::pkcs1v15::SigningKey::new(key)))
            }
        };
        Ok(PrivateKey::new(kid, inner))
    }

    /// Generates a fresh key for `alg` (RSA keys have 2048 bits) from the
    /// operating system's random source.
    pub fn generate(alg: Algorithm, kid: impl Into<String>) -> Result<Self, KeyError> {
        let kid = kid.into();
        check_key_id(&kid)?;
        let mut rng = rand::rngs::OsRng;
        let inner = match alg {
            Algorithm::EdDSA => Inner::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng)),
            Algorithm::ES256 => Inner::Es256(p256::ecdsa::SigningKey::random(&mut rng)),
            Algorithm::RS256 => {
                let key = rsa::RsaPrivateKey::new(&mut rng, RSA_GENERATED_BITS).map_err(|e| {
                    KeyError::Generate {
                        alg,
                        reason: e.to_string(),
                    }
                })?;
                Inner::Rs256(Box::new(rsa::pkcs1v15::SigningKey::new(key)))
            }
            Algorithm::HS256 => {
                return Err(KeyError::Unsupported {
                    what: "HS256 has no private key; use ApiKey with the API secret".to_owned(),
                })
            }
        };
        Ok(PrivateKey::new(kid, inner))
    }

    fn new(kid: String, inner: Inner) -> Self {
        PrivateKey {
            kid,
            inner,
            jws_header: OnceLock::new(),
        }
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            Inner::Ed25519(_) => Algorithm::EdDSA,
            Inner::Es256(_) => Algorithm::ES256,
            Inner::Rs256(_) => Algorithm::RS256,
        }
    }

    /// The key as PKCS#8 PEM, in memory that is zeroed when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let pem = match &self.inner {
            Inner::Ed25519(key) => key.to_pkcs8_pem(LineEnding::LF),
            Inner::Es256(key) => p256::SecretKey::from(key).to_pkcs8_pem(LineEnding::LF),
            Inner::Rs256(key) => rsa_private(key).to_pkcs8_pem(LineEnding::LF),
        };
        pem.map_err(|e| encoding_error(e.to_string()))
    }

    /// The public key as a JWK with `kid`, `alg` and `use: sig`.
    pub fn public_jwk(&self) -> jsonwebtoken::jwk::Jwk {
        self.public_key().to_jwk(&self.kid)
    }

    /// A JWKS document holding this key's public JWK.
    pub fn jwks(&self) -> jsonwebtoken::jwk::JwkSet {
        jsonwebtoken::jwk::JwkSet {
            keys: vec![self.public_jwk()],
        }
    }

    /// The public half of this key.
    pub fn public_key(&self) -> PublicKey {
        match &self.inner {
            Inner::Ed25519(key) => PublicKey::Ed25519(key.verifying_key()),
            Inner::Es256(key) => PublicKey::Es256(*key.verifying_key()),
            Inner::Rs256(key) => PublicKey::Rs256(Box::new(rsa::pkcs1v15::VerifyingKey::new(
                rsa_private(key).to_public_key(),
            ))),
        }
    }
}

impl PrivateKey {
    /// The signature of `signing_input`.
    pub(crate) fn sign(&self, signing_input: &[u8]) -> Result<Signature, String> {
        match &self.inner {
            Inner::Ed25519(key) => {
                let signature: ed25519_dalek::Signature = key.sign(signing_input);
                Ok(Signature::Bytes64(signature.to_bytes()))
            }
            Inner::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(signing_input);
                Ok(Signature::Bytes64(signature.to_bytes().into()))
            }
            Inner::Rs256(key) => {
                // Randomized signing blinds the private exponent against timing attacks.
                let signature = key
                    .try_sign_with_rng(&mut rand::thread_rng(), signing_input)
                    .map_err(|e| e.to_string())?;
                Ok(Signature::Boxed(signature.to_bytes()))
            }
        }
    }

    /// Where the JWS layer keeps this key's encoded header.
    pub(crate) fn jws_header(&self) -> &OnceLock<String> {
        &self.jws_header
    }
}

fn rsa_private(key: &rsa::pkcs1v15::SigningKey<Sha256>) -> &rsa::RsaPrivateKey {
    key.as_ref()
}

fn encoding_error(reason: String) -> KeyError {
    KeyError::Encoding {
        what: "private key",
        reason,
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kid", &self.kid)
            .field("alg", &self.algorithm())
            .field("key", &"<redacted>")
            .finish()
    }
}
