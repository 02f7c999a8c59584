//! Tokens minted here verify in other standard JWT implementations — PyJWT
//! and `jose`, the library of the Huddle01 Node SDK — and tokens PyJWT mints
//! verify here; and a token shaped as Huddle01's infra issues them (RS256,
//! no kid) verifies in all three against one kid-less JWKS. Needs `pip install -r tests/interop/requirements.txt` and
//! `npm ci --prefix tests/interop` (`.ci/run` does both).

use std::path::PathBuf;
use std::process::Command;

use huddle_auth::{
    AccessToken, Algorithm, ApiKey, FetchFuture, JwksSource, KeySet, PrivateKey, RemoteJwks, Role,
    TokenProfile, TokenVerifier,
};
use serde_json::{json, Value};

const SECRET: &str = "an interop secret that is long enough for HS256";
const SECRET_ENV: &str = "HUDDLE_INTEROP_SECRET";
const ROOM: &str = "abc-defg-hij";

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// Runs one of the interop scripts and returns the payload it verified.
fn run(program: &str, script: &str, args: &[&str]) -> Result<Value, String> {
    let dir = interop_dir();
    if program == "node" {
        assert!(
            dir.join("node_modules/jose").is_dir(),
            "jose is not installed: run `npm ci --prefix tests/interop`"
        );
    }
    let output = Command::new(program)
        .arg(dir.join(script))
        .args(args)
        .env(SECRET_ENV, SECRET)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed to run {script}: {e}"));
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    Ok(serde_json::from_str(stdout.trim()).expect("the script prints JSON"))
}

fn verify_everywhere(token: &str, key_args: &[&str]) -> Vec<Value> {
    let mut args = vec![token];
    args.extend_from_slice(key_args);
    [("python3", "pyjwt_verify.py"), ("node", "jose_verify.mjs")]
        .iter()
        .map(|(program, script)| {
            run(program, script, &args)
                .unwrap_or_else(|e| panic!("{script} refused a valid token: {e}"))
        })
        .collect()
}

/// Writes `jwks` to a temporary file named after `name`.
fn write_jwks(name: &str, jwks: &impl serde::Serialize) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "huddle-auth-interop-{}-{name}.json",
        std::process::id(),
    ));
    std::fs::write(&path, serde_json::to_vec(jwks).expect("JWKS serializes"))
        .expect("the temp dir is writable");
    path
}

fn assert_payload(payload: &Value, kid: &str) {
    assert_eq!(payload["roomId"], json!(ROOM));
    assert_eq!(payload["projectId"], json!(kid));
    assert_eq!(payload["role"], json!("host"));
    assert_eq!(payload["permissions"], json!(Role::Host.permissions()));
    assert_eq!(
        payload["metadata"],
        json!("{\"walletAddress\":\"mizanxali.eth\"}")
    );
}

fn mint(key: &dyn huddle_auth::TokenSigner) -> String {
    AccessToken::new(key, ROOM)
        .role(Role::Host)
        .metadata(&json!({"walletAddress": "mizanxali.eth"}))
        .to_jwt()
        .expect("mints")
}

#[test]
fn hs256_tokens_verify_with_pyjwt_and_jose() {
    let key = ApiKey::new("ak_interop", SECRET).expect("a key");
    let token = mint(&key);
    for payload in verify_everywhere(&token, &["--secret-env", SECRET_ENV]) {
        assert_payload(&payload, "ak_interop");
    }
}

#[test]
fn asymmetric_tokens_verify_with_pyjwt_and_jose() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let kid = format!("interop-{alg}");
        let key = PrivateKey::generate(alg, &kid).expect("generates");
        let jwks = write_jwks(key.kid(), &key.jwks());
        let token = mint(&key);
        let jwks_arg = jwks.to_str().expect("a UTF-8 path");
        for payload in verify_everywhere(&token, &["--jwks", jwks_arg]) {
            assert_payload(&payload, &kid);
        }
        std::fs::remove_file(&jwks).expect("cleans up");
    }
}

/// RSA keys of every size `generate_rsa` makes, saved as PKCS#8 and loaded
/// back through the same path as any key file, sign tokens that PyJWT and
/// jose verify.
#[test]
fn generated_rsa_keys_of_every_size_verify_with_pyjwt_and_jose() {
    for bits in [2048, 3072, 4096] {
        let kid = format!("interop-rsa-{bits}");
        let generated = PrivateKey::generate_rsa(bits, &kid).expect("generates");
        let pem = generated.to_pkcs8_pem().expect("PKCS#8");
        let key = PrivateKey::from_pkcs8_pem(&kid, &pem).expect("loads back");
        let jwks = write_jwks(key.kid(), &key.jwks());
        let n = serde_json::to_value(key.public_jwk()).expect("JWK")["n"]
            .as_str()
            .map(|n| huddle_auth_tests::fixtures::unb64(n).len());
        assert_eq!(n, Some(bits / 8), "a {bits}-bit modulus");
        let token = mint(&key);
        let jwks_arg = jwks.to_str().expect("a UTF-8 path");
        for payload in verify_everywhere(&token, &["--jwks", jwks_arg]) {
            assert_payload(&payload, &kid);
        }
        std::fs::remove_file(&jwks).expect("cleans up");
    }
}

#[test]
fn a_forged_token_is_refused_by_pyjwt_and_jose_too() {
    let key = ApiKey::new("ak_interop", SECRET).expect("a key");
    let other = ApiKey::new("ak_interop", "another secret that is also long enough").expect("key");
    let token = mint(&other);
    let args = [token.as_str(), "--secret-env", SECRET_ENV];
    assert!(run("python3", "pyjwt_verify.py", &args).is_err());
    assert!(run("node", "jose_verify.mjs", &args).is_err());
    assert!(TokenVerifier::new()
        .with_api_key(&key)
        .expect("one key")
        .verify(&token)
        .is_err());
}

/// The token `pyjwt_mint.py` prints for `args`.
fn pyjwt_mint(args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg(interop_dir().join("pyjwt_mint.py"))
        .args(args)
        .env(SECRET_ENV, SECRET)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("UTF-8");
    token.trim().to_owned()
}

#[test]
fn tokens_minted_by_pyjwt_verify_here() {
    let token = pyjwt_mint(&[
        "--kid",
        "ak_py",
        "--secret-env",
        SECRET_ENV,
        "--room",
        ROOM,
        "--role",
        "speaker",
    ]);
    let key = ApiKey::new("ak_py", SECRET).expect("a key");
    let claims = TokenVerifier::new()
        .with_api_key(&key)
        .expect("one key")
        .require_room(ROOM)
        .verify(&token)
        .expect("a PyJWT token verifies");
    assert_eq!(claims.role(), Some("speaker"));
    assert_eq!(
        claims.metadata(),
        Some(&json!({"walletAddress": "mizanxali.eth"}))
    );
}

/// A JWKS document held in memory, for a remote-backed verifier.
#[derive(Debug)]
struct Document(Vec<u8>);

impl JwksSource for Document {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

#[test]
fn a_huddle01_shaped_token_verifies_in_jose_pyjwt_and_here_with_one_kid_less_jwks() {
    let key_file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/keys/rsa-4096-private.pem");
    let key_file = key_file.to_str().expect("a UTF-8 path");
    let token = pyjwt_mint(&["--huddle01", key_file, "--room", ROOM, "--role", "audience"]);
    let token = token.as_str();
    // {"alg":"RS256"} and nothing else, as Huddle01's infra writes it.
    assert!(token.starts_with("eyJhbGciOiJSUzI1NiJ9."), "{token}");

    let jwks = json!({ "keys": [huddle_auth_tests::fixtures::rsa_4096_jwk(None)] });
    let path = write_jwks("huddle01", &jwks);

    let as_written = json!({
        "admin": false,
        "canConsume": true,
        "canProduce": false,
        "canProduceSources": { "cam": true, "mic": true, "screen": true },
        "canSendData": true,
        "canRecvData": true,
        "canUpdateMetadata": true,
    });
    let jwks_arg = path.to_str().expect("a UTF-8 path");
    for payload in verify_everywhere(token, &["--huddle01-jwks", jwks_arg]) {
        assert_eq!(payload["iss"], "Huddle01");
        assert_eq!(payload["roomId"], ROOM);
        assert_eq!(payload["role"], "audience");
        assert_eq!(payload["permissions"], as_written);
    }
    std::fs::remove_file(&path).expect("cleans up");

    let cache = RemoteJwks::new(
        Document(jwks.to_string().into_bytes()),
        KeySet::from_remote_jwks,
    );
    let verifier = TokenVerifier::from_remote_jwks(cache)
        .profile(TokenProfile::Huddle01)
        .require_room(ROOM);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let claims = runtime
        .block_on(verifier.verify_async(token))
        .expect("the Huddle01 profile accepts it");
    assert_eq!(claims.issuer(), Some("Huddle01"));
    assert_eq!(claims.role(), Some("audience"));
    // jose and PyJWT hand back the permissions as written; this crate the
    // effective ones: no source without canProduce.
    assert_eq!(
        serde_json::to_value(claims.permissions()).expect("permissions serialize"),
        json!({
            "admin": false,
            "canConsume": true,
            "canProduce": false,
            "canProduceSources": { "cam": false, "mic": false, "screen": false },
            "canSendData": true,
            "canRecvData": true,
            "canUpdateMetadata": true,
        })
    );
}
