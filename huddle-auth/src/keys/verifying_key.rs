use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters,
    EllipticCurveKeyType, Jwk, KeyAlgorithm, OctetKeyPairParameters, OctetKeyPairType,
    PublicKeyUse, RSAKeyParameters, RSAKeyType,
};
use pkcs8::spki::SubjectPublicKeyInfoRef;
use pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::private_key::{OID_EC_PUBLIC_KEY, OID_ED25519, OID_P256, OID_RSA};
use super::{Algorithm, B64};
use crate::KeyError;

/// The smallest RSA modulus accepted (RFC 7518 section 3.3).
pub const MIN_RSA_BITS: usize = 2048;

pub(crate) fn check_rsa_size(bits: usize) -> Result<(), KeyError> {
    if bits < MIN_RSA_BITS {
        Err(KeyError::RsaTooSmall { bits })
    } else {
        Ok(())
    }
}

/// A key a verifier checks signatures with, bound to exactly one algorithm.
#[derive(Clone)]
pub(crate) enum VerifyingKey {
    Hs256 {
        mac: Hmac<Sha256>,
        // Kept so the prepared state's source is zeroed with it.
        _secret: Zeroizing<Vec<u8>>,
    },
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
            _secret: Zeroizing::new(key.secret().to_vec()),
        }
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            VerifyingKey::Hs256 { .. } => Algorithm::HS256,
            VerifyingKey::Public(key) => key.algorithm(),
        }
    }

    /// Whether `signature` (already base64-decoded) signs `signing_input`.
    /// The HMAC comparison is constant-time (`Mac::verify_slice`).
    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyingKey::Hs256 { mac, .. } => {
                let mut mac = mac.clone();
                mac.update(signing_input);
                mac.verify_slice(signature).is_ok()
            }
            VerifyingKey::Public(key) => key.verify(signing_input, signature),
        }
    }
}

/// A public key that verifies EdDSA, ES256 or RS256 tokens.
#[derive(Clone)]
pub enum PublicKey {
    /// An Ed25519 key (EdDSA).
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A P-256 key (ES256).
    Es256(p256::ecdsa::VerifyingKey),
    /// An RSA key of at least 2048 bits (RS256).
    Rs256(Box<rsa::pkcs1v15::VerifyingKey<Sha256>>),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.algorithm())
    }
}

impl PublicKey {
    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PublicKey::Ed25519(_) => Algorithm::EdDSA,
            PublicKey::Es256(_) => Algorithm::ES256,
            PublicKey::Rs256(_) => Algorithm::RS256,
        }
    }

    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify_strict(signing_input, &sig).is_ok()),
            // JWS carries ECDSA signatures as the fixed-size R || S (RFC 7518 section 3.4).
            PublicKey::Es256(key) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify(signing_input, &sig).is_ok()),
            PublicKey::Rs256(key) => {
                let modulus_len = key.as_ref().as_ref().size();
                signature.len() == modulus_len
                    && rsa::pkcs1v15::Signature::try_from(signature)
                        .is_ok_and(|sig| key.verify(signing_input, &sig).is_ok())
            }
        }
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`): Ed25519,
    /// P-256 or RSA of at least 2048 bits.
    pub fn from_public_key_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, document) =
            pkcs8::Document::from_pem(pem).map_err(|e| encoding_error(e.to_string()))?;
        if label != "PUBLIC KEY" {
            return Err(encoding_error(format!(
                "expected a \"PUBLIC KEY\" PEM (SubjectPublicKeyInfo), found {label:?}"
            )));
        }
        PublicKey::from_public_key_der(document.as_bytes())
    }

    /// Reads an SPKI DER public key; see [`PublicKey::from_public_key_pem`].
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, KeyError> {
        let info =
            SubjectPublicKeyInfoRef::try_from(der).map_err(|e| encoding_error(e.to_string()))?;
        let oid = info.algorithm.oid;
        if oid == OID_ED25519 {
            let key = ed25519_dalek::VerifyingKey::from_public_key_der(der)
                .map_err(|e| encoding_error(e.to_string()))?;
            ed25519_checked(key)
        } else if oid == OID_EC_PUBLIC_KEY {
            if info.algorithm.parameters_oid().ok() != Some(OID_P256) {
                return Err(KeyError::Unsupported {
                    what: "an EC public key not on P-256".to_owned(),
                });
            }
            let key = p256::PublicKey::from_public_key_der(der)
                .map_err(|e| encoding_error(e.to_string()))?;
            Ok(PublicKey::Es256(key.into()))
        } else if oid == OID_RSA {
            let key = rsa::RsaPublicKey::from_public_key_der(der)
                .map_err(|e| encoding_error(e.to_string()))?;
            rsa_checked(key)
        } else {
            Err(KeyError::Unsupported {
                what: format!("a public key with algorithm identifier {oid}"),
            })
        }
    }

    /// The public JWK, with `kid`, `alg` and `use: sig`.
    pub fn to_jwk(&self, kid: &str) -> Jwk {
        let (key_algorithm, algorithm) = match self {
            PublicKey::Ed25519(key) => (
                KeyAlgorithm::EdDSA,
                AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                    key_type: OctetKeyPairType::OctetKeyPair,
                    curve: EllipticCurve::Ed25519,
                    x: B64.encode(key.as_bytes()),
                }),
            ),
            PublicKey::Es256(key) => {
                let point = key.to_encoded_point(false);
                let coordinate =
                    |c: Option<&p256::FieldBytes>| c.map(|c| B64.encode(c)).unwrap_or_default();
                (
                    KeyAlgorithm::ES256,
                    AlgorithmParameters::EllipticCurve(EllipticCurveKeyParameters {
                        key_type: EllipticCurveKeyType::EC,
                        curve: EllipticCurve::P256,
                        x: coordinate(point.x()),
                        y: coordinate(point.y()),
                    }),
                )
            }
            PublicKey::Rs256(key) => {
                let public: &rsa::RsaPublicKey = key.as_ref().as_ref();
                (
                    KeyAlgorithm::RS256,
                    AlgorithmParameters::RSA(RSAKeyParameters {
                        key_type: RSAKeyType::RSA,
                        n: B64.encode(public.n().to_bytes_be()),
                        e: B64.encode(public.e().to_bytes_be()),
                    }),
                )
            }
        };
        Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(key_algorithm),
                key_id: Some(kid.to_owned()),
                ..CommonParameters::default()
            },
            algorithm,
        }
    }
}

pub(super) fn ed25519_checked(key: ed25519_dalek::VerifyingKey) -> Result<PublicKey, KeyError> {
    // A small-order point makes signatures forgeable for any message.
    if key.is_weak() {
        return Err(KeyError::Unsupported {
            what: "an Ed25519 public key of small order".to_owned(),
        });
    }
    Ok(PublicKey::Ed25519(key))
}

pub(super) fn rsa_checked(key: rsa::RsaPublicKey) -> Result<PublicKey, KeyError> {
    check_rsa_size(key.n().bits())?;
    Ok(PublicKey::Rs256(Box::new(
        rsa::pkcs1v15::VerifyingKey::new(key),
    )))
}

fn encoding_error(reason: String) -> KeyError {
    KeyError::Encoding {
        what: "public key",
        reason,
    }
}
