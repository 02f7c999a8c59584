//! The clock: `exp` and `iat` required, `exp` expired on or after its value
//! (RFC 7519 section 4.1.4), `nbf` (section 4.1.5) and `iat` (section 4.1.6)
//! not past now plus the leeway, integer seconds only (section 2,
//! "NumericDate", read as a `u64`), and a bounded lifetime (RFC 8725
//! section 3.10's advice to keep tokens short-lived, made a rule).

use std::time::Duration;

use huddle_auth::{TokenVerifier, VerifyError, DEFAULT_MAX_LIFETIME};
use huddle_auth_tests::fixtures::*;
use serde_json::{json, Value};

fn with_times(iat: u64, nbf: Option<u64>, exp: u64) -> String {
    let mut claims = claims();
    claims["iat"] = json!(iat);
    claims["exp"] = json!(exp);
    match nbf {
        Some(nbf) => claims["nbf"] = json!(nbf),
        None => {
            claims.as_object_mut().expect("an object").remove("nbf");
        }
    }
    forge_claims(&claims)
}

fn strict() -> TokenVerifier {
    verifier().leeway(Duration::ZERO)
}

#[test]
fn exp_and_iat_are_required() {
    for claim in ["exp", "iat"] {
        assert_invalid_claim(verify(&forge_claims(&claims_without(&[claim]))), claim);
    }
    assert!(
        verify(&with_times(NOW, None, NOW + 60)).is_ok(),
        "nbf is optional"
    );
}

#[test]
fn times_are_unsigned_integer_seconds() {
    for claim in ["exp", "iat", "nbf"] {
        for wrong in [
            Value::Null,
            json!("1750003600"),
            json!(-1),
            json!(i64::MIN),
            json!(1.5),
            json!(1_750_003_600.5),
            json!(1e30),
            json!(true),
            json!([1_750_003_600_u64]),
            json!({ "seconds": 1_750_003_600_u64 }),
        ] {
            assert_invalid_claim(
                verify(&forge_claims(&claims_with(&[claim], wrong.clone()))),
                claim,
            );
        }
        // Numbers JSON can write but a u64 cannot hold, spelled out so that no
        // JSON library rounds them first.
        for text in [
            "18446744073709551616",
            "1e400",
            "-0.5",
            "1750003600.0",
            "1.7500036e9",
        ] {
            let payload = claims_with(&[claim], json!("@@"))
                .to_string()
                .replacen("\"@@\"", text, 1);
            let result = verify(&forge_payload(&payload));
            assert!(
                matches!(&result, Err(VerifyError::InvalidClaims { field, .. }) if field == claim)
                    || matches!(
                        &result,
                        Err(VerifyError::Malformed {
                            part: "payload",
                            ..
                        })
                    ),
                "{claim} = {text}: {result:?}"
            );
        }
    }
}

#[test]
fn exp_equal_to_now_is_expired_without_leeway() {
    let token = with_times(NOW - 60, None, NOW);
    assert_eq!(
        strict().verify_at::<Value>(&token, NOW).err(),
        Some(VerifyError::Expired { exp: NOW, now: NOW })
    );
    assert!(strict().verify_at::<Value>(&token, NOW - 1).is_ok());
}

#[test]
fn the_leeway_extends_exp_by_exactly_its_length() {
    // Default leeway 30 s: expired from exp + 30 on.
    let token = with_times(NOW - 600, None, NOW - 30);
    assert_eq!(
        verify(&token).err(),
        Some(VerifyError::Expired {
            exp: NOW - 30,
            now: NOW
        })
    );
    let token = with_times(NOW - 600, None, NOW - 29);
    assert!(verify(&token).is_ok());
    // A leeway of u64::MAX seconds cannot overflow into acceptance of garbage.
    let lax = verifier().leeway(Duration::from_secs(u64::MAX));
    let token = with_times(NOW - 600, None, NOW - 500);
    assert!(lax.verify_at::<Value>(&token, NOW).is_ok());
    assert!(matches!(
        lax.verify_at::<Value>(&token, u64::MAX),
        Err(VerifyError::Expired { .. })
    ));
}

#[test]
fn nbf_past_now_plus_leeway_is_not_yet_valid() {
    let token = with_times(NOW, Some(NOW + 31), NOW + 600);
    assert_eq!(
        verify(&token).err(),
        Some(VerifyError::NotYetValid {
            nbf: NOW + 31,
            now: NOW
        })
    );
    assert!(verify(&with_times(NOW, Some(NOW + 30), NOW + 600)).is_ok());
    assert_eq!(
        strict()
            .verify_at::<Value>(&with_times(NOW, Some(NOW + 1), NOW + 600), NOW)
            .err(),
        Some(VerifyError::NotYetValid {
            nbf: NOW + 1,
            now: NOW
        })
    );
    let far = with_times(NOW, Some(u64::MAX), NOW + 600);
    assert!(matches!(verify(&far), Err(VerifyError::NotYetValid { .. })));
}

#[test]
fn iat_past_now_plus_leeway_is_refused() {
    let token = with_times(NOW + 31, None, NOW + 600);
    assert_eq!(
        verify(&token).err(),
        Some(VerifyError::IssuedInFuture {
            iat: NOW + 31,
            now: NOW
        })
    );
    assert!(verify(&with_times(NOW + 30, None, NOW + 600)).is_ok());
    assert_eq!(
        strict()
            .verify_at::<Value>(&with_times(NOW + 1, None, NOW + 600), NOW)
            .err(),
        Some(VerifyError::IssuedInFuture {
            iat: NOW + 1,
            now: NOW
        })
    );
}

#[test]
fn exp_must_come_after_iat() {
    for (iat, exp) in [(NOW, NOW), (NOW + 10, NOW + 5)] {
        assert_invalid_claim(verify(&with_times(iat, None, exp)), "exp");
    }
}

#[test]
fn the_lifetime_is_bounded_and_configurable() {
    let max = DEFAULT_MAX_LIFETIME.as_secs();
    assert!(verify(&with_times(NOW, None, NOW + max)).is_ok());
    assert_eq!(
        verify(&with_times(NOW, None, NOW + max + 1)).err(),
        Some(VerifyError::LifetimeTooLong {
            lifetime: max + 1,
            max
        })
    );
    // The largest exp there is: refused by default.
    assert_eq!(
        verify(&with_times(NOW, None, u64::MAX)).err(),
        Some(VerifyError::LifetimeTooLong {
            lifetime: u64::MAX - NOW,
            max
        })
    );
    let hour = verifier().max_lifetime(Some(Duration::from_secs(3600)));
    assert!(hour
        .verify_at::<Value>(&with_times(NOW, None, NOW + 3600), NOW)
        .is_ok());
    assert_eq!(
        hour.verify_at::<Value>(&with_times(NOW, None, NOW + 3601), NOW)
            .err(),
        Some(VerifyError::LifetimeTooLong {
            lifetime: 3601,
            max: 3600
        })
    );
    let unbounded = verifier().max_lifetime(None);
    assert!(unbounded
        .verify_at::<Value>(&with_times(NOW, None, u64::MAX), NOW)
        .is_ok());
}

#[test]
fn time_checks_come_after_the_signature() {
    let token = with_times(0, Some(u64::MAX), 1);
    let (signed, _) = token.rsplit_once('.').expect("three segments");
    let tampered = format!("{signed}.{}", b64([7u8; 32]));
    assert_eq!(verify(&tampered).err(), Some(VerifyError::BadSignature));
}

#[test]
fn the_default_maximum_lifetime_is_thirty_days() {
    // Written out, not read from `DEFAULT_MAX_LIFETIME`: this pins the value.
    let thirty_days = 30 * 24 * 60 * 60;
    let default = TokenVerifier::new().with_api_key(&api_key()).expect("key");
    assert!(default
        .verify_at::<Value>(&with_times(NOW, None, NOW + thirty_days), NOW)
        .is_ok());
    assert_eq!(
        default
            .verify_at::<Value>(&with_times(NOW, None, NOW + thirty_days + 1), NOW)
            .err(),
        Some(VerifyError::LifetimeTooLong {
            lifetime: 2_592_001,
            max: 2_592_000
        })
    );
}

#[test]
fn a_29_day_token_minted_by_default_passes_the_default_verifier() {
    let key = api_key();
    let token = huddle_auth::AccessToken::new(&key, ROOM)
        .ttl("29d")
        .to_jwt_at(NOW)
        .expect("29 days is within the default limit");
    let default = TokenVerifier::new().with_api_key(&key).expect("key");
    let claims = default
        .verify_at::<Value>(&token, NOW + 28 * 86_400)
        .expect("a 29-day token verifies");
    assert_eq!(claims.expires_at() - claims.issued_at(), 29 * 86_400);
}

#[test]
fn sub_second_limits_round_up_instead_of_truncating() {
    // 999 ms was once 0 s and refused every token.
    let max = verifier().max_lifetime(Some(Duration::from_millis(999)));
    assert!(max
        .verify_at::<Value>(&with_times(NOW, None, NOW + 1), NOW)
        .is_ok());
    assert!(max
        .verify_at::<Value>(&with_times(NOW, None, NOW + 2), NOW)
        .is_err());
    // 1.5 s of leeway is 2 s, not 1 s.
    let lax = verifier().leeway(Duration::from_millis(1500));
    let token = with_times(NOW, None, NOW + 1);
    assert!(lax.verify_at::<Value>(&token, NOW + 2).is_ok());
    assert!(matches!(
        lax.verify_at::<Value>(&token, NOW + 3),
        Err(VerifyError::Expired { .. })
    ));
}

#[test]
fn expired_and_not_yet_valid_show_rfc3339_times_and_how_far() {
    let expired = strict()
        .verify_at::<Value>(&with_times(NOW - 3600, None, NOW), NOW + 3723)
        .expect_err("expired");
    assert_eq!(
        expired,
        VerifyError::Expired {
            exp: NOW,
            now: NOW + 3723
        }
    );
    assert_eq!(
        expired.to_string(),
        "token expired at 2025-06-15T15:06:40Z (1h 2m 3s ago)"
    );
    let early = strict()
        .verify_at::<Value>(&with_times(NOW - 60, Some(NOW + 600), NOW + 3600), NOW)
        .expect_err("not yet valid");
    assert_eq!(
        early.to_string(),
        "token not valid before 2025-06-15T15:16:40Z (10m from now)"
    );
}

#[test]
fn has_key_answers_for_held_kids_only() {
    let verifier = verifier();
    assert!(verifier.has_key(KID));
    assert!(!verifier.has_key("ak_other"));
    assert!(!verifier.has_key(""));
    assert!(!TokenVerifier::new().has_key(KID));
}
