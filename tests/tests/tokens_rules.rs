//! The rules: each one broken at mint time names the field, and each one
//! broken inside a signed token is refused at verify time; who may assign
//! which role, and which sources a peer may produce.

use huddle_auth::{
    AccessToken, MintError, PermissionsPatch, Role, RuleViolation, Source, SourcesPatch,
    VerifyError,
};
use huddle_auth_tests::fixtures::{
    api_key, claims_with, forge_claims, mint_error, verifier, NOW, ROOM,
};
use serde_json::{json, Value};

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
