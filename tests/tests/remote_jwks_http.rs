//! The HTTP JWKS source against a real loopback server: a set served and
//! parsed, single flight, rotation, and each hostile answer refused.

mod loopback;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use huddle_auth::{
    FetchError, HttpJwksSource, JwksError, JwksUrl, KeySet, RemoteJwks, RemoteJwksConfig,
};
use serde_json::{json, Value};

// The one RSA fixture in the range this crate accepts; keys differ by `kid`
// (the set is keyed by it), which is what a rotation changes.
use huddle_auth_tests::fixtures::rsa_4096_jwk;

/// Serves `document` (swappable) at /jwks.json and counts the requests.
async fn serve(document: Arc<Mutex<Value>>) -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            let document = document.lock().expect("the document lock").to_string();
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                // Slow enough that concurrent callers overlap with one fetch.
                tokio::time::sleep(Duration::from_millis(100)).await;
                ([(header::CONTENT_TYPE, "application/json")], document)
            }
        }),
    );
    let base = loopback::serve(app).await;
    (format!("{base}/jwks.json"), requests)
}

async fn serve_answer(answer: fn() -> Response) -> String {
    let app = axum::Router::new().route("/jwks.json", get(move || async move { answer() }));
    format!("{}/jwks.json", loopback::serve(app).await)
}

fn remote(url: &str) -> RemoteJwks<KeySet> {
    RemoteJwks::<KeySet>::from_url(url).expect("a loopback URL")
}

async fn fetch_error(answer: fn() -> Response) -> JwksError {
    remote(&serve_answer(answer).await)
        .key_set()
        .await
        .expect_err("a hostile answer is refused")
}

#[tokio::test]
async fn a_served_jwks_is_fetched_and_parsed_with_a_kid_less_key() {
    let document = json!({"keys": [rsa_4096_jwk(Some("k1")), rsa_4096_jwk(None)]});
    let (url, requests) = serve(Arc::new(Mutex::new(document))).await;
    let set = remote(&url).key_set().await.expect("the served set");
    assert_eq!(set.len(), 2);
    assert!(set.contains("k1"));
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_callers_share_one_request() {
    let document = json!({"keys": [rsa_4096_jwk(Some("k1"))]});
    let (url, requests) = serve(Arc::new(Mutex::new(document))).await;
    let jwks = Arc::new(remote(&url));
    let callers: Vec<_> = (0..20)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move { jwks.key_set().await })
        })
        .collect();
    for caller in callers {
        assert!(caller
            .await
            .expect("completes")
            .expect("a set")
            .contains("k1"));
    }
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn after_a_rotation_a_miss_past_the_cooldown_refetches_once() {
    let document = Arc::new(Mutex::new(json!({"keys": [rsa_4096_jwk(Some("old"))]})));
    let (url, requests) = serve(Arc::clone(&document)).await;
    let jwks = remote(&url).config(RemoteJwksConfig::new().miss_cooldown(Duration::ZERO));
    assert!(jwks.key_set().await.expect("completes").contains("old"));
    *document.lock().expect("the document lock") = json!({"keys": [rsa_4096_jwk(Some("new"))]});
    // Within the max age the cached set serves: no request.
    assert!(jwks.key_set().await.expect("completes").contains("old"));
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let after_miss = jwks.key_set_after_miss().await.expect("completes");
    assert!(after_miss.contains("new"));
    assert!(!after_miss.contains("old"));
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let error = fetch_error(|| {
        (StatusCode::FOUND, [(header::LOCATION, "/elsewhere.json")]).into_response()
    })
    .await;
    assert_eq!(error, JwksError::Fetch(FetchError::Status { status: 302 }));
}

#[tokio::test]
async fn a_body_over_256_kib_is_refused() {
    let error = fetch_error(|| "x".repeat(300 * 1024).into_response()).await;
    assert_eq!(
        error,
        JwksError::Fetch(FetchError::TooLarge {
            limit_bytes: 256 * 1024
        })
    );
}

#[tokio::test]
async fn a_non_200_status_is_refused() {
    let error = fetch_error(|| StatusCode::INTERNAL_SERVER_ERROR.into_response()).await;
    assert_eq!(error, JwksError::Fetch(FetchError::Status { status: 500 }));
}

#[tokio::test]
async fn a_key_with_private_members_refuses_the_set() {
    let mut key = rsa_4096_jwk(Some("k1"));
    key["d"] = json!("AQAB");
    let (url, _) = serve(Arc::new(Mutex::new(json!({"keys": [key]})))).await;
    let error = remote(&url).key_set().await.expect_err("refused");
    assert!(matches!(error, JwksError::Parse { .. }), "{error:?}");
    assert!(error.to_string().contains("private"), "{error}");
}

#[tokio::test]
async fn an_rsa_1024_key_refuses_the_set() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut key = rsa_4096_jwk(Some("weak"));
    // The first 1024 bits of a 4096-bit modulus: a 1024-bit modulus.
    let n = b64
        .decode(key["n"].as_str().expect("test setup"))
        .expect("test setup");
    key["n"] = json!(b64.encode(&n[..128]));
    let (url, _) = serve(Arc::new(Mutex::new(json!({"keys": [key]})))).await;
    let error = remote(&url).key_set().await.expect_err("refused");
    assert!(matches!(error, JwksError::Parse { .. }), "{error:?}");
    assert!(error.to_string().contains("1024"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("completes");
    let addr = listener.local_addr().expect("test setup");
    // Accepts and holds each connection without a byte in answer.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let jwks = remote(&format!("http://{addr}/jwks.json"))
        .config(RemoteJwksConfig::new().fetch_timeout(Duration::from_millis(300)));
    let error = jwks.key_set().await.expect_err("timed out");
    assert_eq!(
        error,
        JwksError::Timeout {
            after: Duration::from_millis(300)
        }
    );
}

#[test]
fn an_http_url_off_loopback_is_refused_up_front() {
    let Err(error) = RemoteJwks::<KeySet>::from_url("http://example.com/jwks.json") else {
        panic!("an http URL off loopback was accepted");
    };
    assert!(matches!(error, JwksError::Url { .. }), "{error:?}");
    assert!(error.to_string().contains("https"), "{error}");
}

#[tokio::test]
async fn a_client_handed_in_is_used_and_sends_the_crate_user_agent() {
    let app = axum::Router::new().route(
        "/jwks.json",
        get(|headers: axum::http::HeaderMap| async move {
            let agent = headers[header::USER_AGENT]
                .to_str()
                .expect("test setup")
                .to_owned();
            json!({"keys": [], "agent": agent}).to_string()
        }),
    );
    let url = format!("{}/jwks.json", loopback::serve(app).await);
    let source = HttpJwksSource::with_client(
        JwksUrl::parse(&url).expect("test setup"),
        loopback::client(),
    );
    let jwks = RemoteJwks::new(source, |bytes: &[u8]| {
        serde_json::from_slice::<Value>(bytes)
    });
    let document = jwks.key_set().await.expect("completes");
    let agent = document["agent"].as_str().expect("test setup");
    assert!(agent.starts_with("huddle-auth/"), "{agent}");
}
