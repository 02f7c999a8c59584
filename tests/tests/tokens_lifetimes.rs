//! Lifetimes and the clock: every TTL form, the time checks of `exp`,
//! `nbf` and `iat`, and the verifier's longest lifetime.

use std::time::Duration;

use huddle_auth::{AccessToken, TokenVerifier, Ttl, VerifyError};
use huddle_auth_tests::fixtures::{
    api_key, bare_claims, forge_claims, mint_error, payload_json, verifier, NOW, ROOM,
};
use serde_json::json;

#[test]
fn every_ttl_form() {
    let key = api_key();
    let cases: Vec<(Ttl, u64)> = vec![
        (90u64.into(), 90),
        (Duration::from_secs(120).into(), 120),
        (Duration::from_millis(61_500).into(), 61),
        ("4h".into(), 4 * 3600),
        ("10h".into(), 10 * 3600),
        ("7d".into(), 7 * 86_400),
        ("2 days".into(), 2 * 86_400),
        ("90m".into(), 90 * 60),
        ("3600".into(), 3600),
        (String::from("1h 30m").into(), 5400),
        (Ttl::default(), 4 * 3600),
    ];
    for (ttl, seconds) in cases {
        let token = AccessToken::new(&key, ROOM)
            .ttl(ttl.clone())
            .to_jwt_at(NOW)
            .expect("mints");
        let claims = payload_json(&token);
        assert_eq!(claims["exp"], json!(NOW + seconds), "{ttl:?}");
        assert_eq!(claims["iat"], json!(NOW));
        assert_eq!(claims["nbf"], json!(NOW));
    }
    let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("mints");
    assert_eq!(payload_json(&token)["exp"], json!(NOW + 4 * 3600));
}

#[test]
fn time_checks() {
    let verifier = verifier();
    let key = api_key();
    let token = AccessToken::new(&key, ROOM)
        .ttl(60)
        .to_jwt_at(NOW)
        .expect("mints");
    assert!(
        verifier.verify_at::<()>(&token, NOW + 60 + 29).is_ok(),
        "within leeway"
    );
    assert_eq!(
        verifier.verify_at::<()>(&token, NOW + 60 + 30),
        Err(VerifyError::Expired {
            exp: NOW + 60,
            now: NOW + 90
        })
    );
    let strict = verifier.clone().leeway(Duration::ZERO);
    assert!(matches!(
        strict.verify_at::<()>(&token, NOW + 60),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        strict.verify_at::<()>(&token, NOW - 1),
        Err(VerifyError::NotYetValid { .. })
    ));
    let mut issued_later = bare_claims();
    issued_later["iat"] = json!(NOW + 100);
    issued_later.as_object_mut().expect("object").remove("nbf");
    assert_eq!(
        verifier.verify_at::<()>(&forge_claims(&issued_later), NOW),
        Err(VerifyError::IssuedInFuture {
            iat: NOW + 100,
            now: NOW
        })
    );

    let mut future = bare_claims();
    future["nbf"] = json!(NOW + 100);
    assert_eq!(
        verifier.verify_at::<()>(&forge_claims(&future), NOW),
        Err(VerifyError::NotYetValid {
            nbf: NOW + 100,
            now: NOW
        })
    );

    let mut long = bare_claims();
    long["exp"] = json!(NOW + 31 * 86_400);
    let long = forge_claims(&long);
    assert!(matches!(
        verifier.verify_at::<()>(&long, NOW),
        Err(VerifyError::LifetimeTooLong { .. })
    ));
    assert!(verifier
        .clone()
        .max_lifetime(None)
        .verify_at::<()>(&long, NOW)
        .is_ok());

    for missing in ["exp", "iat"] {
        let mut claims = bare_claims();
        claims.as_object_mut().expect("object").remove(missing);
        let error = verifier
            .verify_at::<()>(&forge_claims(&claims), NOW)
            .expect_err(missing);
        assert!(
            matches!(&error, VerifyError::InvalidClaims { field, .. } if field == missing),
            "{error:?}"
        );
    }
}

#[test]
fn a_ttl_over_the_default_verifier_lifetime_is_refused_unless_raised() {
    let key = api_key();
    let thirty_days = 30 * 86_400;
    for ttl in [
        Ttl::from("31d"),
        Ttl::from("1y"),
        Ttl::from(thirty_days + 1),
    ] {
        let error = mint_error(AccessToken::new(&key, ROOM).ttl(ttl.clone()));
        assert_eq!(error.field(), Some("ttl"), "{ttl:?}");
        assert!(
            error
                .to_string()
                .contains("over the maximum lifetime of 2592000 s"),
            "{error}"
        );
    }
    // Exactly 30 days mints and verifies with the default verifier.
    let verifier = TokenVerifier::new().with_api_key(&key).expect("key");
    let token = AccessToken::new(&key, ROOM)
        .ttl(thirty_days)
        .to_jwt()
        .expect("mints");
    verifier
        .verify_with_metadata::<()>(&token)
        .expect("30 days verifies");
    // Raised explicitly on both sides, a year mints and verifies.
    let year = Duration::from_secs(365 * 86_400);
    let token = AccessToken::new(&key, ROOM)
        .max_lifetime(Some(year))
        .ttl("365d")
        .to_jwt()
        .expect("mints with the raised limit");
    assert!(matches!(
        verifier.verify_with_metadata::<()>(&token),
        Err(VerifyError::LifetimeTooLong { .. })
    ));
    let raised = TokenVerifier::new()
        .with_api_key(&key)
        .expect("key")
        .max_lifetime(Some(year));
    raised
        .verify_with_metadata::<()>(&token)
        .expect("verifies with the raised limit");
}
