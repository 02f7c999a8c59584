//! The public keys a verifier checks EdDSA, ES256 and RS256 signatures with.

use std::fmt;

// JWK members are unpadded base64url (RFC 7518 section 6).
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters,
    EllipticCurveKeyType, Jwk, KeyAlgorithm, OctetKeyPairParameters, OctetKeyPairType,
    PublicKeyUse, RSAKeyParameters, RSAKeyType,
};
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use sha2::Sha256;

use super::pkix::{self, SpkiKey};
use super::strength::{check_ed25519, check_rsa};
use super::Algorithm;
use crate::KeyError;

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
    /// P-256 or RSA of 2048 to 4096 bits.
    pub fn from_public_key_pem(pem: &str) -> Result<Self, KeyError> {
        PublicKey::from_public_key_der(pkix::spki_pem(pem)?.as_bytes())
    }

    /// Reads an SPKI DER public key; see [`PublicKey::from_public_key_pem`].
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, KeyError> {
        match pkix::read_spki(der)? {
            SpkiKey::Ed25519(key) => PublicKey::ed25519(key),
            SpkiKey::P256(key) => Ok(PublicKey::Es256(key)),
            SpkiKey::Rsa(key) => PublicKey::rsa(key),
        }
    }

    /// An Ed25519 key, refused if it is of small order.
    pub(super) fn ed25519(key: ed25519_dalek::VerifyingKey) -> Result<Self, KeyError> {
        check_ed25519(&key)?;
        Ok(PublicKey::Ed25519(key))
    }

    /// An RSA key, refused if it is the wrong size or weak.
    pub(super) fn rsa(key: rsa::RsaPublicKey) -> Result<Self, KeyError> {
        check_rsa(&key)?;
        Ok(PublicKey::Rs256(Box::new(
            rsa::pkcs1v15::VerifyingKey::new(key),
        )))
    }

    /// The public JWK, with `kid`, `alg` and `use: sig`.
    pub fn to_jwk(&self, kid: &str) -> Jwk {
        let (key_algorithm, algorithm) = match self {
            PublicKey::Ed25519(key) => (
                KeyAlgorithm::EdDSA,
                AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                    key_type: OctetKeyPairType::OctetKeyPair,
                    curve: EllipticCurve::Ed25519,
                    x: URL_SAFE_NO_PAD.encode(key.as_bytes()),
                }),
            ),
            PublicKey::Es256(key) => {
                let point = key.to_encoded_point(false);
                let coordinate = |c: Option<&p256::FieldBytes>| {
                    c.map(|c| URL_SAFE_NO_PAD.encode(c)).unwrap_or_default()
                };
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
                        n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
                        e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
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
