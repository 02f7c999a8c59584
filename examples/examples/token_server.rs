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

use std::process::ExitCode;

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
    eprintln!("token_server: listening on http://{addr}, signing {alg} tokens with key {kid:?}");
    if let Err(error) = axum::serve(listener, app).await {
        eprintln!("token_server: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
