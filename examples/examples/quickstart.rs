//! Mints a token for a room with a throwaway key, verifies it, and prints the
//! verified claims. Needs no setup:
//!
//! ```sh
//! cargo run -p huddle-auth-examples --example quickstart
//! ```

use huddle_auth::{AccessToken, Algorithm, PrivateKey, Role, TokenVerifier};
use serde::Deserialize;

/// The app's own metadata, typed on both sides.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PeerMetadata {
    wallet_address: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A throwaway Ed25519 key; a real backend loads its key once at start-up.
    let key = PrivateKey::generate(Algorithm::EdDSA, "quickstart-key")?;

    let token = AccessToken::new(&key, "abc-defg-hij")
        .role(Role::Host)
        .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
        .display_name("Mizan")
        .ttl("4h")
        .to_jwt()?;
    println!("token:\n{token}\n");

    // The media server's side: it knows only the published JWKS.
    let jwks = serde_json::to_string(&key.jwks())?;
    let verifier = TokenVerifier::from_jwks(&jwks)?.require_room("abc-defg-hij");
    let claims = verifier.verify_with_metadata::<PeerMetadata>(&token)?;

    println!(
        "verified claims:\n{}\n",
        serde_json::to_string_pretty(&claims)?
    );
    let wallet = claims.metadata().map(|m| m.wallet_address.as_str());
    println!("wallet: {}", wallet.unwrap_or("(none)"));
    println!("may publish video: {}", claims.may_produce("video"));
    println!("may make someone host: {}", claims.may_assign_role("host"));
    Ok(())
}
