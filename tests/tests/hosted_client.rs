//! The hosted client against a loopback fake of Huddle01's infra: each
//! request exactly and its answer, the defaults, connection reuse and
//! concurrent calls (the failures are in `hosted_errors.rs`).

mod hosted;

use std::time::Duration;

use huddle_auth::hosted::Huddle01Client;
use huddle_auth::{role, CustomRole, PermissionsPatch, Role, RoomType, SourcesPatch};
use huddle_auth_tests::fixtures::{segment_json, unb64};
use serde_json::json;

use hosted::{Fake, API_KEY, CREATE_ROOM_PATH, KNOWN_ROOM, PEER_TOKEN_PATH};

role! {
    /// Speaks, never shows a camera, never updates its metadata.
    pub struct Panelist: Speaker {
        canUpdateMetadata: false,
    }
}

/// Asserts the headers every call carries, and that the API key is the only
/// credential among them.
fn assert_common_headers(request: &hosted::Recorded) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("x-api-key"), Some(API_KEY));
    assert_eq!(request.header("x-sdk-version"), Some("2.6.2"));
    assert_eq!(request.header("user-agent"), Some("huddle-auth/0.1.0"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert!(request.header("authorization").is_none());
    assert!(request.header("x-api-secret").is_none());
}

#[tokio::test]
async fn create_room_sends_locked_and_metadata_and_returns_the_room_id() {
    let fake = Fake::start().await;
    let room = fake
        .client()
        .create_room()
        .locked(true)
        .metadata("weekly \"sync\"")
        .send()
        .await
        .expect("a room");
    assert_eq!(room, "fake-room-1");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, CREATE_ROOM_PATH);
    assert_common_headers(&requests[0]);
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r#"{"roomLocked":true,"metadata":"weekly \"sync\""}"#
    );
}

#[tokio::test]
async fn create_room_without_options_sends_an_empty_object() {
    let fake = Fake::start().await;
    fake.client().create_room().send().await.expect("a room");
    assert_eq!(fake.requests()[0].body, b"{}");
}

#[tokio::test]
async fn peer_token_request_carries_every_input_and_returns_the_infra_token() {
    let fake = Fake::start().await;
    let token = fake
        .client()
        .peer_token(KNOWN_ROOM)
        .role(Role::Host)
        .metadata(&json!({ "displayName": "Ada" }))
        .max_peers_allowed(8)
        .room_type(RoomType::Audio)
        .mute_on_entry(true)
        .video_on_entry(false)
        .ttl("1h")
        .to_jwt()
        .await
        .expect("a token");

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, PEER_TOKEN_PATH);
    assert_common_headers(request);
    assert_eq!(request.header("cache-control"), Some("no-store, max-age=0"));
    assert_eq!(request.header("pragma"), Some("no-cache"));
    assert_eq!(
        request.json(),
        json!({
            "roomId": "kgg-iyre-bks",
            "permissions": {
                "admin": true, "canConsume": true, "canProduce": true,
                "canProduceSources": { "cam": true, "mic": true, "screen": true },
                "canSendData": true, "canRecvData": true, "canUpdateMetadata": true,
            },
            "role": "host",
            "metadata": "{\"displayName\":\"Ada\"}",
            "options": { "maxPeersAllowed": 8 },
            "roomType": "AUDIO",
            "muteOnEntry": true,
            "videoOnEntry": false,
            "ttl": 3600,
        })
    );

    // The token is the infra's own, in the shape of the 2024 one.
    let segments: Vec<&str> = token.split('.').collect();
    assert_eq!(segments.len(), 3);
    assert_eq!(segment_json(segments[0]), json!({ "alg": "RS256" }));
    let signature = unb64(segments[2]);
    assert_eq!(signature.len(), 512);
    let claims = segment_json(segments[1]);
    assert_eq!(claims["roomId"], "kgg-iyre-bks");
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["roomType"], "AUDIO");
    assert_eq!(claims["muteOnEntry"], true);
}

#[tokio::test]
async fn peer_token_without_inputs_sends_the_sdk_body_default_permissions_and_no_ttl() {
    let fake = Fake::start().await;
    fake.client()
        .peer_token(KNOWN_ROOM)
        .to_jwt()
        .await
        .expect("a token");
    assert_eq!(
        fake.requests()[0].json(),
        json!({
            "roomId": "kgg-iyre-bks",
            "permissions": {
                "admin": false, "canConsume": true, "canProduce": true,
                "canProduceSources": { "cam": true, "mic": true, "screen": true },
                "canSendData": true, "canRecvData": true, "canUpdateMetadata": true,
            },
        })
    );
}

#[tokio::test]
async fn typed_and_custom_roles_send_their_name_and_merged_permissions() {
    let fake = Fake::start().await;
    let client = fake.client();
    client
        .peer_token(KNOWN_ROOM)
        .role(Panelist)
        .to_jwt()
        .await
        .expect("a typed-role token");
    let moderator = CustomRole::with_default_permissions("moderator").expect("a valid role");
    client
        .peer_token(KNOWN_ROOM)
        .role(moderator)
        .permissions(PermissionsPatch {
            admin: Some(true),
            can_produce_sources: SourcesPatch {
                screen: Some(false),
                ..SourcesPatch::default()
            },
            ..PermissionsPatch::default()
        })
        .to_jwt()
        .await
        .expect("a custom-role token");

    let requests = fake.requests();
    assert_eq!(requests[0].json()["role"], "panelist");
    assert_eq!(
        requests[0].json()["permissions"],
        json!({
            "admin": false, "canConsume": true, "canProduce": true,
            "canProduceSources": { "cam": false, "mic": true, "screen": true },
            "canSendData": true, "canRecvData": true, "canUpdateMetadata": false,
        })
    );
    assert_eq!(requests[1].json()["role"], "moderator");
    assert_eq!(
        requests[1].json()["permissions"],
        json!({
            "admin": true, "canConsume": true, "canProduce": true,
            "canProduceSources": { "cam": true, "mic": true, "screen": false },
            "canSendData": true, "canRecvData": true, "canUpdateMetadata": true,
        })
    );
}

#[tokio::test]
async fn a_room_created_then_a_token_for_it() {
    let fake = Fake::start().await;
    let client = fake.client();
    let room = client.create_room().send().await.expect("a room");
    let token = client
        .peer_token(&room)
        .role(Role::Guest)
        .to_jwt()
        .await
        .expect("a token");
    let claims = segment_json(token.split('.').nth(1).expect("a payload"));
    assert_eq!(claims["roomId"], "fake-room-1");
    assert_eq!(claims["role"], "guest");
}

#[test]
fn defaults_are_the_sdk_infra_and_ten_seconds() {
    let client = Huddle01Client::new(API_KEY).expect("a client");
    assert_eq!(client.base_url(), "https://infra-api.huddle01.workers.dev");
    assert_eq!(client.timeout(), Duration::from_secs(10));
    let trailing = Huddle01Client::builder(API_KEY)
        .base_url("http://127.0.0.1:9/")
        .build()
        .expect("a client");
    assert_eq!(trailing.base_url(), "http://127.0.0.1:9");
}

#[test]
fn debug_output_never_shows_the_api_key() {
    let builder = Huddle01Client::builder(API_KEY);
    let client = builder.clone().build().expect("a client");
    let token = client.peer_token(KNOWN_ROOM).role(Role::Host);
    for debug in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{token:?}"),
    ] {
        assert!(!debug.contains(API_KEY), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }
}

#[tokio::test]
async fn a_hundred_tokens_over_one_client_open_one_connection() {
    let fake = Fake::start().await;
    let client = fake.client();
    for _ in 0..100 {
        client
            .peer_token(KNOWN_ROOM)
            .to_jwt()
            .await
            .expect("a token");
    }
    assert_eq!(fake.request_count(), 100);
    assert_eq!(fake.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_from_many_tasks_each_get_their_room() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Huddle01Client>();

    let fake = Fake::start().await;
    let client = fake.client();
    let rooms: Vec<String> = {
        let mut rooms = Vec::new();
        for _ in 0..4 {
            rooms.push(client.create_room().send().await.expect("a room"));
        }
        rooms
    };
    let mut tasks = Vec::new();
    for i in 0..32 {
        let client = client.clone();
        let room = rooms[i % rooms.len()].clone();
        tasks.push(tokio::spawn(async move {
            let token = client.peer_token(&room).to_jwt().await;
            (room, token)
        }));
    }
    for task in tasks {
        let (room, token) = task.await.expect("the task");
        let token = token.expect("a token");
        let claims = segment_json(token.split('.').nth(1).expect("a payload"));
        assert_eq!(claims["roomId"], room.as_str());
    }
    assert_eq!(fake.request_count(), 36);
}

#[tokio::test]
async fn a_client_handed_in_is_used() {
    let fake = Fake::start().await;
    let http = hosted::loopback::client();
    let client = fake
        .client_builder()
        .http_client(http)
        .build()
        .expect("a client");
    client.create_room().send().await.expect("a room");
    // The crate's headers are set per request, so a client of one's own sends them too.
    assert_common_headers(&fake.requests()[0]);
}
