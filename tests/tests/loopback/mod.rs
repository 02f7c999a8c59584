//! Serving a router on 127.0.0.1:0 inside a test, and a client that talks to
//! it alone: plain HTTP, no proxy, every request bounded by a timeout.

use std::net::SocketAddr;
use std::time::Duration;

/// How long one request may take before the test fails instead of hanging.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on a free loopback port for the rest of the test's runtime
/// and returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A client for the loopback server: proxies from the environment are
/// ignored, so requests never leave the machine.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}
