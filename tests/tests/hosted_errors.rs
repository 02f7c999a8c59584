//! The hosted client's failures against the loopback fake of Huddle01's
//! infra: each error status, a slow infra, every kind of invalid response,
//! an unreachable one, and bad input refused with no request made.

mod hosted;

use std::time::{Duration, Instant};

use huddle_auth::hosted::{HostedError, Huddle01Client};
use huddle_auth::PermissionsPatch;
use serde_json::json;

use hosted::{Fake, Mode, API_KEY, KNOWN_ROOM};

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
            "permissions.canProduceSources.cam",
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
            "options.maxPeersAllowed",
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
    // Visible ASCII is 0x21 to 0x7E: no space, nothing beyond ASCII.
    for key in [
        "ak live",
        " ak_live",
        "ak_live\t",
        "ak_\u{e9}t\u{e9}",
        "ak\u{7f}",
    ] {
        let Err(HostedError::Input(error)) = Huddle01Client::new(key) else {
            panic!("{key:?} was accepted");
        };
        assert_eq!(error.field(), Some("apiKey"), "{key:?}");
        assert_eq!(
            error.to_string(),
            "apiKey: must be visible ASCII without spaces (it is sent as a header)"
        );
    }
    assert!(Huddle01Client::new("!~ak_live_0123").is_ok());
    let with_url = |url: &str| Huddle01Client::builder(API_KEY).base_url(url).build();
    assert_eq!(field(with_url("not a url")), Some("baseUrl"));
    assert_eq!(field(with_url("ftp://example.com")), Some("baseUrl"));
    assert_eq!(field(with_url("https://example.com/?q=1")), Some("baseUrl"));
    let zero = Huddle01Client::builder(API_KEY)
        .timeout(Duration::ZERO)
        .build();
    assert_eq!(field(zero), Some("timeout"));
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

#[test]
fn a_base_url_in_clear_off_loopback_is_refused_when_the_client_is_built() {
    // Refused before any I/O: `build` opens no connection, so these hosts
    // are only ever strings here.
    for (url, host) in [
        ("http://10.255.255.1", "10.255.255.1"),
        (
            "http://infra-api.huddle01.workers.dev",
            "infra-api.huddle01.workers.dev",
        ),
        ("http://[2001:db8::1]:8080/", "[2001:db8::1]"),
        ("http://0.0.0.0:9", "0.0.0.0"),
    ] {
        let Err(HostedError::Input(error)) = Huddle01Client::builder(API_KEY).base_url(url).build()
        else {
            panic!("{url} was accepted");
        };
        assert_eq!(error.field(), Some("baseUrl"), "{url}");
        let message = error.to_string();
        assert_eq!(
            message,
            format!(
                "baseUrl: must use https; plain http is allowed only to loopback \
                 (127.0.0.0/8, ::1, localhost), not to {host}"
            )
        );
        assert!(!message.contains(API_KEY), "{message}");
    }
    let refused = |url: &str| match Huddle01Client::builder(API_KEY).base_url(url).build() {
        Err(HostedError::Input(error)) => error.to_string(),
        Ok(client) => panic!("{url} was accepted as {client:?}"),
        Err(other) => panic!("{url}: {other:?}"),
    };
    assert_eq!(
        refused("ftp://example.com"),
        "baseUrl: must use https, not ftp:"
    );
    assert_eq!(
        refused("https://user:hunter2@example.com"),
        "baseUrl: must not carry a user name or password"
    );
    for url in [
        "https://infra-api.huddle01.workers.dev",
        "https://10.255.255.1",
        "http://127.0.0.1:9",
        "http://127.8.9.10",
        "http://[::1]:9",
        "http://localhost:9",
    ] {
        assert!(
            Huddle01Client::builder(API_KEY)
                .base_url(url)
                .build()
                .is_ok(),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_token_that_lives_longer_than_the_ttl_asked_is_refused() {
    let fake = Fake::start().await;
    let client = fake.client();
    fake.set_mode(Mode::Lifetime(hosted::THREE_HOURS));
    let error = client
        .peer_token(KNOWN_ROOM)
        .ttl("2h")
        .to_jwt()
        .await
        .expect_err("3 h is longer than 2 h");
    assert_eq!(
        error,
        HostedError::InvalidResponse {
            reason: "the token lives 10800 s, longer than the ttl of 7200 s asked for".to_owned()
        }
    );
    assert_eq!(fake.requests()[0].json()["ttl"], 7200);
    // As long as asked, or shorter, is fine; and without a ttl asked the
    // infra's lifetime is taken as it is.
    client
        .peer_token(KNOWN_ROOM)
        .ttl("3h")
        .to_jwt()
        .await
        .expect("3 h as asked");
    fake.set_mode(Mode::Lifetime(60));
    client
        .peer_token(KNOWN_ROOM)
        .ttl("3h")
        .to_jwt()
        .await
        .expect("shorter than asked");
    fake.set_mode(Mode::Lifetime(30 * 24 * 3600));
    client
        .peer_token(KNOWN_ROOM)
        .to_jwt()
        .await
        .expect("no ttl asked");
    assert!(fake.requests()[3].json().get("ttl").is_none());
}
