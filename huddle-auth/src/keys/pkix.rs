//! Reading keys out of their standard containers: PEM (RFC 7468), SPKI
//! public keys (RFC 5280 section 4.1.2.7) and PKCS#8 private keys
//! (RFC 5208), and telling the key's algorithm from its identifier. The
//! structure is read here (by the `pkcs8` and `pkcs1` crates), so that an
//! unsupported algorithm, curve or RSA size is named, and refused before
//! aws-lc does any work on the key; the key types of this crate hand the
//! key itself to aws-lc.

use aws_lc_rs::signature::{
    EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use pkcs8::der::Decode as _;
use pkcs8::spki::SubjectPublicKeyInfoRef;
use pkcs8::{ObjectIdentifier, PrivateKeyInfo};

use super::strength::{bit_length, check_ec_curve, check_rsa, check_rsa_bits};
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
pub(super) enum SpkiKey<'a> {
    /// The 32 bytes of the point.
    Ed25519([u8; 32]),
    /// The SEC1 point, compressed or not.
    P256(&'a [u8]),
    /// The big-endian modulus and exponent.
    Rsa { n: &'a [u8], e: &'a [u8] },
}

/// A private key read from PKCS#8, of a supported algorithm, in aws-lc's
/// prepared form.
pub(super) enum Pkcs8Key {
    Ed25519(Ed25519KeyPair),
    P256(EcdsaKeyPair),
    Rsa(RsaKeyPair),
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
pub(super) fn read_spki(der: &[u8]) -> Result<SpkiKey<'_>, KeyError> {
    let info = SubjectPublicKeyInfoRef::try_from(der).map_err(|e| public_error(e.to_string()))?;
    let oid = info.algorithm.oid;
    let bits = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| public_error("the key bits are not whole bytes".to_owned()))?;
    if oid == OID_ED25519 {
        // RFC 8410 section 3: no parameters, and the key is the 32 bytes.
        if info.algorithm.parameters.is_some() {
            return Err(public_error(
                "an Ed25519 key's algorithm has no parameters".to_owned(),
            ));
        }
        let x = bits
            .try_into()
            .map_err(|_| public_error(format!("an Ed25519 key is 32 bytes, got {}", bits.len())))?;
        Ok(SpkiKey::Ed25519(x))
    } else if oid == OID_EC_PUBLIC_KEY {
        check_ec_curve(info.algorithm.parameters_oid().ok()).map_err(|_| {
            KeyError::Unsupported {
                what: "an EC public key not on P-256".to_owned(),
            }
        })?;
        Ok(SpkiKey::P256(bits))
    } else if oid == OID_RSA {
        let key = pkcs1::RsaPublicKey::from_der(bits).map_err(|e| public_error(e.to_string()))?;
        let n = key.modulus.as_bytes();
        check_rsa_bits(bit_length(n))?;
        Ok(SpkiKey::Rsa {
            n,
            e: key.public_exponent.as_bytes(),
        })
    } else {
        Err(KeyError::Unsupported {
            what: format!("a public key with algorithm identifier {oid}"),
        })
    }
}

/// The subject public key of an SPKI DER document: the 32 bytes of an
/// Ed25519 key, the SEC1 point of an EC key, the PKCS#1 `RSAPublicKey`.
pub(super) fn spki_key_bits(der: &[u8]) -> Option<&[u8]> {
    SubjectPublicKeyInfoRef::try_from(der)
        .ok()?
        .subject_public_key
        .as_bytes()
}

/// The big-endian modulus and exponent of a PKCS#1 `RSAPublicKey`.
pub(super) fn rsa_public_parts(pkcs1_der: &[u8]) -> Option<(&[u8], &[u8])> {
    let key = pkcs1::RsaPublicKey::from_der(pkcs1_der).ok()?;
    Some((key.modulus.as_bytes(), key.public_exponent.as_bytes()))
}

/// Reads a PKCS#8 DER private key of a supported algorithm into aws-lc's
/// form. An RSA key is checked ([`check_rsa`]) on its modulus and exponent
/// as read, before aws-lc checks the private key's consistency, which costs
/// as much as a few signatures and grows with the key's size.
pub(super) fn read_pkcs8(der: &[u8]) -> Result<Pkcs8Key, KeyError> {
    let info = PrivateKeyInfo::try_from(der).map_err(|e| private_error(e.to_string()))?;
    let oid = info.algorithm.oid;
    let refused =
        |e: aws_lc_rs::error::KeyRejected| private_error(format!("not a usable key ({e})"));
    if oid == OID_ED25519 {
        // Version 1 and 2 (RFC 8410 section 7); a public key given in a
        // version 2 document must match the private key.
        Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map(Pkcs8Key::Ed25519)
            .map_err(refused)
    } else if oid == OID_EC_PUBLIC_KEY {
        check_ec_curve(info.algorithm.parameters_oid().ok())?;
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
            .map(Pkcs8Key::P256)
            .map_err(refused)
    } else if oid == OID_RSA {
        let key = pkcs1::RsaPrivateKey::from_der(info.private_key)
            .map_err(|e| private_error(e.to_string()))?;
        check_rsa(key.modulus.as_bytes(), key.public_exponent.as_bytes())?;
        RsaKeyPair::from_pkcs8(der)
            .map(Pkcs8Key::Rsa)
            .map_err(refused)
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
