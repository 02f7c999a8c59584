//! The public keys a verifier checks EdDSA, ES256 and RS256 signatures with.

use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::signature::{
    ParsedPublicKey, RsaPublicKeyComponents, ECDSA_P256_SHA256_FIXED, ED25519,
    RSA_PKCS1_2048_8192_SHA256,
};
// JWK members are unpadded base64url (RFC 7518 section 6).
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters,
    EllipticCurveKeyType, Jwk, KeyAlgorithm, OctetKeyPairParameters, OctetKeyPairType,
    PublicKeyUse, RSAKeyParameters, RSAKeyType,
};
use pkcs8::LineEnding;

use super::pkix::{self, SpkiKey};
use super::strength::{check_ed25519, check_rsa, is_small_order_r, strip_leading_zeros};
use super::Algorithm;
use crate::KeyError;

/// A public key that verifies EdDSA, ES256 or RS256 tokens.
///
/// Parsed once, when built, into aws-lc's prepared form: a verification does
/// no key parsing. Cloning shares the parsed key.
#[derive(Clone)]
pub struct PublicKey {
    inner: Inner,
    // The JWK members, read once from the key as aws-lc encodes it.
    members: AlgorithmParameters,
}

#[derive(Clone)]
enum Inner {
    Ed25519(ParsedPublicKey),
    Es256(ParsedPublicKey),
    Rs256 {
        key: ParsedPublicKey,
        // An RS256 signature is exactly as long as the modulus (RFC 8017
        // section 8.2.2, step 1).
        modulus_len: usize,
    },
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.algorithm())
    }
}

impl PublicKey {
    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            Inner::Ed25519(_) => Algorithm::EdDSA,
            Inner::Es256(_) => Algorithm::ES256,
            Inner::Rs256 { .. } => Algorithm::RS256,
        }
    }

    pub(crate) fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match &self.inner {
            // aws-lc refuses S >= L (RFC 8032 section 5.1.7); an R of small
            // order is refused here, as `verify_strict` of ed25519-dalek did.
            Inner::Ed25519(key) => {
                signature.len() == 64
                    && !is_small_order_r(&signature[..32])
                    && key.verify_sig(signing_input, signature).is_ok()
            }
            // JWS carries ECDSA signatures as the fixed-size R || S (RFC 7518
            // section 3.4); aws-lc refuses any other length, and r or s
            // outside 1..n.
            Inner::Es256(key) => key.verify_sig(signing_input, signature).is_ok(),
            Inner::Rs256 { key, modulus_len } => {
                signature.len() == *modulus_len && key.verify_sig(signing_input, signature).is_ok()
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
            SpkiKey::Ed25519(x) => PublicKey::ed25519(&x),
            SpkiKey::P256(point) => PublicKey::p256(point),
            SpkiKey::Rsa { n, e } => PublicKey::rsa(n, e),
        }
    }

    /// The key as SPKI DER (RFC 5280 section 4.1.2.7), as
    /// [`PublicKey::from_public_key_der`] reads it.
    pub fn to_public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        let der = self.inner.key().as_der().map_err(|_| KeyError::Encoding {
            what: "public key",
            reason: "aws-lc could not encode it as SPKI".to_owned(),
        })?;
        Ok(der.as_ref().to_vec())
    }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as
    /// [`PublicKey::from_public_key_pem`] reads it.
    pub fn to_public_key_pem(&self) -> Result<String, KeyError> {
        let fail = |reason: String| KeyError::Encoding {
            what: "public key",
            reason,
        };
        let document = pkcs8::Document::try_from(self.to_public_key_der()?)
            .map_err(|e| fail(e.to_string()))?;
        document
            .to_pem("PUBLIC KEY", LineEnding::LF)
            .map_err(|e| fail(e.to_string()))
    }

    /// An Ed25519 key from its 32 bytes, refused if they are not a point or
    /// one of small order.
    pub(super) fn ed25519(x: &[u8; 32]) -> Result<Self, KeyError> {
        check_ed25519(x)?;
        let key = ParsedPublicKey::new(&ED25519, x).map_err(|e| refused("Ed25519", e))?;
        PublicKey::prepared(Inner::Ed25519(key))
    }

    /// A P-256 key from its SEC1 point; aws-lc refuses a point that is not on
    /// the curve.
    pub(super) fn p256(point: &[u8]) -> Result<Self, KeyError> {
        let key = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point).map_err(|_| {
            KeyError::Encoding {
                what: "P-256 public key",
                reason: "not a point on P-256".to_owned(),
            }
        })?;
        PublicKey::prepared(Inner::Es256(key))
    }

    /// An RSA key from its big-endian modulus and exponent, refused if it is
    /// the wrong size or weak.
    pub(super) fn rsa(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        check_rsa(n, e)?;
        let n = strip_leading_zeros(n);
        let components = RsaPublicKeyComponents {
            n,
            e: strip_leading_zeros(e),
        };
        let key = components
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .map_err(|e| refused("RSA", e))?;
        PublicKey::prepared(Inner::Rs256 {
            key,
            modulus_len: n.len(),
        })
    }

    /// The key with its JWK members, which come from its SPKI as aws-lc
    /// writes it: the Ed25519 bytes, the uncompressed P-256 point (whatever
    /// form the key was given in), the PKCS#1 `n` and `e`.
    fn prepared(inner: Inner) -> Result<Self, KeyError> {
        let malformed = || KeyError::Encoding {
            what: "public key",
            reason: "aws-lc's SPKI encoding of the key could not be read back".to_owned(),
        };
        let der = inner.key().as_der().map_err(|_| malformed())?;
        let bits = pkix::spki_key_bits(der.as_ref()).ok_or_else(malformed)?;
        let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        let members = match inner {
            Inner::Ed25519(_) => AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                key_type: OctetKeyPairType::OctetKeyPair,
                curve: EllipticCurve::Ed25519,
                x: b64(bits),
            }),
            Inner::Es256(_) => {
                // 0x04 || x || y (SEC1 section 2.3.3).
                let (x, y) = match bits {
                    [0x04, coordinates @ ..] if coordinates.len() == 64 => coordinates.split_at(32),
                    _ => return Err(malformed()),
                };
                AlgorithmParameters::EllipticCurve(EllipticCurveKeyParameters {
                    key_type: EllipticCurveKeyType::EC,
                    curve: EllipticCurve::P256,
                    x: b64(x),
                    y: b64(y),
                })
            }
            Inner::Rs256 { .. } => {
                let (n, e) = pkix::rsa_public_parts(bits).ok_or_else(malformed)?;
                AlgorithmParameters::RSA(RSAKeyParameters {
                    key_type: RSAKeyType::RSA,
                    n: b64(n),
                    e: b64(e),
                })
            }
        };
        Ok(PublicKey { inner, members })
    }

    /// The public JWK, with `kid`, `alg` and `use: sig`.
    pub fn to_jwk(&self, kid: &str) -> Jwk {
        let key_algorithm = match self.inner {
            Inner::Ed25519(_) => KeyAlgorithm::EdDSA,
            Inner::Es256(_) => KeyAlgorithm::ES256,
            Inner::Rs256 { .. } => KeyAlgorithm::RS256,
        };
        Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(key_algorithm),
                key_id: Some(kid.to_owned()),
                ..CommonParameters::default()
            },
            algorithm: self.members.clone(),
        }
    }
}

impl Inner {
    fn key(&self) -> &ParsedPublicKey {
        match self {
            Inner::Ed25519(key) | Inner::Es256(key) | Inner::Rs256 { key, .. } => key,
        }
    }
}

/// aws-lc's refusal of a key that passed this crate's own checks.
fn refused(what: &str, error: aws_lc_rs::error::KeyRejected) -> KeyError {
    KeyError::Encoding {
        what: "public key",
        reason: format!("aws-lc refused the {what} key ({error})"),
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsBigEndian as _;
    use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _};
    use curve25519_dalek::Scalar;
    use sha2::{Digest as _, Sha512};

    use super::*;

    /// An Ed25519 signature whose `R` is the identity, made by the key's
    /// holder (RFC 8032 section 5.1.6 with the nonce r = 0: R = [0]B and
    /// S = k * a). aws-lc's verification accepts it; `verify_strict` of
    /// ed25519-dalek refused it, and so must this crate.
    #[test]
    fn an_ed25519_signature_with_a_small_order_r_is_refused_though_aws_lc_accepts_it() {
        let pair = Ed25519KeyPair::generate().expect("a key");
        let seed = pair.seed().expect("the seed");
        let public: [u8; 32] = pair.public_key().as_ref().try_into().expect("32 bytes");
        let message = b"eyJhbGciOiJFZERTQSJ9.e30";

        // RFC 8032 section 5.1.5: a is the clamped first half of SHA-512(seed).
        let mut h = [0u8; 32];
        h.copy_from_slice(&Sha512::digest(seed.as_be_bytes().expect("bytes").as_ref())[..32]);
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        let a = Scalar::from_bytes_mod_order(h);
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let digest = Sha512::new()
            .chain_update(identity)
            .chain_update(public)
            .chain_update(message)
            .finalize();
        let k = Scalar::from_bytes_mod_order_wide(&digest.into());
        let signature = [identity, (k * a).to_bytes()].concat();

        let raw = ParsedPublicKey::new(&ED25519, public).expect("the key");
        assert!(
            raw.verify_sig(message, &signature).is_ok(),
            "aws-lc accepts R = identity: the refusal must stay in front of it"
        );
        let key = PublicKey::ed25519(&public).expect("the key");
        assert!(!key.verify(message, &signature));
        // A signature the key's holder makes the usual way verifies.
        let honest = pair.sign(message);
        assert!(key.verify(message, honest.as_ref()));
    }
}
