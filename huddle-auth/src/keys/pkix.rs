//! Reading keys out of their standard containers: PEM (RFC 7468), SPKI
//! public keys (RFC 5280 section 4.1.2.7) and PKCS#8 private keys
//! (RFC 5208), and telling the key's algorithm from its identifier. The
//! results are the crypto crates' own key types; the key types of this crate
//! build on them.

use pkcs8::spki::SubjectPublicKeyInfoRef;
use pkcs8::{DecodePrivateKey, DecodePublicKey, ObjectIdentifier, PrivateKeyInfo};
use rsa::pkcs1::der::Decode as _;

use super::strength::{bit_length, check_ec_curve, check_rsa_bits};
use crate::KeyError;

const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The PEM this crate reads private keys from.
const PKCS8_EXPECTED: &str = "expected a PKCS#8 private key PEM (-----BEGIN PRIVATE KEY-----)";
/// The PEM this crate reads public keys from.
const SPKI_EXPECTED: &str = "expected a public key PEM (-----BEGIN PUBLIC KEY-----)";

/// A public key read from SPKI, of a supported algorithm; not yet checked
/// for strength beyond the RSA modulus size and the EC curve.
pub(super) enum SpkiKey {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// A private key read from PKCS#8, of a supported algorithm.
pub(super) enum Pkcs8Key {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
    Rsa(rsa::RsaPrivateKey),
}

/// The DER inside a `PRIVATE KEY` PEM. Anything else (a JWKS, a public key,
/// PKCS#1 or SEC1) is named, with what to do, before the PEM decoder sees it:
/// its own errors ("PEM preamble contains invalid data") say nothing of that.
pub(super) fn pkcs8_pem(pem: &str) -> Result<pkcs8::SecretDocument, KeyError> {
    let fail = |reason: String| KeyError::Encoding {
        what: "private key",
        reason,
    };
    check_label(pem, "PRIVATE KEY", PKCS8_EXPECTED).map_err(fail)?;
    let (_, document) = pkcs8::SecretDocument::from_pem(pem).map_err(|e| fail(e.to_string()))?;
    Ok(document)
}

/// The DER inside a `PUBLIC KEY` PEM; see [`pkcs8_pem`].
pub(super) fn spki_pem(pem: &str) -> Result<pkcs8::Document, KeyError> {
    check_label(pem, "PUBLIC KEY", SPKI_EXPECTED).map_err(public_error)?;
    let (_, document) = pkcs8::Document::from_pem(pem).map_err(|e| public_error(e.to_string()))?;
    Ok(document)
}

/// Refuses `pem` unless its first encapsulation boundary has `label`,
/// saying what the text is instead.
fn check_label(pem: &str, label: &str, expected: &str) -> Result<(), String> {
    let text = pem.trim_start();
    if text.starts_with('{') || text.starts_with('[') {
        return Err(format!(
            "the file is JSON (a JWK or JWKS), not PEM; {expected}"
        ));
    }
    let found = text.lines().find_map(|line| {
        line.trim_end()
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
    });
    let Some(found) = found else {
        return Err(format!(
            "the file is not PEM (no -----BEGIN line); {expected}"
        ));
    };
    if found == label {
        return Ok(());
    }
    let what = match found {
        "PUBLIC KEY" => "a public key (SPKI), not a private key".to_owned(),
        "PRIVATE KEY" => "a private key, not a public key".to_owned(),
        "RSA PRIVATE KEY" => "a PKCS#1 RSA private key; convert it with \
                              `openssl pkcs8 -topk8 -nocrypt -in key.pem`"
            .to_owned(),
        "EC PRIVATE KEY" => "a SEC1 EC private key; convert it with \
                             `openssl pkcs8 -topk8 -nocrypt -in key.pem`"
            .to_owned(),
        "ENCRYPTED PRIVATE KEY" => "an encrypted PKCS#8 private key; decrypt it with \
                                    `openssl pkcs8 -in key.pem`"
            .to_owned(),
        "RSA PUBLIC KEY" => "a PKCS#1 RSA public key; convert it with \
                             `openssl rsa -RSAPublicKey_in -pubout -in key.pem`"
            .to_owned(),
        "CERTIFICATE" => {
            "a certificate; extract its key with `openssl x509 -pubkey -noout`".to_owned()
        }
        other => format!("a PEM labelled {other:?}"),
    };
    Err(format!("the file is {what}; {expected}"))
}

/// Reads an SPKI DER public key of a supported algorithm.
pub(super) fn read_spki(der: &[u8]) -> Result<SpkiKey, KeyError> {
    let info = SubjectPublicKeyInfoRef::try_from(der).map_err(|e| public_error(e.to_string()))?;
    let oid = info.algorithm.oid;
    if oid == OID_ED25519 {
        let key = ed25519_dalek::VerifyingKey::from_public_key_der(der)
            .map_err(|e| public_error(e.to_string()))?;
        Ok(SpkiKey::Ed25519(key))
    } else if oid == OID_EC_PUBLIC_KEY {
        check_ec_curve(info.algorithm.parameters_oid().ok()).map_err(|_| {
            KeyError::Unsupported {
                what: "an EC public key not on P-256".to_owned(),
            }
        })?;
        let key =
            p256::PublicKey::from_public_key_der(der).map_err(|e| public_error(e.to_string()))?;
        Ok(SpkiKey::P256(key.into()))
    } else if oid == OID_RSA {
        // Read n and e first: the `rsa` crate reports a modulus over its
        // limit as "SPKI cryptographic key data malformed".
        let bits = info
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| public_error("the key bits are not whole bytes".to_owned()))?;
        let key =
            rsa::pkcs1::RsaPublicKey::from_der(bits).map_err(|e| public_error(e.to_string()))?;
        check_rsa_bits(bit_length(key.modulus.as_bytes()))?;
        rsa_public_key(key.modulus.as_bytes(), key.public_exponent.as_bytes())
            .map(SpkiKey::Rsa)
            .map_err(public_error)
    } else {
        Err(KeyError::Unsupported {
            what: format!("a public key with algorithm identifier {oid}"),
        })
    }
}

/// An RSA public key from its big-endian modulus and exponent.
/// Its checks (odd modulus, exponent range) come from the `rsa` crate; the
/// caller has checked the modulus size.
pub(super) fn rsa_public_key(n: &[u8], e: &[u8]) -> Result<rsa::RsaPublicKey, String> {
    let n = rsa::BigUint::from_bytes_be(n);
    let e = rsa::BigUint::from_bytes_be(e);
    rsa::RsaPublicKey::new(n, e).map_err(|e| format!("not a valid RSA public key: {e}"))
}

/// Reads a PKCS#8 DER private key of a supported algorithm.
pub(super) fn read_pkcs8(der: &[u8]) -> Result<Pkcs8Key, KeyError> {
    let info = PrivateKeyInfo::try_from(der).map_err(|e| private_error(e.to_string()))?;
    let oid = info.algorithm.oid;
    if oid == OID_ED25519 {
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map_err(|e| private_error(e.to_string()))?;
        Ok(Pkcs8Key::Ed25519(key))
    } else if oid == OID_EC_PUBLIC_KEY {
        check_ec_curve(info.algorithm.parameters_oid().ok())?;
        let secret =
            p256::SecretKey::from_pkcs8_der(der).map_err(|e| private_error(e.to_string()))?;
        Ok(Pkcs8Key::P256(secret.into()))
    } else if oid == OID_RSA {
        let key =
            rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|e| private_error(e.to_string()))?;
        Ok(Pkcs8Key::Rsa(key))
    } else {
        Err(KeyError::Unsupported {
            what: format!("a key with algorithm identifier {oid}"),
        })
    }
}

fn public_error(reason: String) -> KeyError {
    KeyError::Encoding {
        what: "public key",
        reason,
    }
}

fn private_error(reason: String) -> KeyError {
    KeyError::Encoding {
        what: "private key",
        reason,
    }
}
