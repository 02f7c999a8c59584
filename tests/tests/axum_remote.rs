//! The axum extractors with a verifier whose keys are a JWKS served on
//! loopback: a valid token admitted, a key server that is down answered
//! with 503, and a Huddle01-issued token seen with its effective
//! permissions; and the token server example configured to verify that way.

mod loopback;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use huddle_auth::axum::VerifiedPeer;
use huddle_auth::{AccessToken, Algorithm, ApiKey, PrivateKey, Role, TokenProfile, TokenVerifier};
use huddle_auth_examples::token_server::{router, Config, ConfigError};
use huddle_auth_tests::fixtures::{payload_json, rs256, rsa_4096_jwk};
use serde_json::{json, Value};
use zeroize::Zeroizing;

const ROOM: &str = "abc-defg-hij";

/// A loopback URL where nothing listens: the port was bound, then freed.
async fn nothing_listening() -> String {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    drop(listener);
    format!("http://{addr}/jwks.json")
}

/// What the handler saw of the verified peer.
async fn me(VerifiedPeer(peer): VerifiedPeer) -> Json<Value> {
    Json(json!({
        "roomId": peer.room_id(),
        "peerId": peer.peer_id(),
        "role": peer.role(),
        "issuer": peer.issuer(),
        "permissions": peer.permissions(),
        "mayProduceAudio": peer.may_produce("audio"),
    }))
}

/// Serves `/me` over `verifier` and GETs it with `token`: the status and
/// the JSON body.
async fn get_me(verifier: TokenVerifier, token: &str) -> (StatusCode, Value) {
    let app = Router::new()
        .route("/me", get(me))
        .with_state(Arc::new(verifier));
    get_me_at(&loopback::serve(app).await, token).await
}

/// GETs `/me` of the server at `base` with `token`: the status and the JSON body.
async fn get_me_at(base: &str, token: &str) -> (StatusCode, Value) {
    let response = loopback::client()
        .get(format!("{base}/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("a status");
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn a_valid_token_is_admitted_with_keys_from_the_jwks_url() {
    let key = PrivateKey::generate(Algorithm::EdDSA, "k-2025").expect("an Ed25519 key");
    let url = loopback::serve_jwks(serde_json::to_value(key.jwks()).expect("a JWKS")).await;
    let verifier = TokenVerifier::from_jwks_url(&url)
        .expect("a loopback URL")
        .require_room(ROOM);
    let token = AccessToken::new(&key, ROOM)
        .role(Role::Speaker)
        .peer_id("peer_remote")
        .to_jwt()
        .expect("a valid token");

    let (status, body) = get_me(verifier, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "roomId": "abc-defg-hij",
            "peerId": "peer_remote",
            "role": "speaker",
            "issuer": null,
            "permissions": {
                "admin": false,
                "canConsume": true,
                "canProduce": true,
                "canProduceSources": { "cam": false, "mic": true, "screen": true },
                "canSendData": true,
                "canRecvData": true,
                "canUpdateMetadata": true,
            },
            "mayProduceAudio": true,
        })
    );
}

#[tokio::test]
async fn a_key_server_down_before_the_first_fetch_is_a_503() {
    let key = PrivateKey::generate(Algorithm::EdDSA, "k-2025").expect("an Ed25519 key");
    let verifier = TokenVerifier::from_jwks_url(&nothing_listening().await).expect("loopback");
    let token = AccessToken::new(&key, ROOM)
        .to_jwt()
        .expect("a valid token");

    let (status, body) = get_me(verifier, &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reason"], "keys_unavailable");
    assert_eq!(body["error"], "temporarily_unavailable");
    assert!(
        !body.to_string().contains(&token),
        "the token is not echoed"
    );
}

/// A token as Huddle01's infra issues one: `{"alg":"RS256"}` (no kid, no
/// typ), `iss` Huddle01, no projectId, and the SDK's custom-role default of
/// every source on under `canProduce: false`. Signed by jsonwebtoken, not
/// by the crate under test.
fn huddle01_issued(now: u64) -> String {
    let claims = json!({
        "roomId": ROOM,
        "peerId": "peerId-audience-1",
        "role": "audience",
        "roomType": "AUDIO",
        "muteOnEntry": true,
        "videoOnEntry": false,
        "purpose": "SDK",
        "permissions": {
            "admin": false,
            "canConsume": true,
            "canProduce": false,
            "canProduceSources": { "cam": true, "mic": true, "screen": true },
            "canSendData": false,
            "canRecvData": true,
            "canUpdateMetadata": false,
        },
        "iat": now - 60,
        "exp": now + 3600,
        "iss": "Huddle01",
    });
    rs256(r#"{"alg":"RS256"}"#, &claims.to_string())
}

#[tokio::test]
async fn a_huddle01_issued_token_is_seen_with_its_effective_permissions() {
    let token = huddle01_issued(jsonwebtoken::get_current_timestamp());
    assert!(
        token.starts_with("eyJhbGciOiJSUzI1NiJ9."),
        "header {{\"alg\":\"RS256\"}}"
    );
    let url = loopback::serve_jwks(json!({ "keys": [rsa_4096_jwk(None)] })).await;
    let verifier = TokenVerifier::huddle01_at(&url)
        .expect("a loopback URL")
        .require_room(ROOM);

    let (status, body) = get_me(verifier, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "roomId": "abc-defg-hij",
            "peerId": "peerId-audience-1",
            "role": "audience",
            "issuer": "Huddle01",
            "permissions": {
                "admin": false,
                "canConsume": true,
                "canProduce": false,
                "canProduceSources": { "cam": false, "mic": false, "screen": false },
                "canSendData": false,
                "canRecvData": true,
                "canUpdateMetadata": false,
            },
            "mayProduceAudio": false,
        })
    );
}

#[tokio::test]
async fn this_crates_profile_refuses_the_same_huddle01_token() {
    let token = huddle01_issued(jsonwebtoken::get_current_timestamp());
    let url = loopback::serve_jwks(json!({ "keys": [rsa_4096_jwk(None)] })).await;
    let verifier = TokenVerifier::from_jwks_url(&url).expect("a loopback URL");

    let (status, body) = get_me(verifier, &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_token");
}

/// The token server's configuration from these variables (and an HS256
/// signing key, which every configuration needs).
fn token_server_config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    vars.insert("HUDDLE_API_KEY".into(), "ak_remote".into());
    vars.insert(
        "HUDDLE_API_SECRET".into(),
        "a token server secret of at least thirty-two bytes".into(),
    );
    Config::from_lookup(|name| vars.get(name).cloned().map(Zeroizing::new))
}

#[tokio::test]
async fn the_token_server_verifies_huddle01_tokens_when_configured_to() {
    let url = loopback::serve_jwks(json!({ "keys": [rsa_4096_jwk(None)] })).await;
    let config =
        token_server_config(&[("HUDDLE_VERIFY_HUDDLE01", "1"), ("HUDDLE01_JWKS_URL", &url)])
            .expect("a configuration");
    assert_eq!(
        config.verifier().map(TokenVerifier::token_profile),
        Some(TokenProfile::Huddle01)
    );
    let base = loopback::serve(router(config).expect("the router")).await;
    let me = |token: String| {
        loopback::client()
            .get(format!("{base}/me"))
            .bearer_auth(token)
            .send()
    };

    let response = me(huddle01_issued(jsonwebtoken::get_current_timestamp()))
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    let claims: Value = response.json().await.expect("the claims as JSON");
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["peerId"], "peerId-audience-1");
    assert_eq!(
        claims["permissions"]["canProduceSources"],
        json!({ "cam": false, "mic": false, "screen": false })
    );

    // Its own HS256 tokens are no Huddle01 tokens: refused.
    let own = AccessToken::new(
        &ApiKey::new(
            "ak_remote",
            "a token server secret of at least thirty-two bytes",
        )
        .expect("the key"),
        ROOM,
    )
    .to_jwt()
    .expect("a token");
    let response = me(own).await.expect("the server answers");
    assert_eq!(response.status().as_u16(), 401);
}

#[test]
fn the_token_server_refuses_a_bad_remote_verification_setting() {
    let Err(ConfigError::Jwks { variable, error }) = token_server_config(&[(
        "HUDDLE_VERIFY_JWKS_URL",
        "http://auth.example.com/jwks.json",
    )]) else {
        panic!("a plain-http JWKS URL off loopback is refused");
    };
    assert_eq!(variable, "HUDDLE_VERIFY_JWKS_URL");
    assert!(error.to_string().contains("https"), "{error}");

    assert_eq!(
        token_server_config(&[
            (
                "HUDDLE_VERIFY_JWKS_URL",
                "https://auth.example.com/jwks.json"
            ),
            ("HUDDLE_VERIFY_HUDDLE01", "true"),
        ])
        .err(),
        Some(ConfigError::TwoVerifiers)
    );
    assert_eq!(
        token_server_config(&[("HUDDLE_VERIFY_HUDDLE01", "yes")]).err(),
        Some(ConfigError::Switch {
            variable: "HUDDLE_VERIFY_HUDDLE01",
            value: "yes".to_owned(),
        })
    );
    let local = token_server_config(&[("HUDDLE_VERIFY_HUDDLE01", "0")]).expect("a configuration");
    assert!(
        local.verifier().is_none(),
        "0 keeps the signing key's verifier"
    );
}

/// A token of this crate's profile (minted by it, re-signed with the RSA
/// fixture key by jsonwebtoken) under `header`.
fn own_claims_under(header: &str) -> String {
    let key = ApiKey::new("k1", "a secret of at least thirty-two bytes").expect("the key");
    let minted = AccessToken::new(&key, ROOM).to_jwt().expect("a token");
    rs256(header, &payload_json(&minted).to_string())
}

#[tokio::test]
async fn a_kid_less_token_of_this_crates_profile_is_refused_whatever_the_key_set() {
    // The signing key twice: under kid k1, and without a kid.
    let document = json!({ "keys": [rsa_4096_jwk(Some("k1")), rsa_4096_jwk(None)] });
    let url = loopback::serve_jwks(document).await;
    let named = own_claims_under(r#"{"alg":"RS256","kid":"k1"}"#);
    let kid_less = own_claims_under(r#"{"alg":"RS256"}"#);

    // TokenVerifier::from_jwks_url.
    let verifier = || TokenVerifier::from_jwks_url(&url).expect("a loopback URL");
    assert_eq!(get_me(verifier(), &named).await.0, StatusCode::OK);
    let (status, body) = get_me(verifier(), &kid_less).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_token");

    // The token server with HUDDLE_VERIFY_JWKS_URL.
    let config = token_server_config(&[("HUDDLE_VERIFY_JWKS_URL", &url)]).expect("a configuration");
    assert_eq!(
        config.verifier().map(TokenVerifier::token_profile),
        Some(TokenProfile::SelfSigned)
    );
    let base = loopback::serve(router(config).expect("the router")).await;
    assert_eq!(get_me_at(&base, &named).await.0, StatusCode::OK);
    assert_eq!(
        get_me_at(&base, &kid_less).await.0,
        StatusCode::UNAUTHORIZED
    );
}
