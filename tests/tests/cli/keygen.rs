//! `huddle-auth keygen`: a private key file and its public key published in
//! `jwks.json`, never overwriting, never publishing a kid twice.

use std::path::Path;

use huddle_auth::{Algorithm, PrivateKey, TokenVerifier};
use predicates::prelude::*;
use serde_json::{json, Value};

use crate::support::*;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .expect("the file exists")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn writes_a_private_key_and_publishes_its_public_key() {
    let dir = temp_dir();
    let out = dir.path().join("keys");
    for (alg, kid) in [
        (Algorithm::EdDSA, "ed"),
        (Algorithm::ES256, "ec"),
        (Algorithm::RS256, "rsa"),
    ] {
        let assert = run(cli()
            .args(["keygen", "--alg", alg.as_str(), "--kid", kid, "--out"])
            .arg(&out))
        .success()
        .stderr("")
        .stdout(predicate::str::contains(format!("{kid}.pem")))
        .stdout(predicate::str::contains("jwks.json"));
        assert!(!stdout_of(&assert).contains("PRIVATE KEY"));

        let pem_path = out.join(format!("{kid}.pem"));
        let pem = std::fs::read_to_string(&pem_path).expect("the PEM exists");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
        let key = PrivateKey::from_pkcs8_pem(kid, &pem).expect("a PKCS#8 key");
        assert_eq!(key.algorithm(), alg);
        #[cfg(unix)]
        assert_eq!(mode(&pem_path), 0o600, "{kid}.pem must be private");

        let jwks = read_json(&out.join("jwks.json"));
        let published: Vec<&Value> = jwks["keys"]
            .as_array()
            .expect("a keys array")
            .iter()
            .filter(|jwk| jwk["kid"] == kid)
            .collect();
        assert_eq!(published.len(), 1, "{kid} once");
        assert_eq!(
            *published[0],
            serde_json::to_value(key.public_jwk()).expect("serializable"),
            "the public half of the key written"
        );
    }
    let jwks = std::fs::read_to_string(out.join("jwks.json")).expect("jwks.json");
    assert_eq!(
        read_json(&out.join("jwks.json"))["keys"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    TokenVerifier::from_jwks(&jwks).expect("the JWKS loads in the verifier");
}

#[test]
fn keeps_an_existing_jwks() {
    let dir = temp_dir();
    let existing = PrivateKey::generate(Algorithm::EdDSA, "old").expect("a key");
    let document = json!({ "keys": [existing.public_jwk()] });
    let jwks_path = dir.path().join("jwks.json");
    std::fs::write(&jwks_path, document.to_string()).expect("write");

    keygen(dir.path(), Algorithm::ES256, "new");
    let jwks = read_json(&jwks_path);
    let keys = jwks["keys"].as_array().expect("a keys array");
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[0], document["keys"][0],
        "the old key is kept as it was"
    );
    assert_eq!(keys[1]["kid"], "new");
}

#[test]
fn refuses_to_overwrite_a_key_file() {
    let dir = temp_dir();
    let pem_path = dir.path().join("k1.pem");
    std::fs::write(&pem_path, "keep me").expect("write");
    rejected(
        cli()
            .args(["keygen", "--alg", "EdDSA", "--kid", "k1", "--out"])
            .arg(dir.path()),
        "already exists; keygen never overwrites a key",
    );
    assert_eq!(
        std::fs::read_to_string(&pem_path).expect("still there"),
        "keep me"
    );
    assert!(!dir.path().join("jwks.json").exists(), "nothing published");

    // Running the same command twice refuses the second time, changing nothing.
    let first = keygen(dir.path(), Algorithm::EdDSA, "k2");
    let pem = std::fs::read_to_string(&first).expect("written");
    let jwks = std::fs::read_to_string(dir.path().join("jwks.json")).expect("written");
    rejected(
        cli()
            .args(["keygen", "--alg", "ES256", "--kid", "k2", "--out"])
            .arg(dir.path()),
        "already exists",
    );
    assert_eq!(std::fs::read_to_string(&first).expect("kept"), pem);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("jwks.json")).expect("kept"),
        jwks
    );
}

#[test]
fn never_publishes_a_kid_twice() {
    let dir = temp_dir();
    let pem = keygen(dir.path(), Algorithm::EdDSA, "k1");
    std::fs::remove_file(&pem).expect("remove");
    rejected(
        cli()
            .args(["keygen", "--alg", "EdDSA", "--kid", "k1", "--out"])
            .arg(dir.path()),
        "--kid: \"k1\" is already in",
    );
    assert!(!pem.exists(), "no key without its public half");
    assert_eq!(
        read_json(&dir.path().join("jwks.json"))["keys"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn refuses_a_broken_jwks_and_writes_nothing() {
    let dir = temp_dir();
    let jwks = dir.path().join("jwks.json");
    for (broken, reason) in [
        (
            "not json",
            "not valid JSON: expected ident at line 1 column 2",
        ),
        (
            r#"{"keys":{}}"#,
            "not a JWKS document: expected an object with a \"keys\" array",
        ),
        (
            "[]",
            "not a JWKS document: expected an object with a \"keys\" array",
        ),
    ] {
        std::fs::write(&jwks, broken).expect("write");
        refused(
            cli()
                .args(["keygen", "--alg", "EdDSA", "--kid", "k1", "--out"])
                .arg(dir.path()),
            &format!("--out {}: {reason}", jwks.display()),
        );
        assert!(!dir.path().join("k1.pem").exists());
    }
}

#[cfg(unix)]
#[test]
fn a_new_jwks_is_readable_by_all_whatever_the_umask() {
    for umask in ["077", "000", "022"] {
        let dir = temp_dir();
        run(cli_with_umask(umask)
            .args(["keygen", "--alg", "EdDSA", "--kid", "k1", "--out"])
            .arg(dir.path()))
        .success()
        .stderr("");
        assert_eq!(mode(&dir.path().join("jwks.json")), 0o644, "umask {umask}");
        assert_eq!(mode(&dir.path().join("k1.pem")), 0o600, "umask {umask}");
    }
}

#[cfg(unix)]
#[test]
fn an_existing_jwks_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = temp_dir();
    let jwks = dir.path().join("jwks.json");
    keygen(dir.path(), Algorithm::EdDSA, "k1");
    for (kid, chosen, umask) in [("k2", 0o600, "022"), ("k3", 0o640, "000")] {
        std::fs::set_permissions(&jwks, std::fs::Permissions::from_mode(chosen)).expect("chmod");
        run(cli_with_umask(umask)
            .args(["keygen", "--alg", "EdDSA", "--kid", kid, "--out"])
            .arg(dir.path()))
        .success()
        .stderr("");
        assert_eq!(mode(&jwks), chosen, "after adding {kid}");
        assert!(
            read_json(&jwks)["keys"]
                .as_array()
                .expect("a keys array")
                .iter()
                .any(|jwk| jwk["kid"] == kid),
            "{kid} published"
        );
    }
}

#[test]
fn refuses_a_kid_that_is_not_a_plain_file_name() {
    let dir = temp_dir();
    let out = dir.path().join("keys");
    for kid in ["../escape", "a/b", ".hidden", "", "k 1"] {
        rejected(
            cli()
                .args(["keygen", "--alg", "EdDSA", "--kid", kid, "--out"])
                .arg(&out),
            "--kid: ",
        );
    }
    assert!(!dir.path().join("escape.pem").exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = temp_dir();
    usage_error(
        cli()
            .args(["keygen", "--alg", "HS256", "--kid", "k1", "--out"])
            .arg(dir.path()),
    );
    usage_error(
        cli()
            .args(["keygen", "--kid", "k1", "--out"])
            .arg(dir.path()),
    );
    usage_error(
        cli()
            .args(["keygen", "--alg", "EdDSA", "--out"])
            .arg(dir.path()),
    );
    usage_error(cli().args(["keygen", "--alg", "EdDSA", "--kid", "k1"]));
}

#[test]
fn bits_sizes_an_rs256_key() {
    let dir = temp_dir();
    for (bits, modulus_bytes) in [("3072", 384), ("4096", 512)] {
        let kid = format!("rsa-{bits}");
        let pem = keygen_rsa(dir.path(), bits, &kid);
        let pem = std::fs::read_to_string(pem).expect("PEM");
        let key = PrivateKey::from_pkcs8_pem(&kid, &pem).expect("a PKCS#8 key");
        let n = serde_json::to_value(key.public_jwk()).expect("JWK")["n"]
            .as_str()
            .map(|n| huddle_auth_tests::fixtures::unb64(n).len());
        assert_eq!(n, Some(modulus_bytes), "--bits {bits}");
    }
    // No --bits: 2048.
    let pem = keygen(dir.path(), Algorithm::RS256, "rsa-default");
    let key =
        PrivateKey::from_pkcs8_pem("rsa-default", &std::fs::read_to_string(pem).expect("PEM"))
            .expect("a PKCS#8 key");
    let n = serde_json::to_value(key.public_jwk()).expect("JWK")["n"]
        .as_str()
        .map(|n| huddle_auth_tests::fixtures::unb64(n).len());
    assert_eq!(n, Some(256));
}

#[test]
fn other_sizes_are_a_usage_error_naming_the_sizes_offered() {
    let dir = temp_dir();
    for bits in ["1024", "2047", "8192", "4k", ""] {
        let stderr = usage_error(
            cli()
                .args([
                    "keygen", "--alg", "RS256", "--bits", bits, "--kid", "k1", "--out",
                ])
                .arg(dir.path()),
        );
        assert!(stderr.contains("--bits"), "{stderr}");
        assert!(stderr.contains("2048, 3072, 4096"), "{stderr}");
    }
    let error = rejected(
        cli()
            .args([
                "keygen", "--alg", "EdDSA", "--bits", "2048", "--kid", "k1", "--out",
            ])
            .arg(dir.path()),
        "--bits: sizes RS256 keys only",
    );
    assert!(error.contains("EdDSA"), "{error}");
    assert!(!dir.path().join("k1.pem").exists(), "nothing written");
}
