//! The axum extractors over real HTTP: a router served on 127.0.0.1:0 in
//! the test, requests with valid, expired, forged, wrong-algorithm, foreign
//! and missing tokens, and the 401/403 answers of RFC 6750 section 3.

mod loopback;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use huddle_auth::axum::{AuthRejection, VerifiedPeer, VerifiedRole};
use huddle_auth::roles::{Host, Speaker};
use huddle_auth::{
    can, role, AccessToken, Algorithm, ApiKey, Capability, PermissionsPatch, PrivateKey, Role,
    SourcesPatch, TokenVerifier, MAX_TOKEN_BYTES,
};
use huddle_auth_tests::fixtures::{
    api_key, b64, impostor, mint_expired, mint_overridden, now, payload_json, stranger, KID, ROOM,
};
use reqwest::header::{HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

/// Metadata a route demands in a typed form.
#[derive(Deserialize)]
struct Wallet {
    #[serde(rename = "walletAddress")]
    address: String,
}

async fn me(VerifiedPeer(peer): VerifiedPeer<Wallet>) -> Json<Value> {
    Json(json!({
        "peerId": peer.peer_id(),
        "role": peer.role(),
        "wallet": peer.metadata().map(|w| w.address.as_str()),
    }))
}

async fn stage(VerifiedRole(peer): VerifiedRole<Speaker>) -> String {
    format!("{} is on stage", peer.peer_id())
}

role! {
    /// A speaker who may also show a camera.
    pub struct Panelist: Speaker {
        canProduceSources: { cam: true },
    }
}

// A role-typed peer reads typed metadata on demand.
async fn panel(VerifiedRole(peer): VerifiedRole<Panelist>) -> Result<String, AuthRejection> {
    let wallet: Option<Wallet> = peer.metadata_as()?;
    let wallet = wallet.map_or_else(|| "none".to_owned(), |w| w.address);
    Ok(format!("{} joins the panel with {wallet}", peer.peer_id()))
}

/// Demands a capability in the signature, as app code does with `can`.
fn admin_only<R: can::Admin>(peer: &huddle_auth::Peer<R>) -> String {
    format!("{} administers {}", peer.peer_id(), peer.room_id())
}

async fn host(VerifiedRole(peer): VerifiedRole<Host>) -> String {
    admin_only(&peer)
}

async fn screen(peer: VerifiedPeer) -> Result<String, AuthRejection> {
    let VerifiedPeer(peer) = peer.require(Capability::ProduceScreen)?;
    Ok(format!("{} may share a screen", peer.peer_id()))
}

async fn maybe(peer: Option<VerifiedPeer>) -> String {
    match peer {
        Some(VerifiedPeer(peer)) => peer.peer_id().to_owned(),
        None => "anonymous".to_owned(),
    }
}

struct Fixture {
    key: ApiKey,
    ed: PrivateKey,
    base: String,
    client: reqwest::Client,
}

impl Fixture {
    async fn start() -> Fixture {
        let key = api_key();
        let ed = PrivateKey::generate(Algorithm::EdDSA, "ed_test").expect("an Ed25519 key");
        let verifier = TokenVerifier::new()
            .with_api_key(&key)
            .expect("the API key is added")
            .with_private_key(&ed)
            .expect("the Ed25519 key is added")
            .require_room(ROOM);
        let app = Router::new()
            .route("/me", get(me))
            .route("/stage", get(stage))
            .route("/panel", get(panel))
            .route("/host", get(host))
            .route("/screen", get(screen))
            .route("/maybe", get(maybe))
            .with_state(Arc::new(verifier));
        Fixture {
            key,
            ed,
            base: loopback::serve(app).await,
            client: loopback::client(),
        }
    }

    async fn get(&self, path: &str, authorization: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        request.send().await.expect("the loopback server answers")
    }

    async fn get_with(&self, path: &str, token: &str) -> reqwest::Response {
        self.get(path, Some(&format!("Bearer {token}"))).await
    }

    /// Sends `token` to `path` and asserts a 200.
    async fn get_ok(&self, path: &str, token: &str) -> reqwest::Response {
        let response = self.get_with(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response
    }

    fn token(&self, role: Role) -> String {
        AccessToken::new(&self.key, ROOM)
            .role(role)
            .metadata(&json!({ "walletAddress": "mizanxali.eth" }))
            .to_jwt()
            .expect("a token is minted")
    }
}

/// A refusal: its status, `WWW-Authenticate` and JSON body, checked never
/// to repeat the token.
struct Refusal {
    status: StatusCode,
    challenge: String,
    body: Value,
}

async fn refusal(response: reqwest::Response, token: Option<&str>) -> Refusal {
    let status = response.status();
    let challenge = response
        .headers()
        .get(WWW_AUTHENTICATE)
        .expect("a refusal carries WWW-Authenticate")
        .to_str()
        .expect("an ASCII challenge")
        .to_owned();
    assert_eq!(
        response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let text = response.text().await.expect("a body");
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        assert!(!text.contains(token), "the body repeats the token: {text}");
        for segment in token.split('.').filter(|s| s.len() > 8) {
            assert!(
                !text.contains(segment),
                "the body repeats a token segment: {text}"
            );
        }
    }
    let body = serde_json::from_str(&text).expect("a JSON body");
    Refusal {
        status,
        challenge,
        body,
    }
}

impl Refusal {
    /// Asserts the status, the RFC 6750 error code (in the challenge and the
    /// body; `None` for a request without credentials) and the reason.
    fn assert(&self, status: StatusCode, error: Option<&str>, reason: &str) {
        assert_eq!(self.status, status, "{reason}: {}", self.body);
        let challenge = error.map_or("Bearer".to_owned(), |e| format!(r#"Bearer error="{e}""#));
        assert_eq!(self.challenge, challenge, "{reason}");
        assert_eq!(
            self.body["error"],
            error.unwrap_or("unauthorized"),
            "{reason}"
        );
        assert_eq!(self.body["reason"], reason, "{}", self.body);
    }
}

/// Asserts a 401 for a presented but invalid token, with its reason.
async fn assert_invalid_token(fixture: &Fixture, path: &str, token: &str, reason: &str) {
    refusal(fixture.get_with(path, token).await, Some(token))
        .await
        .assert(StatusCode::UNAUTHORIZED, Some("invalid_token"), reason);
}

/// Asserts a 403 for a genuine token that lacks what the route demands.
async fn assert_forbidden(fixture: &Fixture, path: &str, token: &str, reason: &str) {
    refusal(fixture.get_with(path, token).await, Some(token))
        .await
        .assert(StatusCode::FORBIDDEN, Some("insufficient_scope"), reason);
}

#[tokio::test]
async fn a_valid_token_yields_the_claims_with_typed_metadata() {
    let fixture = Fixture::start().await;
    let token = fixture.token(Role::Speaker);
    let response = fixture.get_ok("/me", &token).await;
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["role"], "speaker");
    assert_eq!(body["wallet"], "mizanxali.eth");
    assert!(body["peerId"]
        .as_str()
        .is_some_and(|p| p.starts_with("peer_")));

    // The scheme name is case-insensitive (RFC 9110 section 11.1).
    let response = fixture.get("/me", Some(&format!("bearer {token}"))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_eddsa_token_verifies_through_the_same_extractor() {
    let fixture = Fixture::start().await;
    let token = AccessToken::new(&fixture.ed, ROOM)
        .role(Role::Speaker)
        .to_jwt()
        .expect("an EdDSA token");
    let response = fixture.get_ok("/stage", &token).await;
    assert!(response
        .text()
        .await
        .expect("a body")
        .ends_with("is on stage"));
}

#[tokio::test]
async fn a_missing_token_is_a_401_without_an_error_code() {
    let fixture = Fixture::start().await;
    // RFC 6750 section 3.1: no error code when no credentials were sent.
    refusal(fixture.get("/me", None).await, None).await.assert(
        StatusCode::UNAUTHORIZED,
        None,
        "missing_token",
    );
    let basic = fixture.get("/me", Some("Basic dXNlcjpwYXNz")).await;
    refusal(basic, None)
        .await
        .assert(StatusCode::UNAUTHORIZED, None, "unsupported_scheme");
}

#[tokio::test]
async fn a_malformed_authorization_header_is_a_400_invalid_request() {
    let fixture = Fixture::start().await;
    // RFC 6750 section 3.1: a malformed request, not a bad token.
    for header in ["Bearer", "Bearer    ", "Bearer two tokens"] {
        refusal(fixture.get("/me", Some(header)).await, None)
            .await
            .assert(
                StatusCode::BAD_REQUEST,
                Some("invalid_request"),
                "malformed_header",
            );
    }
    let token = fixture.token(Role::Guest);
    let twice = fixture
        .client
        .get(format!("{}/me", fixture.base))
        .bearer_auth(&token)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .expect("the loopback server answers");
    let refused = refusal(twice, Some(&token)).await;
    refused.assert(
        StatusCode::BAD_REQUEST,
        Some("invalid_request"),
        "malformed_header",
    );
    assert_eq!(
        refused.body["description"],
        "more than one Authorization header"
    );
    let binary = HeaderValue::from_bytes(b"Bearer \xff\xfe").expect("an obs-text header value");
    let binary = fixture
        .client
        .get(format!("{}/me", fixture.base))
        .header(AUTHORIZATION, binary)
        .send()
        .await
        .expect("the loopback server answers");
    let refused = refusal(binary, None).await;
    refused.assert(
        StatusCode::BAD_REQUEST,
        Some("invalid_request"),
        "malformed_header",
    );
    assert_eq!(
        refused.body["description"],
        "the Authorization header is not visible ASCII"
    );

    assert_invalid_token(&fixture, "/me", "not-a-jwt", "malformed").await;
    assert_invalid_token(&fixture, "/me", "a.b.c", "malformed").await;
    let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
    assert_invalid_token(&fixture, "/me", &huge, "too_large").await;
}

#[tokio::test]
async fn an_expired_token_is_a_401() {
    let fixture = Fixture::start().await;
    let token = mint_expired(&fixture.key);
    assert_invalid_token(&fixture, "/me", &token, "expired").await;

    let early = AccessToken::new(&fixture.key, ROOM)
        .to_jwt_at(now() + 3600)
        .expect("a token issued in an hour");
    assert_invalid_token(&fixture, "/me", &early, "not_yet_valid").await;
}

#[tokio::test]
async fn a_forged_token_is_a_401() {
    let fixture = Fixture::start().await;
    // The right key id, the wrong secret.
    let forged = AccessToken::new(&impostor(), ROOM)
        .role(Role::Host)
        .to_jwt()
        .expect("a token");
    assert_invalid_token(&fixture, "/me", &forged, "bad_signature").await;

    // A genuine token whose claims were rewritten.
    let genuine = fixture.token(Role::Listener);
    let mut parts: Vec<String> = genuine.split('.').map(str::to_owned).collect();
    let mut claims = payload_json(&genuine);
    claims["role"] = json!("host");
    parts[1] = b64(claims.to_string());
    assert_invalid_token(&fixture, "/me", &parts.join("."), "bad_signature").await;

    // A key this server does not hold.
    let token = AccessToken::new(&stranger(), ROOM)
        .to_jwt()
        .expect("a token");
    assert_invalid_token(&fixture, "/me", &token, "unknown_key").await;
}

#[tokio::test]
async fn a_token_with_the_wrong_algorithm_is_a_401() {
    let fixture = Fixture::start().await;
    // EdDSA under the kid of the HS256 key.
    let confused = PrivateKey::generate(Algorithm::EdDSA, KID).expect("a key");
    let token = AccessToken::new(&confused, ROOM).to_jwt().expect("a token");
    assert_invalid_token(&fixture, "/me", &token, "algorithm_not_allowed").await;

    // HS256 keyed with nothing but public data, under the Ed25519 kid.
    let header = json!({ "alg": "HS256", "typ": "JWT", "kid": "ed_test" });
    let genuine = AccessToken::new(&fixture.ed, ROOM)
        .to_jwt()
        .expect("a token");
    let payload = genuine.split('.').nth(1).expect("a payload");
    let token = format!("{}.{payload}.{}", b64(header.to_string()), b64([0u8; 32]));
    assert_invalid_token(&fixture, "/me", &token, "algorithm_not_allowed").await;

    // `alg: none` with no signature at all.
    let header = json!({ "alg": "none", "typ": "JWT", "kid": KID });
    let token = format!("{}.{payload}.", b64(header.to_string()));
    assert_invalid_token(&fixture, "/me", &token, "algorithm_not_allowed").await;
}

#[tokio::test]
async fn metadata_of_another_shape_is_a_401_naming_the_claim() {
    let fixture = Fixture::start().await;
    let token = AccessToken::new(&fixture.key, ROOM)
        .metadata(&json!({ "walletAddress": 42 }))
        .to_jwt()
        .expect("a token");
    let refused = refusal(fixture.get_with("/me", &token).await, Some(&token)).await;
    refused.assert(
        StatusCode::UNAUTHORIZED,
        Some("invalid_token"),
        "invalid_claims",
    );
    assert_eq!(
        refused.body["description"],
        "the token's claim metadata is invalid"
    );
}

#[tokio::test]
async fn a_token_for_another_room_is_a_403() {
    let fixture = Fixture::start().await;
    let token = AccessToken::new(&fixture.key, "another-room")
        .role(Role::Host)
        .to_jwt()
        .expect("a token");
    assert_forbidden(&fixture, "/me", &token, "wrong_room").await;
}

#[tokio::test]
async fn a_role_route_refuses_other_roles_with_a_403() {
    let fixture = Fixture::start().await;
    let speaker = fixture.token(Role::Speaker);
    fixture.get_ok("/stage", &speaker).await;
    let host = fixture.token(Role::Host);
    assert_forbidden(&fixture, "/stage", &host, "role_mismatch").await;
    let response = fixture.get_ok("/host", &host).await;
    assert!(response
        .text()
        .await
        .expect("a body")
        .ends_with(&format!("administers {ROOM}")));
    assert_forbidden(&fixture, "/host", &speaker, "role_mismatch").await;

    // No role claim at all is not `speaker` either.
    let roleless = AccessToken::new(&fixture.key, ROOM)
        .to_jwt()
        .expect("a token");
    assert_forbidden(&fixture, "/stage", &roleless, "role_mismatch").await;

    // A speaker token that was also given the camera is not `speaker`.
    let widened = mint_overridden(
        Role::Speaker,
        PermissionsPatch {
            can_produce_sources: SourcesPatch {
                cam: Some(true),
                ..SourcesPatch::default()
            },
            ..PermissionsPatch::default()
        },
    );
    assert_forbidden(&fixture, "/stage", &widened, "permission_mismatch").await;

    // A 401 still comes first: a bad token is not judged on its role.
    assert_invalid_token(&fixture, "/stage", "x.y.z", "malformed").await;
}

#[tokio::test]
async fn a_role_declared_with_role_macro_narrows_over_http() {
    let fixture = Fixture::start().await;
    let panelist = AccessToken::new(&fixture.key, ROOM)
        .role(Panelist)
        .metadata(&json!({ "walletAddress": "mizanxali.eth" }))
        .to_jwt()
        .expect("a panelist token");
    let response = fixture.get_ok("/panel", &panelist).await;
    assert!(response
        .text()
        .await
        .expect("a body")
        .ends_with("joins the panel with mizanxali.eth"));

    let speaker = fixture.token(Role::Speaker);
    assert_forbidden(&fixture, "/panel", &speaker, "role_mismatch").await;

    // The panelist's name with the data channel closed, or with admin
    // added, is not the role: a `Peer<Panelist>` grants exactly `Panelist`.
    let narrower = PermissionsPatch {
        can_send_data: Some(false),
        ..PermissionsPatch::default()
    };
    let wider = PermissionsPatch {
        admin: Some(true),
        ..PermissionsPatch::default()
    };
    for overrides in [narrower, wider] {
        let token = mint_overridden(Panelist, overrides);
        assert_forbidden(&fixture, "/panel", &token, "permission_mismatch").await;
    }
}

#[tokio::test]
async fn a_missing_capability_is_a_403() {
    let fixture = Fixture::start().await;
    let speaker = fixture.token(Role::Speaker);
    fixture.get_ok("/screen", &speaker).await;
    for role in [Role::Listener, Role::Bot] {
        let token = fixture.token(role);
        let refused = refusal(fixture.get_with("/screen", &token).await, Some(&token)).await;
        refused.assert(
            StatusCode::FORBIDDEN,
            Some("insufficient_scope"),
            "missing_capability",
        );
        assert_eq!(
            refused.body["description"],
            "the token does not grant the capability ProduceScreen"
        );
    }
}

#[tokio::test]
async fn an_optional_peer_is_none_only_without_credentials() {
    let fixture = Fixture::start().await;
    let response = fixture.get("/maybe", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("a body"), "anonymous");

    let token = fixture.token(Role::Guest);
    let response = fixture.get_ok("/maybe", &token).await;
    assert!(response.text().await.expect("a body").starts_with("peer_"));

    // A token that was sent and fails is refused, not ignored.
    assert_invalid_token(&fixture, "/maybe", "not-a-jwt", "malformed").await;
}
