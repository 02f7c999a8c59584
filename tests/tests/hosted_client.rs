//! The hosted client against a loopback fake of Huddle01's infra: each
//! request exactly, each answer, each failure, and that bad input is refused
//! with no request made.

mod hosted;

use std::time::{Duration, Instant};

use base64::Engine as _;
use huddle_auth::hosted::{HostedError, Huddle01Client};
use huddle_auth::{role, CustomRole, PermissionsPatch, Role, RoomType, SourcesPatch};
use serde_json::{json, Value};

use hosted::{Fake, Mode, API_KEY, CREATE_ROOM_PATH, KNOWN_ROOM, PEER_TOKEN_PATH};

role! {
    /// Speaks, never shows a camera, never updates its metadata.
    pub struct Panelist: Speaker {
        canUpdateMetadata: false,
    }
}

fn b64_json(segment: &str) -> Value {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
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
    assert_eq!(b64_json(segments[0]), json!({ "alg": "RS256" }));
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segments[2])
        .expect("base64url");
    assert_eq!(signature.len(), 512);
    let claims = b64_json(segments[1]);
    assert_eq!(claims["roomId"], "kgg-iyre-bks");
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["roomType"], "AUDIO");
    assert_eq!(claims["muteOnEntry"], true);
}

#[tokio::test]
async fn peer_token_without_inputs_sends_default_permissions_and_the_default_ttl() {
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
            "ttl": 14400,
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
    let claims = b64_json(token.split('.').nth(1).expect("a payload"));
    assert_eq!(claims["roomId"], "fake-room-1");
    assert_eq!(claims["role"], "guest");
}

#[tokio::test]
async fn status_401_is_the_api_key_rejected() {
    let fake = Fake::start().await;
    let client = Huddle01Client::builder("ak_wrong_key")
        .base_url(&fake.url)
        .build()
        .expect("a client");
    let token = client.peer_token(KNOWN_ROOM).to_jwt().await;
    assert_eq!(token, Err(HostedError::ApiKeyRejected));
    let room = client.create_room().send().await;
    assert_eq!(room, Err(HostedError::ApiKeyRejected));
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn status_404_is_room_not_found_naming_the_room() {
    let fake = Fake::start().await;
    let error = fake
        .client()
        .peer_token("no-such-room")
        .to_jwt()
        .await
        .expect_err("an unknown room");
    assert_eq!(
        error,
        HostedError::RoomNotFound {
            room_id: "no-such-room".to_owned()
        }
    );
    assert!(error.to_string().contains("\"no-such-room\""), "{error}");
}

#[tokio::test]
async fn another_status_keeps_its_code_and_at_most_200_characters_of_body() {
    let fake = Fake::start().await;
    let body = "é".repeat(150) + &"x".repeat(300);
    fake.set_mode(Mode::Raw(503, body.clone().into_bytes()));
    let client = fake.client();
    let expected = HostedError::Status {
        status: 503,
        body: "é".repeat(150) + &"x".repeat(50),
    };
    assert_eq!(
        client.peer_token(KNOWN_ROOM).to_jwt().await,
        Err(expected.clone())
    );
    assert_eq!(client.create_room().send().await, Err(expected));
}

#[tokio::test]
async fn create_room_answering_200_instead_of_201_is_a_status_error() {
    let fake = Fake::start().await;
    fake.set_mode(Mode::Raw(
        200,
        br#"{"message":"ok","data":{"roomId":"r"}}"#.to_vec(),
    ));
    let error = fake
        .client()
        .create_room()
        .send()
        .await
        .expect_err("not 201");
    assert!(
        matches!(error, HostedError::Status { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_infra_times_out() {
    let fake = Fake::start().await;
    fake.set_mode(Mode::Delay(Duration::from_secs(5)));
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("a client");
    let started = Instant::now();
    let error = client
        .peer_token(KNOWN_ROOM)
        .to_jwt()
        .await
        .expect_err("too slow");
    assert_eq!(
        error,
        HostedError::Timeout {
            after: Duration::from_millis(200)
        }
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    let error = client.create_room().send().await.expect_err("too slow");
    assert!(matches!(error, HostedError::Timeout { .. }), "{error:?}");
}

async fn invalid_response(fake: &Fake) -> String {
    match fake.client().peer_token(KNOWN_ROOM).to_jwt().await {
        Err(HostedError::InvalidResponse { reason }) => reason,
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_invalid_response() {
    let fake = Fake::start().await;
    fake.set_mode(Mode::Raw(200, b"<html>gateway</html>".to_vec()));
    let reason = invalid_response(&fake).await;
    assert!(reason.contains("not JSON"), "{reason}");
    let room = fake.client().create_room().send().await;
    fake.set_mode(Mode::Raw(201, b"<html>gateway</html>".to_vec()));
    let room_after = fake.client().create_room().send().await;
    assert!(matches!(room, Err(HostedError::Status { status: 200, .. })));
    assert!(
        matches!(room_after, Err(HostedError::InvalidResponse { .. })),
        "{room_after:?}"
    );
}

#[tokio::test]
async fn json_without_a_token_is_an_invalid_response() {
    let fake = Fake::start().await;
    fake.set_mode(Mode::Raw(200, br#"{"jwt":"a.b.c"}"#.to_vec()));
    let reason = invalid_response(&fake).await;
    assert!(reason.contains("`token`"), "{reason}");
}

#[tokio::test]
async fn a_token_that_is_not_a_compact_jws_is_an_invalid_response() {
    let fake = Fake::start().await;
    for token in ["not-a-jws", "a.b", "e30.e30.", "!!.??.sig"] {
        fake.set_mode(Mode::Raw(
            200,
            json!({ "token": token }).to_string().into_bytes(),
        ));
        let reason = invalid_response(&fake).await;
        assert!(reason.contains("not a compact JWS"), "{token}: {reason}");
    }
}

#[tokio::test]
async fn a_token_for_another_room_is_an_invalid_response() {
    let fake = Fake::start().await;
    fake.set_mode(Mode::TokenFor("other-room-xyz".to_owned()));
    let reason = invalid_response(&fake).await;
    assert_eq!(
        reason,
        r#"the token is for room "other-room-xyz", not "kgg-iyre-bks""#
    );
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused() {
    let fake = Fake::start().await;
    let token = format!("{{\"token\":\"{}\"}}", "a".repeat(64 * 1024));
    fake.set_mode(Mode::Raw(200, token.into_bytes()));
    let reason = invalid_response(&fake).await;
    assert!(reason.contains("65536"), "{reason}");
}

#[tokio::test]
async fn an_unreachable_infra_is_a_transport_error() {
    // Bound then dropped: nothing listens on the port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let client = Huddle01Client::builder(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("a client");
    let error = client.create_room().send().await.expect_err("no listener");
    assert!(matches!(error, HostedError::Transport { .. }), "{error:?}");
    assert!(!error.to_string().contains(API_KEY));
}

#[tokio::test]
async fn every_bad_input_is_refused_with_no_request_made() {
    let fake = Fake::start().await;
    let client = fake.client();
    let rule1 = PermissionsPatch {
        can_produce: Some(false),
        ..PermissionsPatch::default()
    };
    let big_metadata = json!({ "blob": "x".repeat(5200) });
    let cases = [
        ("roomId", client.peer_token("").to_jwt().await),
        (
            "canProduceSources.cam",
            client
                .peer_token(KNOWN_ROOM)
                .permissions(rule1)
                .to_jwt()
                .await,
        ),
        (
            "metadata",
            client
                .peer_token(KNOWN_ROOM)
                .metadata(&big_metadata)
                .to_jwt()
                .await,
        ),
        (
            "maxPeersAllowed",
            client
                .peer_token(KNOWN_ROOM)
                .max_peers_allowed(0)
                .to_jwt()
                .await,
        ),
        ("ttl", client.peer_token(KNOWN_ROOM).ttl(0).to_jwt().await),
        (
            "ttl",
            client.peer_token(KNOWN_ROOM).ttl("45d").to_jwt().await,
        ),
        (
            "peerId",
            client.peer_token(KNOWN_ROOM).peer_id("p1").to_jwt().await,
        ),
        (
            "displayName",
            client
                .peer_token(KNOWN_ROOM)
                .display_name("Ada")
                .to_jwt()
                .await,
        ),
    ];
    for (field, result) in cases {
        match result {
            Err(HostedError::Input(error)) => {
                assert_eq!(error.field(), Some(field), "{error}");
            }
            other => panic!("{field}: expected an input error, got {other:?}"),
        }
    }
    // 1022 characters, 1024 bytes as JSON: accepted. One quote more is 1026.
    let at_limit = "x".repeat(1022);
    let over = "x".repeat(1021) + "\"";
    match client.create_room().metadata(over).send().await {
        Err(HostedError::Input(error)) => {
            assert_eq!(error.field(), Some("metadata"));
            assert!(error.to_string().contains("1025 bytes"), "{error}");
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert_eq!(fake.request_count(), 0);
    client
        .create_room()
        .metadata(at_limit)
        .send()
        .await
        .expect("1024 bytes are allowed");
    assert_eq!(fake.request_count(), 1);
}

#[test]
fn bad_client_settings_are_refused() {
    let field = |result: Result<Huddle01Client, HostedError>| match result {
        Err(HostedError::Input(error)) => error.field(),
        other => panic!("expected an input error, got {other:?}"),
    };
    assert_eq!(field(Huddle01Client::new("")), Some("apiKey"));
    assert_eq!(field(Huddle01Client::new("ak\nx")), Some("apiKey"));
    let with_url = |url: &str| Huddle01Client::builder(API_KEY).base_url(url).build();
    assert_eq!(field(with_url("not a url")), Some("baseUrl"));
    assert_eq!(field(with_url("ftp://example.com")), Some("baseUrl"));
    assert_eq!(field(with_url("https://example.com/?q=1")), Some("baseUrl"));
    let zero = Huddle01Client::builder(API_KEY)
        .timeout(Duration::ZERO)
        .build();
    assert_eq!(field(zero), Some("timeout"));
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
        let claims = b64_json(token.split('.').nth(1).expect("a payload"));
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

#[tokio::test]
async fn no_error_message_contains_the_api_key() {
    let fake = Fake::start().await;
    let client = fake.client();
    let mut messages = Vec::new();
    for mode in [
        Mode::Raw(500, API_KEY.as_bytes().to_vec()),
        Mode::Raw(200, b"{}".to_vec()),
        Mode::TokenFor("elsewhere".to_owned()),
    ] {
        fake.set_mode(mode);
        if let Err(error) = client.peer_token(KNOWN_ROOM).to_jwt().await {
            messages.push(error.to_string());
        }
    }
    assert_eq!(messages.len(), 3);
    for message in &messages {
        assert!(!message.contains(API_KEY), "{message}");
    }
    // A body that echoes the key keeps its text, the key blanked.
    assert_eq!(messages[0], "Huddle01's infra answered 500: <redacted>");
}
