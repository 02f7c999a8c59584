//! Reading public keys out of JWKs and JWKS documents (RFC 7517), refusing
//! anything that is not plainly a public signing key, and any object that
//! names a member twice.
//!
//! One parser serves both kinds of key set: a document loaded locally, where
//! every key must be usable, and a remote set, which may also publish keys
//! this crate cannot verify with ([`Unsupported::Skip`]): those are left
//! out and reported, as jose leaves out the keys it cannot use.

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

/// What [`parse_jwks`] does with a key it cannot verify with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unsupported {
    /// Refuse the whole document: a key set the operator wrote must hold
    /// only keys that verify, and a typo in it should be an error.
    Refuse,
    /// Leave the key out and report it: a remote set may publish keys for
    /// other uses (encryption, other curves) beside its signing keys.
    Skip,
}

/// One usable key of a JWKS.
#[derive(Debug, Clone)]
pub(crate) struct JwkEntry {
    /// The `kid`, if the key has one.
    pub(crate) kid: Option<String>,
    /// The checked public key.
    pub(crate) key: PublicKey,
}

/// A key of a remote JWKS that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    kid: Option<String>,
    reason: String,
}

impl SkippedKey {
    /// The key's `kid`, if it had a usable one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Why the key cannot be used, e.g. `"use" is "enc", not "sig"`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl std::fmt::Display for SkippedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kid {
            Some(kid) => write!(f, "key {kid:?}: {}", self.reason),
            None => write!(f, "key without a kid: {}", self.reason),
        }
    }
}

/// The keys of a JWKS document: those usable, and those skipped.
#[derive(Debug, Default)]
pub(crate) struct ParsedJwks {
    pub(crate) entries: Vec<JwkEntry>,
    pub(crate) skipped: Vec<SkippedKey>,
}

/// Reads every key of a JWKS document. What makes the document itself
/// malformed (not JSON, a repeated member anywhere, no `keys` array) always
/// refuses it. A key that cannot be used (private or symmetric members,
/// `use`, `key_ops`, an unsupported type or curve, RSA size and strength, an
/// `alg` that does not fit the key, a malformed member) refuses the document
/// too, or with [`Unsupported::Skip`] is left out and listed in `skipped`.
pub(crate) fn parse_jwks(json: &[u8], unsupported: Unsupported) -> Result<ParsedJwks, KeyError> {
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
    let mut parsed = ParsedJwks {
        entries: Vec::with_capacity(keys.len()),
        skipped: Vec::new(),
    };
    for jwk in keys {
        match (read_jwk(jwk), unsupported) {
            (Ok(entry), _) => parsed.entries.push(entry),
            (Err(KeyError::Jwk { kid, reason }), Unsupported::Skip) => {
                parsed.skipped.push(SkippedKey { kid, reason });
            }
            (Err(error), _) => return Err(error),
        }
    }
    Ok(parsed)
}

/// Reads every key of a JWKS document given by an operator: every key must
/// be usable and have a `kid`, and no two the same one.
pub(crate) fn keys_from_jwks(json: &str) -> Result<Vec<(String, PublicKey)>, KeyError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for entry in parse_jwks(json.as_bytes(), Unsupported::Refuse)?.entries {
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
    let entry = read_jwk(&value)?;
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

/// Reads one JWK: a public signing key of a type, curve and size this crate
/// verifies with, or a [`KeyError::Jwk`] saying why not.
fn read_jwk(value: &Value) -> Result<JwkEntry, KeyError> {
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
    let key =
        match kty {
            "OKP" => {
                require_curve(object, "OKP", "Ed25519").map_err(&fail)?;
                let x: [u8; 32] = fixed_bytes(object, "x").map_err(&fail)?;
                PublicKey::ed25519(&x).map_err(|e| fail(e.to_string()))?
            }
            "EC" => {
                require_curve(object, "EC", "P-256").map_err(&fail)?;
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
            "oct" => return Err(fail(
                "a symmetric (\"oct\") key is not a public key; give HS256 secrets as an ApiKey"
                    .to_owned(),
            )),
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
    Ok(JwkEntry { kid, key })
}

/// The one curve supported for a key type: `crv` must name it.
fn require_curve(object: &Map<String, Value>, kty: &str, only: &str) -> Result<(), String> {
    let crv = string_member(object, "crv")?;
    if crv == only {
        Ok(())
    } else {
        Err(format!("{kty} curve {crv:?} is not supported, only {only}"))
    }
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

    fn parse(keys: &[Value], mode: Unsupported) -> Result<ParsedJwks, KeyError> {
        parse_jwks(json!({ "keys": keys }).to_string().as_bytes(), mode)
    }

    #[test]
    fn entries_carry_an_optional_kid() {
        let mut bare = jwk(Algorithm::ES256);
        let object = bare.as_object_mut().expect("object");
        object.remove("kid");
        object.remove("alg");
        let parsed = parse(&[jwk(Algorithm::EdDSA), bare], Unsupported::Refuse).expect("valid");
        let entries = parsed.entries;
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].kid.as_deref(), Some("k"));
        assert_eq!(entries[0].key.algorithm(), Algorithm::EdDSA);
        assert_eq!(entries[1].kid, None);
        assert_eq!(entries[1].key.algorithm(), Algorithm::ES256);
        assert!(parsed.skipped.is_empty());
    }

    /// Keys this crate cannot verify with, each under its own kid, and the
    /// start of the reason each is refused (or skipped) for.
    fn unusable_keys() -> Vec<(Value, &'static str)> {
        let with = |alg: Algorithm, kid: &str, member: &str, value: Value| {
            let mut key = jwk(alg);
            key["kid"] = json!(kid);
            key[member] = value;
            key
        };
        let modulus = |bytes: usize| json!(URL_SAFE_NO_PAD.encode(vec![0xC5_u8; bytes]));
        vec![
            (
                with(Algorithm::ES256, "private", "d", json!("AAAA")),
                "holds the private or symmetric member \"d\"",
            ),
            (
                json!({ "kty": "oct", "kid": "hmac" }),
                "a symmetric (\"oct\") key",
            ),
            (
                json!({ "kty": "oct", "kid": "hmac-k", "k": "c2VjcmV0" }),
                "holds the private or symmetric member \"k\"",
            ),
            (
                with(Algorithm::EdDSA, "enc", "use", json!("enc")),
                "\"use\" is \"enc\", not \"sig\"",
            ),
            (
                with(Algorithm::EdDSA, "ops", "key_ops", json!(["sign"])),
                "\"key_ops\" is [\"sign\"], which does not include \"verify\"",
            ),
            (
                with(Algorithm::ES256, "p384", "crv", json!("P-384")),
                "EC curve \"P-384\" is not supported",
            ),
            (
                with(Algorithm::EdDSA, "x25519", "crv", json!("X25519")),
                "OKP curve \"X25519\" is not supported",
            ),
            (
                with(Algorithm::EdDSA, "mismatch", "alg", json!("ES256")),
                "\"alg\" is \"ES256\", but the key is for EdDSA",
            ),
            (
                with(Algorithm::RS256, "rsa1024", "n", modulus(128)),
                "RSA key: 1024 bits is too small",
            ),
            (
                with(Algorithm::RS256, "rsa4608", "n", modulus(576)),
                "RSA key: 4608 bits is too large",
            ),
            (
                json!({ "kty": "ML-DSA", "kid": "pq", "pub": "AAAA" }),
                "key type \"ML-DSA\" is not supported",
            ),
        ]
    }

    #[test]
    fn a_local_document_refuses_every_unusable_key() {
        for (key, reason) in unusable_keys() {
            let kid = key["kid"].as_str().map(str::to_owned);
            match parse(&[jwk(Algorithm::EdDSA), key], Unsupported::Refuse) {
                Err(KeyError::Jwk {
                    kid: got,
                    reason: why,
                }) if got == kid && why.starts_with(reason) => {}
                other => panic!("{reason}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_remote_document_skips_each_unusable_key_and_keeps_the_rest() {
        let (unusable, reasons): (Vec<Value>, Vec<&str>) = unusable_keys().into_iter().unzip();
        let mut keys = unusable.clone();
        keys.push(jwk(Algorithm::EdDSA));
        // A kid-less key that cannot be used is reported without one.
        keys.push(json!({ "kty": "EC", "crv": "P-521" }));
        let parsed = parse(&keys, Unsupported::Skip).expect("the usable key is kept");
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(parsed.entries[0].kid.as_deref(), Some("k"));
        assert_eq!(parsed.skipped.len(), unusable.len() + 1);
        for ((skipped, key), reason) in parsed.skipped.iter().zip(&unusable).zip(&reasons) {
            assert_eq!(skipped.kid(), key["kid"].as_str(), "{reason}");
            assert!(skipped.reason().starts_with(reason), "{skipped}");
        }
        let last = parsed.skipped.last().expect("the kid-less key");
        assert_eq!(last.kid(), None);
        assert_eq!(
            last.to_string(),
            "key without a kid: EC curve \"P-521\" is not supported, only P-256"
        );
        assert_eq!(
            parsed.skipped[3].to_string(),
            "key \"enc\": \"use\" is \"enc\", not \"sig\""
        );
    }

    #[test]
    fn a_malformed_document_is_refused_in_either_mode() {
        let repeated = br#"{"keys":[{"kty":"OKP","kty":"OKP"}]}"#.as_slice();
        for (document, reason) in [
            (b"not json".as_slice(), "not valid JSON"),
            (
                br#"{"keys":{}}"#.as_slice(),
                "expected an object with a \"keys\" array",
            ),
            (
                br#"{"kids":[]}"#.as_slice(),
                "expected an object with a \"keys\" array",
            ),
            (repeated, "kty"),
        ] {
            for mode in [Unsupported::Refuse, Unsupported::Skip] {
                match parse_jwks(document, mode) {
                    Err(KeyError::Jwks { reason: got }) if got.contains(reason) => {}
                    other => panic!("{mode:?}, {reason}: {other:?}"),
                }
            }
        }
    }
}
