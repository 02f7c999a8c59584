//! The private keys that sign EdDSA, ES256 and RS256 tokens.

use std::fmt;
use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING,
    RSA_PKCS1_SHA256,
};
use pkcs8::LineEnding;
use zeroize::Zeroizing;

use super::pkix::{self, Pkcs8Key};
use super::public_key::PublicKey;
use super::signature::Signature;
use super::{check_key_id, Algorithm};
use crate::KeyError;

// The key pairs live in aws-lc's memory, which it wipes when it frees them
// (`OPENSSL_free` cleanses every allocation); the PKCS#8 documents aws-lc
// hands out are zeroed on drop (`aws_lc_rs::pkcs8::Document`).
enum Inner {
    Ed25519(Ed25519KeyPair),
    Es256(EcdsaKeyPair),
    Rs256 {
        key: RsaKeyPair,
        // The length of every signature, kept to size the buffer without
        // asking aws-lc per token.
        modulus_len: usize,
    },
}

/// A private key that signs EdDSA, ES256 or RS256 tokens, with the `kid`
/// under which its public key is published.
///
/// Parsed once from PKCS#8 when built, into aws-lc's prepared key pair
/// (never again per token); the key material is wiped on drop and never
/// shown by `Debug`.
pub struct PrivateKey {
    kid: String,
    inner: Inner,
    // The public half, prepared once for `public_key`, `public_jwk` and
    // verifiers built from this key.
    public: PublicKey,
    // As for `ApiKey`: the header the JWS layer encodes once for this key.
    jws_header: OnceLock<String>,
}

impl PrivateKey {
    /// The RSA sizes [`PrivateKey::generate_rsa`] makes, in bits; the first
    /// is what [`PrivateKey::generate`] makes.
    pub const RSA_GENERATED_BITS: [usize; 3] = [2048, 3072, 4096];

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
            Pkcs8Key::Rsa(key) => Inner::rsa(key),
        };
        PrivateKey::new(kid, inner)
    }

    /// Generates a fresh key for `alg` from the operating system's random
    /// source (RSA keys have 2048 bits; see [`PrivateKey::generate_rsa`] for
    /// larger ones).
    ///
    /// ```
    /// use huddle_auth::{Algorithm, PrivateKey};
    ///
    /// let key = PrivateKey::generate(Algorithm::ES256, "2024-05")?;
    /// assert_eq!(key.algorithm(), Algorithm::ES256);
    /// // Saved as PKCS#8, it loads back through the same path as any key file.
    /// let again = PrivateKey::from_pkcs8_pem("2024-05", &key.to_pkcs8_pem()?)?;
    /// assert_eq!(again.public_jwk(), key.public_jwk());
    /// # Ok::<(), huddle_auth::KeyError>(())
    /// ```
    pub fn generate(alg: Algorithm, kid: impl Into<String>) -> Result<Self, KeyError> {
        let kid = kid.into();
        check_key_id(&kid)?;
        let failed = |_| KeyError::Generate {
            alg,
            reason: "aws-lc could not generate the key".to_owned(),
        };
        let inner = match alg {
            Algorithm::EdDSA => Inner::Ed25519(Ed25519KeyPair::generate().map_err(failed)?),
            Algorithm::ES256 => Inner::Es256(
                EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(failed)?,
            ),
            Algorithm::RS256 => {
                return PrivateKey::generate_rsa(PrivateKey::RSA_GENERATED_BITS[0], kid)
            }
            Algorithm::HS256 => {
                return Err(KeyError::Unsupported {
                    what: "HS256 has no private key; use ApiKey with the API secret".to_owned(),
                })
            }
        };
        PrivateKey::new(kid, inner)
    }

    /// Generates a fresh RS256 key of `bits` bits, one of
    /// [`PrivateKey::RSA_GENERATED_BITS`] (2048, 3072 or 4096): the sizes a verifier
    /// of this crate accepts that aws-lc generates. A 4096-bit key takes
    /// about a second.
    ///
    /// ```
    /// use huddle_auth::{Algorithm, KeyError, PrivateKey};
    ///
    /// let key = PrivateKey::generate_rsa(3072, "rsa-3072")?;
    /// assert_eq!(key.algorithm(), Algorithm::RS256);
    /// assert!(matches!(
    ///     PrivateKey::generate_rsa(1024, "too-small"),
    ///     Err(KeyError::Generate { .. })
    /// ));
    /// # Ok::<(), KeyError>(())
    /// ```
    pub fn generate_rsa(bits: usize, kid: impl Into<String>) -> Result<Self, KeyError> {
        let kid = kid.into();
        check_key_id(&kid)?;
        let failed = |reason: String| KeyError::Generate {
            alg: Algorithm::RS256,
            reason,
        };
        let size = match bits {
            2048 => KeySize::Rsa2048,
            3072 => KeySize::Rsa3072,
            4096 => KeySize::Rsa4096,
            _ => {
                return Err(failed(format!(
                    "{bits} bits is not offered; choose 2048, 3072 or 4096"
                )))
            }
        };
        let key = RsaKeyPair::generate(size)
            .map_err(|_| failed("aws-lc could not generate the key".to_owned()))?;
        PrivateKey::new(kid, Inner::rsa(key))
    }

    fn new(kid: String, inner: Inner) -> Result<Self, KeyError> {
        Ok(PrivateKey {
            kid,
            public: inner.public_key()?,
            inner,
            jws_header: OnceLock::new(),
        })
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
            Inner::Rs256 { .. } => Algorithm::RS256,
        }
    }

    /// The key as PKCS#8 PEM (version 1, as `openssl genpkey` writes it), in
    /// memory that is zeroed when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        // Both of aws-lc's document types zero their bytes on drop.
        let failed = |_| encoding_error("aws-lc could not encode the key as PKCS#8".to_owned());
        let document = match &self.inner {
            Inner::Ed25519(key) => secret_document(key.to_pkcs8v1().map_err(failed)?.as_ref()),
            Inner::Es256(key) => secret_document(key.to_pkcs8v1().map_err(failed)?.as_ref()),
            Inner::Rs256 { key, .. } => secret_document(key.as_der().map_err(failed)?.as_ref()),
        }?;
        document
            .to_pem("PRIVATE KEY", LineEnding::LF)
            .map_err(|e| encoding_error(e.to_string()))
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
        self.public.clone()
    }
}

impl Inner {
    fn rsa(key: RsaKeyPair) -> Self {
        Inner::Rs256 {
            modulus_len: key.public_modulus_len(),
            key,
        }
    }

    /// The public half, through the same checks as a public key given alone.
    fn public_key(&self) -> Result<PublicKey, KeyError> {
        let unreadable = || KeyError::Encoding {
            what: "private key",
            reason: "aws-lc's encoding of its public half could not be read".to_owned(),
        };
        match self {
            Inner::Ed25519(key) => {
                let x = key
                    .public_key()
                    .as_ref()
                    .try_into()
                    .map_err(|_| unreadable())?;
                PublicKey::ed25519(&x)
            }
            Inner::Es256(key) => PublicKey::p256(key.public_key().as_ref()),
            Inner::Rs256 { key, .. } => {
                let (n, e) =
                    pkix::rsa_public_parts(key.public_key().as_ref()).ok_or_else(unreadable)?;
                PublicKey::rsa(n, e)
            }
        }
    }
}

impl PrivateKey {
    /// The signature of `signing_input`.
    pub(crate) fn sign(&self, signing_input: &[u8]) -> Result<Signature, String> {
        let failed = || format!("aws-lc could not sign with the {} key", self.algorithm());
        match &self.inner {
            Inner::Ed25519(key) => {
                let signature = key.try_sign(signing_input).map_err(|_| failed())?;
                bytes64(signature.as_ref()).ok_or_else(failed)
            }
            // aws-lc draws the nonce itself (the generator is ignored) and
            // writes the fixed-size r || s of RFC 7518 section 3.4.
            Inner::Es256(key) => {
                let signature = key
                    .sign(&SystemRandom::new(), signing_input)
                    .map_err(|_| failed())?;
                bytes64(signature.as_ref()).ok_or_else(failed)
            }
            // aws-lc blinds the RSA private-key operation itself.
            Inner::Rs256 { key, modulus_len } => {
                let mut signature = vec![0; *modulus_len].into_boxed_slice();
                key.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    signing_input,
                    &mut signature,
                )
                .map_err(|_| failed())?;
                Ok(Signature::Boxed(signature))
            }
        }
    }

    /// Where the JWS layer keeps this key's encoded header.
    pub(crate) fn jws_header(&self) -> &OnceLock<String> {
        &self.jws_header
    }
}

fn bytes64(signature: &[u8]) -> Option<Signature> {
    signature.try_into().ok().map(Signature::Bytes64)
}

/// A PKCS#8 DER document, as the `pkcs8` crate writes PEM from.
fn secret_document(der: &[u8]) -> Result<pkcs8::SecretDocument, KeyError> {
    pkcs8::SecretDocument::try_from(der).map_err(|e| encoding_error(e.to_string()))
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
