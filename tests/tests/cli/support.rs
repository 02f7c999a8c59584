//! Running the binary (built by the fixtures with `cli hosted`, for
//! `verify --jwks-url`/`--huddle01`) and the
//! checks every run must pass. The suite's key is the fixtures' one: no
//! output may ever contain its secret.

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use huddle_auth::{Algorithm, Claims};
use huddle_auth_tests::fixtures::Program;
pub use huddle_auth_tests::fixtures::{api_key, now, repo_root, verifier, KID, ROOM, SECRET};
use predicates::prelude::*;
use serde_json::Value;

/// No `HUDDLE_*` variables from the caller's shell, and backtraces asked
/// for, so that any panic would show in the output.
fn clean_environment(command: &mut Command) -> &mut Command {
    command
        .env_remove("HUDDLE_API_KEY")
        .env_remove("HUDDLE_API_SECRET")
        .env("RUST_BACKTRACE", "1")
}

/// The binary, in a clean environment.
pub fn cli() -> Command {
    let mut command = Command::new(Program::Cli.path());
    clean_environment(&mut command);
    command
}

/// The binary started by `sh` under this umask (the test cannot set the
/// umask of a child itself without unsafe code).
pub fn cli_with_umask(umask: &str) -> Command {
    let mut command = Command::new("sh");
    command
        .args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\"")])
        .arg(Program::Cli.path());
    clean_environment(&mut command);
    command
}

/// The binary with the test's API key in the environment.
pub fn cli_with_key() -> Command {
    let mut command = cli();
    command
        .env("HUDDLE_API_KEY", KID)
        .env("HUDDLE_API_SECRET", SECRET);
    command
}

/// Runs the command and checks what every run must hold: it exited (no
/// signal), did not panic or print a backtrace, and printed no secret.
pub fn run(command: &mut Command) -> Assert {
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
/// mentions `needle` (the field or the reason); returns that line.
pub fn rejected(command: &mut Command, needle: &str) -> String {
    let assert = run(command)
        .code(1)
        .stdout("")
        .stderr(predicate::str::is_match(r"\Aerror: [^\n]+\n\z").expect("a valid regex"))
        .stderr(predicate::str::contains(needle));
    stderr_of(&assert)
}

/// Exit status 1, nothing on stdout, and exactly `error: MESSAGE` on stderr.
pub fn refused(command: &mut Command, message: &str) {
    run(command)
        .code(1)
        .stdout("")
        .stderr(format!("error: {message}\n"));
}

/// Exit status 2 (clap's usage error), nothing on stdout; returns stderr.
pub fn usage_error(command: &mut Command) -> String {
    let assert = run(command)
        .code(2)
        .stdout("")
        // clap's errors start with `error:`; a missing subcommand prints the usage alone.
        .stderr(
            predicate::str::starts_with("error: ")
                .or(predicate::str::contains("Usage: huddle-auth")),
        );
    stderr_of(&assert)
}

pub fn stdout_of(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8 stdout")
}

pub fn stderr_of(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).expect("UTF-8 stderr")
}

pub fn json_stdout(assert: &Assert) -> Value {
    serde_json::from_str(&stdout_of(assert)).expect("stdout is JSON")
}

/// `token --room ROOM ARGS...` with the test's API key in the environment.
pub fn token_with_key(args: &[&str]) -> Command {
    let mut command = cli_with_key();
    command.args(["token", "--room", ROOM]).args(args);
    command
}

/// `token --room ROOM --key-file PEM` with `HUDDLE_API_KEY=kid`.
pub fn sign_with(pem: &Path, kid: &str) -> Command {
    let mut command = cli();
    command
        .env("HUDDLE_API_KEY", kid)
        .args(["token", "--room", ROOM, "--key-file"])
        .arg(pem);
    command
}

/// Mints with the binary (HS256, the test key) and returns the JWT.
pub fn mint(args: &[&str]) -> String {
    let assert = run(&mut token_with_key(args)).success().stderr("").stdout(
        predicate::str::is_match(r"\A[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n\z")
            .expect("a valid regex"),
    );
    stdout_of(&assert).trim_end().to_owned()
}

/// The claims of a token that the library's default verifier accepts.
pub fn verified(token: &str) -> Claims<Value> {
    verifier().verify(token).expect("the minted token verifies")
}

/// A fresh directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Runs `keygen` and returns the path of the PEM it wrote.
pub fn keygen(dir: &Path, alg: Algorithm, kid: &str) -> PathBuf {
    run(cli()
        .args(["keygen", "--alg", alg.as_str(), "--kid", kid, "--out"])
        .arg(dir))
    .success()
    .stderr("");
    dir.join(format!("{kid}.pem"))
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the file exists");
    serde_json::from_str(&text).expect("the file is JSON")
}

/// The path as a `&str`, for argument lists.
pub fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Runs `keygen --alg RS256 --bits <bits>` into `dir` and returns the path
/// of the private key it wrote.
pub fn keygen_rsa(dir: &Path, bits: &str, kid: &str) -> PathBuf {
    run(cli()
        .args([
            "keygen", "--alg", "RS256", "--bits", bits, "--kid", kid, "--out",
        ])
        .arg(dir))
    .success()
    .stderr("");
    dir.join(format!("{kid}.pem"))
}
