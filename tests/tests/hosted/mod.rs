//! A loopback fake of Huddle01's infra, following
//! `shared/reference/huddle01-hosted-api.md`: the two endpoints, their
//! statuses, and tokens in the exact shape of the real ones (RS256 under an
//! RSA-4096 key, header `{"alg":"RS256"}`, the claims of the 2024 token).
//! It records every request and counts TCP connections.

#![allow(dead_code)] // each test binary uses part of it

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use huddle_auth_tests::fixtures::now;
use serde_json::{json, Value};

#[path = "../loopback/mod.rs"]
pub mod loopback;

/// The API key the fake accepts; any other gets 401.
pub const API_KEY: &str = "ak_fake_0123456789";
/// A room the fake knows from the start.
pub const KNOWN_ROOM: &str = "kgg-iyre-bks";
pub const CREATE_ROOM_PATH: &str = "/api/v2/sdk/rooms/create-room";
pub const PEER_TOKEN_PATH: &str = "/api/v2/sdk/create-peer-token";

/// The fake's public key, for tests that check its signatures.
pub const PUBLIC_KEY_PEM: &str = huddle_auth_tests::fixtures::RSA_4096_PUBLIC_PEM;

/// How the fake answers, whatever is asked.
#[derive(Clone, Debug)]
pub enum Mode {
    /// As the contract says.
    Normal,
    /// Waits this long, then answers normally.
    Delay(Duration),
    /// This status and body, raw.
    Raw(u16, Vec<u8>),
    /// A well-formed token, but for this room.
    TokenFor(String),
    /// A token of this lifetime in seconds, whatever the TTL asked.
    Lifetime(u64),
}

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

struct FakeState {
    requests: Mutex<Vec<Recorded>>,
    rooms: Mutex<HashSet<String>>,
    mode: Mutex<Mode>,
    next_id: AtomicUsize,
}

/// A running fake.
pub struct Fake {
    pub url: String,
    connections: Arc<AtomicUsize>,
    state: Arc<FakeState>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(FakeState {
            requests: Mutex::new(Vec::new()),
            rooms: Mutex::new(HashSet::from([KNOWN_ROOM.to_owned()])),
            mode: Mutex::new(Mode::Normal),
            next_id: AtomicUsize::new(1),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let (url, connections) = loopback::serve_counting(app).await;
        Fake {
            url,
            connections,
            state,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().expect("mode") = mode;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().expect("requests").clone()
    }

    pub fn request_count(&self) -> usize {
        self.state.requests.lock().expect("requests").len()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A client of this fake with the accepted API key.
    pub fn client(&self) -> huddle_auth::hosted::Huddle01Client {
        self.client_builder().build().expect("a client")
    }

    pub fn client_builder(&self) -> huddle_auth::hosted::Huddle01ClientBuilder {
        huddle_auth::hosted::Huddle01Client::builder(API_KEY).base_url(&self.url)
    }
}

async fn handle(State(state): State<Arc<FakeState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    state.requests.lock().expect("requests").push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        headers: parts.headers.clone(),
        body: body.clone(),
    });
    let mode = state.mode.lock().expect("mode").clone();
    let (token_room, lifetime) = match mode {
        Mode::Normal => (None, None),
        Mode::Delay(delay) => {
            tokio::time::sleep(delay).await;
            (None, None)
        }
        Mode::Raw(status, body) => return raw(status, body),
        Mode::TokenFor(room) => (Some(room), None),
        Mode::Lifetime(secs) => (None, Some(secs)),
    };
    if parts.headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(API_KEY) {
        return raw(401, r#"{"error":"API key missing or invalid"}"#);
    }
    let Ok(input) = serde_json::from_slice::<Value>(&body) else {
        return raw(400, r#"{"error":"invalid JSON"}"#);
    };
    match (parts.method.as_str(), parts.uri.path()) {
        ("POST", CREATE_ROOM_PATH) => {
            let id = format!("fake-room-{}", state.next_id.fetch_add(1, Ordering::SeqCst));
            state.rooms.lock().expect("rooms").insert(id.clone());
            let answer =
                json!({ "message": "Room created successfully", "data": { "roomId": id } });
            raw(201, answer.to_string())
        }
        ("POST", PEER_TOKEN_PATH) => {
            let room = input["roomId"].as_str().unwrap_or_default().to_owned();
            if !state.rooms.lock().expect("rooms").contains(&room) {
                return raw(
                    404,
                    r#"{"error":"Room not found to be associated with the given API key"}"#,
                );
            }
            let peer = state.next_id.fetch_add(1, Ordering::SeqCst);
            let lifetime = lifetime
                .or_else(|| input["ttl"].as_u64())
                .unwrap_or(THREE_HOURS);
            let token = issue(
                &input,
                token_room.as_deref().unwrap_or(&room),
                peer,
                lifetime,
            );
            raw(200, json!({ "token": token }).to_string())
        }
        _ => raw(404, "no such route"),
    }
}

fn raw(status: u16, body: impl Into<Body>) -> Response {
    let status = StatusCode::from_u16(status).expect("a status");
    (status, body.into()).into_response()
}

/// The lifetime of every token seen from the infra, when no TTL is asked.
pub const THREE_HOURS: u64 = 10_800;

/// A token as Huddle01's infra issues them: the claims of the 2024 token,
/// filled from the request, living `lifetime` seconds.
pub fn issue(input: &Value, room: &str, peer: usize, lifetime: u64) -> String {
    let iat = now();
    let mute = input["muteOnEntry"].as_bool().unwrap_or(false);
    let video = input["videoOnEntry"].as_bool().unwrap_or(false);
    let room_type = input["roomType"].as_str().unwrap_or("VIDEO");
    let mut claims = json!({
        "roomId": room,
        "muteOnEntry": mute,
        "videoOnEntry": video,
        "roomType": room_type,
    });
    if let Some(role) = input.get("role") {
        claims["role"] = role.clone();
    }
    claims["permissions"] = input["permissions"].clone();
    claims["peerId"] = json!(format!("peerId-fake-{peer}"));
    claims["purpose"] = json!("SDK");
    claims["roomInfo"] = json!({
        "roomLocked": false, "muteOnEntry": mute, "roomType": room_type, "videoOnEntry": video,
    });
    if let Some(metadata) = input.get("metadata") {
        claims["metadata"] = metadata.clone();
    }
    if let Some(options) = input.get("options") {
        claims["options"] = options.clone();
    }
    claims["iat"] = json!(iat);
    claims["iss"] = json!("Huddle01");
    claims["exp"] = json!(iat + lifetime);
    huddle_auth_tests::fixtures::rs256(r#"{"alg":"RS256"}"#, &claims.to_string())
}
