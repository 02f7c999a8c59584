//! Writes the seed corpus: real tokens minted by the crate at the fuzzing
//! clock, for `verify_token`, and their `header NUL payload` bytes, for
//! `verify_signed`. Run from `fuzz/`: `cargo run --example seed_corpus`.

use std::fs;
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use huddle_auth::{
    AccessToken, CustomRole, Permissions, PermissionsPatch, Role, SourcesPatch, TokenSigner,
};
use huddle_auth_fuzz::{api_key, private_keys, verifier, webhook_signer, NOW, WEBHOOK_T};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api_key = api_key();
    let private_keys = private_keys();
    let mut signers: Vec<&dyn TokenSigner> = vec![&api_key];
    signers.extend(private_keys.iter().map(|k| k as &dyn TokenSigner));

    let moderator = CustomRole::new(
        "moderator",
        Permissions {
            admin: true,
            ..Permissions::DEFAULT
        },
    )?;
    let mut tokens = Vec::new();
    for (i, signer) in signers.iter().enumerate() {
        let week = 7 * 24 * 3600;
        tokens.push(
            AccessToken::new(*signer, "abc-defg-hij")
                .ttl(week)
                .to_jwt_at(NOW)?,
        );
        tokens.push(
            AccessToken::new(*signer, "abc-defg-hij")
                .role(Role::Host)
                .metadata(&json!({ "walletAddress": "mizanxali.eth", "seat": [1, 2] }))
                .display_name("Ada")
                .max_peers_allowed(10)
                .peer_id(format!("peer_{i}"))
                .ttl("4h")
                .to_jwt_at(NOW - 60)?,
        );
        tokens.push(
            AccessToken::new(*signer, "room-2")
                .role(moderator.clone())
                .permissions(PermissionsPatch {
                    can_produce_sources: SourcesPatch {
                        cam: Some(false),
                        ..SourcesPatch::default()
                    },
                    ..PermissionsPatch::default()
                })
                .ttl(3600)
                .to_jwt_at(NOW)?,
        );
        tokens.push(
            AccessToken::new(*signer, "r")
                .role(Role::Listener)
                .to_jwt_at(NOW)?,
        );
    }
    let verifier = verifier();
    for token in &tokens {
        verifier.verify_at::<serde_json::Value>(token, NOW)?;
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let raw = root.join("verify_token");
    let signed = root.join("verify_signed");
    fs::create_dir_all(&raw)?;
    fs::create_dir_all(&signed)?;
    for (i, token) in tokens.iter().enumerate() {
        fs::write(raw.join(format!("seed-{i:02}")), token)?;
        let mut parts = token.split('.');
        let header = URL_SAFE_NO_PAD.decode(parts.next().unwrap_or_default())?;
        let payload = URL_SAFE_NO_PAD.decode(parts.next().unwrap_or_default())?;
        fs::write(
            signed.join(format!("seed-{i:02}")),
            [header, payload].join(&0),
        )?;
    }
    let webhooks = webhook_seeds(&root.join("webhook"))?;
    println!("{} seeds in {}", tokens.len() * 2 + webhooks, root.display());
    Ok(())
}

/// Webhook bodies for the `webhook` target: the reference's golden bodies,
/// one event of each kind, and edge cases of V8's form; each alone (the
/// target signs it) and as `header NUL body` under its real header.
fn webhook_seeds(dir: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let vectors: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/data/huddle01-webhook-vectors.json"
    ))?;
    let mut bodies: Vec<String> = vectors
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["rawBody"].as_str().map(str::to_owned))
        .collect();
    bodies.extend(
        [
            r#"{"id":"evt_7","event":"peer:joined","payload":{"id":"p1","sessionId":"s1","roomId":"abc-defg-hij","joinedAt":1750000000000,"browser":{"name":"Chrome"},"device":{"type":"desktop"},"geoData":{"region":"MH","country":"IN"}}}"#,
            r#"{"id":"evt_8","event":"recording:ended","payload":{"id":"r","roomId":"x","sessionId":"s","files":[{"duration":1.5,"size":10,"filename":"a","location":"b"}],"streams":[]}}"#,
            r#"{"id":12.50,"event":"x","payload":{"4294967294":1,"4294967295":2,"a":"\ud83d\ude00\u0001","a":[1e21,1e-7,-0,5e-324,1e400]}}"#,
            " {\n\t\"id\" : \"evt_9\" ,\r\n \"payload\" : [ [ ] , { } ] } ",
        ]
        .map(str::to_owned),
    );
    let signer = webhook_signer();
    fs::create_dir_all(dir)?;
    for (i, body) in bodies.iter().enumerate() {
        let header = signer.sign_at(body.as_bytes(), WEBHOOK_T)?;
        fs::write(dir.join(format!("seed-{i:02}-body")), body)?;
        fs::write(
            dir.join(format!("seed-{i:02}-signed")),
            [header.as_bytes(), body.as_bytes()].join(&0),
        )?;
    }
    Ok(bodies.len() * 2)
}
