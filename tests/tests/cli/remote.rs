//! `verify --jwks-url` and `verify --huddle01` against a JWKS served on
//! loopback, and `decode` of the real token Huddle01's infra issued in 2024.
//! Tokens of Huddle01's profile are the real token's payload re-signed by
//! jsonwebtoken with the hosted fake's RSA-4096 key (`fixtures::rs256`), whose
//! public key the server publishes without a `kid`, as Huddle01 does.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::get;
use huddle_auth::Algorithm;
use predicates::prelude::*;
use serde_json::{json, Value};

use huddle_auth_tests::fixtures::{real_claims_issued_now, rs256, rsa_4096_jwk, REAL_TOKEN};

use crate::support::*;

#[path = "../hosted/mod.rs"]
mod hosted;

/// The token Huddle01's infra issued in 2024 (see `tests/data/README.md`).
const HUDDLE01_ROOM: &str = "kgg-iyre-bks";
/// What the loopback server's URLs look like; the port varies.
const URL_PATTERN: &str = r"http://127\.0\.0\.1:[0-9]+/jwks\.json";

/// The fake infra's public key with no `kid`, as Huddle01 publishes its keys.
fn kid_less_jwks() -> Value {
    json!({ "keys": [rsa_4096_jwk(None)] })
}

/// The real token's payload, issued a minute ago with its three-hour
/// lifetime, signed by the fake infra's key under exactly `{"alg":"RS256"}`.
fn resigned_real_payload() -> String {
    rs256(r#"{"alg":"RS256"}"#, &real_claims_issued_now().to_string())
}

/// `verify --huddle01` with its JWKS URL overridden to `url`, no API key.
fn verify_huddle01(url: &str, token: &str) -> assert_cmd::Command {
    let mut command = cli();
    command
        .env("HUDDLE01_JWKS_URL", url)
        .args(["verify", "--huddle01", token]);
    command
}

/// `verify --jwks-url URL`, no API key and no Huddle01 override.
fn verify_jwks_url(url: &str, token: &str) -> assert_cmd::Command {
    let mut command = cli();
    command
        .env_remove("HUDDLE01_JWKS_URL")
        .args(["verify", "--jwks-url", url, token]);
    command
}

/// An EdDSA key made by `keygen` (kid `k1`) with its `jwks.json` served,
/// and a token of this crate's profile signed with it: the served URL and
/// the token.
async fn serve_own_key() -> (String, String) {
    let (jwks, token) = own_key();
    (hosted::loopback::serve_jwks(jwks).await, token)
}

/// The `jwks.json` of an EdDSA key made by `keygen` (kid `k1`), and a token
/// signed with it.
fn own_key() -> (Value, String) {
    let dir = temp_dir();
    let pem = keygen(dir.path(), Algorithm::EdDSA, "k1");
    let assert = run(&mut sign_with(&pem, "k1")).success();
    let token = stdout_of(&assert).trim().to_owned();
    (read_json(&dir.path().join("jwks.json")), token)
}

/// The refusal of a kid-less token by `--jwks-url`.
const NO_KID: &str = "token rejected: the header has no key id (kid); tokens issued by \
                      Huddle01's infra have none: verify those with --huddle01";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_url_verifies_a_token_of_this_crates_profile_without_an_api_key() {
    let (url, token) = serve_own_key().await;
    let assert = run(verify_jwks_url(&url, &token).args(["--room", ROOM]))
        .success()
        .stderr("");
    let claims = json_stdout(&assert);
    assert_eq!(claims["roomId"], ROOM);
    assert_eq!(claims["projectId"], "k1");
    assert_eq!(claims.get("iss"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_url_refuses_a_wrong_room_and_a_kid_less_token() {
    let (url, token) = serve_own_key().await;
    refused(
        verify_jwks_url(&url, &token).args(["--room", "other-room"]),
        r#"token rejected: roomId: token is for room "abc-defg-hij", expected "other-room""#,
    );
    // A token of Huddle01's (no kid) given to the flag for this crate's
    // profile, against a set whose keys all have one.
    refused(&mut verify_jwks_url(&url, &resigned_real_payload()), NO_KID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huddle01_verifies_the_real_payload_resigned_with_a_kid_less_key() {
    let url = hosted::loopback::serve_jwks(kid_less_jwks()).await;
    let token = resigned_real_payload();
    let header = token.split('.').next().expect("a header");
    assert_eq!(
        huddle_auth_tests::fixtures::unb64(header),
        br#"{"alg":"RS256"}"#
    );
    let assert = run(verify_huddle01(&url, &token).args(["--room", HUDDLE01_ROOM]))
        .success()
        .stderr("");
    let claims = json_stdout(&assert);
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["roomId"], HUDDLE01_ROOM);
    assert_eq!(claims["purpose"], "SDK");
    assert_eq!(claims["peerId"], "peerId-SXFB-awk0EUhurwQ3e5Jb");
    assert_eq!(
        claims["roomInfo"],
        json!({"roomLocked": false, "muteOnEntry": false, "roomType": "VIDEO", "videoOnEntry": false})
    );
    assert_eq!(claims["role"], "host");
    assert_eq!(claims["permissions"]["canProduceSources"]["cam"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huddle01_refuses_the_real_token_signed_by_another_key() {
    // Huddle01's own key signed it; the served set holds only the test key.
    let url = hosted::loopback::serve_jwks(kid_less_jwks()).await;
    refused(
        &mut verify_huddle01(&url, REAL_TOKEN.trim()),
        "token rejected: bad signature",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huddle01_refuses_a_token_of_this_crates_profile_naming_iss() {
    let (url, token) = serve_own_key().await;
    refused(
        &mut verify_huddle01(&url, &token),
        r#"token rejected: iss: the token names no issuer, expected "Huddle01""#,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_answering_500_exits_1_naming_the_status() {
    let app = axum::Router::new().route(
        "/jwks.json",
        get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "down") }),
    );
    let url = format!("{}/jwks.json", hosted::loopback::serve(app).await);
    let token = resigned_real_payload();
    refused(
        &mut verify_jwks_url(&url, &token),
        &format!(
            "--jwks-url {url}: the key set is unavailable: fetching the JWKS failed: \
             the server answered 500, not 200"
        ),
    );
    refused(
        &mut verify_huddle01(&url, &token),
        &format!(
            "HUDDLE01_JWKS_URL {url}: the key set is unavailable: fetching the JWKS failed: \
             the server answered 500, not 200"
        ),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_exits_1_after_the_fetch_timeout() {
    let app = axum::Router::new().route(
        "/jwks.json",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            "never sent"
        }),
    );
    let url = format!("{}/jwks.json", hosted::loopback::serve(app).await);
    let started = Instant::now();
    let line = rejected(
        &mut verify_huddle01(&url, &resigned_real_payload()),
        "the key set is unavailable: fetching the JWKS timed out after 5s",
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(5),
        "gave up before the timeout: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(15),
        "took {elapsed:?}: {line}"
    );
    assert!(
        predicate::str::is_match(format!(r"\Aerror: HUDDLE01_JWKS_URL {URL_PATTERN}: "))
            .expect("a valid regex")
            .eval(&line),
        "{line}"
    );
}

#[test]
fn http_to_another_host_is_refused_up_front_naming_https() {
    let https = "JWKS URL: must use https; plain http is allowed only to loopback \
                 (127.0.0.0/8, ::1, localhost), not to example.com";
    refused(
        &mut verify_jwks_url("http://example.com/jwks.json", REAL_TOKEN.trim()),
        &format!("--jwks-url: {https}"),
    );
    refused(
        &mut verify_huddle01("http://example.com/jwks.json", REAL_TOKEN.trim()),
        &format!("HUDDLE01_JWKS_URL: {https}"),
    );
}

#[test]
fn key_sources_exclude_each_other() {
    for flags in [
        [
            "--jwks",
            "jwks.json",
            "--jwks-url",
            "https://example.com/jwks.json",
        ],
        ["--jwks", "jwks.json", "--huddle01", "--room=r"],
    ] {
        let stderr = usage_error(cli().arg("verify").args(flags).arg(REAL_TOKEN.trim()));
        assert!(
            stderr.contains("cannot be used with"),
            "{flags:?}: {stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huddle01_with_jwks_url_verifies_huddle01_tokens_over_that_url() {
    let url = hosted::loopback::serve_jwks(kid_less_jwks()).await;
    // The flag's URL wins over the variable's, which would be refused.
    let assert = run(cli()
        .env("HUDDLE01_JWKS_URL", "http://example.com/jwks.json")
        .args(["verify", "--huddle01", "--jwks-url", &url])
        .args(["--room", HUDDLE01_ROOM, &resigned_real_payload()]))
    .success()
    .stderr("");
    let claims = json_stdout(&assert);
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["roomId"], HUDDLE01_ROOM);
    // Huddle01's profile over that URL: a token of this crate's is refused.
    let (own_url, own_token) = serve_own_key().await;
    refused(
        cli().env_remove("HUDDLE01_JWKS_URL").args([
            "verify",
            "--huddle01",
            "--jwks-url",
            &own_url,
            &own_token,
        ]),
        r#"token rejected: iss: the token names no issuer, expected "Huddle01""#,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_url_requires_a_kid_even_when_the_set_has_kid_less_keys() {
    // The very key that signed the token, published without a kid: this
    // crate's profile still wants the token to name its key.
    let url = hosted::loopback::serve_jwks(kid_less_jwks()).await;
    refused(&mut verify_jwks_url(&url, &resigned_real_payload()), NO_KID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_reports_the_skipped_keys_on_stderr_and_only_then() {
    let (mut jwks, token) = own_key();
    let mut encryption = rsa_4096_jwk(Some("enc-1"));
    encryption["use"] = json!("enc");
    let keys = jwks["keys"].as_array_mut().expect("a keys array");
    keys.push(encryption);
    keys.push(json!({ "kty": "EC", "crv": "P-384", "x": "AAAA", "y": "AAAA" }));
    let url = hosted::loopback::serve_jwks(jwks).await;

    let quiet = run(&mut verify_jwks_url(&url, &token)).success().stderr("");
    assert_eq!(json_stdout(&quiet)["projectId"], "k1");
    let verbose = run(verify_jwks_url(&url, &token).arg("--verbose")).success();
    assert_eq!(json_stdout(&verbose)["projectId"], "k1");
    assert_eq!(
        stderr_of(&verbose),
        format!(
            "--jwks-url {url}: 2 keys skipped\n  \
             key \"enc-1\": \"use\" is \"enc\", not \"sig\"\n  \
             key without a kid: EC curve \"P-384\" is not supported, only P-256\n"
        )
    );
}

#[test]
fn a_huddle01_token_checked_without_a_key_set_asks_for_huddle01() {
    refused(
        cli_with_key().args(["verify", REAL_TOKEN.trim()]),
        r#"--huddle01: missing: the token is signed with RS256 by Huddle01's infra (iss "Huddle01"), which HUDDLE_API_SECRET cannot check; pass --huddle01 to verify it with Huddle01's key set"#,
    );
}

#[test]
fn decode_shows_the_real_huddle01_token() {
    let assert = run(cli().args(["decode", REAL_TOKEN.trim()]))
        .success()
        .stderr(predicate::str::starts_with("UNVERIFIED: "));
    assert_eq!(
        json_stdout(&assert),
        json!({
            "status": "UNVERIFIED",
            "header": {"alg": "RS256"},
            "claims": {
                "roomId": "kgg-iyre-bks",
                "muteOnEntry": false,
                "videoOnEntry": false,
                "roomType": "VIDEO",
                "role": "host",
                "permissions": {
                    "admin": true, "canConsume": true, "canProduce": true,
                    "canProduceSources": {"cam": true, "mic": true, "screen": true},
                    "canSendData": true, "canRecvData": true, "canUpdateMetadata": true
                },
                "peerId": "peerId-SXFB-awk0EUhurwQ3e5Jb",
                "purpose": "SDK",
                "roomInfo": {
                    "roomLocked": false, "muteOnEntry": false,
                    "roomType": "VIDEO", "videoOnEntry": false
                },
                "iat": 1_727_800_826,
                "iss": "Huddle01",
                "exp": 1_727_811_626
            }
        })
    );
    // The header as the token carries it, byte for byte.
    let header = REAL_TOKEN.split('.').next().expect("a header");
    assert_eq!(
        huddle_auth_tests::fixtures::unb64(header),
        br#"{"alg":"RS256"}"#
    );
}

#[test]
fn verify_help_shows_the_remote_flags_and_their_variable() {
    run(cli().args(["verify", "--help"]))
        .success()
        .stdout(predicate::str::contains(
            "huddle-auth verify \"$TOKEN\" --jwks-url https://",
        ))
        .stdout(predicate::str::contains(
            "huddle-auth verify \"$TOKEN\" --huddle01",
        ))
        .stdout(predicate::str::contains(
            "HUDDLE01_JWKS_URL  the JWKS URL of --huddle01 [default: https://huddle01.app/jwks.json]",
        ));
}
