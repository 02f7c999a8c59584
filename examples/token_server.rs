//! A token server: the app backend a browser asks for an access token.
//!
//! - `POST /token` with JSON `{"roomId", "role", "displayName", "metadata",
//!   "permissions"}` answers `{"token": ...}`. Only `roomId` is required;
//!   without `role` the token carries the default permissions and no role, as
//!   the SDK does. `permissions` overrides some of them, read strictly as
//!   the CLI's `--permissions` is (`PermissionsPatch`'s own parsing).
//! - `GET /.well-known/jwks.json` serves the public key when the server signs
//!   with a private key (EdDSA, ES256 or RS256); with HS256 there is no
//!   public key and the answer is 404.
//! - `GET /me` answers the verified claims of the bearer token, through the
//!   [`VerifiedPeer`] extractor; `GET /moderation` only those of a
//!   [`Moderator`], through [`VerifiedRole`]. By default they verify with
//!   the server's own key; with `HUDDLE_VERIFY_JWKS_URL` set, against the
//!   JWKS at that URL (another token server's, say), and with
//!   `HUDDLE_VERIFY_HUDDLE01=1`, only tokens Huddle01's infra issued, with
//!   keys from Huddle01's JWKS (`HUDDLE01_JWKS_URL` overrides its URL). The
//!   keys are fetched on the first request and cached; while they cannot be
//!   had, those routes answer 503.
//!
//! - `POST /webhooks/huddle01`, open when `HUDDLE_WEBHOOKS=1`, verifies
//!   Huddle01's webhooks through the [`VerifiedWebhook`] extractor (the API
//!   key of `HUDDLE_API_KEY` is the HMAC key, as Huddle01 signs them),
//!   prints one line per verified event on stdout and answers 204; a
//!   refused webhook gets the extractor's 400, 401 or 413.
//!
//! The roles handed out are the six predefined ones and the two declared
//! below with `role!`: [`Moderator`] (`moderator`) and [`Recorder`]
//! (`stage-recorder`).
//!
//! Bad input is a 400 (415 for another content type, 413 for an oversized
//! body) with a JSON body `{"error", "field", "reason"}` naming the field.
//!
//! This server lets the client choose its role to show the moving parts. A
//! real backend decides the role itself, from its own session or database,
//! and never hands `host` to whoever asks.

mod config;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use huddle_auth::axum::{VerifiedPeer, VerifiedRole, VerifiedWebhook};
use huddle_auth::jwk::JwkSet;
use huddle_auth::{
    can, role, AccessToken, Claims, CustomRole, KeyError, MintError, Peer, PermissionsPatch, Role,
    SigningKey, TokenVerifier,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub use config::{
    Config, ConfigError, DEFAULT_PORT, ENV_API_KEY, ENV_API_SECRET, ENV_HUDDLE01_JWKS_URL,
    ENV_PORT, ENV_PRIVATE_KEY_FILE, ENV_VERIFY_HUDDLE01, ENV_VERIFY_JWKS_URL, ENV_WEBHOOKS,
};

/// The largest request body read. Metadata is at most 5120 bytes as JSON
/// (rule 4), so anything much larger is not a token request; refusing it
/// early bounds the memory one request can take.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A verifier holding `key` (its public half for a private key).
fn verifier_for(key: &SigningKey) -> Result<TokenVerifier, KeyError> {
    TokenVerifier::new().with_signing_key(key)
}

role! {
    /// Runs the stage: an admin of the room who never shows a camera.
    pub struct Moderator: CoHost {
        canProduceSources: { cam: false },
    }

    /// Records the room: receives every track and message, publishes nothing.
    #[role(name = "stage-recorder")]
    pub struct Recorder: Bot {
        canRecvData: true,
    }
}

/// The custom roles this server hands out besides the predefined ones.
fn custom_roles() -> [CustomRole; 2] {
    [CustomRole::from(Moderator), CustomRole::from(Recorder)]
}

/// The role with this wire name, if this server hands it out.
fn role_by_name(name: &str) -> Option<CustomRole> {
    Role::from_wire(name)
        .map(CustomRole::from)
        .or_else(|| custom_roles().into_iter().find(|role| role.name() == name))
}

/// The wire names of the roles [`role_by_name`] knows, for error messages.
fn role_names() -> Vec<String> {
    let predefined = Role::ALL.iter().map(|role| role.as_str().to_owned());
    let custom = custom_roles()
        .into_iter()
        .map(|role| role.name().to_owned());
    predefined.chain(custom).collect()
}

struct Inner {
    signer: SigningKey,
    verifier: Arc<TokenVerifier>,
    /// The public keys, for a server that signs with a private key.
    jwks: Option<JwkSet>,
}

/// The router's state.
#[derive(Clone)]
struct AppState(Arc<Inner>);

impl FromRef<AppState> for Arc<TokenVerifier> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.0.verifier)
    }
}

/// The token server's routes, ready to be served.
pub fn router(config: Config) -> Result<Router, KeyError> {
    let (signer, verifier, webhooks) = config.into_keys();
    let verifier = Arc::new(match verifier {
        Some(verifier) => verifier,
        None => verifier_for(&signer)?,
    });
    let jwks = signer.jwks();
    let state = AppState(Arc::new(Inner {
        signer,
        verifier,
        jwks,
    }));
    let app = Router::new()
        .route("/token", post(mint_token))
        .route("/.well-known/jwks.json", get(public_keys))
        .route("/me", get(me))
        .route("/moderation", get(moderation))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    // Its own state, and no `DefaultBodyLimit`: the extractor reads up to
    // the receiver's cap.
    Ok(match webhooks {
        Some(receiver) => app.merge(
            Router::new()
                .route("/webhooks/huddle01", post(webhook))
                .with_state(Arc::new(receiver)),
        ),
        None => app,
    })
}

/// One line per verified webhook: its event, id and payload.
async fn webhook(VerifiedWebhook(webhook): VerifiedWebhook) -> StatusCode {
    let payload = webhook.raw().get("payload").unwrap_or(&Value::Null);
    println!("webhook {} {} {payload}", webhook.name(), webhook.id());
    StatusCode::NO_CONTENT
}

/// The body of `POST /token`. Every member is optional to serde so that a
/// missing `roomId` is reported by name, like the other fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRequest {
    room_id: Option<String>,
    role: Option<String>,
    display_name: Option<String>,
    metadata: Option<Value>,
    permissions: Option<PermissionsPatch>,
}

/// A refused request: a status and a JSON body naming the field.
struct BadRequest {
    status: StatusCode,
    field: &'static str,
    reason: String,
}

impl BadRequest {
    fn new(field: &'static str, reason: impl Into<String>) -> Self {
        BadRequest {
            status: StatusCode::BAD_REQUEST,
            field,
            reason: reason.into(),
        }
    }
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        let error = match self.status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_request",
        };
        let body = json!({ "error": error, "field": self.field, "reason": self.reason });
        (self.status, Json(body)).into_response()
    }
}

async fn mint_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, BadRequest> {
    if !is_json(&headers) {
        return Err(BadRequest {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            field: "content-type",
            reason: "send the request as application/json".to_owned(),
        });
    }
    let body = body.map_err(|rejection| BadRequest {
        status: rejection.status(),
        field: "body",
        reason: format!("could not be read: {}", rejection.body_text()),
    })?;
    let request = parse_request(&body)?;

    let room_id = request
        .room_id
        .ok_or_else(|| BadRequest::new("roomId", "is required"))?;
    let mut token = AccessToken::new(&state.0.signer, room_id);
    if let Some(name) = request.role {
        let role = role_by_name(&name).ok_or_else(|| {
            BadRequest::new(
                "role",
                format!(
                    "is not a role this server hands out; use one of {}",
                    role_names().join(", ")
                ),
            )
        })?;
        token = token.role(role);
    }
    if let Some(name) = request.display_name {
        token = token.display_name(name);
    }
    if let Some(metadata) = &request.metadata {
        token = token.metadata(metadata);
    }
    if let Some(overrides) = request.permissions {
        token = token.permissions(overrides);
    }
    let jwt = token
        .to_jwt()
        .map_err(|error| match (error.field(), &error) {
            (Some(field), MintError::Rule(violation)) => {
                BadRequest::new(field, violation.to_string())
            }
            (Some(field), MintError::Invalid { reason, .. }) => {
                BadRequest::new(field, reason.clone())
            }
            (Some(field), _) => BadRequest::new(field, error.to_string()),
            (None, _) => BadRequest {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                field: "token",
                reason: "could not be signed".to_owned(),
            },
        })?;
    let mut response = Json(json!({ "token": jwt })).into_response();
    // A token is a credential: no cache may keep it (RFC 6749 section 5.1).
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses the body, naming the member at fault; a body that is not JSON, or
/// not an object, is reported as the field `body`.
fn parse_request(body: &[u8]) -> Result<TokenRequest, BadRequest> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let request: TokenRequest =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let inner = error.inner();
            if !inner.is_data() {
                return BadRequest::new("body", format!("is not valid JSON: {inner}"));
            }
            match request_field(&error.path().to_string()) {
                Some(field) => BadRequest::new(field, inner.to_string()),
                None => BadRequest::new("body", inner.to_string()),
            }
        })?;
    deserializer
        .end()
        .map_err(|error| BadRequest::new("body", format!("is not valid JSON: {error}")))?;
    Ok(request)
}

/// The request member a serde path starts with, if it is one.
fn request_field(path: &str) -> Option<&'static str> {
    let first = path.split(['.', '[']).next()?;
    ["roomId", "role", "displayName", "metadata", "permissions"]
        .into_iter()
        .find(|field| *field == first)
}

async fn public_keys(State(state): State<AppState>) -> Response {
    match &state.0.jwks {
        Some(jwks) => (
            // Verifiers may cache the keys briefly; a rotated key shows up
            // within five minutes.
            [(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            )],
            Json(jwks),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({
                "error": "not_found",
                "reason": format!(
                    "this server signs with {}, which has no public key",
                    state.0.signer.algorithm()
                ),
            })),
        )
            .into_response(),
    }
}

/// The claims of the bearer token, in their wire form.
async fn me(VerifiedPeer(claims): VerifiedPeer) -> Json<Claims> {
    Json(claims)
}

/// Only for a `moderator` token: any other role gets a 403.
async fn moderation(VerifiedRole(peer): VerifiedRole<Moderator>) -> Json<Value> {
    Json(moderation_desk(&peer))
}

/// What an admin sees; the bound makes the compiler check that the route's
/// role is an admin, so a change to `Moderator` that drops `admin` fails to
/// build here.
fn moderation_desk<R: can::Admin>(peer: &Peer<R>) -> Value {
    json!({
        "peerId": peer.peer_id(),
        "roomId": peer.room_id(),
        "role": R::NAME,
        "mayShareScreen": peer.may_produce("screen-share"),
        "mayShowCamera": peer.may_produce("video"),
    })
}

async fn not_found() -> (StatusCode, Json<Value>) {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": "not_found", "reason": "no such route" })),
    )
}
