//! `huddle-auth verify`: the claims it prints, what it refuses, and what it
//! says instead of a bare refusal when the input is not a token at all.

use huddle_auth::{AccessToken, Algorithm, Role};
use huddle_auth_tests::fixtures::{b64, impostor, mint_expired, STRANGER_KID};
use serde_json::json;

use crate::support::*;

#[test]
fn prints_the_claims_as_wire_json() {
    let token = mint(&[
        "--role",
        "speaker",
        "--metadata",
        r#"{"z":1,"a":2}"#,
        "--max-peers",
        "3",
    ]);
    let assert = run(cli_with_key().args(["verify", &token]))
        .success()
        .stderr("");
    let claims = json_stdout(&assert);
    assert_eq!(claims["roomId"], ROOM);
    assert_eq!(claims["projectId"], KID);
    assert_eq!(claims["role"], "speaker");
    // Metadata as the token carries it: a JSON string.
    assert_eq!(claims["metadata"], r#"{"z":1,"a":2}"#);
    assert_eq!(claims["options"], json!({ "maxPeersAllowed": 3 }));
    assert_eq!(
        claims["permissions"],
        serde_json::to_value(Role::Speaker.permissions()).expect("serializable")
    );
    for claim in ["peerId", "iat", "nbf", "exp", "jti"] {
        assert!(claims.get(claim).is_some(), "{claim} missing");
    }
}

#[test]
fn reads_the_token_from_stdin_ignoring_whitespace() {
    let token = mint(&[]);
    let padded = format!("  \n\t{token} \n\n");
    let assert = run(cli_with_key()
        .args(["verify", "-"])
        .write_stdin(padded.clone()))
    .success();
    assert_eq!(json_stdout(&assert)["roomId"], ROOM);
    // Without an argument, stdin too.
    let assert = run(cli_with_key().arg("verify").write_stdin(padded)).success();
    assert_eq!(json_stdout(&assert)["roomId"], ROOM);
    refused(
        cli_with_key().args(["verify", "-"]).write_stdin(" \n"),
        "stdin: is empty",
    );
}

#[test]
fn requires_the_room_when_asked() {
    let token = mint(&[]);
    run(cli_with_key().args(["verify", &token, "--room", ROOM])).success();
    rejected(
        cli_with_key().args(["verify", &token, "--room", "another-room"]),
        "token rejected: roomId: token is for room",
    );
}

#[test]
fn rejects_a_token_signed_with_another_secret() {
    let token = AccessToken::new(&impostor(), ROOM)
        .to_jwt()
        .expect("minted");
    rejected(
        cli_with_key().args(["verify", &token]),
        "token rejected: bad signature",
    );
}

#[test]
fn rejects_a_tampered_payload() {
    let token = mint(&["--role", "listener"]);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let host = mint(&["--role", "host"]);
    parts[1] = host.split('.').nth(1).expect("a payload").to_owned();
    rejected(
        cli_with_key().args(["verify", &parts.join(".")]),
        "bad signature",
    );
}

#[test]
fn rejects_an_expired_token() {
    let token = mint_expired(&api_key());
    rejected(
        cli_with_key().args(["verify", &token]),
        "token rejected: token expired",
    );
}

#[test]
fn rejects_alg_none() {
    let header = b64(format!(r#"{{"alg":"none","typ":"JWT","kid":"{KID}"}}"#));
    let payload = mint(&[]).split('.').nth(1).expect("a payload").to_owned();
    rejected(
        cli_with_key().args(["verify", &format!("{header}.{payload}.")]),
        "token rejected: ",
    );
}

#[test]
fn rejects_malformed_and_oversized_tokens() {
    for token in ["abc", "a-b-c", "...."] {
        refused(
            cli_with_key().args(["verify", token]),
            "token: is not a JWT: a compact JWS has exactly three segments separated by '.'",
        );
    }
    for token in ["a.b.c", "e30.e30.e30"] {
        rejected(
            cli_with_key().args(["verify", token]),
            "error: token rejected: malformed token ",
        );
    }
    let huge = "a".repeat(40_000);
    rejected(
        cli_with_key().args(["verify", "-"]).write_stdin(huge),
        "token rejected: token is 40000 bytes",
    );
}

#[test]
fn a_file_path_instead_of_a_token_is_named_as_such() {
    let dir = temp_dir();
    let file = dir.path().join("tok.txt");
    std::fs::write(&file, mint(&[])).expect("write");
    let path = utf8(&file);
    for argument in [path, "tok.txt", "token.jwt", "keys/token"] {
        let message = rejected(cli_with_key().args(["verify", argument]), "error: token: ");
        assert_eq!(
            message,
            format!(
                "error: token: {argument:?} looks like a file path; pass the token itself, or \
                 `-` to read it from stdin (`- < {argument}`)\n"
            )
        );
        assert!(!message.contains("token token"), "{message}");
    }
    // What the message says to do works.
    let text = std::fs::read_to_string(&file).expect("read");
    run(cli_with_key().args(["verify", "-"]).write_stdin(text)).success();
}

#[test]
fn two_tokens_on_stdin_or_in_one_argument_are_refused_as_such() {
    let token = mint(&[]);
    refused(
        cli_with_key()
            .args(["verify", "-"])
            .write_stdin(format!("{token}\n{token}\n")),
        "stdin: holds 2 words separated by whitespace, not one token; pass one token at a time",
    );
    refused(
        cli_with_key().args(["verify", &format!("{token} {token} {token}")]),
        "token: holds 3 words separated by whitespace, not one token; pass one token at a time",
    );
}

#[test]
fn rejects_a_token_for_another_key_id() {
    let token = mint(&[]);
    rejected(
        cli_with_key()
            .env("HUDDLE_API_KEY", STRANGER_KID)
            .args(["verify", &token]),
        "token rejected: unknown key id",
    );
}

#[test]
fn needs_the_secret_or_a_jwks() {
    let token = mint(&[]);
    rejected(
        cli().env("HUDDLE_API_KEY", KID).args(["verify", &token]),
        "HUDDLE_API_SECRET: not set",
    );
    rejected(
        cli()
            .env("HUDDLE_API_SECRET", SECRET)
            .args(["verify", &token]),
        "HUDDLE_API_KEY: not set",
    );
}

#[test]
fn verifies_with_a_jwks_file_and_rejects_a_bad_one() {
    let dir = temp_dir();
    let pem = keygen(dir.path(), Algorithm::ES256, "k1");
    let jwks = dir.path().join("jwks.json");
    let assert = run(cli()
        .args(["token", "--room", ROOM, "--api-key", "k1", "--key-file"])
        .arg(&pem))
    .success();
    let token = stdout_of(&assert);
    let assert = run(cli()
        .args(["verify", token.trim(), "--room", ROOM, "--jwks"])
        .arg(&jwks))
    .success();
    assert_eq!(json_stdout(&assert)["projectId"], "k1");

    // An HS256 token names a key the JWKS does not hold.
    rejected(
        cli_with_key()
            .args(["verify", &mint(&[]), "--jwks"])
            .arg(&jwks),
        "token rejected: unknown key id",
    );
    rejected(
        cli()
            .args(["verify", token.trim(), "--jwks"])
            .arg(dir.path().join("none.json")),
        "--jwks ",
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]}"#).expect("write");
    rejected(
        cli().args(["verify", token.trim(), "--jwks"]).arg(&bad),
        "symmetric",
    );
    std::fs::write(&bad, "not json").expect("write");
    rejected(
        cli().args(["verify", token.trim(), "--jwks"]).arg(&bad),
        "JWKS: not valid JSON",
    );
}
