//! Property tests: whatever passes the rules round-trips exactly through a
//! token, whatever breaks them is refused at both ends, and no single change
//! to a valid token is accepted.

use std::sync::OnceLock;

use huddle_auth::{
    rules, AccessToken, Algorithm, CustomRole, MintError, Permissions, PermissionsPatch,
    PrivateKey, ProduceSources, SourcesPatch, TokenSigner, TokenVerifier, VerifyError,
};
use huddle_auth_tests::fixtures::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

fn permissions() -> impl Strategy<Value = Permissions> {
    (any::<[bool; 6]>(), any::<[bool; 3]>()).prop_map(|(p, [cam, mic, screen])| Permissions {
        admin: p[0],
        can_consume: p[1],
        can_produce: p[2],
        can_produce_sources: ProduceSources { cam, mic, screen },
        can_send_data: p[3],
        can_recv_data: p[4],
        can_update_metadata: p[5],
    })
}

/// Permissions that obey rules 1 and 2.
fn valid_permissions() -> impl Strategy<Value = Permissions> {
    permissions().prop_filter("rules 1 and 2", |p| rules::check_permissions(p).is_ok())
}

/// Metadata within the 5120 bytes of rule 4.
fn valid_metadata() -> impl Strategy<Value = Value> {
    metadata().prop_filter("rule 4", |m| metadata_len(m) <= 5120)
}

/// Every key given: the patch that turns any base into `p`.
fn patch(p: &Permissions) -> PermissionsPatch {
    PermissionsPatch {
        admin: Some(p.admin),
        can_consume: Some(p.can_consume),
        can_produce: Some(p.can_produce),
        can_produce_sources: SourcesPatch {
            cam: Some(p.can_produce_sources.cam),
            mic: Some(p.can_produce_sources.mic),
            screen: Some(p.can_produce_sources.screen),
        },
        can_send_data: Some(p.can_send_data),
        can_recv_data: Some(p.can_recv_data),
        can_update_metadata: Some(p.can_update_metadata),
    }
}

/// Any JSON value, a few levels deep, with any text in its strings and keys.
fn metadata() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn metadata_len(metadata: &Value) -> usize {
    serde_json::to_string(metadata).expect("JSON").len()
}

/// TTLs from one second to a year, and the verifier that accepts them all.
// The longest TTL minted (and verified) by default: 30 days.
const MAX_TTL: u64 = 30 * 24 * 3600;

fn lenient_verifier() -> TokenVerifier {
    verifier().max_lifetime(None)
}

fn ed25519_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(Algorithm::EdDSA, "ed").expect("key"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_passes_the_rules_round_trips_exactly(
        p in valid_permissions(),
        metadata in valid_metadata(),
        ttl in 1..=MAX_TTL,
        max_peers in prop::option::of(1..=u64::MAX),
        display_name in prop::option::of(any::<String>()),
    ) {
        let key = api_key();
        let mut token = AccessToken::new(&key, ROOM)
            .role(CustomRole::new("prop-role", p).expect("rules hold"))
            .metadata(&metadata)
            .ttl(ttl);
        if let Some(max_peers) = max_peers {
            token = token.max_peers_allowed(max_peers);
        }
        if let Some(name) = &display_name {
            token = token.display_name(name.clone());
        }
        let jwt = token.to_jwt_at(NOW).expect("valid inputs mint");
        let claims = lenient_verifier().verify_at::<Value>(&jwt, NOW).expect("and verify");
        prop_assert_eq!(claims.permissions(), &p);
        prop_assert_eq!(claims.role(), Some("prop-role"));
        prop_assert_eq!(claims.metadata(), Some(&metadata));
        prop_assert_eq!(claims.expires_at() - claims.issued_at(), ttl);
        prop_assert_eq!(claims.max_peers_allowed(), max_peers);
        prop_assert_eq!(claims.display_name(), display_name.as_deref());
        // The same permissions given as overrides of another role.
        let overridden = AccessToken::new(&key, ROOM)
            .permissions(patch(&p))
            .to_jwt_at(NOW)
            .expect("valid overrides mint");
        let claims = verify(&overridden).expect("and verify");
        prop_assert_eq!(claims.permissions(), &p);
    }

    #[test]
    fn what_breaks_the_rules_is_refused_at_both_ends(p in permissions(), extra in 0usize..64) {
        let key = api_key();
        if let Err(violation) = rules::check_permissions(&p) {
            let minted = AccessToken::new(&key, ROOM).permissions(patch(&p)).to_jwt_at(NOW);
            prop_assert_eq!(minted.err(), Some(MintError::Rule(violation.clone())));
            let forged = forge_claims(&claims_with(&["permissions"], json!(p)));
            let refused = verify(&forged);
            // One path at both ends: the claim's, as the token spells it.
            let expected_field = violation.field();
            prop_assert!(expected_field.starts_with("permissions."), "{}", expected_field);
            prop_assert!(
                matches!(&refused, Err(VerifyError::InvalidClaims { field, .. }) if field == expected_field),
                "{:?}", refused
            );
        }
        // Metadata one byte or more over the limit.
        let too_long = "m".repeat(5119 + extra);
        let minted = AccessToken::new(&key, ROOM).metadata(&too_long).to_jwt_at(NOW);
        prop_assert!(matches!(minted, Err(MintError::Rule(_))));
        let forged = forge_claims(&claims_with(&["metadata"], json!(serde_json::to_string(&too_long).expect("JSON"))));
        let refused = verify(&forged);
        prop_assert!(
            matches!(&refused, Err(VerifyError::InvalidClaims { field, .. }) if field == "metadata"),
            "{:?}", refused
        );
    }

    #[test]
    fn any_single_character_change_to_a_token_is_refused(
        p in valid_permissions(),
        metadata in valid_metadata(),
        at in any::<Index>(),
        replacement in any::<char>(),
        asymmetric in any::<bool>(),
    ) {
        let api_key = api_key();
        let key: &dyn TokenSigner = if asymmetric { ed25519_key() } else { &api_key };
        let token = AccessToken::new(key, ROOM)
            .permissions(patch(&p))
            .metadata(&metadata)
            .to_jwt_at(NOW)
            .expect("valid inputs mint");
        let verifier = if asymmetric {
            TokenVerifier::new().with_private_key(ed25519_key()).expect("key")
        } else {
            verifier()
        };
        prop_assert!(verifier.verify_at::<Value>(&token, NOW).is_ok());

        // A token is ASCII: every index is a character boundary.
        let i = at.index(token.len());
        let original = token.as_bytes()[i] as char;
        prop_assume!(replacement != original);
        let mut replaced = token.clone();
        replaced.replace_range(i..=i, replacement.encode_utf8(&mut [0; 4]));
        prop_assert!(verifier.verify_at::<Value>(&replaced, NOW).is_err(), "replaced at {}", i);

        let mut removed = token.clone();
        removed.remove(i);
        prop_assert!(verifier.verify_at::<Value>(&removed, NOW).is_err(), "removed at {}", i);

        let mut inserted = token.clone();
        inserted.insert(i, replacement);
        prop_assert!(verifier.verify_at::<Value>(&inserted, NOW).is_err(), "inserted at {}", i);
    }
}
