//! Every verify error variant, reached on purpose; tokens of every
//! asymmetric algorithm through a JWKS and PEM keys; and key errors that
//! name the problem.

use huddle_auth::{
    AccessToken, Algorithm, ApiKey, KeyError, PermissionsPatch, PrivateKey, Role, TokenVerifier,
    VerifyError,
};
use huddle_auth_tests::fixtures::{
    api_key, b64, bare_claims, encode_with_jsonwebtoken, forge_claims, header_json, payload_json,
    stranger, verifier, KID, NOW, ROOM, SECRET, STRANGER_KID,
};
use serde_json::json;

#[test]
fn every_verify_error_variant_is_reachable() {
    let key = api_key();
    let verifier = verifier();
    let token = AccessToken::new(&key, ROOM)
        .role(Role::Host)
        .to_jwt_at(NOW)
        .expect("mints");

    let huge = "a".repeat(huddle_auth::MAX_TOKEN_BYTES + 1);
    assert!(matches!(
        verifier.verify_at::<()>(&huge, NOW),
        Err(VerifyError::TooLarge { .. })
    ));
    assert!(matches!(
        verifier.verify_at::<()>("only.two", NOW),
        Err(VerifyError::Malformed { part: "token", .. })
    ));

    let unknown = AccessToken::new(&stranger(), ROOM)
        .to_jwt_at(NOW)
        .expect("mints");
    assert_eq!(
        verifier.verify_at::<()>(&unknown, NOW),
        Err(VerifyError::UnknownKey {
            kid: Some(STRANGER_KID.to_owned())
        })
    );

    let hs512 = encode_with_jsonwebtoken(jsonwebtoken::Algorithm::HS512, &bare_claims());
    assert_eq!(
        verifier.verify_at::<()>(&hs512, NOW),
        Err(VerifyError::AlgorithmNotAllowed {
            alg: "HS512".to_owned(),
            expected: Algorithm::HS256
        })
    );

    let crit_header = b64(format!(
        r#"{{"alg":"HS256","typ":"JWT","kid":"{KID}","crit":["exp2"],"exp2":1}}"#
    ));
    let rest = token.split_once('.').expect("segments").1;
    assert!(matches!(
        verifier.verify_at::<()>(&format!("{crit_header}.{rest}"), NOW),
        Err(VerifyError::CriticalHeader { .. })
    ));

    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'Q' } else { 'A' });
    assert_eq!(
        verifier.verify_at::<()>(&tampered, NOW),
        Err(VerifyError::BadSignature)
    );
    // The signature is checked before the expiry.
    assert_eq!(
        verifier.verify_at::<()>(&tampered, NOW + 10 * 86_400),
        Err(VerifyError::BadSignature)
    );

    assert!(matches!(
        verifier
            .clone()
            .require_room("another")
            .verify_at::<()>(&token, NOW),
        Err(VerifyError::WrongRoom { .. })
    ));

    let mut no_room = bare_claims();
    no_room.as_object_mut().expect("object").remove("roomId");
    let no_room = forge_claims(&no_room);
    assert!(matches!(
        verifier.verify_at::<()>(&no_room, NOW),
        Err(VerifyError::InvalidClaims { field, .. }) if field == "roomId"
    ));

    let claims = verifier.verify_at::<()>(&token, NOW).expect("verifies");
    assert_eq!(
        claims
            .clone()
            .narrow::<huddle_auth::roles::Speaker>()
            .err()
            .map(VerifyError::from),
        Some(VerifyError::RoleMismatch {
            expected: "speaker",
            found: Some("host".to_owned())
        })
    );
    let boosted = AccessToken::new(&key, ROOM)
        .role(Role::Listener)
        .permissions(PermissionsPatch {
            admin: Some(true),
            ..PermissionsPatch::default()
        })
        .to_jwt_at(NOW)
        .expect("mints");
    let boosted = verifier.verify_at::<()>(&boosted, NOW).expect("verifies");
    assert_eq!(
        boosted
            .narrow::<huddle_auth::roles::Listener>()
            .err()
            .map(VerifyError::from),
        Some(VerifyError::PermissionMismatch {
            role: "listener",
            field: "admin".to_owned(),
            found: true,
            expected: false,
        })
    );
    assert!(claims.narrow::<huddle_auth::roles::Host>().is_ok());

    // Messages read as sentences, not as Rust debug output.
    let mismatch = VerifyError::RoleMismatch {
        expected: "speaker",
        found: Some("host".to_owned()),
    };
    assert_eq!(
        mismatch.to_string(),
        "role: token has role \"host\", expected \"speaker\""
    );
    let no_kid = VerifyError::UnknownKey { kid: None };
    assert_eq!(no_kid.to_string(), "the header has no key id (kid)");
}

#[test]
fn asymmetric_algorithms_round_trip_through_jwks() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(alg, format!("kid-{alg}")).expect("generates");
        assert_eq!(key.algorithm(), alg);
        let token = AccessToken::new(&key, ROOM)
            .role(Role::Speaker)
            .to_jwt_at(NOW)
            .expect("mints");
        assert_eq!(
            header_json(&token),
            json!({"alg": alg.as_str(), "typ": "JWT", "kid": format!("kid-{alg}")})
        );
        assert_eq!(
            payload_json(&token)["projectId"],
            json!(format!("kid-{alg}"))
        );

        let jwks = serde_json::to_string(&key.jwks()).expect("JWKS serializes");
        let verifier = TokenVerifier::from_jwks(&jwks).expect("JWKS loads");
        let verified = verifier.verify_at::<()>(&token, NOW).expect("verifies");
        assert_eq!(verified.role(), Some("speaker"));

        // The PEM round trip gives the same key.
        let pem = key.to_pkcs8_pem().expect("exports");
        let again = PrivateKey::from_pkcs8_pem(format!("kid-{alg}"), &pem).expect("imports");
        let token = AccessToken::new(&again, ROOM)
            .to_jwt_at(NOW)
            .expect("mints");
        assert!(verifier.verify_at::<()>(&token, NOW).is_ok());

        // A key of the same algorithm but another kid's material is refused.
        let stranger = PrivateKey::generate(alg, format!("kid-{alg}")).expect("generates");
        let forged = AccessToken::new(&stranger, ROOM)
            .to_jwt_at(NOW)
            .expect("mints");
        assert_eq!(
            verifier.verify_at::<()>(&forged, NOW),
            Err(VerifyError::BadSignature)
        );
    }
}

#[test]
fn public_pem_keys_verify() {
    let key = PrivateKey::generate(Algorithm::ES256, "es").expect("generates");
    let jwk = serde_json::to_string(&key.public_jwk()).expect("serializes");
    let verifier = TokenVerifier::new().with_jwk(&jwk).expect("loads");
    let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("mints");
    assert!(verifier.verify_at::<()>(&token, NOW).is_ok());
    let also = TokenVerifier::new().with_private_key(&key).expect("loads");
    assert!(also.verify_at::<()>(&token, NOW).is_ok());
}

#[test]
fn key_errors_name_the_problem() {
    assert_eq!(
        ApiKey::new("ak", "short").expect_err("short"),
        KeyError::SecretTooShort { bytes: 5 }
    );
    assert_eq!(
        ApiKey::new("", SECRET).expect_err("empty id"),
        KeyError::EmptyKeyId
    );
    assert!(matches!(
        PrivateKey::from_pkcs8_pem("k", "not a pem"),
        Err(KeyError::Encoding { .. })
    ));
    assert!(matches!(
        PrivateKey::generate(Algorithm::HS256, "k"),
        Err(KeyError::Unsupported { .. })
    ));
    let key = api_key();
    assert_eq!(
        TokenVerifier::new()
            .with_api_key(&key)
            .and_then(|v| v.with_api_key(&key))
            .expect_err("twice"),
        KeyError::DuplicateKeyId {
            kid: KID.to_owned()
        }
    );
}
