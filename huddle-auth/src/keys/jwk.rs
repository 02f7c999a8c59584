//! Reading public keys out of JWKs and JWKS documents (RFC 7517), refusing
//! anything that is not plainly a public signing key, and any object that
//! names a member twice.
//!
//! One parser serves both kinds of key set: a document loaded locally, where
//! every key must be usable, and a remote set, which may also publish keys
//! of types this crate does not verify with ([`Unsupported::Skip`]).

use std::collections::HashSet;

// JWK members are unpadded base64url (RFC 7518 section 6); the engine
// refuses padding and non-canonical trailing bits.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::public_key::PublicKey;
use super::strength::{bit_length, check_rsa_bits};
use super::{unique_json, Algorithm};
use crate::KeyError;

/// JWK members that only private or symmetric keys have (RFC 7518 section 6).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// What [`parse_jwks`] does with a key whose `kty` this crate does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unsupported {
    /// Refuse the whole document: a key set the operator wrote must hold
    /// only keys that verify.
    Refuse,
    /// Leave the key out: a remote set may publish keys for other uses.
    // Chosen by the remote key set of the next issue.
    #[allow(dead_code)]
    Skip,
}

/// One usable key of a JWKS.
#[derive(Debug, Clone)]
pub(crate) struct JwkEntry {
    /// The `kid`, if the key has one.
    pub(crate) kid: Option<String>,
    /// The `alg`, if the key names one; it is always the key's algorithm.
    // Read by the remote key set of the next issue.
    #[allow(dead_code)]
    pub(crate) alg: Option<Algorithm>,
    /// The checked public key.
    pub(crate) key: PublicKey,
}

/// Reads every key of a JWKS document. Every check but the one `unsupported`
/// chooses applies to every key: private or symmetric members, `use`,
/// `key_ops`, the curve, RSA size and strength, and an `alg` that does not
/// fit the key all refuse the document.
pub(crate) fn parse_jwks(json: &[u8], unsupported: Unsupported) -> Result<Vec<JwkEntry>, KeyError> {
    let document = unique_json::from_slice(json).map_err(|e| KeyError::Jwks {
        reason: json_reason(&e),
    })?;
    let keys = document
        .as_object()
        .and_then(|o| o.get("keys"))
        .and_then(Value::as_array)
        .ok_or_else(|| KeyError::Jwks {
            reason: "expected an object with a \"keys\" array".to_owned(),
        })?;
    let mut entries = Vec::with_capacity(keys.len());
    for jwk in keys {
        if let Some(entry) = read_jwk(jwk, unsupported)? {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// Reads every key of a JWKS document given by an operator: every key must
/// be usable and have a `kid`, and no two the same one.
pub(crate) fn keys_from_jwks(json: &str) -> Result<Vec<(String, PublicKey)>, KeyError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for entry in parse_jwks(json.as_bytes(), Unsupported::Refuse)? {
        let kid = required_kid(entry.kid)?;
        if !seen.insert(kid.clone()) {
            return Err(KeyError::DuplicateKeyId { kid });
        }
        out.push((kid, entry.key));
    }
    Ok(out)
}

/// Reads one public JWK given as JSON text; it must have a `kid`.
pub(crate) fn key_from_jwk_json(json: &str) -> Result<(String, PublicKey), KeyError> {
    let value = unique_json::from_slice(json.as_bytes()).map_err(|e| KeyError::Jwk {
        kid: None,
        reason: json_reason(&e),
    })?;
    let entry = read_jwk(&value, Unsupported::Refuse)?.ok_or_else(|| KeyError::Jwk {
        kid: None,
        reason: "the key type is not supported".to_owned(),
    })?;
    Ok((required_kid(entry.kid)?, entry.key))
}

fn required_kid(kid: Option<String>) -> Result<String, KeyError> {
    kid.ok_or_else(|| KeyError::Jwk {
        kid: None,
        reason: "\"kid\" must be a non-empty string, so tokens can name the key".to_owned(),
    })
}

/// A syntax error is "not valid JSON"; a repeated member says so itself.
fn json_reason(error: &serde_json::Error) -> String {
    if error.is_data() {
        error.to_string()
    } else {
        format!("not valid JSON: {error}")
    }
}

/// Reads one JWK; `None` when its type is unknown and `unsupported` skips it.
fn read_jwk(value: &Value, unsupported: Unsupported) -> Result<Option<JwkEntry>, KeyError> {
    let object = value.as_object().ok_or_else(|| KeyError::Jwk {
        kid: None,
        reason: "a JWK must be a JSON object".to_owned(),
    })?;
    let kid = match object.get("kid") {
        None => None,
        Some(Value::String(kid)) if !kid.is_empty() => Some(kid.clone()),
        Some(_) => {
            return Err(KeyError::Jwk {
                kid: None,
                reason: "\"kid\" must be a non-empty string, so tokens can name the key".to_owned(),
            })
        }
    };
    let fail = |reason: String| KeyError::Jwk {
        kid: kid.clone(),
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
            PublicKey::ed25519(&x).map_err(|e| fail(e.to_string()))?
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
            // The uncompressed SEC1 point: 0x04 || x || y.
            let mut point = [0x04; 65];
            point[1..33].copy_from_slice(&x);
            point[33..].copy_from_slice(&y);
            PublicKey::p256(&point)
                .map_err(|_| fail("\"x\" and \"y\" are not a point on P-256".to_owned()))?
        }
        "RSA" => {
            let n = bytes_member(object, "n").map_err(&fail)?;
            let e = bytes_member(object, "e").map_err(&fail)?;
            check_rsa_bits(bit_length(&n)).map_err(|e| fail(e.to_string()))?;
            PublicKey::rsa(&n, &e).map_err(|e| fail(e.to_string()))?
        }
        "oct" => {
            return Err(fail(
                "a symmetric (\"oct\") key is not a public key; give HS256 secrets as an ApiKey"
                    .to_owned(),
            ))
        }
        other => {
            return match unsupported {
                Unsupported::Skip => Ok(None),
                Unsupported::Refuse => Err(fail(format!("key type {other:?} is not supported"))),
            }
        }
    };
    let alg = match object.get("alg") {
        None => None,
        Some(alg) => {
            let expected = key.algorithm();
            if alg.as_str().and_then(Algorithm::from_alg) != Some(expected) {
                return Err(fail(format!(
                    "\"alg\" is {alg}, but the key is for {expected}"
                )));
            }
            Some(expected)
        }
    };
    Ok(Some(JwkEntry { kid, alg, key }))
}

fn string_member<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{name:?} must be a string"))
}

fn bytes_member(object: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let text = string_member(object, name)?;
    let bytes = URL_SAFE_NO_PAD
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::PrivateKey;

    fn jwk(alg: Algorithm) -> Value {
        let key = PrivateKey::generate(alg, "k").expect("key generation");
        serde_json::to_value(key.public_jwk()).expect("a JWK serializes")
    }

    fn parse(keys: &[Value], mode: Unsupported) -> Result<Vec<JwkEntry>, KeyError> {
        parse_jwks(json!({ "keys": keys }).to_string().as_bytes(), mode)
    }

    #[test]
    fn entries_carry_an_optional_kid_and_the_alg_given() {
        let mut bare = jwk(Algorithm::ES256);
        let object = bare.as_object_mut().expect("object");
        object.remove("kid");
        object.remove("alg");
        let entries = parse(&[jwk(Algorithm::EdDSA), bare], Unsupported::Refuse).expect("valid");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].kid.as_deref(), Some("k"));
        assert_eq!(entries[0].alg, Some(Algorithm::EdDSA));
        assert_eq!(entries[0].key.algorithm(), Algorithm::EdDSA);
        assert_eq!(entries[1].kid, None);
        assert_eq!(entries[1].alg, None);
        assert_eq!(entries[1].key.algorithm(), Algorithm::ES256);
    }

    #[test]
    fn only_the_unknown_key_type_depends_on_the_mode() {
        let future = json!({ "kty": "ML-DSA", "kid": "pq", "pub": "AAAA" });
        assert_eq!(
            parse(std::slice::from_ref(&future), Unsupported::Refuse).err(),
            Some(KeyError::Jwk {
                kid: Some("pq".to_owned()),
                reason: "key type \"ML-DSA\" is not supported".to_owned()
            })
        );
        let entries = parse(&[future, jwk(Algorithm::EdDSA)], Unsupported::Skip).expect("skips");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].kid.as_deref(), Some("k"));

        let with = |alg: Algorithm, member: &str, value: Value| {
            let mut key = jwk(alg);
            key[member] = value;
            key
        };
        let mut small_rsa = jwk(Algorithm::RS256);
        small_rsa["n"] = json!(URL_SAFE_NO_PAD.encode([0xC5_u8; 128]));
        let refused = [
            (
                with(Algorithm::ES256, "d", json!("AAAA")),
                "private or symmetric member \"d\"",
            ),
            (
                json!({ "kty": "oct", "kid": "k" }),
                "symmetric (\"oct\") key",
            ),
            (
                with(Algorithm::EdDSA, "use", json!("enc")),
                "\"use\" is \"enc\"",
            ),
            (
                with(Algorithm::EdDSA, "key_ops", json!(["sign"])),
                "\"key_ops\"",
            ),
            (
                with(Algorithm::ES256, "crv", json!("P-384")),
                "EC curve \"P-384\"",
            ),
            (
                with(Algorithm::EdDSA, "crv", json!("X25519")),
                "OKP curve \"X25519\"",
            ),
            (
                with(Algorithm::EdDSA, "alg", json!("ES256")),
                "\"alg\" is \"ES256\"",
            ),
            (small_rsa, "1024 bits is too small"),
        ];
        for (key, reason) in refused {
            for mode in [Unsupported::Refuse, Unsupported::Skip] {
                match parse(std::slice::from_ref(&key), mode) {
                    Err(KeyError::Jwk { reason: got, .. }) if got.contains(reason) => {}
                    other => panic!("{mode:?}, {reason}: {other:?}"),
                }
            }
        }
    }
}
