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
use huddle_auth_tests::fixtures::{rsa_4096_jwk, ManualClock};

/// Serves `document` (swappable) at /jwks.json and counts the requests.
async fn serve(document: Arc<Mutex<Value>>) -> (String, Arc<AtomicUsize>) {
    // Slow enough that concurrent callers overlap with one fetch.
    serve_taking(document, Duration::from_millis(100)).await
}

/// Like [`serve`], each answer taking `delay`.
async fn serve_taking(document: Arc<Mutex<Value>>, delay: Duration) -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            let document = document.lock().expect("the document lock").to_string();
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
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
async fn keys_it_cannot_use_are_skipped_and_the_rest_kept() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut private = rsa_4096_jwk(Some("private"));
    private["d"] = json!("AQAB");
    let mut weak = rsa_4096_jwk(Some("weak"));
    // The first 1024 bits of a 4096-bit modulus: a 1024-bit modulus.
    let n = b64
        .decode(weak["n"].as_str().expect("test setup"))
        .expect("test setup");
    weak["n"] = json!(b64.encode(&n[..128]));
    let mut verify_only_elsewhere = rsa_4096_jwk(Some("ops"));
    verify_only_elsewhere["key_ops"] = json!(["encrypt"]);
    let mut wrong_alg = rsa_4096_jwk(Some("alg"));
    wrong_alg["alg"] = json!("ES256");
    let document = json!({"keys": [private, weak, verify_only_elsewhere, wrong_alg, rsa_4096_jwk(Some("k1"))]});
    let (url, _) = serve(Arc::new(Mutex::new(document))).await;
    let set = remote(&url)
        .key_set()
        .await
        .expect("the usable key is kept");
    assert_eq!(set.len(), 1);
    assert!(set.contains("k1"));
    let skipped: Vec<String> = set.skipped().iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            r#"key "private": holds the private or symmetric member "d"; publish public keys only"#,
            r#"key "weak": RSA key: 1024 bits is too small, at least 2048 are required"#,
            r#"key "ops": "key_ops" is ["encrypt"], which does not include "verify""#,
            r#"key "alg": "alg" is "ES256", but the key is for RS256"#,
        ]
    );
}

#[tokio::test]
async fn a_malformed_document_still_refuses_the_whole_set() {
    let twice = json!({"keys": [rsa_4096_jwk(Some("k1")), rsa_4096_jwk(Some("k1"))]});
    let cases = [
        (twice.to_string(), "key id \"k1\": given twice"),
        ("not json".to_owned(), "not valid JSON"),
        (
            r#"{"keys":"none"}"#.to_owned(),
            "expected an object with a \"keys\" array",
        ),
        (r#"{"keys":[],"keys":[]}"#.to_owned(), "keys"),
    ];
    for (body, reason) in cases {
        let app = axum::Router::new().route("/jwks.json", get(move || async move { body }));
        let url = format!("{}/jwks.json", loopback::serve(app).await);
        let error = remote(&url).key_set().await.expect_err("refused");
        assert!(matches!(error, JwksError::Parse { .. }), "{error:?}");
        assert!(error.to_string().contains(reason), "{reason}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetch_outlives_every_caller_and_fills_the_cache() {
    let document = Arc::new(Mutex::new(json!({"keys": [rsa_4096_jwk(Some("k1"))]})));
    // Slower than the callers' deadline.
    let (url, requests) = serve_taking(document, Duration::from_millis(1500)).await;
    let jwks = Arc::new(remote(&url));
    // Ten callers dropped at 300 ms, as a load balancer's deadline would.
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move {
                tokio::time::timeout(Duration::from_millis(300), jwks.key_set()).await
            })
        })
        .collect();
    for caller in callers {
        assert!(caller.await.expect("completes").is_err(), "timed out");
    }
    // A caller that comes while the fetch is in flight joins it.
    let started = std::time::Instant::now();
    let joined = jwks.key_set().await.expect("the fetch in flight");
    assert!(joined.contains("k1"));
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    // And the next is served from the cache.
    assert!(jwks.cached_fresh().is_some_and(|set| set.contains("k1")));
    jwks.key_set().await.expect("cached");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_caller_gone_the_next_finds_the_set_cached() {
    let document = Arc::new(Mutex::new(json!({"keys": [rsa_4096_jwk(Some("k1"))]})));
    let (url, requests) = serve(document).await;
    let jwks = Arc::new(remote(&url));
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move { jwks.key_set().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    for caller in &callers {
        caller.abort();
    }
    for caller in callers {
        let _ = caller.await;
    }
    // The served answer takes 100 ms; wait for it without asking the cache to fetch.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while jwks.cached_fresh().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the fetch never finished"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(jwks.key_set().await.expect("cached").contains("k1"));
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn fifty_serial_calls_to_a_failing_endpoint_make_one_request_per_cooldown() {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { StatusCode::INTERNAL_SERVER_ERROR }
        }),
    );
    let url = format!("{}/jwks.json", loopback::serve(app).await);
    let clock = ManualClock::new();
    let jwks = remote(&url).clock(clock.clone());
    for second in 0..50 {
        let error = jwks.key_set().await.expect_err("the endpoint fails");
        match second {
            0 | 30 => assert_eq!(error, JwksError::Fetch(FetchError::Status { status: 500 })),
            _ => assert!(
                error.to_string().starts_with(
                    "the last fetch of the JWKS failed and is not retried for another "
                ),
                "{second}: {error}"
            ),
        }
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(requests.load(Ordering::SeqCst), 2);
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
