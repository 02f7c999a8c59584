//! `huddle-auth decode`: header and claims, marked UNVERIFIED, checking nothing.

use assert_cmd::Command;
use huddle_auth_tests::fixtures::{mint_expired, stranger, STRANGER_KID};
use predicates::prelude::*;
use serde_json::{json, Value};

use crate::support::*;

fn decode(command: &mut Command) -> Value {
    let assert = run(command)
        .success()
        .stderr(predicate::str::starts_with("UNVERIFIED: "));
    let decoded = json_stdout(&assert);
    assert_eq!(decoded["status"], "UNVERIFIED");
    decoded
}

#[test]
fn prints_header_and_claims_marked_unverified() {
    let token = mint(&["--role", "bot", "--metadata", r#"{"k":"v"}"#]);
    let decoded = decode(cli().args(["decode", &token]));
    assert_eq!(
        decoded["header"],
        json!({ "alg": "HS256", "typ": "JWT", "kid": KID })
    );
    assert_eq!(decoded["claims"]["role"], "bot");
    assert_eq!(decoded["claims"]["metadata"], r#"{"k":"v"}"#);
}

#[test]
fn checks_nothing() {
    // Expired, and signed with a key this process does not have.
    let token = mint_expired(&stranger());
    let decoded = decode(cli().args(["decode", &token]));
    assert_eq!(decoded["claims"]["roomId"], ROOM);
    assert_eq!(decoded["header"]["kid"], STRANGER_KID);
}

#[test]
fn reads_stdin() {
    let token = mint(&[]);
    let decoded = decode(
        cli()
            .args(["decode", "-"])
            .write_stdin(format!("\n{token}\n")),
    );
    assert_eq!(decoded["claims"]["roomId"], ROOM);
    let decoded = decode(cli().arg("decode").write_stdin(token));
    assert_eq!(decoded["claims"]["roomId"], ROOM);
}

#[test]
fn rejects_what_is_not_a_token() {
    refused(
        cli().args(["decode", "abc"]),
        "token: is not a JWT: a compact JWS has exactly three segments separated by '.'",
    );
    refused(
        cli().args(["decode", "tok.txt"]),
        "token: \"tok.txt\" looks like a file path; pass the token itself, or `-` to read it \
         from stdin (`- < tok.txt`)",
    );
    for token in ["a.b.c", "e30.bm90IGpzb24.x"] {
        rejected(
            cli().args(["decode", token]),
            "error: token: cannot be decoded: malformed token ",
        );
    }
    refused(cli().arg("decode").write_stdin(""), "stdin: is empty");
}
