//! The `huddle-auth` command line, driven as a user drives it: the built
//! binary, its arguments, environment, stdin, files, stdout, stderr and exit
//! status (0 success, 1 a rejected token or input with one line on stderr,
//! 2 a usage error).
//!
//! The binary belongs to another package, so cargo gives this test no
//! `CARGO_BIN_EXE_huddle-auth`; escargot builds it once per run with the same
//! cargo and target directory, so the test never runs a stale binary
//! whichever package or test was asked for.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use huddle_auth::{
    AccessToken, Algorithm, ApiKey, Permissions, PrivateKey, ProduceSources, Role, TokenVerifier,
};
use predicates::prelude::*;
use serde_json::{json, Value};

/// The API secret of these tests; no output may ever contain it.
const SECRET: &str = "a cli test secret, long enough for HS256";
const KEY_ID: &str = "ak_cli_test";
const ROOM: &str = "abc-defg-hij";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits in the repository root")
}

fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        escargot::CargoBuild::new()
            .manifest_path(repo_root().join("Cargo.toml"))
            .package("huddle-auth")
            .bin("huddle-auth")
            .features("cli")
            .current_release()
            .run()
            .expect("cargo builds the huddle-auth binary")
            .path()
            .to_owned()
    })
}

/// The binary with no `HUDDLE_*` variables from the caller's shell, and
/// backtraces asked for, so that any panic would show in the output.
fn cli() -> Command {
    let mut command = Command::new(binary());
    command
        .env_remove("HUDDLE_API_KEY")
        .env_remove("HUDDLE_API_SECRET")
        .env("RUST_BACKTRACE", "1");
    command
}

/// The binary with the test's API key in the environment.
fn cli_with_key() -> Command {
    let mut command = cli();
    command
        .env("HUDDLE_API_KEY", KEY_ID)
        .env("HUDDLE_API_SECRET", SECRET);
    command
}

/// Runs the command and checks what every run must hold: it exited (no
/// signal), did not panic or print a backtrace, and printed no secret.
fn run(command: &mut Command) -> Assert {
    let assert = command.assert();
    let output = assert.get_output();
    assert!(
        output.status.code().is_some(),
        "killed by a signal: {output:?}"
    );
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(SECRET), "the secret was printed: {text}");
        assert!(!text.contains("panicked"), "panic: {text}");
        assert!(!text.contains("stack backtrace"), "backtrace: {text}");
    }
    assert
}

/// Exit status 1, nothing on stdout, one `error:` line on stderr that
/// mentions `needle` (the field or the reason).
fn rejected(command: &mut Command, needle: &str) -> String {
    let assert = run(command)
        .code(1)
        .stdout("")
        .stderr(predicate::str::is_match(r"\Aerror: [^\n]+\n\z").expect("a valid regex"))
        .stderr(predicate::str::contains(needle));
    stderr_of(&assert)
}

/// Exit status 2 (clap's usage error), nothing on stdout.
fn usage_error(command: &mut Command) {
    run(command)
        .code(2)
        .stdout("")
        // clap's errors start with `error:`; a missing subcommand prints the usage alone.
        .stderr(
            predicate::str::starts_with("error: ")
                .or(predicate::str::contains("Usage: huddle-auth")),
        );
}

fn stdout_of(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8 stdout")
}

fn stderr_of(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).expect("UTF-8 stderr")
}

fn json_stdout(assert: &Assert) -> Value {
    serde_json::from_str(&stdout_of(assert)).expect("stdout is JSON")
}

/// `token --room ROOM ARGS...` with the test's API key in the environment.
fn token_with_key(args: &[&str]) -> Command {
    let mut command = cli_with_key();
    command.args(["token", "--room", ROOM]).args(args);
    command
}

/// Mints with the binary (HS256, the test key) and returns the JWT.
fn mint(args: &[&str]) -> String {
    let assert = run(&mut token_with_key(args)).success().stderr("").stdout(
        predicate::str::is_match(r"\A[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n\z")
            .expect("a valid regex"),
    );
    stdout_of(&assert).trim_end().to_owned()
}

fn api_key() -> ApiKey {
    ApiKey::new(KEY_ID, SECRET).expect("a valid test key")
}

fn verified(token: &str) -> huddle_auth::Claims<Value> {
    TokenVerifier::new()
        .with_api_key(&api_key())
        .expect("one key")
        .verify(token)
        .expect("the minted token verifies")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs()
}

/// A fresh directory, removed when dropped.
fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Runs `keygen` and returns the path of the PEM it wrote.
fn keygen(dir: &Path, alg: Algorithm, kid: &str) -> PathBuf {
    run(cli()
        .args(["keygen", "--alg", alg.as_str(), "--kid", kid, "--out"])
        .arg(dir))
    .success()
    .stderr("");
    dir.join(format!("{kid}.pem"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the file exists");
    serde_json::from_str(&text).expect("the file is JSON")
}

mod token {
    use super::*;

    #[test]
    fn prints_the_jwt_alone_with_every_claim_asked_for() {
        let token = mint(&[
            "--role",
            "host",
            "--metadata",
            r#"{ "walletAddress": "mizanxali.eth", "a": [1, 2] }"#,
            "--ttl",
            "90m",
            "--max-peers",
            "10",
            "--peer-id",
            "peer_fixed",
            "--display-name",
            "Mizan",
        ]);
        let claims = verified(&token);
        assert_eq!(claims.room_id(), ROOM);
        assert_eq!(claims.project_id(), Some(KEY_ID));
        assert_eq!(claims.role(), Some("host"));
        assert_eq!(*claims.permissions(), Role::Host.permissions());
        assert_eq!(claims.peer_id(), "peer_fixed");
        assert_eq!(claims.display_name(), Some("Mizan"));
        assert_eq!(claims.max_peers_allowed(), Some(10));
        assert_eq!(claims.expires_at() - claims.issued_at(), 90 * 60);
        // Compact, in the order given, as JSON.stringify would send it.
        assert_eq!(
            claims.metadata_json(),
            Some(r#"{"walletAddress":"mizanxali.eth","a":[1,2]}"#)
        );
    }

    #[test]
    fn defaults_to_no_role_the_default_permissions_and_four_hours() {
        let claims = verified(&mint(&[]));
        assert_eq!(claims.role(), None);
        assert_eq!(*claims.permissions(), Permissions::DEFAULT);
        assert_eq!(claims.expires_at() - claims.issued_at(), 4 * 60 * 60);
        assert!(claims.peer_id().starts_with("peer_"));
        assert_eq!(claims.metadata_json(), None);
    }

    #[test]
    fn ttl_takes_seconds_and_the_sdk_strings() {
        for (ttl, seconds) in [
            ("3600", 3600),
            ("4h", 14_400),
            ("7d", 604_800),
            ("2 days", 172_800),
        ] {
            let claims = verified(&mint(&["--ttl", ttl]));
            assert_eq!(claims.expires_at() - claims.issued_at(), seconds, "{ttl}");
        }
    }

    #[test]
    fn permissions_merge_over_a_predefined_role_or_the_defaults_of_a_custom_one() {
        let cases = [
            (
                "speaker",
                r#"{"canProduceSources":{"screen":false},"canSendData":false}"#,
                Permissions {
                    can_produce_sources: ProduceSources {
                        cam: false,
                        mic: true,
                        screen: false,
                    },
                    can_send_data: false,
                    ..Role::Speaker.permissions()
                },
            ),
            (
                "moderator",
                r#"{"admin":true,"canProduceSources":{"cam":false}}"#,
                Permissions {
                    admin: true,
                    can_produce_sources: ProduceSources {
                        cam: false,
                        ..ProduceSources::ALL
                    },
                    ..Permissions::DEFAULT
                },
            ),
        ];
        for (role, overrides, expected) in cases {
            let claims = verified(&mint(&["--role", role, "--permissions", overrides]));
            assert_eq!(claims.role(), Some(role));
            assert_eq!(*claims.permissions(), expected, "{role}");
        }
    }

    #[test]
    fn every_predefined_role_carries_the_sdk_permissions() {
        for role in Role::ALL {
            let claims = verified(&mint(&["--role", role.as_str()]));
            assert_eq!(claims.role(), Some(role.as_str()));
            assert_eq!(*claims.permissions(), role.permissions(), "{role}");
        }
    }

    #[test]
    fn a_custom_role_needs_permissions() {
        rejected(
            &mut token_with_key(&["--role", "moderator"]),
            "--role: \"moderator\" is not a predefined role",
        );
    }

    #[test]
    fn a_custom_role_name_breaking_rule_3_is_rejected() {
        for name in [
            "Host",
            "COHOST",
            "a-role-name-over-20-chars",
            "mod erator",
            "modérateur",
        ] {
            rejected(
                &mut token_with_key(&["--role", name, "--permissions", "{}"]),
                "role: ",
            );
        }
        // Named as such even without --permissions.
        rejected(
            &mut token_with_key(&["--role", "Speaker"]),
            "predefined role `speaker`",
        );
    }

    #[test]
    fn permissions_breaking_rules_1_and_2_are_rejected() {
        rejected(
            &mut token_with_key(&["--permissions", r#"{"canProduce":false}"#]),
            "canProduceSources.cam: ",
        );
        rejected(
            &mut token_with_key(&[
                "--role",
                "host",
                "--permissions",
                r#"{"canProduceSources":{"cam":false,"mic":false,"screen":false}}"#,
            ]),
            "canProduce: ",
        );
    }

    #[test]
    fn malformed_permissions_are_rejected_naming_the_key() {
        for (json, needle) in [
            ("{", "--permissions: not valid JSON"),
            (
                r#"{"canProduce":true} x"#,
                "--permissions: not valid JSON: trailing",
            ),
            (r#"{"admin":true,"admin":false}"#, "duplicate field `admin`"),
            (
                r#"{"canProduceSources":[false,true]}"#,
                "--permissions canProduceSources: must be a JSON object",
            ),
            (r#"{"can_produce":true}"#, "unknown field `can_produce`"),
            (
                r#"{"canProduceSources":{"cam":"yes"}}"#,
                "--permissions canProduceSources.cam: invalid type",
            ),
            ("[]", "--permissions: must be a JSON object"),
            ("true", "--permissions: invalid type"),
        ] {
            rejected(&mut token_with_key(&["--permissions", json]), needle);
        }
    }

    #[test]
    fn bad_metadata_is_rejected() {
        rejected(
            &mut token_with_key(&["--metadata", "{walletAddress: 1}"]),
            "--metadata: not valid JSON",
        );
        let large = format!("\"{}\"", "a".repeat(5200));
        rejected(
            &mut token_with_key(&["--metadata", &large]),
            "metadata: 5202 bytes of JSON, over the limit of 5120",
        );
    }

    #[test]
    fn bad_ttl_max_peers_room_and_peer_id_are_rejected_naming_the_field() {
        for ttl in ["0", "-5", "forever", "0s"] {
            rejected(&mut token_with_key(&["--ttl", ttl]), "ttl: ");
        }
        rejected(
            &mut token_with_key(&["--max-peers", "0"]),
            "maxPeersAllowed: ",
        );
        rejected(
            cli_with_key().args(["token", "--room", ""]),
            "roomId: must not be empty",
        );
        rejected(
            &mut token_with_key(&["--peer-id", ""]),
            "peerId: must not be empty",
        );
    }

    #[test]
    fn the_key_id_comes_from_the_environment_or_the_flag() {
        rejected(
            cli()
                .env("HUDDLE_API_SECRET", SECRET)
                .args(["token", "--room", ROOM]),
            "HUDDLE_API_KEY: not set",
        );
        let assert = run(cli().env("HUDDLE_API_SECRET", SECRET).args([
            "token",
            "--room",
            ROOM,
            "--api-key",
            KEY_ID,
        ]))
        .success();
        assert_eq!(
            verified(stdout_of(&assert).trim()).project_id(),
            Some(KEY_ID)
        );
    }

    #[test]
    fn the_secret_comes_only_from_the_environment() {
        rejected(
            cli()
                .env("HUDDLE_API_KEY", KEY_ID)
                .args(["token", "--room", ROOM]),
            "HUDDLE_API_SECRET: not set",
        );
        // No flag takes it.
        usage_error(cli().env("HUDDLE_API_KEY", KEY_ID).args([
            "token",
            "--room",
            ROOM,
            "--api-secret",
            SECRET,
        ]));
        usage_error(
            cli()
                .env("HUDDLE_API_KEY", KEY_ID)
                .args(["token", "--room", ROOM, "--secret", SECRET]),
        );
    }

    #[test]
    fn a_short_secret_is_rejected_without_being_printed() {
        let short = "s3cr3t-but-short";
        let message = rejected(
            cli()
                .env("HUDDLE_API_KEY", KEY_ID)
                .env("HUDDLE_API_SECRET", short)
                .args(["token", "--room", ROOM]),
            "HUDDLE_API_SECRET: HS256 needs a secret of at least 32 bytes",
        );
        assert!(!message.contains(short), "{message}");
    }

    #[test]
    fn usage_errors_exit_2() {
        usage_error(cli_with_key().arg("token"));
        usage_error(&mut token_with_key(&["--max-peers", "ten"]));
        usage_error(&mut token_with_key(&["--alg", "hs256"]));
        usage_error(&mut token_with_key(&["--alg", "none"]));
        usage_error(&mut token_with_key(&["--bogus"]));
        usage_error(&mut cli());
        usage_error(cli().arg("mint"));
    }

    #[test]
    fn signs_with_a_private_key_file_for_each_algorithm() {
        let dir = temp_dir();
        for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
            let kid = format!("k-{alg}");
            let pem = keygen(dir.path(), alg, &kid);
            // --alg may be left out (it follows from the key) or given to match it.
            for alg_args in [vec![], vec!["--alg", alg.as_str()]] {
                let assert = run(cli()
                    .args([
                        "token",
                        "--room",
                        ROOM,
                        "--role",
                        "guest",
                        "--api-key",
                        &kid,
                        "--key-file",
                    ])
                    .arg(&pem)
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
}

mod verify {
    use super::*;

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
        assert_eq!(claims["projectId"], KEY_ID);
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
        rejected(
            cli_with_key().args(["verify", "-"]).write_stdin(" \n"),
            "token: is empty",
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
        let other = ApiKey::new(KEY_ID, "another secret that is long enough, too").expect("key");
        let token = AccessToken::new(&other, ROOM).to_jwt().expect("minted");
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
        let token = AccessToken::new(&api_key(), ROOM)
            .ttl(60)
            .to_jwt_at(now() - 3600)
            .expect("minted");
        rejected(
            cli_with_key().args(["verify", &token]),
            "token rejected: token expired",
        );
    }

    #[test]
    fn rejects_alg_none() {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(format!(r#"{{"alg":"none","typ":"JWT","kid":"{KEY_ID}"}}"#));
        let payload = mint(&[]).split('.').nth(1).expect("a payload").to_owned();
        rejected(
            cli_with_key().args(["verify", &format!("{header}.{payload}.")]),
            "token rejected: ",
        );
    }

    #[test]
    fn rejects_malformed_and_oversized_tokens() {
        for token in ["abc", "a.b", "a.b.c", "....", "e30.e30.e30"] {
            rejected(
                cli_with_key().args(["verify", token]),
                "token rejected: malformed token",
            );
        }
        let huge = "a".repeat(40_000);
        rejected(
            cli_with_key().args(["verify", "-"]).write_stdin(huge),
            "token rejected: token is 40000 bytes",
        );
    }

    #[test]
    fn rejects_a_token_for_another_key_id() {
        let token = mint(&[]);
        rejected(
            cli_with_key()
                .env("HUDDLE_API_KEY", "ak_other")
                .args(["verify", &token]),
            "token rejected: unknown key id",
        );
    }

    #[test]
    fn needs_the_secret_or_a_jwks() {
        let token = mint(&[]);
        rejected(
            cli().env("HUDDLE_API_KEY", KEY_ID).args(["verify", &token]),
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
        std::fs::write(&bad, r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]}"#)
            .expect("write");
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
}

mod decode {
    use super::*;

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
            json!({ "alg": "HS256", "typ": "JWT", "kid": KEY_ID })
        );
        assert_eq!(decoded["claims"]["role"], "bot");
        assert_eq!(decoded["claims"]["metadata"], r#"{"k":"v"}"#);
    }

    #[test]
    fn checks_nothing() {
        // Expired, and signed with a key this process does not have.
        let other =
            ApiKey::new("ak_other", "another secret that is long enough, too").expect("key");
        let token = AccessToken::new(&other, ROOM)
            .ttl(60)
            .to_jwt_at(now() - 3600)
            .expect("minted");
        let decoded = decode(cli().args(["decode", &token]));
        assert_eq!(decoded["claims"]["roomId"], ROOM);
        assert_eq!(decoded["header"]["kid"], "ak_other");
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
        for token in ["abc", "a.b.c", "e30.bm90IGpzb24.x"] {
            rejected(
                cli().args(["decode", token]),
                "token: cannot be decoded: malformed token",
            );
        }
        rejected(cli().arg("decode").write_stdin(""), "token: is empty");
    }
}

mod keygen {
    use super::*;

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
        for broken in ["not json", r#"{"keys":{}}"#, "[]"] {
            std::fs::write(dir.path().join("jwks.json"), broken).expect("write");
            rejected(
                cli()
                    .args(["keygen", "--alg", "EdDSA", "--kid", "k1", "--out"])
                    .arg(dir.path()),
                "jwks.json: ",
            );
            assert!(!dir.path().join("k1.pem").exists());
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
}

mod roles {
    use super::*;

    #[test]
    fn json_equals_the_sdk_table() {
        let reference =
            read_json(&repo_root().join("../shared/reference/huddle01-server-sdk-2.6.2.json"));
        let assert = run(cli().args(["roles", "--json"])).success().stderr("");
        assert_eq!(json_stdout(&assert), reference["ROLE_PERMISSIONS"]);
    }

    #[test]
    fn prints_a_readable_table() {
        let assert = run(cli().arg("roles")).success().stderr("");
        let table = stdout_of(&assert);
        let header = table.lines().next().expect("a header line");
        for column in [
            "admin",
            "canConsume",
            "canProduce",
            "cam",
            "mic",
            "screen",
            "canSendData",
            "canRecvData",
            "canUpdateMetadata",
        ] {
            assert!(header.contains(column), "{column} missing from {header}");
        }
        for role in Role::ALL {
            assert!(
                table
                    .lines()
                    .any(|line| line.split_whitespace().next() == Some(role.as_str())),
                "no row for {role}"
            );
        }
    }
}

mod help {
    use super::*;

    #[test]
    fn every_subcommand_has_help_with_an_example() {
        for subcommand in ["token", "verify", "decode", "keygen", "roles"] {
            let assert = run(cli_with_key().args([subcommand, "--help"]))
                .success()
                .stdout(predicate::str::contains("Examples:"))
                .stdout(predicate::str::contains(format!(
                    "huddle-auth {subcommand}"
                )));
            // The key id's value is hidden too, not only the secret.
            assert!(!stdout_of(&assert).contains(KEY_ID));
        }
        run(cli().arg("--help"))
            .success()
            .stdout(predicate::str::contains("keygen"))
            .stdout(predicate::str::contains("HUDDLE_API_SECRET"));
    }

    #[test]
    fn names_the_environment_variables() {
        for subcommand in ["token", "verify"] {
            run(cli_with_key().args([subcommand, "--help"]))
                .success()
                .stdout(predicate::str::contains("[env: HUDDLE_API_KEY]"))
                .stdout(predicate::str::contains("HUDDLE_API_SECRET"));
        }
    }
}

/// Tokens from `token` verify in other standard JWT implementations: PyJWT,
/// and `jose` (the Huddle01 Node SDK's library). Needs
/// `pip install -r tests/interop/requirements.txt` and
/// `npm ci --prefix tests/interop`.
mod interop {
    use super::*;

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
            let assert = run(cli()
                .args([
                    "token",
                    "--room",
                    ROOM,
                    "--role",
                    "speaker",
                    "--api-key",
                    &kid,
                    "--key-file",
                ])
                .arg(&pem))
            .success();
            verify_elsewhere(
                stdout_of(&assert).trim(),
                &["--jwks", jwks.to_str().expect("a UTF-8 path")],
            );
        }
    }
}
