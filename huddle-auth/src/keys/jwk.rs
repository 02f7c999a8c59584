//! Reading public keys out of JWKs and JWKS documents (RFC 7517), refusing
//! anything that is not plainly a public signing key.

use std::collections::HashSet;

use base64::Engine as _;
use serde_json::{Map, Value};

use super::verifying_key::{ed25519_checked, rsa_checked, PublicKey};
use super::{Algorithm, B64};
use crate::KeyError;

/// JWK members that only private or symmetric keys have (RFC 7518 section 6).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Reads every key of a JWKS document, each with its `kid`. Refuses the whole
/// document if any key is unusable or two keys share a `kid`.
pub(crate) fn keys_from_jwks(json: &str) -> Result<Vec<(String, PublicKey)>, KeyError> {
    let document: Value = serde_json::from_str(json).map_err(|e| KeyError::Jwks {
        reason: format!("not valid JSON: {e}"),
    })?;
    let keys = document
        .as_object()
        .and_then(|o| o.get("keys"))
        .and_then(Value::as_array)
        .ok_or_else(|| KeyError::Jwks {
            reason: "expected an object with a \"keys\" array".to_owned(),
        })?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(keys.len());
    for jwk in keys {
        let (kid, key) = key_from_jwk_value(jwk)?;
        if !seen.insert(kid.clone()) {
            return Err(KeyError::DuplicateKeyId { kid });
        }
        out.push((kid, key));
    }
    Ok(out)
}

/// Reads one public JWK given as JSON text; it must have a `kid`.
pub(crate) fn key_from_jwk_json(json: &str) -> Result<(String, PublicKey), KeyError> {
    let value: Value = serde_json::from_str(json).map_err(|e| KeyError::Jwk {
        kid: None,
        reason: format!("not valid JSON: {e}"),
    })?;
    key_from_jwk_value(&value)
}

pub(crate) fn key_from_jwk_value(value: &Value) -> Result<(String, PublicKey), KeyError> {
    let object = value.as_object().ok_or_else(|| KeyError::Jwk {
        kid: None,
        reason: "a JWK must be a JSON object".to_owned(),
    })?;
    let kid = match object.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
        _ => {
            return Err(KeyError::Jwk {
                kid: None,
                reason: "\"kid\" must be a non-empty string, so tokens can name the key".to_owned(),
            })
        }
    };
    let fail = |reason: String| KeyError::Jwk {
        kid: Some(kid.clone()),
        reason,
    };
    if let Some(member) = PRIVATE_MEMBERS.iter().find(|m| object.contains_key(**m)) {
        return Err(fail(format!(
            "holds the private or symmetric member {member:?}; publish public keys only"
        )));
    }
    if let Some(usage) = object.get("use") {
        if usage != "sig" {
            return Err(fail(format!("\"use\" is {usage}, not \"sig\"")));
        }
    }
    // RFC 7517 section 4.3: a key whose operations leave out "verify" is
    // not meant to check signatures, whatever else it is.
    if let Some(ops) = object.get("key_ops") {
        let verifies = ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op == "verify"));
        if !verifies {
            return Err(fail(format!(
                "\"key_ops\" is {ops}, which does not include \"verify\""
            )));
        }
    }
    let kty = string_member(object, "kty").map_err(&fail)?;
    let key = match kty {
        "OKP" => {
            let crv = string_member(object, "crv").map_err(&fail)?;
            if crv != "Ed25519" {
                return Err(fail(format!(
                    "OKP curve {crv:?} is not supported, only Ed25519"
                )));
            }
            let x: [u8; 32] = fixed_bytes(object, "x").map_err(&fail)?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&x)
                .map_err(|_| fail("\"x\" is not an Ed25519 point".to_owned()))?;
            ed25519_checked(key).map_err(|e| fail(e.to_string()))?
        }
        "EC" => {
            let crv = string_member(object, "crv").map_err(&fail)?;
            if crv != "P-256" {
                return Err(fail(format!(
                    "EC curve {crv:?} is not supported, only P-256"
                )));
            }
            let x: [u8; 32] = fixed_bytes(object, "x").map_err(&fail)?;
            let y: [u8; 32] = fixed_bytes(object, "y").map_err(&fail)?;
            let point = p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
            let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map_err(|_| fail("\"x\" and \"y\" are not a point on P-256".to_owned()))?;
            PublicKey::Es256(key)
        }
        "RSA" => {
            let n = rsa::BigUint::from_bytes_be(&bytes_member(object, "n").map_err(&fail)?);
            let e = rsa::BigUint::from_bytes_be(&bytes_member(object, "e").map_err(&fail)?);
            let key = rsa::RsaPublicKey::new(n, e)
                .map_err(|e| fail(format!("not a valid RSA public key: {e}")))?;
            rsa_checked(key).map_err(|e| fail(e.to_string()))?
        }
        "oct" => {
            return Err(fail(
                "a symmetric (\"oct\") key is not a public key; give HS256 secrets as an ApiKey"
                    .to_owned(),
            ))
        }
        other => return Err(fail(format!("key type {other:?} is not supported"))),
    };
    if let Some(alg) = object.get("alg") {
        let expected = key.algorithm();
        if alg.as_str().and_then(Algorithm::from_alg) != Some(expected) {
            return Err(fail(format!(
                "\"alg\" is {alg}, but the key is for {expected}"
            )));
        }
    }
    Ok((kid, key))
}

fn string_member<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{name:?} must be a string"))
}

fn bytes_member(object: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let text = string_member(object, name)?;
    let bytes = B64
        .decode(text)
        .map_err(|e| format!("{name:?} is not unpadded base64url: {e}"))?;
    if bytes.is_empty() {
        return Err(format!("{name:?} is empty"));
    }
    Ok(bytes)
}

fn fixed_bytes<const N: usize>(object: &Map<String, Value>, name: &str) -> Result<[u8; N], String> {
    let bytes = bytes_member(object, name)?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| format!("{name:?} must be {N} bytes, got {}", bytes.len()))
}
