//! Loading keys: HMAC secrets of at least 32 bytes (RFC 7518 section 3.2),
//! RSA of at least 2048 bits (RFC 7518 section 3.3) and not known-weak,
//! public JWKs only (RFC 7517 sections 4.2, 4.3 and 9.2), one key per `kid`;
//! and secrets that never show in `Debug` output or errors.
//!
//! Over 400 lines: one suite for every refusal of key loading, so that a
//! reviewer reads the whole key policy in one file; the shared helpers live
//! in `security_support`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use huddle_auth::{AccessToken, Algorithm, ApiKey, KeyError, PrivateKey, PublicKey, TokenVerifier};
use huddle_auth_tests::fixtures::*;
use serde_json::{json, Value};

const RSA_1024_PRIVATE: &str = include_str!("../data/keys/rsa-1024-private.pem");
const RSA_1024_PUBLIC: &str = include_str!("../data/keys/rsa-1024-public.pem");
const P384_PRIVATE: &str = include_str!("../data/keys/p384-private.pem");
const P384_PUBLIC: &str = include_str!("../data/keys/p384-public.pem");
const RSA_4608_PRIVATE: &str = include_str!("../data/keys/rsa-4608-private.pem");
const RSA_4608_PUBLIC: &str = include_str!("../data/keys/rsa-4608-public.pem");

fn public_jwk(alg: Algorithm, kid: &str) -> Value {
    let key = PrivateKey::generate(alg, kid).expect("key generation");
    serde_json::to_value(key.public_jwk()).expect("a JWK serializes")
}

fn jwks(keys: &[Value]) -> String {
    json!({ "keys": keys }).to_string()
}

#[track_caller]
fn assert_jwk_refused(
    result: Result<TokenVerifier, KeyError>,
    kid: Option<&str>,
    reason_has: &str,
) {
    match result {
        Err(KeyError::Jwk { kid: k, reason })
            if k.as_deref() == kid && reason.contains(reason_has) => {}
        other => panic!(
            "expected KeyError::Jwk {{ kid: {kid:?}, reason ~ {reason_has:?} }}, got {other:?}"
        ),
    }
}

#[test]
fn hmac_secrets_shorter_than_32_bytes_are_refused() {
    for len in [0, 1, 16, 31] {
        assert_eq!(
            ApiKey::new("k", vec![b'x'; len]).err(),
            Some(KeyError::SecretTooShort { bytes: len })
        );
    }
    assert!(ApiKey::new("k", [b'x'; 32]).is_ok());
    assert_eq!(ApiKey::new("", SECRET).err(), Some(KeyError::EmptyKeyId));
}

#[test]
fn a_secret_that_is_its_own_key_id_is_refused() {
    let error = ApiKey::new(SECRET, SECRET).expect_err("the secret as the key id");
    assert_eq!(error, KeyError::SecretIsKeyId);
    assert_eq!(
        error.to_string(),
        "api secret: is the same as the key id; the secret must never be the key id, \
         which every token carries in clear"
    );
    assert_hides(&format!("{error} {error:?}"), SECRET.as_bytes());
    // Bytes, not text: the same secret given as bytes is refused too.
    assert_eq!(
        ApiKey::new(SECRET, SECRET.as_bytes()).err(),
        Some(KeyError::SecretIsKeyId)
    );
    // A key id that merely starts like the secret is another key id.
    assert!(ApiKey::new(&SECRET[..20], SECRET).is_ok());
}

/// One test function for every case, so no other test of this binary reads
/// the variables while they change.
#[test]
fn api_keys_come_from_the_environment() {
    let clear = || {
        std::env::remove_var("HUDDLE_API_KEY");
        std::env::remove_var("HUDDLE_API_SECRET");
    };
    clear();
    let message = |result: Result<ApiKey, KeyError>| result.expect_err("refused").to_string();
    assert_eq!(message(ApiKey::from_env()), "HUDDLE_API_KEY: not set");
    std::env::set_var("HUDDLE_API_KEY", KID);
    assert_eq!(message(ApiKey::from_env()), "HUDDLE_API_SECRET: not set");
    std::env::set_var("HUDDLE_API_SECRET", "");
    assert_eq!(message(ApiKey::from_env()), "HUDDLE_API_SECRET: not set");
    std::env::set_var("HUDDLE_API_SECRET", "short");
    assert_eq!(
        ApiKey::from_env().err(),
        Some(KeyError::SecretTooShort { bytes: 5 })
    );
    std::env::set_var("HUDDLE_API_SECRET", SECRET);
    let key = ApiKey::from_env().expect("both set");
    assert_eq!(key.id(), KID);
    // The key signs with the secret of the environment.
    let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("mints");
    verify(&token).expect("verifies with the suite's key");
    std::env::set_var("HUDDLE_API_KEY", SECRET);
    assert_eq!(ApiKey::from_env().err(), Some(KeyError::SecretIsKeyId));
    std::env::remove_var("HUDDLE_API_KEY");
    assert_eq!(message(ApiKey::from_env()), "HUDDLE_API_KEY: not set");
    clear();
}

#[test]
fn rsa_keys_under_2048_bits_are_refused_in_every_form() {
    assert_eq!(
        PrivateKey::from_pkcs8_pem("small", RSA_1024_PRIVATE).err(),
        Some(KeyError::RsaTooSmall { bits: 1024 })
    );
    assert_eq!(
        PublicKey::from_public_key_pem(RSA_1024_PUBLIC).err(),
        Some(KeyError::RsaTooSmall { bits: 1024 })
    );
    assert_eq!(
        TokenVerifier::new()
            .with_public_key_pem("small", RSA_1024_PUBLIC)
            .err(),
        Some(KeyError::RsaTooSmall { bits: 1024 })
    );
    let (_, der) = pkcs8::Document::from_pem(RSA_1024_PUBLIC).expect("SPKI PEM");
    assert_eq!(
        PublicKey::from_public_key_der(der.as_bytes()).err(),
        Some(KeyError::RsaTooSmall { bits: 1024 })
    );
    // As a JWK: the modulus of a real key, cut to 1024 bits (and kept odd).
    let mut jwk = public_jwk(Algorithm::RS256, "small");
    let mut n = unb64(jwk["n"].as_str().expect("n"));
    n.truncate(128);
    n[127] |= 1;
    jwk["n"] = json!(b64(&n));
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("small"),
        "1024",
    );
}

#[test]
fn rsa_moduli_over_4096_bits_are_refused() {
    // Each RSA verification costs the modulus cubed: no one else's giant key.
    let mut jwk = public_jwk(Algorithm::RS256, "huge");
    let mut n = vec![0xC5; 1024];
    n[1023] |= 1;
    jwk["n"] = json!(b64(&n));
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("huge"),
        "too large",
    );
}

#[test]
fn rsa_keys_over_4096_bits_are_refused_as_private_and_as_public_keys() {
    let too_large = "RSA key: 4608 bits is too large, at most 4096 are accepted";
    let private = PrivateKey::from_pkcs8_pem("huge", RSA_4608_PRIVATE).expect_err("4608 bits");
    assert_eq!(private, KeyError::RsaTooLarge { bits: 4608 });
    assert_eq!(private.to_string(), too_large);
    let public = PublicKey::from_public_key_pem(RSA_4608_PUBLIC).expect_err("4608 bits");
    assert_eq!(public, KeyError::RsaTooLarge { bits: 4608 });
    assert_eq!(public.to_string(), too_large);
    assert_eq!(
        TokenVerifier::new()
            .with_public_key_pem("huge", RSA_4608_PUBLIC)
            .err(),
        Some(KeyError::RsaTooLarge { bits: 4608 })
    );
}

#[test]
fn repeated_members_in_a_jwk_or_jwks_are_refused() {
    let jwk = public_jwk(Algorithm::EdDSA, "dup");
    let other = public_jwk(Algorithm::EdDSA, "dup");
    let text = jwk.to_string();
    // Each case puts a second member of the same name before the JWK's own.
    let repeat = |member: &str, value: &Value| {
        let first = format!("{{{}:{value},", json!(member));
        text.replacen('{', &first, 1)
    };
    let cases = [
        ("x", repeat("x", &other["x"])),
        ("use", repeat("use", &json!("enc"))),
        ("kid", repeat("kid", &json!("other"))),
        ("alg", repeat("alg", &json!("EdDSA"))),
    ];
    for (member, jwk) in &cases {
        let expected = format!("the member \"{member}\" is given twice");
        match TokenVerifier::new().with_jwk(jwk) {
            Err(KeyError::Jwk { kid: None, reason }) if reason.starts_with(&expected) => {}
            other => panic!("{member}: {other:?}"),
        }
        let document = format!(r#"{{"keys":[{jwk}]}}"#);
        match TokenVerifier::from_jwks(&document) {
            Err(KeyError::Jwks { reason }) if reason.starts_with(&expected) => {}
            other => panic!("{member}: {other:?}"),
        }
    }
    let one = jwks(std::slice::from_ref(&jwk));
    assert!(TokenVerifier::from_jwks(&one).is_ok(), "each member once");
    let two_sets = format!(r#"{{"keys":[],"keys":[{text}]}}"#);
    let error = TokenVerifier::from_jwks(&two_sets).expect_err("two keys arrays");
    assert!(
        error
            .to_string()
            .starts_with("JWKS: the member \"keys\" is given twice"),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_a_pkcs8_private_key_is_named() {
    let expected = "expected a PKCS#8 private key PEM (-----BEGIN PRIVATE KEY-----)";
    let key = PrivateKey::generate(Algorithm::ES256, "k").expect("key");
    let pem = key.to_pkcs8_pem().expect("PEM").to_string();
    let public_pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    let jwks = serde_json::to_string_pretty(&key.jwks()).expect("JSON");
    let cases = [
        (jwks, "the file is JSON (a JWK or JWKS), not PEM"),
        (
            public_pem.to_owned(),
            "the file is a public key (SPKI), not a private key",
        ),
        (
            pem.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
            "the file is a PKCS#1 RSA private key; convert it with \
             `openssl pkcs8 -topk8 -nocrypt -in key.pem`",
        ),
        (
            pem.replace("PRIVATE KEY", "EC PRIVATE KEY"),
            "the file is a SEC1 EC private key; convert it with \
             `openssl pkcs8 -topk8 -nocrypt -in key.pem`",
        ),
        (
            pem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
            "the file is an encrypted PKCS#8 private key; decrypt it with `openssl pkcs8 -in key.pem`",
        ),
        (
            "ak_live_1 is not a key\n".to_owned(),
            "the file is not PEM (no -----BEGIN line)",
        ),
    ];
    for (file, what) in cases {
        let error = PrivateKey::from_pkcs8_pem("k", &file).expect_err(what);
        assert_eq!(
            error.to_string(),
            format!("private key: {what}; {expected}")
        );
    }
    let error = PublicKey::from_public_key_pem(&pem).expect_err("a private key");
    assert_eq!(
        error.to_string(),
        "public key: the file is a private key, not a public key; \
         expected a public key PEM (-----BEGIN PUBLIC KEY-----)"
    );
}

#[test]
fn rsa_keys_with_an_even_or_unit_exponent_are_refused() {
    let mut jwk = public_jwk(Algorithm::RS256, "weak-e");
    for e in [1_u32, 2, 4, 65536] {
        let bytes = e.to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).expect("non-zero");
        jwk["e"] = json!(b64(&bytes[first..]));
        assert_jwk_refused(
            TokenVerifier::new().with_jwk(&jwk.to_string()),
            Some("weak-e"),
            "exponent",
        );
    }
}

#[test]
fn keys_on_other_curves_are_refused() {
    assert!(matches!(
        PrivateKey::from_pkcs8_pem("p384", P384_PRIVATE),
        Err(KeyError::Unsupported { .. })
    ));
    assert!(matches!(
        PublicKey::from_public_key_pem(P384_PUBLIC),
        Err(KeyError::Unsupported { .. })
    ));
    let mut jwk = public_jwk(Algorithm::ES256, "curve");
    jwk["crv"] = json!("P-384");
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("curve"),
        "P-384",
    );
    let mut jwk = public_jwk(Algorithm::EdDSA, "curve");
    jwk["crv"] = json!("X25519");
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("curve"),
        "X25519",
    );
}

#[test]
fn points_that_are_not_valid_public_keys_are_refused() {
    // P-256: a point off the curve.
    let mut jwk = public_jwk(Algorithm::ES256, "point");
    let mut y = unb64(jwk["y"].as_str().expect("y"));
    y[31] ^= 1;
    jwk["y"] = json!(b64(&y));
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("point"),
        "P-256",
    );
    // Ed25519: the identity, a point of small order that makes every
    // signature of a certain form verify.
    let mut jwk = public_jwk(Algorithm::EdDSA, "point");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    jwk["x"] = json!(b64(identity));
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("point"),
        "small order",
    );
    // Coordinates of the wrong size.
    let mut jwk = public_jwk(Algorithm::EdDSA, "point");
    jwk["x"] = json!(b64([9u8; 31]));
    assert_jwk_refused(
        TokenVerifier::new().with_jwk(&jwk.to_string()),
        Some("point"),
        "32 bytes",
    );
}

#[test]
fn a_jwks_with_duplicate_kids_is_refused() {
    let first = public_jwk(Algorithm::ES256, "same");
    let second = public_jwk(Algorithm::EdDSA, "same");
    for keys in [
        vec![first.clone(), second.clone()],
        vec![first.clone(), first.clone()],
    ] {
        assert_eq!(
            TokenVerifier::from_jwks(&jwks(&keys)).err(),
            Some(KeyError::DuplicateKeyId {
                kid: "same".to_owned()
            })
        );
    }
    // Across calls and kinds of key too.
    assert_eq!(
        TokenVerifier::from_jwks(&jwks(std::slice::from_ref(&first)))
            .and_then(|v| v.with_jwk(&second.to_string()))
            .err(),
        Some(KeyError::DuplicateKeyId {
            kid: "same".to_owned()
        })
    );
    let key = PrivateKey::generate(Algorithm::EdDSA, KID).expect("key");
    assert_eq!(
        TokenVerifier::new()
            .with_api_key(&api_key())
            .and_then(|v| v.with_private_key(&key))
            .err(),
        Some(KeyError::DuplicateKeyId {
            kid: KID.to_owned()
        })
    );
}

#[test]
fn jwks_with_private_members_are_refused() {
    for member in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
        let mut private = public_jwk(Algorithm::RS256, "private");
        private[member] = json!("c2VjcmV0IG1hdGVyaWFs");
        let other = public_jwk(Algorithm::ES256, "public");
        assert_jwk_refused(
            TokenVerifier::from_jwks(&jwks(&[other, private.clone()])),
            Some("private"),
            &format!("\"{member}\""),
        );
        assert_jwk_refused(
            TokenVerifier::new().with_jwk(&private.to_string()),
            Some("private"),
            &format!("\"{member}\""),
        );
    }
}

#[test]
fn symmetric_keys_are_not_public_keys() {
    let with_k = json!({ "kty": "oct", "kid": "shared", "alg": "HS256", "k": b64(SECRET) });
    assert_jwk_refused(
        TokenVerifier::from_jwks(&jwks(&[with_k])),
        Some("shared"),
        "symmetric",
    );
    let without_k = json!({ "kty": "oct", "kid": "shared", "alg": "HS256" });
    assert_jwk_refused(
        TokenVerifier::from_jwks(&jwks(&[without_k])),
        Some("shared"),
        "\"oct\"",
    );
    // Nor does an HS256 token verify against a JWKS that was refused: there
    // is no verifier to ask.
}

#[test]
fn jwks_meant_for_something_else_are_refused() {
    let base = public_jwk(Algorithm::ES256, "use");
    let cases = [
        ("use", json!("enc"), "\"use\""),
        ("key_ops", json!(["encrypt"]), "key_ops"),
        ("key_ops", json!("verify"), "key_ops"),
        ("key_ops", json!([]), "key_ops"),
        ("alg", json!("ES384"), "\"alg\""),
        ("alg", json!("HS256"), "\"alg\""),
        ("alg", json!("none"), "\"alg\""),
        ("kty", json!("EC2"), "EC2"),
    ];
    for (member, value, reason) in cases {
        let mut jwk = base.clone();
        jwk[member] = value;
        assert_jwk_refused(
            TokenVerifier::new().with_jwk(&jwk.to_string()),
            Some("use"),
            reason,
        );
    }
    let mut jwk = base.clone();
    jwk["key_ops"] = json!(["verify"]);
    assert!(TokenVerifier::new().with_jwk(&jwk.to_string()).is_ok());
    for kid in [Value::Null, json!(""), json!(7)] {
        let mut jwk = base.clone();
        jwk["kid"] = kid;
        assert_jwk_refused(TokenVerifier::new().with_jwk(&jwk.to_string()), None, "kid");
    }
    for document in ["[]", "{}", r#"{"keys":{}}"#, "not json"] {
        assert!(
            matches!(
                TokenVerifier::from_jwks(document),
                Err(KeyError::Jwks { .. })
            ),
            "{document}"
        );
    }
}

/// Every way a secret's bytes might be printed.
fn renderings(secret: &[u8]) -> Vec<String> {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        hex.clone(),
        hex.to_uppercase(),
        b64(secret),
        STANDARD.encode(secret),
        format!("{secret:?}"),
    ];
    if let Ok(text) = std::str::from_utf8(secret) {
        forms.push(text.to_owned());
    }
    forms
}

#[track_caller]
fn assert_hides(text: &str, secret: &[u8]) {
    // Any 12-byte window, so that a partial leak is caught too.
    for window in secret.windows(12.min(secret.len())) {
        for form in renderings(window) {
            assert!(!text.contains(&form), "{form:?} leaked into {text:?}");
        }
    }
}

#[test]
fn the_api_secret_never_shows_in_debug_output() {
    let key = api_key();
    let verifier = verifier();
    let token = AccessToken::new(&key, ROOM);
    for text in [
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{verifier:?}"),
        format!("{verifier:#?}"),
        format!("{token:?}"),
    ] {
        assert_hides(&text, SECRET.as_bytes());
    }
    assert!(format!("{key:?}").contains(KID), "the key id is shown");
}

#[test]
fn private_keys_never_show_in_debug_output() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(alg, "private").expect("key");
        let pem = key.to_pkcs8_pem().expect("PEM");
        let (_, der) = pkcs8::SecretDocument::from_pem(&pem).expect("PKCS#8");
        let verifier = TokenVerifier::new().with_private_key(&key).expect("key");
        let token = AccessToken::new(&key, ROOM);
        for text in [
            format!("{key:?}"),
            format!("{key:#?}"),
            format!("{verifier:?}"),
            format!("{token:?}"),
            format!("{:?}", key.public_key()),
        ] {
            assert_hides(&text, der.as_bytes());
            for line in pem.lines().filter(|l| !l.starts_with("-----")) {
                assert!(
                    !text.contains(line),
                    "{alg}: a PEM line leaked into {text:?}"
                );
            }
        }
    }
}

#[test]
fn errors_about_bad_keys_never_quote_them() {
    let short = "a secret of 31 bytes, too short";
    assert_eq!(short.len(), 31);
    let error = ApiKey::new("k", short).expect_err("too short");
    assert_hides(&format!("{error} {error:?}"), short.as_bytes());

    let key = PrivateKey::generate(Algorithm::EdDSA, "k").expect("key");
    let pem = key.to_pkcs8_pem().expect("PEM").to_string();
    let (_, der) = pkcs8::SecretDocument::from_pem(&pem).expect("PKCS#8");
    let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut corrupted = pem.clone();
    corrupted.replace_range(40..41, "!");
    let mut truncated = der.as_bytes().to_vec();
    truncated.truncate(truncated.len() - 3);
    let mut relabelled = pem.replace("PRIVATE KEY", "EC PRIVATE KEY");
    relabelled.push('\n');
    let errors = [
        PrivateKey::from_pkcs8_pem("k", &corrupted).expect_err("corrupted"),
        PrivateKey::from_pkcs8_der("k", &truncated).expect_err("truncated"),
        PrivateKey::from_pkcs8_pem("k", &relabelled).expect_err("relabelled"),
        PublicKey::from_public_key_pem(&pem).expect_err("a private key is no public key"),
        PublicKey::from_public_key_der(der.as_bytes()).expect_err("a private key is no public key"),
    ];
    for error in errors {
        let text = format!("{error} {error:?}");
        assert_hides(&text, der.as_bytes());
        for line in &body {
            assert!(!text.contains(line), "a PEM line leaked into {text:?}");
        }
    }

    // A private JWK, refused whole or as part of a JWKS: the value of `d` is
    // not in the error.
    let d = "bm90IHRvIGJlIHNob3duIGluIGFuIGVycm9yIG1lc3NhZ2U";
    let mut private = public_jwk(Algorithm::ES256, "jwk");
    private["d"] = json!(d);
    private["use"] = json!("enc");
    let mut broken = jwks(std::slice::from_ref(&private));
    broken.pop();
    for error in [
        TokenVerifier::new()
            .with_jwk(&private.to_string())
            .expect_err("private"),
        TokenVerifier::from_jwks(&jwks(std::slice::from_ref(&private))).expect_err("private"),
        TokenVerifier::from_jwks(&broken).expect_err("not JSON"),
    ] {
        let text = format!("{error} {error:?}");
        assert!(!text.contains(d), "{text}");
    }
    let symmetric = json!({ "kty": "oct", "kid": "s", "k": b64(SECRET) });
    let error = TokenVerifier::from_jwks(&jwks(&[symmetric])).expect_err("symmetric");
    assert_hides(&format!("{error} {error:?}"), SECRET.as_bytes());
}
