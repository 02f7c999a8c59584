//! Serving a router on 127.0.0.1:0 inside a test, and a client that talks to
//! it alone: plain HTTP, no proxy, every request bounded by a timeout.

#![allow(dead_code)] // each test binary uses part of it

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt as _;

/// How long one request may take before the test fails instead of hanging.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on a free loopback port for the rest of the test's runtime
/// and returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(app: axum::Router) -> String {
    serve_counting(app).await.0
}

/// Serves `document` at `/jwks.json` as `application/json` and returns
/// that URL.
pub async fn serve_jwks(document: serde_json::Value) -> String {
    let body = document.to_string();
    let app = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
        }),
    );
    format!("{}/jwks.json", serve(app).await)
}

/// Serves `app` like [`serve`], and also returns the number of TCP
/// connections accepted so far, for tests of connection reuse.
pub async fn serve_counting(app: axum::Router) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), connections)
}

/// A client for the loopback server: proxies from the environment are
/// ignored, so requests never leave the machine.
pub fn client() -> reqwest::Client {
    // huddle-auth's `hosted` feature turns on reqwest's `rustls-no-provider`,
    // and with no process-wide provider reqwest refuses to build a client.
    // Already installed (by another test of this binary) is fine.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}
