//! Minting and reading back: every role and custom role round-trips, the
//! header and claims follow the wire format exactly, and `jsonwebtoken`
//! reads our tokens.

use std::collections::HashSet;

use huddle_auth::{
    AccessToken, Algorithm, CustomRole, Permissions, PermissionsPatch, PrivateKey, ProduceSources,
    Role, SigningKey, Source, TokenVerifier, VerifyError,
};
use huddle_auth_tests::fixtures::{
    api_key, bare_claims, encode_with_jsonwebtoken, header_json, now, payload_json, verifier, KID,
    NOW, ROOM, SECRET,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

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
fn a_verifier_from_a_signing_key_verifies_what_that_key_signs() {
    let api = SigningKey::from(api_key());
    let ed = SigningKey::from(PrivateKey::generate(Algorithm::EdDSA, "ed_1").expect("generates"));
    let other =
        SigningKey::from(PrivateKey::generate(Algorithm::EdDSA, "ed_1").expect("generates"));
    for key in [&api, &ed] {
        let token = AccessToken::new(key, ROOM).to_jwt_at(NOW).expect("mints");
        let claims = TokenVerifier::new()
            .with_signing_key(key)
            .expect("a key")
            .verify_at::<Value>(&token, NOW)
            .expect("verifies");
        assert_eq!(claims.room_id(), ROOM);
    }
    // The same kid, another key pair: the public half is the one held.
    let forged = AccessToken::new(&other, ROOM)
        .to_jwt_at(NOW)
        .expect("mints");
    let verifier = TokenVerifier::new().with_signing_key(&ed).expect("a key");
    assert_eq!(
        verifier.verify_at::<Value>(&forged, NOW).map(|_| ()),
        Err(VerifyError::BadSignature)
    );
}
