//! Signing with a private key file (`token --key-file`), checked against the
//! `jwks.json` beside it, and verifying such tokens (`verify --jwks`).

use huddle_auth::Algorithm;

use crate::support::*;

#[test]
fn signs_with_a_private_key_file_for_each_algorithm() {
    let dir = temp_dir();
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let kid = format!("k-{alg}");
        let pem = keygen(dir.path(), alg, &kid);
        // --alg may be left out (it follows from the key) or given to match it.
        for alg_args in [vec![], vec!["--alg", alg.as_str()]] {
            let assert = run(sign_with(&pem, &kid)
                .args(["--role", "guest"])
                .args(&alg_args))
            .success()
            .stderr("");
            let token = stdout_of(&assert);
            let header = huddle_auth::decode_unverified(token.trim()).expect("a JWS");
            assert_eq!(header.header()["alg"], alg.as_str());
            assert_eq!(header.header()["kid"], kid.as_str());
            let verify = run(cli()
                .args(["verify", token.trim(), "--jwks"])
                .arg(dir.path().join("jwks.json")))
            .success();
            assert_eq!(json_stdout(&verify)["role"], "guest");
        }
    }
}

#[test]
fn key_file_errors_are_rejected() {
    let dir = temp_dir();
    let pem = keygen(dir.path(), Algorithm::EdDSA, "k1");
    let with_key = |args: &[&str]| {
        let mut command = cli();
        command
            .env("HUDDLE_API_KEY", "k1")
            .args(["token", "--room", ROOM])
            .args(args);
        command
    };
    rejected(
        &mut with_key(&["--alg", "EdDSA"]),
        "--key-file: EdDSA signs with a private key",
    );
    let pem_arg = pem.to_str().expect("a UTF-8 path");
    rejected(
        &mut with_key(&["--alg", "HS256", "--key-file", pem_arg]),
        "--key-file: HS256 signs with HUDDLE_API_SECRET",
    );
    rejected(
        &mut with_key(&["--alg", "ES256", "--key-file", pem_arg]),
        "--alg: is ES256, but",
    );
    let missing = dir.path().join("missing.pem");
    rejected(
        &mut with_key(&["--key-file", missing.to_str().expect("UTF-8")]),
        "--key-file ",
    );
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a key").expect("write");
    rejected(
        &mut with_key(&["--key-file", garbage.to_str().expect("UTF-8")]),
        "--key-file ",
    );
    // The key id is still required with a key file.
    rejected(
        cli().args(["token", "--room", ROOM, "--key-file", pem_arg]),
        "HUDDLE_API_KEY: not set",
    );
}

#[test]
fn the_key_file_is_signed_under_the_kid_that_the_jwks_beside_it_gives_it() {
    let dir = temp_dir();
    let k1 = keygen(dir.path(), Algorithm::EdDSA, "k1");
    keygen(dir.path(), Algorithm::ES256, "k2");
    let jwks = dir.path().join("jwks.json");
    refused(
        &mut sign_with(&k1, "k2"),
        &format!(
            "--key-file {}: {} beside it publishes this key under kid \"k1\", not \"k2\" \
             (HUDDLE_API_KEY or --api-key), so its verifiers would look for another key; \
             pass --api-key k1",
            k1.display(),
            jwks.display()
        ),
    );
    // The kid that the JWKS gives it signs, and the JWKS verifies.
    let assert = run(&mut sign_with(&k1, "k1")).success().stderr("");
    run(cli()
        .args(["verify", stdout_of(&assert).trim(), "--jwks"])
        .arg(&jwks))
    .success();
}

#[test]
fn a_key_file_that_the_jwks_beside_it_does_not_publish_is_refused() {
    let published = temp_dir();
    keygen(published.path(), Algorithm::EdDSA, "k1");
    let elsewhere = temp_dir();
    let stray = keygen(elsewhere.path(), Algorithm::EdDSA, "k1");
    let moved = published.path().join("stray.pem");
    std::fs::rename(&stray, &moved).expect("move the key");
    let jwks = published.path().join("jwks.json");
    // The kid is published, with another key.
    refused(
        &mut sign_with(&moved, "k1"),
        &format!(
            "--key-file {}: {} beside it publishes another key under kid \"k1\" and this key \
             under none; sign with the key file of \"k1\"",
            moved.display(),
            jwks.display()
        ),
    );
    // Neither the kid nor the key is published.
    refused(
        &mut sign_with(&moved, "k9"),
        &format!(
            "--key-file {}: {} beside it does not publish this key, so its verifiers would \
             refuse these tokens; publish the key there, or sign with a key it lists",
            moved.display(),
            jwks.display()
        ),
    );
    // Without a jwks.json beside it, there is nothing to check against.
    std::fs::remove_file(elsewhere.path().join("jwks.json")).expect("remove");
    let alone = elsewhere.path().join("alone.pem");
    std::fs::rename(&moved, &alone).expect("move the key");
    run(&mut sign_with(&alone, "any-kid")).success().stderr("");
}

#[test]
fn a_key_file_beside_a_broken_jwks_is_refused() {
    let dir = temp_dir();
    let pem = keygen(dir.path(), Algorithm::EdDSA, "k1");
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, r#"{"keys":{}}"#).expect("write");
    refused(
        &mut sign_with(&pem, "k1"),
        &format!(
            "--key-file {}: {} beside it is not a JWKS document (an object with a \"keys\" array)",
            pem.display(),
            jwks.display()
        ),
    );
}

#[test]
fn a_key_file_token_checked_without_jwks_asks_for_it() {
    let dir = temp_dir();
    for (alg, kid) in [
        (Algorithm::EdDSA, "ed"),
        (Algorithm::ES256, "ec"),
        (Algorithm::RS256, "rsa"),
    ] {
        let pem = keygen(dir.path(), alg, kid);
        let assert = run(&mut sign_with(&pem, kid)).success();
        let token = stdout_of(&assert);
        let expected = format!(
            "--jwks: missing: the token is signed with {alg} by key {kid:?}, which \
             HUDDLE_API_SECRET cannot check; pass --jwks FILE holding its public key (keygen \
             writes jwks.json beside the key)"
        );
        // With or without a secret at hand.
        refused(cli().args(["verify", token.trim()]), &expected);
        refused(
            cli_with_key().args(["verify", "-"]).write_stdin(token),
            &expected,
        );
    }
}
