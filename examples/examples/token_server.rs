//! The token server: mints access tokens over HTTP for an app's clients.
//!
//! ```text
//! HUDDLE_API_KEY=ak_demo HUDDLE_API_SECRET=... \
//!     cargo run -p huddle-auth-examples --example token_server
//! ```
//!
//! Listens on 127.0.0.1, port `PORT` (default 8080). Signs with HS256 given
//! `HUDDLE_API_SECRET`, or with the PKCS#8 PEM private key at
//! `HUDDLE_PRIVATE_KEY_FILE` (EdDSA, ES256 or RS256, `HUDDLE_API_KEY` as its
//! `kid`, public key at `/.well-known/jwks.json`). The routes are described
//! in `huddle_auth_examples::token_server`.
//!
//! `/me` and `/moderation` verify bearer tokens with that key, unless one of
//! these moves them to a remote JWKS, fetched on first use:
//!
//! ```text
//! HUDDLE_VERIFY_JWKS_URL=https://auth.example.com/.well-known/jwks.json   # this crate's tokens
//! HUDDLE_VERIFY_HUDDLE01=1   # tokens Huddle01's infra issued, keys from
//!                            # https://huddle01.app/jwks.json or HUDDLE01_JWKS_URL
//! ```
//!
//! `HUDDLE_WEBHOOKS=1` opens `POST /webhooks/huddle01`, which verifies
//! Huddle01's webhooks with the API key `HUDDLE_API_KEY`, prints one line per
//! verified event on stdout and answers 204.

use std::process::ExitCode;

use huddle_auth::{TokenProfile, TokenVerifier};
use huddle_auth_examples::token_server::{router, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("token_server: {error}");
            return ExitCode::from(2);
        }
    };
    let addr = config.addr();
    let (alg, kid) = (
        config.signer().algorithm(),
        config.signer().key_id().to_owned(),
    );
    let verifies = match config.verifier().map(TokenVerifier::token_profile) {
        None => "with that key",
        Some(TokenProfile::Huddle01) => "as Huddle01-issued, against Huddle01's JWKS",
        Some(_) => "against the JWKS at HUDDLE_VERIFY_JWKS_URL",
    };
    let webhooks = if config.webhooks().is_some() {
        ", receiving webhooks at POST /webhooks/huddle01"
    } else {
        ""
    };
    let app = match router(config) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("token_server: {error}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("token_server: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(addr);
    eprintln!(
        "token_server: listening on http://{addr}, signing {alg} tokens with key {kid:?}, \
         verifying bearer tokens {verifies}{webhooks}"
    );
    if let Err(error) = axum::serve(listener, app).await {
        eprintln!("token_server: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
