//! Project Wycheproof's JWS and JWK vectors (C2SP/wycheproof, copied
//! unchanged into `tests/data/wycheproof/`).
//!
//! `json_web_signature_test.json`: every `invalid` case is refused, at key
//! loading or by [`TokenVerifier::verify_jws`], which checks a compact JWS
//! up to its signature exactly as `verify` does; every `valid` case whose
//! algorithm this crate supports (HS256, RS256, ES256) passes `verify_jws`.
//! Its payloads are not claims (mostly the bytes `foo`), so `verify` itself
//! refuses them afterwards, as it must. Cases for algorithms this crate does
//! not implement (PS256/384/512, RS384/512, ES512) are refused when their key
//! is loaded. tcId 372 and 373 are marked valid although they hold a `?` in
//! a base64url segment: a strict decoder refuses them, and so does this one.
//! tcId 367 and 370 ("invalidBase64Padding", "…InPayload") are marked invalid
//! but are byte for byte tcId 357, which is valid, under the same key: their
//! padding was lost from the file. No verifier can decide both ways; this one
//! accepts the bytes (as 357) and refuses the padded forms they describe.
//!
//! `json_web_key_test.json`: every weak or unusable key is refused when
//! loaded, and the keys of its valid cases load and verify.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use huddle_auth::{ApiKey, KeyError, TokenVerifier, VerifyError};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/wycheproof")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the Wycheproof vectors are in tests/data");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Marked valid, but a `?` stands in a base64url segment.
const MISMARKED_VALID: [u64; 2] = [372, 373];

/// The algorithms this crate verifies.
const SUPPORTED: [&str; 4] = ["HS256", "EdDSA", "ES256", "RS256"];

/// How a key set fared when loaded the way this crate loads keys.
#[derive(Debug)]
enum Loaded {
    Verifier(TokenVerifier),
    Refused(KeyError),
    /// An HMAC key for an algorithm other than HS256, which this crate does
    /// not implement: an API key is always HS256.
    OtherHmac(String),
}

/// Public keys go through the JWKS loader; secret (`oct`) keys become API
/// keys, the only way this crate takes HMAC secrets. A key set holding
/// private asymmetric keys and no public half goes to the JWKS loader too,
/// which must refuse it.
fn load(keys: &[Value]) -> Loaded {
    let all_secret = keys.iter().all(|k| k["kty"] == "oct");
    if !all_secret {
        let document = serde_json::json!({ "keys": keys }).to_string();
        return match TokenVerifier::from_jwks(&document) {
            Ok(verifier) => Loaded::Verifier(verifier),
            Err(error) => Loaded::Refused(error),
        };
    }
    let mut verifier = TokenVerifier::new();
    for key in keys {
        let alg = key["alg"].as_str().unwrap_or("HS256");
        if alg != "HS256" {
            return Loaded::OtherHmac(alg.to_owned());
        }
        let kid = key["kid"].as_str().expect("a kid");
        let secret = secret_of(key);
        let added = ApiKey::new(kid, secret).and_then(|api_key| verifier.with_api_key(&api_key));
        verifier = match added {
            Ok(verifier) => verifier,
            Err(error) => return Loaded::Refused(error),
        };
    }
    Loaded::Verifier(verifier)
}

/// The bytes of an `oct` key. Read leniently: tcId 4's second key has
/// non-canonical trailing bits, and it is its duplicate `kid` that is tested.
fn secret_of(key: &Value) -> Vec<u8> {
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    lenient
        .decode(key["k"].as_str().expect("an oct key has k"))
        .expect("base64url")
}

fn header_alg(jws: &str) -> Option<String> {
    let header = URL_SAFE_NO_PAD.decode(jws.split('.').next()?).ok()?;
    let header: Value = serde_json::from_slice(&header).ok()?;
    header["alg"].as_str().map(str::to_owned)
}

fn payload_of(jws: &str) -> Vec<u8> {
    let payload = jws.split('.').nth(1).expect("a compact JWS");
    URL_SAFE_NO_PAD.decode(payload).expect("base64url")
}

#[test]
fn every_jws_vector_is_decided_as_wycheproof_says() {
    let file = vectors("json_web_signature_test.json");
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for group in file["testGroups"].as_array().expect("groups") {
        let key = group.get("public").unwrap_or(&group["private"]);
        let loaded = load(std::slice::from_ref(key));
        let valid: Vec<&str> = group["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .filter(|case| case["result"] == "valid")
            .filter_map(|case| case["jws"].as_str())
            .collect();
        for case in group["tests"].as_array().expect("tests") {
            total += 1;
            let id = case["tcId"].as_u64().expect("tcId");
            let jws = case["jws"].as_str().expect("jws");
            let what = format!("tcId {id} ({}, {})", group["comment"], case["comment"]);
            let alg = header_alg(jws);
            let supported = alg.as_deref().is_some_and(|a| SUPPORTED.contains(&a));
            match (case["result"].as_str().expect("result"), &loaded) {
                ("valid", Loaded::Verifier(verifier))
                    if supported && !MISMARKED_VALID.contains(&id) =>
                {
                    let payload = verifier
                        .verify_jws(jws)
                        .unwrap_or_else(|e| panic!("{what}: valid, refused: {e:?}"));
                    assert_eq!(payload, payload_of(jws), "{what}");
                    // Not claims, so the full verifier refuses it after the signature.
                    assert!(
                        matches!(
                            verifier.verify(jws),
                            Err(VerifyError::Malformed {
                                part: "payload",
                                ..
                            } | VerifyError::InvalidClaims { .. })
                        ),
                        "{what}"
                    );
                    *outcomes.entry("valid: signature accepted").or_default() += 1;
                }
                ("valid", Loaded::Verifier(verifier)) if MISMARKED_VALID.contains(&id) => {
                    // The MAC covers the text as sent, so 373 (the `?` in the
                    // payload) already fails the MAC; 372 fails decoding.
                    assert!(
                        matches!(
                            verifier.verify_jws(jws),
                            Err(VerifyError::Malformed { .. } | VerifyError::BadSignature)
                        ),
                        "{what}: a '?' in base64url is refused"
                    );
                    *outcomes
                        .entry("valid, but not base64url (372, 373): refused")
                        .or_default() += 1;
                }
                ("valid", Loaded::Refused(error)) if !supported => {
                    // PS*, RS384/512, ES512: the key's `alg` or curve is not one of ours.
                    assert!(matches!(error, KeyError::Jwk { .. }), "{what}: {error:?}");
                    *outcomes
                        .entry("valid, algorithm not supported: key refused")
                        .or_default() += 1;
                }
                ("invalid", Loaded::Verifier(verifier)) if valid.contains(&jws) => {
                    assert!(id == 367 || id == 370, "{what}: identical to a valid case");
                    let (signed, _) = jws.rsplit_once('.').expect("three segments");
                    let padded = if id == 367 {
                        format!("{jws}=")
                    } else {
                        // Padding in the payload, MACed as sent with the group's key.
                        let signed = format!("{signed}==");
                        let mac = jsonwebtoken::crypto::sign(
                            signed.as_bytes(),
                            &jsonwebtoken::EncodingKey::from_secret(&secret_of(key))
                                .expect("a secret"),
                            jsonwebtoken::Algorithm::HS256,
                        )
                        .expect("HMAC");
                        format!("{signed}.{mac}")
                    };
                    assert!(
                        matches!(
                            verifier.verify_jws(&padded),
                            Err(VerifyError::Malformed { .. })
                        ),
                        "{what}: the padded form"
                    );
                    *outcomes
                        .entry(
                            "invalid, but identical to valid 357 (367, 370): padded form refused",
                        )
                        .or_default() += 1;
                }
                ("invalid", Loaded::Verifier(verifier)) => {
                    let result = verifier.verify_jws(jws);
                    assert!(result.is_err(), "{what}: invalid, accepted");
                    *outcomes
                        .entry("invalid: refused by verify_jws")
                        .or_default() += 1;
                }
                ("invalid", Loaded::Refused(_)) => {
                    *outcomes.entry("invalid: key refused").or_default() += 1;
                }
                (result, loaded) => panic!("{what}: {result} with {loaded:?} (alg {alg:?})"),
            }
        }
    }
    assert_eq!(
        total,
        file["numberOfTests"].as_u64().expect("count") as usize
    );
    eprintln!("{total} JWS vectors: {outcomes:#?}");
    // The file is fixed, so every count is exact: a case changing side fails.
    let expected = [
        ("valid: signature accepted", 18),
        ("valid, but not base64url (372, 373): refused", 2),
        ("valid, algorithm not supported: key refused", 26),
        ("invalid: refused by verify_jws", 290),
        ("invalid: key refused", 63),
        (
            "invalid, but identical to valid 357 (367, 370): padded form refused",
            2,
        ),
    ];
    assert_eq!(outcomes, BTreeMap::from(expected));
}

#[test]
fn every_weak_or_unusable_jwk_is_refused_when_loaded() {
    let file = vectors("json_web_key_test.json");
    let mut total = 0;
    for group in file["testGroups"].as_array().expect("groups") {
        let keys = group.get("public").unwrap_or(&group["private"])["keys"]
            .as_array()
            .expect("a key set");
        let loaded = load(keys);
        for case in group["tests"].as_array().expect("tests") {
            total += 1;
            let id = case["tcId"].as_u64().expect("tcId");
            let jws = case["jws"].as_str().expect("jws");
            let what = format!("tcId {id} ({}, {})", group["comment"], case["comment"]);
            match (id, &loaded) {
                // A key set of two HMAC keys: the right MAC verifies, a changed one does not.
                (2 | 5 | 13, Loaded::Verifier(verifier)) => {
                    assert_eq!(case["result"], "valid");
                    assert!(verifier.verify_jws(jws).is_ok(), "{what}");
                }
                (3, Loaded::Verifier(verifier)) => {
                    assert_eq!(
                        verifier.verify_jws(jws).err(),
                        Some(VerifyError::BadSignature)
                    );
                }
                // Public and private keys mixed, and a symmetric key, in one set.
                (1, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("private or symmetric"), "{what}: {reason}");
                }
                (4, Loaded::Refused(error)) => assert_eq!(
                    error,
                    &KeyError::DuplicateKeyId {
                        kid: "kid-aes-sign".to_owned()
                    },
                    "{what}"
                ),
                (6 | 21, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("\"use\""), "{what}: {reason}");
                }
                (7, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("ROCA"), "{what}: {reason}");
                }
                (8, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("1024 bits"), "{what}: {reason}");
                }
                (9, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("exponent"), "{what}: {reason}");
                }
                (10, Loaded::Refused(error)) => {
                    assert_eq!(error, &KeyError::SecretTooShort { bytes: 31 }, "{what}");
                }
                (16, Loaded::Refused(error)) => {
                    assert_eq!(error, &KeyError::SecretTooShort { bytes: 0 }, "{what}");
                }
                (11 | 12 | 14 | 15 | 17 | 18, Loaded::OtherHmac(alg)) => {
                    assert!(alg == "HS384" || alg == "HS512", "{what}");
                    assert_other_hmac_is_refused(keys, jws, &what);
                }
                (19 | 20, Loaded::Refused(KeyError::Jwk { reason, .. })) => {
                    assert!(reason.contains("\"alg\""), "{what}: {reason}");
                }
                (22..=24, Loaded::Refused(KeyError::Jwk { .. })) => {}
                (25 | 26, Loaded::OtherHmac(alg)) => {
                    assert!(alg.starts_with("A256"), "{what}: an AES key is no MAC key");
                }
                (_, loaded) => panic!("{what}: unexpected {loaded:?}"),
            }
        }
    }
    assert_eq!(
        total,
        file["numberOfTests"].as_u64().expect("count") as usize
    );
}

/// An HS384 or HS512 key, loaded anyway as an HS256 API key when it is long
/// enough: its tokens name another algorithm and are refused for it.
fn assert_other_hmac_is_refused(keys: &[Value], jws: &str, what: &str) {
    let key = &keys[0];
    let secret = secret_of(key);
    match ApiKey::new(key["kid"].as_str().expect("kid"), &secret) {
        Ok(api_key) => {
            let verifier = TokenVerifier::new()
                .with_api_key(&api_key)
                .expect("one key");
            let result = verifier.verify_jws(jws);
            assert!(
                matches!(&result, Err(VerifyError::AlgorithmNotAllowed { alg, .. }) if alg == key["alg"].as_str().unwrap_or_default()),
                "{what}: {result:?}"
            );
        }
        Err(error) => assert_eq!(
            error,
            KeyError::SecretTooShort {
                bytes: secret.len()
            },
            "{what}"
        ),
    }
}
