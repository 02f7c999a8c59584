//! The `VerifiedWebhook` extractor over real HTTP (a router served on
//! 127.0.0.1:0 in the test), and the token server example's
//! `POST /webhooks/huddle01` (its switch and binary: `token_server.rs`).

mod loopback;

use std::sync::Arc;

use axum::routing::post;
use axum::{Json, Router};
use huddle_auth::axum::VerifiedWebhook;
use huddle_auth::webhooks::{Event, WebhookReceiver, WebhookSigner, SIGNATURE_HEADER};
use huddle_auth::SigningKey;
use huddle_auth_examples::token_server::{router, Config};
use huddle_auth_tests::fixtures::{api_key, now_millis, webhook_header, KID, WEBHOOK_API_KEY};
use reqwest::StatusCode;
use serde_json::{json, Value};

const JOINED: &str = r#"{"id":"evt_9","event":"peer:joined","payload":{"id":"peer_1","sessionId":"s1","roomId":"abc-defg-hij","joinedAt":1700000000000,"browser":{},"device":{}}}"#;

async fn joined(VerifiedWebhook(webhook): VerifiedWebhook) -> Json<Value> {
    let room = match webhook.event() {
        Event::PeerJoined(peer) => peer.room_id.clone(),
        other => format!("not a join: {}", other.name()),
    };
    Json(json!({ "id": webhook.id(), "room": room }))
}

async fn serve(receiver: WebhookReceiver) -> String {
    let app = Router::new()
        .route("/hook", post(joined))
        .with_state(Arc::new(receiver));
    format!("{}/hook", loopback::serve(app).await)
}

/// Posts `body` with these `huddle01-signature` headers.
async fn send(url: &str, body: &str, headers: &[&str]) -> reqwest::Response {
    let mut request = loopback::client().post(url).body(body.to_owned());
    for header in headers {
        request = request.header(SIGNATURE_HEADER, *header);
    }
    request.send().await.expect("the loopback server answers")
}

fn header_now(body: &str) -> String {
    let t = now_millis().to_string();
    webhook_header(WEBHOOK_API_KEY, &t, false, &format!("evt_9.{t}.{body}"))
}

async fn refused(response: reqwest::Response, status: StatusCode, error: &str, reason: &str) {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"].clone();
    assert_eq!(content_type, "application/json");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["error"], json!(error), "{body}");
    assert_eq!(body["reason"], json!(reason), "{body}");
    let description = body["description"].as_str().expect("a description");
    assert!(!description.contains(WEBHOOK_API_KEY), "{description}");
}

#[tokio::test]
async fn a_signed_webhook_reaches_the_handler_typed() {
    let url = serve(WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key")).await;
    let response = send(&url, JOINED, &[&header_now(JOINED)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body, json!({ "id": "evt_9", "room": "abc-defg-hij" }));
}

#[tokio::test]
async fn bad_and_stale_signatures_are_401s() {
    let url = serve(WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key")).await;
    let forged = webhook_header("ak_another", "1", false, JOINED);
    let forged = forged.replacen("t=1", &format!("t={}", now_millis()), 1);
    refused(
        send(&url, JOINED, &[&forged]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_signature",
        "bad_signature",
    )
    .await;
    let t = (now_millis() - 600_000).to_string();
    let stale = webhook_header(WEBHOOK_API_KEY, &t, false, &format!("evt_9.{t}.{JOINED}"));
    refused(
        send(&url, JOINED, &[&stale]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_signature",
        "too_old",
    )
    .await;
    let t = (now_millis() + 600_000).to_string();
    let ahead = webhook_header(WEBHOOK_API_KEY, &t, false, &format!("evt_9.{t}.{JOINED}"));
    refused(
        send(&url, JOINED, &[&ahead]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_signature",
        "from_future",
    )
    .await;
    refused(
        send(&url, JOINED, &[]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_signature",
        "missing_signature",
    )
    .await;
}

#[tokio::test]
async fn malformed_requests_are_400s() {
    let url = serve(WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key")).await;
    let good = header_now(JOINED);
    refused(
        send(&url, JOINED, &[&good, &good]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "repeated_header",
    )
    .await;
    refused(
        send(&url, JOINED, &["t=now,sha256=00"]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "malformed_header",
    )
    .await;
    refused(
        send(&url, JOINED, &[&good.replace("sha256", "sha1")]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "unsupported_algorithm",
    )
    .await;
    refused(
        send(&url, "{\"id\":", &[&good]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "not_json",
    )
    .await;
    refused(
        send(&url, "{\"id\":\"\"}", &[&good]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "no_id",
    )
    .await;
    refused(
        send(&url, "{\"id\":\"\\udc00\"}", &[&good]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "unrepresentable",
    )
    .await;
}

#[tokio::test]
async fn a_body_over_the_cap_is_a_413_without_reading_it_all() {
    let receiver = WebhookReceiver::new(WEBHOOK_API_KEY)
        .expect("a key")
        .max_body_bytes(64);
    let url = serve(receiver).await;
    let big = format!(r#"{{"id":"evt_9","pad":"{}"}}"#, "x".repeat(10_000));
    refused(
        send(&url, &big, &[&header_now(&big)]).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "invalid_request",
        "too_large",
    )
    .await;
}

#[tokio::test]
async fn the_example_route_answers_204_and_only_when_opened() {
    let receiver = WebhookReceiver::new(KID).expect("a key");
    let opened = router(Config::new(SigningKey::Api(api_key())).receive_webhooks(receiver))
        .expect("the router is built");
    let base = loopback::serve(opened).await;
    let url = format!("{base}/webhooks/huddle01");
    let header = WebhookSigner::new(KID)
        .expect("a key")
        .sign(JOINED.as_bytes())
        .expect("signed");
    let response = send(&url, JOINED, &[&header]).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    refused(
        send(&url, JOINED, &[&header_now(JOINED)]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_signature",
        "bad_signature",
    )
    .await;

    let closed = router(Config::new(SigningKey::Api(api_key()))).expect("the router is built");
    let base = loopback::serve(closed).await;
    let response = send(&format!("{base}/webhooks/huddle01"), JOINED, &[&header]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
