//! Tokens from `token` verify in other standard JWT implementations: PyJWT,
//! and `jose` (the Huddle01 Node SDK's library). Needs
//! `pip install -r tests/interop/requirements.txt` and
//! `npm ci --prefix tests/interop`.

use huddle_auth::Algorithm;
use serde_json::Value;

use crate::support::*;

const SECRET_ENV: &str = "HUDDLE_CLI_INTEROP_SECRET";

fn verify_elsewhere(token: &str, key_args: &[&str]) {
    let interop = repo_root().join("tests/interop");
    assert!(
        interop.join("node_modules/jose").is_dir(),
        "jose is not installed: run `npm ci --prefix tests/interop`"
    );
    for (program, script) in [("python3", "pyjwt_verify.py"), ("node", "jose_verify.mjs")] {
        let output = std::process::Command::new(program)
            .arg(interop.join(script))
            .arg(token)
            .args(key_args)
            .env(SECRET_ENV, SECRET)
            .output()
            .unwrap_or_else(|e| panic!("{program} must be installed to run {script}: {e}"));
        assert!(
            output.status.success(),
            "{script} refused a token from `huddle-auth token`: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let payload: Value =
            serde_json::from_slice(&output.stdout).expect("the script prints JSON");
        assert_eq!(payload["roomId"], ROOM, "{script}");
    }
}

#[test]
fn hs256_tokens_verify_in_pyjwt_and_jose() {
    let token = mint(&[
        "--role",
        "host",
        "--metadata",
        r#"{"walletAddress":"mizanxali.eth"}"#,
    ]);
    verify_elsewhere(&token, &["--secret-env", SECRET_ENV]);
}

#[test]
fn key_file_tokens_verify_in_pyjwt_and_jose_with_the_keygen_jwks() {
    let dir = temp_dir();
    let jwks = dir.path().join("jwks.json");
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let kid = format!("interop-{alg}");
        let pem = keygen(dir.path(), alg, &kid);
        let assert = run(sign_with(&pem, &kid).args(["--role", "speaker"])).success();
        verify_elsewhere(
            stdout_of(&assert).trim(),
            &["--jwks", jwks.to_str().expect("a UTF-8 path")],
        );
    }
}

#[test]
fn rsa_keys_of_every_size_from_keygen_verify_in_pyjwt_and_jose() {
    let dir = temp_dir();
    let jwks = dir.path().join("jwks.json");
    for bits in ["2048", "3072", "4096"] {
        let kid = format!("interop-rsa-{bits}");
        let pem = keygen_rsa(dir.path(), bits, &kid);
        let assert = run(sign_with(&pem, &kid).args(["--role", "speaker"])).success();
        verify_elsewhere(
            stdout_of(&assert).trim(),
            &["--jwks", jwks.to_str().expect("a UTF-8 path")],
        );
    }
}
