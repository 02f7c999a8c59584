//! Minting and verifying: round trips, the exact wire format, every TTL form,
//! each rule broken at mint time and at verify time, and every error variant.

use std::collections::HashSet;
use std::time::Duration;

use huddle_auth::{
    AccessToken, Algorithm, ApiKey, CustomRole, KeyError, MintError, Permissions, PermissionsPatch,
    PrivateKey, ProduceSources, Role, RuleViolation, Source, SourcesPatch, TokenVerifier, Ttl,
    VerifyError,
};
use huddle_auth_tests::fixtures::{
    api_key, b64, claims_with, claims_without, encode_with_jsonwebtoken, forge_claims, header_json,
    now, payload_json, stranger, verifier, KID, NOW, ROOM, SECRET, STRANGER_KID,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The suite's valid claims without `metadata`, so that they read as
/// `Claims<()>`.
fn bare_claims() -> Value {
    claims_without(&["metadata"])
}

#[test]
fn every_predefined_role_round_trips() {
    let key = api_key();
    for role in Role::ALL {
        let token = AccessToken::new(&key, ROOM)
            .role(role)
            .to_jwt_at(NOW)
            .expect("mints");
        let claims = verifier()
            .verify_at::<Value>(&token, NOW)
            .expect("verifies");
        assert_eq!(claims.role(), Some(role.as_str()));
        assert_eq!(claims.predefined_role(), Some(role));
        assert_eq!(claims.permissions(), &role.permissions());
        assert_eq!(claims.room_id(), ROOM);
    }
}

#[test]
fn header_and_claims_follow_the_wire_format() {
    let key = api_key();
    let token = AccessToken::new(&key, ROOM)
        .role(Role::Host)
        .metadata(&json!({"walletAddress": "mizanxali.eth"}))
        .display_name("Mizan")
        .max_peers_allowed(10)
        .peer_id("peer_fixed")
        .ttl(600)
        .to_jwt_at(NOW)
        .expect("mints");
    assert_eq!(
        header_json(&token),
        json!({"alg": "HS256", "typ": "JWT", "kid": KID})
    );
    let claims = payload_json(&token);
    let jti = claims["jti"].as_str().expect("a jti").to_owned();
    assert!(!jti.is_empty());
    assert_eq!(
        claims,
        json!({
            "roomId": ROOM,
            "peerId": "peer_fixed",
            "projectId": KID,
            "role": "host",
            "permissions": {
                "admin": true, "canConsume": true, "canProduce": true,
                "canProduceSources": {"cam": true, "mic": true, "screen": true},
                "canSendData": true, "canRecvData": true, "canUpdateMetadata": true
            },
            "metadata": "{\"walletAddress\":\"mizanxali.eth\"}",
            "displayName": "Mizan",
            "options": {"maxPeersAllowed": 10},
            "iat": NOW, "nbf": NOW, "exp": NOW + 600,
            "jti": jti,
        })
    );
}

#[test]
fn unset_claims_are_omitted_and_ids_are_fresh() {
    let key = api_key();
    let mut peers = HashSet::new();
    let mut jtis = HashSet::new();
    for _ in 0..50 {
        let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("mints");
        let claims = payload_json(&token);
        let object = claims.as_object().expect("an object");
        for absent in ["role", "metadata", "displayName", "options"] {
            assert!(!object.contains_key(absent), "{absent} must be omitted");
        }
        assert_eq!(claims["permissions"], json!(Permissions::DEFAULT));
        let peer = claims["peerId"].as_str().expect("a peer id");
        assert!(peer.starts_with("peer_"), "{peer}");
        assert!(peers.insert(peer.to_owned()), "peer ids are unique");
        assert!(jtis.insert(claims["jti"].as_str().expect("jti").to_owned()));
    }
}

#[test]
fn custom_roles_and_overrides_round_trip() {
    let key = api_key();
    let moderator = CustomRole::new(
        "moderator",
        Permissions {
            admin: true,
            can_produce_sources: ProduceSources::ALL.with(Source::Cam, false),
            ..Permissions::DEFAULT
        },
    )
    .expect("a valid custom role");
    let token = AccessToken::new(&key, ROOM)
        .role(moderator.clone())
        .permissions(PermissionsPatch {
            can_update_metadata: Some(false),
            ..PermissionsPatch::default()
        })
        .to_jwt_at(NOW)
        .expect("mints");
    let claims = verifier()
        .verify_at::<Value>(&token, NOW)
        .expect("verifies");
    assert_eq!(claims.role(), Some("moderator"));
    assert_eq!(claims.predefined_role(), None);
    let expected = Permissions {
        can_update_metadata: false,
        ..moderator.permissions()
    };
    assert_eq!(claims.permissions(), &expected);
    assert!(claims.is_admin());
    assert!(!claims.may_produce("video"));
    assert!(claims.may_produce("audio"));
    assert!(claims.may_assign_role("speaker"));
    assert!(!claims.may_assign_role("host"));
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wallet {
    wallet_address: String,
}

#[test]
fn typed_metadata_round_trips() {
    let key = api_key();
    let wallet = Wallet {
        wallet_address: "mizanxali.eth".to_owned(),
    };
    let token = AccessToken::new(&key, ROOM)
        .metadata(&wallet)
        .to_jwt_at(NOW)
        .expect("mints");
    let claims = verifier()
        .verify_at::<Wallet>(&token, NOW)
        .expect("verifies");
    assert_eq!(claims.metadata(), Some(&wallet));
    assert_eq!(
        claims.metadata_json(),
        Some("{\"walletAddress\":\"mizanxali.eth\"}")
    );

    let error = verifier()
        .verify_at::<u32>(&token, NOW)
        .expect_err("metadata of another type");
    assert!(
        matches!(&error, VerifyError::InvalidClaims { field, .. } if field == "metadata"),
        "{error:?}"
    );
}

#[test]
fn host_may_assign_host_and_co_host_may_not() {
    let key = api_key();
    let host = AccessToken::new(&key, ROOM)
        .role(Role::Host)
        .to_jwt_at(NOW)
        .expect("mints");
    let co_host = AccessToken::new(&key, ROOM)
        .role(Role::CoHost)
        .to_jwt_at(NOW)
        .expect("mints");
    let host = verifier().verify_at::<()>(&host, NOW).expect("verifies");
    let co_host = verifier().verify_at::<()>(&co_host, NOW).expect("verifies");
    assert!(host.may_assign_role("host"));
    assert!(!co_host.may_assign_role("host"));
    assert!(co_host.may_assign_role("listener"));
}

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

fn mint_error(token: AccessToken<'_>) -> MintError {
    token.to_jwt_at(NOW).expect_err("must be refused")
}

#[test]
fn each_rule_broken_at_mint_time_names_the_field() {
    let key = api_key();
    let cases: Vec<(AccessToken<'_>, &str, u8)> = vec![
        (
            AccessToken::new(&key, ROOM)
                .role(Role::Speaker)
                .permissions(PermissionsPatch {
                    can_produce: Some(false),
                    ..PermissionsPatch::default()
                }),
            "permissions.canProduceSources.mic",
            1,
        ),
        (
            AccessToken::new(&key, ROOM)
                .role(Role::Guest)
                .permissions(PermissionsPatch {
                    can_produce_sources: SourcesPatch {
                        cam: Some(false),
                        mic: Some(false),
                        screen: Some(false),
                    },
                    ..PermissionsPatch::default()
                }),
            "permissions.canProduce",
            2,
        ),
        (
            AccessToken::new(&key, ROOM).metadata(&"x".repeat(5200)),
            "metadata",
            4,
        ),
        (
            AccessToken::new(&key, ROOM).max_peers_allowed(0),
            "options.maxPeersAllowed",
            5,
        ),
        (AccessToken::new(&key, ROOM).ttl(0), "ttl", 6),
        (AccessToken::new(&key, ROOM).ttl("0s"), "ttl", 6),
    ];
    for (token, field, rule) in cases {
        let error = mint_error(token);
        assert_eq!(error.field(), Some(field), "{error}");
        match &error {
            MintError::Rule(violation) => assert_eq!(violation.rule(), rule, "{error}"),
            other => panic!("expected a rule violation, got {other:?}"),
        }
        assert!(error.to_string().starts_with(field), "{error}");
    }
}

#[test]
fn rule_messages_name_the_field_once() {
    let key = api_key();
    for (token, message) in [
        (
            AccessToken::new(&key, ROOM).max_peers_allowed(0),
            "options.maxPeersAllowed: must be a positive integer",
        ),
        (
            AccessToken::new(&key, ROOM).metadata(&"x".repeat(5200)),
            "metadata: 5202 bytes of JSON, over the limit of 5120",
        ),
        (AccessToken::new(&key, ROOM).ttl(0), "ttl: must be positive"),
        (AccessToken::new(&key, ""), "roomId: must not be empty"),
        (
            AccessToken::new(&key, ROOM).permissions(PermissionsPatch {
                can_produce: Some(false),
                can_produce_sources: SourcesPatch {
                    cam: Some(true),
                    ..SourcesPatch::default()
                },
                ..PermissionsPatch::default()
            }),
            "permissions.canProduceSources.cam: is true while `canProduce` is false; \
             set `canProduce: true` or `cam: false`",
        ),
        (
            AccessToken::new(&key, ROOM).role(Role::Listener).permissions(PermissionsPatch {
                can_produce: Some(true),
                ..PermissionsPatch::default()
            }),
            "permissions.canProduce: is true but every source in `canProduceSources` is false, \
             so nothing can be published; allow `cam`, `mic` or `screen`, or set `canProduce: false`",
        ),
    ] {
        assert_eq!(mint_error(token).to_string(), message);
    }
}

#[test]
fn bad_inputs_at_mint_time_name_the_field() {
    let key = api_key();
    let error = mint_error(AccessToken::new(&key, ""));
    assert_eq!(error.field(), Some("roomId"));
    let error = mint_error(AccessToken::new(&key, ROOM).peer_id(""));
    assert_eq!(error.field(), Some("peerId"));
    for ttl in ["soon", "-1h", "4 fortnights", ""] {
        let error = mint_error(AccessToken::new(&key, ROOM).ttl(ttl));
        assert_eq!(error.field(), Some("ttl"), "{ttl:?}: {error}");
    }
    let error = mint_error(AccessToken::new(&key, ROOM).ttl(-5));
    assert_eq!(error.field(), Some("ttl"));
    let error = mint_error(AccessToken::new(&key, ROOM).ttl(u64::MAX));
    assert_eq!(error.field(), Some("ttl"));

    // A map with non-string keys cannot be JSON.
    let unserializable: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
    let error = mint_error(AccessToken::new(&key, ROOM).metadata(&unserializable));
    assert_eq!(error.field(), Some("metadata"));
}

#[test]
fn metadata_limit_is_5120_bytes_of_json() {
    let key = api_key();
    // A JSON string of n characters is n + 2 bytes with its quotes.
    let at_limit = "m".repeat(5118);
    AccessToken::new(&key, ROOM)
        .metadata(&at_limit)
        .to_jwt_at(NOW)
        .expect("5120 bytes is allowed");
    let over = "m".repeat(5119);
    let error = mint_error(AccessToken::new(&key, ROOM).metadata(&over));
    assert_eq!(
        error,
        MintError::Rule(RuleViolation::MetadataTooLarge { bytes: 5121 })
    );
}

#[test]
fn each_rule_broken_at_verify_time_is_refused() {
    // The suite's claims are a speaker's: `mic` is its first source.
    let rule_1 = claims_with(&["permissions", "canProduce"], json!(false));
    let rule_2 = claims_with(
        &["permissions", "canProduceSources"],
        json!({"cam": false, "mic": false, "screen": false}),
    );
    let rule_3 = claims_with(&["role"], json!("Host"));
    let rule_4 = claims_with(&["metadata"], json!(format!("\"{}\"", "m".repeat(5119))));
    let rule_5 = claims_with(&["options"], json!({"maxPeersAllowed": 0}));
    let cases = [
        (rule_1, "permissions.canProduceSources.mic"),
        (rule_2, "permissions.canProduce"),
        (rule_3, "role"),
        (rule_4, "metadata"),
        (rule_5, "options.maxPeersAllowed"),
    ];
    for (claims, expected) in cases {
        let error = verifier()
            .verify_at::<Value>(&forge_claims(&claims), NOW)
            .expect_err(expected);
        assert!(
            matches!(&error, VerifyError::InvalidClaims { field, .. } if field == expected),
            "{expected}: {error:?}"
        );
    }
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

/// jsonwebtoken 12 panics at run time when no crypto provider is chosen; this
/// crate compiles exactly one backend in, so nothing has to be installed.
#[test]
fn jsonwebtoken_interop_needs_no_provider_set_up() {
    let key = api_key();
    let token = AccessToken::new(&key, ROOM)
        .role(Role::Host)
        .to_jwt()
        .expect("mints");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iat", "nbf"]);
    let decoded = jsonwebtoken::decode::<Value>(
        &token,
        &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).expect("a secret"),
        &validation,
    )
    .expect("jsonwebtoken verifies our HS256 token");
    assert_eq!(decoded.claims["roomId"], json!(ROOM));

    let ed = PrivateKey::generate(Algorithm::EdDSA, "ed").expect("generates");
    let token = AccessToken::new(&ed, ROOM).to_jwt().expect("mints");
    let decoding = jsonwebtoken::DecodingKey::from_jwk(&ed.public_jwk()).expect("JWK");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    validation.set_required_spec_claims(&["exp"]);
    jsonwebtoken::decode::<Value>(&token, &decoding, &validation)
        .expect("jsonwebtoken verifies our EdDSA token");

    // And the other way: a token jsonwebtoken signs verifies here.
    let now = now();
    let mut claims = bare_claims();
    claims["iat"] = json!(now);
    claims["nbf"] = json!(now);
    claims["exp"] = json!(now + 60);
    verifier()
        .verify(&encode_with_jsonwebtoken(
            jsonwebtoken::Algorithm::HS256,
            &claims,
        ))
        .expect("our verifier accepts jsonwebtoken's token");
}

#[test]
fn may_produce_source_follows_can_produce_and_the_source() {
    let key = api_key();
    let verifier = verifier();
    let claims_of = |role: Role| {
        let token = AccessToken::new(&key, ROOM)
            .role(role)
            .to_jwt_at(NOW)
            .expect("mints");
        verifier.verify_at::<Value>(&token, NOW).expect("verifies")
    };
    let speaker = claims_of(Role::Speaker);
    assert!(!speaker.may_produce_source(Source::Cam));
    assert!(speaker.may_produce_source(Source::Mic));
    assert!(speaker.may_produce_source(Source::Screen));
    let listener = claims_of(Role::Listener);
    for source in [Source::Cam, Source::Mic, Source::Screen] {
        assert!(!listener.may_produce_source(source), "{source}");
    }
    assert!(claims_of(Role::Host).may_produce_source(Source::Cam));
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
