//! The JWS header: `alg` bound to the key that `kid` names (RFC 8725
//! sections 3.1 and 3.2), no key confusion, no key found through `jwk`, `jku`,
//! `x5u` or `x5c` (RFC 8725 section 3.10), `crit` (RFC 7515 section 4.1.11)
//! and `typ` (RFC 8725 section 3.11).

use huddle_auth::{AccessToken, Algorithm, ApiKey, PrivateKey, TokenVerifier, VerifyError};
use huddle_auth_tests::fixtures::*;
use serde_json::json;

#[track_caller]
fn assert_alg_refused<T: std::fmt::Debug>(
    result: Result<T, VerifyError>,
    expected_alg: &str,
    bound: Algorithm,
) {
    match result {
        Err(VerifyError::AlgorithmNotAllowed { alg, expected })
            if alg == expected_alg && expected == bound => {}
        other => panic!("expected AlgorithmNotAllowed {{ alg: {expected_alg:?} }}, got {other:?}"),
    }
}

#[track_caller]
fn assert_crit_refused<T: std::fmt::Debug>(result: Result<T, VerifyError>, reason_has: &str) {
    match result {
        Err(VerifyError::CriticalHeader { reason }) if reason.contains(reason_has) => {}
        other => panic!("expected CriticalHeader mentioning {reason_has:?}, got {other:?}"),
    }
}

#[test]
fn the_suites_own_forgery_passes_so_refusals_below_are_meaningful() {
    let claims = verify(&forge_header(&header())).expect("a well-formed token verifies");
    assert_eq!(claims.room_id(), ROOM);
}

#[test]
fn alg_none_in_every_spelling_is_refused() {
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{KID}"}}"#);
        let unsigned = format!("{}.{}.", b64(&header), b64(claims().to_string()));
        assert_alg_refused(verify(&unsigned), alg, Algorithm::HS256);
        // The same with a valid MAC: the name alone is refused.
        assert_alg_refused(verify(&forge_header(&header)), alg, Algorithm::HS256);
    }
}

#[test]
fn algorithm_names_are_case_sensitive() {
    for alg in [
        "hs256",
        "Hs256",
        "hS256",
        "HS256 ",
        " HS256",
        "HS256\\u0000",
    ] {
        let header = format!(r#"{{"alg":"{alg}","kid":"{KID}"}}"#);
        let expected_alg = alg.replace("\\u0000", "\0");
        assert_alg_refused(
            verify(&forge_header(&header)),
            &expected_alg,
            Algorithm::HS256,
        );
    }
}

#[test]
fn hs384_and_hs512_are_refused_even_when_the_mac_is_right() {
    for (alg, name) in [
        (jsonwebtoken::Algorithm::HS384, "HS384"),
        (jsonwebtoken::Algorithm::HS512, "HS512"),
    ] {
        let header = format!(r#"{{"alg":"{name}","typ":"JWT","kid":"{KID}"}}"#);
        let signing_input = format!("{}.{}", b64(&header), b64(claims().to_string()));
        let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()).expect("a secret");
        let token = format!("{signing_input}.{}", sign_with(&key, alg, &signing_input));
        assert_alg_refused(verify(&token), name, Algorithm::HS256);
    }
}

#[test]
fn every_algorithm_not_bound_to_the_key_is_refused() {
    let others = [
        "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
    ];
    for alg in others {
        let header = format!(r#"{{"alg":"{alg}","kid":"{KID}"}}"#);
        assert_alg_refused(verify(&forge_header(&header)), alg, Algorithm::HS256);
    }
    // And the other way round: keys bound to an asymmetric algorithm refuse
    // every other name, HS256 included.
    for bound in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(bound, "asym").expect("key generation");
        let verifier = TokenVerifier::new()
            .with_private_key(&key)
            .expect("one key");
        for alg in ["HS256", "none", "EdDSA", "ES256", "RS256", "PS256"] {
            if alg == bound.as_str() {
                continue;
            }
            let header = format!(r#"{{"alg":"{alg}","kid":"asym"}}"#);
            assert_alg_refused(
                verifier.verify_at::<()>(&forge_header(&header), NOW),
                alg,
                bound,
            );
        }
    }
}

#[test]
fn a_missing_or_non_string_alg_is_a_malformed_header() {
    let missing = format!(r#"{{"typ":"JWT","kid":"{KID}"}}"#);
    let result = verify(&forge_header(&missing));
    assert!(
        matches!(&result, Err(VerifyError::Malformed { part: "header", reason }) if reason.contains("alg")),
        "{result:?}"
    );
    for alg in [
        json!(null),
        json!(256),
        json!(true),
        json!(["HS256"]),
        json!({ "name": "HS256" }),
    ] {
        let header = json!({ "alg": alg, "kid": KID }).to_string();
        assert_malformed(verify(&forge_header(&header)), "header");
    }
}

#[test]
fn a_duplicate_alg_or_kid_is_a_malformed_header() {
    for header in [
        format!(r#"{{"alg":"HS256","alg":"none","kid":"{KID}"}}"#),
        format!(r#"{{"alg":"none","alg":"HS256","kid":"{KID}"}}"#),
        format!(r#"{{"alg":"HS256","kid":"{KID}","kid":"other"}}"#),
        format!(r#"{{"alg":"HS256","kid":"{KID}","typ":"JWT","typ":"JWT"}}"#),
    ] {
        assert_malformed(verify(&forge_header(&header)), "header");
    }
}

#[test]
fn a_header_that_is_not_a_json_object_is_malformed() {
    for header in [
        format!(r#"["HS256","{KID}","JWT"]"#),
        r#""HS256""#.to_owned(),
        "null".to_owned(),
        "42".to_owned(),
        String::new(),
        format!(r#"{{"alg":"HS256","kid":"{KID}"}} trailing"#),
    ] {
        assert_malformed(verify(&forge_header(&header)), "header");
    }
}

/// The public key of `key` in every encoding an attacker could use as an
/// HMAC secret: SPKI PEM, SPKI DER, JWK JSON and the raw key bytes.
fn public_key_encodings(key: &PrivateKey) -> Vec<(&'static str, Vec<u8>)> {
    let public = key.public_key();
    let jwk = serde_json::to_value(key.public_jwk()).expect("a JWK serializes");
    // The raw bytes as the JWK holds them: the Ed25519 point, the
    // uncompressed P-256 point (0x04 || x || y), the RSA modulus.
    let member = |name: &str| unb64(jwk[name].as_str().expect("a JWK member"));
    let raw = match public.algorithm() {
        Algorithm::EdDSA => member("x"),
        Algorithm::ES256 => [vec![0x04], member("x"), member("y")].concat(),
        _ => member("n"),
    };
    let (pem, der) = (public.to_public_key_pem(), public.to_public_key_der());
    let pem = pem.expect("PEM encoding");
    vec![
        ("PEM", pem.clone().into_bytes()),
        (
            "PEM without its final newline",
            pem.trim_end().as_bytes().to_vec(),
        ),
        ("DER", der.expect("DER encoding")),
        ("JWK JSON", jwk.to_string().into_bytes()),
        ("raw key bytes", raw),
    ]
}

fn hs256_token_keyed_with(mac_key: &[u8], kid: &str) -> String {
    let header = format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{kid}"}}"#);
    let signing_input = format!("{}.{}", b64(header), b64(claims().to_string()));
    format!("{signing_input}.{}", hs256(mac_key, &signing_input))
}

#[test]
fn hs256_tokens_macd_with_a_public_key_are_refused_by_its_holder() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(alg, "published").expect("key generation");
        let pem = String::from_utf8(public_key_encodings(&key)[0].1.clone()).expect("PEM is text");
        let jwk = serde_json::to_string(&key.public_jwk()).expect("a JWK serializes");
        // Every way of handing the verifier the public key.
        let holders = [
            TokenVerifier::new().with_private_key(&key),
            TokenVerifier::new().with_public_key("published", key.public_key()),
            TokenVerifier::new().with_public_key_pem("published", &pem),
            TokenVerifier::new().with_jwk(&jwk),
            TokenVerifier::from_jwks(&serde_json::to_string(&key.jwks()).expect("JWKS")),
        ];
        for holder in holders {
            let holder = holder.expect("the public key loads");
            for (encoding, mac_key) in public_key_encodings(&key) {
                let token = hs256_token_keyed_with(&mac_key, "published");
                let result = holder.verify_at::<()>(&token, NOW);
                assert!(
                    matches!(&result, Err(VerifyError::AlgorithmNotAllowed { alg: a, expected })
                        if a == "HS256" && *expected == alg),
                    "{alg} key, MAC keyed with its {encoding}: {result:?}"
                );
            }
        }
    }
}

#[test]
fn a_verifier_with_hs256_and_public_keys_never_crosses_them() {
    let key = PrivateKey::generate(Algorithm::ES256, "published").expect("key generation");
    let verifier = TokenVerifier::new()
        .with_api_key(&api_key())
        .and_then(|v| v.with_private_key(&key))
        .expect("two keys");
    for (encoding, mac_key) in public_key_encodings(&key) {
        // Naming the public key: its algorithm is ES256, not HS256.
        let result = verifier.verify_at::<()>(&hs256_token_keyed_with(&mac_key, "published"), NOW);
        assert!(
            matches!(result, Err(VerifyError::AlgorithmNotAllowed { .. })),
            "{encoding}: {result:?}"
        );
        // Naming the API key: the MAC is checked with the API secret only.
        let result = verifier.verify_at::<()>(&hs256_token_keyed_with(&mac_key, KID), NOW);
        assert_eq!(result.err(), Some(VerifyError::BadSignature), "{encoding}");
    }
}

#[test]
fn an_unknown_or_missing_kid_is_refused() {
    let unknown = r#"{"alg":"HS256","typ":"JWT","kid":"someone-else"}"#;
    assert_eq!(
        verify(&forge_header(unknown)).err(),
        Some(VerifyError::UnknownKey {
            kid: Some("someone-else".to_owned())
        })
    );
    for header in [
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"JWT","kid":null}"#,
    ] {
        assert_eq!(
            verify(&forge_header(header)).err(),
            Some(VerifyError::UnknownKey { kid: None }),
            "{header}"
        );
    }
    let empty = r#"{"alg":"HS256","kid":""}"#;
    assert_eq!(
        verify(&forge_header(empty)).err(),
        Some(VerifyError::UnknownKey {
            kid: Some(String::new())
        })
    );
    for kid in [json!(1), json!(["ak_security"]), json!({ "id": KID })] {
        let header = json!({ "alg": "HS256", "kid": kid }).to_string();
        assert_malformed(verify(&forge_header(&header)), "header");
    }
}

#[test]
fn a_token_is_checked_with_the_named_key_only_never_the_others() {
    let first = ApiKey::new("first", "the first secret, at least 32 bytes long").expect("key");
    let second = ApiKey::new("second", "the second secret, also 32 bytes or more").expect("key");
    let verifier = TokenVerifier::new()
        .with_api_key(&first)
        .and_then(|v| v.with_api_key(&second))
        .expect("two keys");
    let token = AccessToken::new(&first, ROOM)
        .to_jwt_at(NOW)
        .expect("token");
    assert!(verifier.verify_at::<()>(&token, NOW).is_ok());

    // The same payload MACed by `first` but naming `second`: no fallback.
    let (_, rest) = token.split_once('.').expect("three segments");
    let header = b64(r#"{"alg":"HS256","typ":"JWT","kid":"second"}"#);
    let (payload, signature) = rest.split_once('.').expect("three segments");
    let renamed = format!("{header}.{payload}.{signature}");
    assert_eq!(
        verifier.verify_at::<()>(&renamed, NOW).err(),
        Some(VerifyError::BadSignature)
    );
    // Without a kid there is no key to try.
    let anonymous = b64(r#"{"alg":"HS256","typ":"JWT"}"#);
    let signing_input = format!("{anonymous}.{payload}");
    let token = format!(
        "{signing_input}.{}",
        hs256(b"the first secret, at least 32 bytes long", &signing_input)
    );
    assert_eq!(
        verifier.verify_at::<()>(&token, NOW).err(),
        Some(VerifyError::UnknownKey { kid: None })
    );
}

#[test]
fn keys_carried_in_the_header_are_never_used() {
    let victim = PrivateKey::generate(Algorithm::EdDSA, "victim").expect("key");
    let attacker = PrivateKey::generate(Algorithm::EdDSA, "attacker").expect("key");
    let verifier = TokenVerifier::new()
        .with_private_key(&victim)
        .expect("one key");
    let attacker_jwk = serde_json::to_value(attacker.public_jwk()).expect("JWK");
    let embedded = json!({
        "jwk": attacker_jwk,
        "jku": "https://attacker.invalid/jwks.json",
        "x5u": "https://attacker.invalid/cert.pem",
        "x5c": ["MIIBszCCAVmgAwIBAgIUAttackerCertificate"],
    });
    let attacker_pem = attacker.to_pkcs8_pem().expect("PEM");
    let (_, attacker_der) = pkcs8::SecretDocument::from_pem(&attacker_pem).expect("PKCS#8 PEM");
    let signing_key = jsonwebtoken::EncodingKey::from_ed_der(attacker_der.as_bytes());
    for kid in [Some("victim"), Some("attacker"), None] {
        let mut header = embedded.clone();
        header["alg"] = json!("EdDSA");
        if let Some(kid) = kid {
            header["kid"] = json!(kid);
        }
        let signing_input = format!("{}.{}", b64(header.to_string()), b64(claims().to_string()));
        let signature = sign_with(&signing_key, jsonwebtoken::Algorithm::EdDSA, &signing_input);
        let result = verifier.verify_at::<()>(&format!("{signing_input}.{signature}"), NOW);
        let expected = match kid {
            Some("victim") => VerifyError::BadSignature,
            other => VerifyError::UnknownKey {
                kid: other.map(str::to_owned),
            },
        };
        assert_eq!(result.err(), Some(expected), "kid {kid:?}");
    }

    // A symmetric `jwk` in the header of an HS256 token is not used either.
    let header = json!({
        "alg": "HS256",
        "kid": KID,
        "jwk": { "kty": "oct", "k": b64("attacker chosen secret of 32 bytes!") },
    });
    let signing_input = format!("{}.{}", b64(header.to_string()), b64(claims().to_string()));
    let token = format!(
        "{signing_input}.{}",
        hs256(b"attacker chosen secret of 32 bytes!", &signing_input)
    );
    assert_eq!(verify(&token).err(), Some(VerifyError::BadSignature));
}

#[test]
fn crit_is_refused_whatever_it_lists() {
    let with_crit = |crit: serde_json::Value| {
        let header =
            json!({ "alg": "HS256", "typ": "JWT", "kid": KID, "crit": crit, "b64": false });
        verify(&forge_header(&header.to_string()))
    };
    assert_crit_refused(with_crit(json!(["b64"])), "does not understand");
    assert_crit_refused(with_crit(json!(["x-custom", "exp"])), "does not understand");
    assert_crit_refused(with_crit(json!([])), "must not be empty");
    for registered in ["alg", "kid", "typ", "jwk", "x5c", "crit"] {
        assert_crit_refused(with_crit(json!([registered])), "registered");
    }
    for not_an_array in [json!("b64"), json!({}), json!(1), json!(null), json!(true)] {
        assert_crit_refused(with_crit(not_an_array), "must be an array");
    }
}

#[test]
fn only_typ_jwt_is_accepted() {
    for typ in ["JWT", "jwt", "Jwt"] {
        let header = format!(r#"{{"alg":"HS256","typ":"{typ}","kid":"{KID}"}}"#);
        assert!(verify(&forge_header(&header)).is_ok(), "{typ}");
    }
    let no_typ = format!(r#"{{"alg":"HS256","kid":"{KID}"}}"#);
    assert!(verify(&forge_header(&no_typ)).is_ok());
    for typ in [
        json!("at+jwt"),
        json!("JWS"),
        json!("JOSE"),
        json!(""),
        json!(1),
        json!(["JWT"]),
    ] {
        let header = json!({ "alg": "HS256", "typ": typ, "kid": KID }).to_string();
        assert_malformed(verify(&forge_header(&header)), "header");
    }
}

#[test]
fn every_check_of_the_header_comes_before_the_signature() {
    // With a signature of garbage, the header's fault is the one reported.
    let garbage = b64([0u8; 32]);
    let cases = [
        (
            r#"{"alg":"none","kid":"ak_security"}"#,
            "AlgorithmNotAllowed",
        ),
        (r#"{"alg":"HS256","kid":"nobody"}"#, "UnknownKey"),
        (
            r#"{"alg":"HS256","kid":"ak_security","crit":["b64"]}"#,
            "CriticalHeader",
        ),
    ];
    for (header, variant) in cases {
        let token = format!("{}.{}.{garbage}", b64(header), b64(claims().to_string()));
        let error = verify(&token).expect_err("refused");
        assert!(
            format!("{error:?}").starts_with(variant),
            "{header}: {error:?}"
        );
    }
}

#[test]
fn typ_null_is_refused_like_crit_null() {
    // `null` is a `typ` that is not a string, not an absent `typ`.
    let header = format!(r#"{{"alg":"HS256","typ":null,"kid":"{KID}"}}"#);
    let error = verify(&forge_header(&header)).expect_err("typ null is refused");
    assert_eq!(
        error.to_string(),
        "malformed token header: invalid type: null, expected a string at line 1 column 25"
    );
    let crit = format!(r#"{{"alg":"HS256","crit":null,"kid":"{KID}"}}"#);
    assert!(matches!(
        verify(&forge_header(&crit)),
        Err(VerifyError::CriticalHeader { .. })
    ));
}
