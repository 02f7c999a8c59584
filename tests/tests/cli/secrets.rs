//! The API secret comes from `HUDDLE_API_SECRET` only, and no output ever
//! holds it (every run is checked for it by `support::run`).

use crate::support::*;

/// What `--api-secret` and `--secret` print, whatever follows them.
fn refusal(flag: &str) -> String {
    format!(
        "error: {flag}: the API secret is read only from the environment variable \
         HUDDLE_API_SECRET, never from a flag (a flag's value lands in shell history and `ps`); \
         export HUDDLE_API_SECRET and drop {flag}\n"
    )
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
        KID,
    ]))
    .success();
    assert_eq!(verified(stdout_of(&assert).trim()).project_id(), Some(KID));
}

#[test]
fn the_secret_is_missing_without_the_environment() {
    refused(
        cli()
            .env("HUDDLE_API_KEY", KID)
            .args(["token", "--room", ROOM]),
        "HUDDLE_API_SECRET: not set; HS256 needs the API secret in the environment \
         (or sign with --alg EdDSA|ES256|RS256 --key-file PEM)",
    );
}

#[test]
fn secret_flags_exit_2_saying_where_the_secret_comes_from() {
    let dash_secret = format!("-{SECRET}");
    let with_equals = format!("--api-secret={SECRET}");
    for (flag, given) in [
        ("--api-secret", vec!["--api-secret", SECRET]),
        ("--api-secret", vec![with_equals.as_str()]),
        ("--api-secret", vec!["--api-secret", dash_secret.as_str()]),
        ("--api-secret", vec!["--api-secret"]),
        ("--secret", vec!["--secret", SECRET]),
        ("--secret", vec!["--secret"]),
    ] {
        for subcommand in [vec!["token", "--room", ROOM], vec!["verify", "x.y.z"]] {
            let stderr = usage_error(
                cli()
                    .env("HUDDLE_API_KEY", KID)
                    .args(&subcommand)
                    .args(&given),
            );
            let first = stderr.split_inclusive('\n').next().unwrap_or_default();
            assert_eq!(first, refusal(flag), "{subcommand:?} {given:?}");
            // clap's tip for an unknown flag would have pointed at --api-key.
            assert!(!stderr.contains("tip:"), "{stderr}");
        }
    }
    // Refused before anything else is looked at: here --room is missing.
    let stderr = usage_error(cli().args(["token", "--api-secret", SECRET]));
    assert!(stderr.starts_with(&refusal("--api-secret")), "{stderr}");
}

#[test]
fn secret_flags_are_hidden_from_help() {
    for subcommand in ["token", "verify"] {
        let assert = run(cli().args([subcommand, "--help"])).success();
        let help = stdout_of(&assert);
        assert!(!help.contains("--api-secret"), "{help}");
        assert!(!help.contains("--secret"), "{help}");
    }
}

#[test]
fn a_short_secret_is_rejected_without_being_printed() {
    let short = "s3cr3t-but-short";
    let message = rejected(
        cli()
            .env("HUDDLE_API_KEY", KID)
            .env("HUDDLE_API_SECRET", short)
            .args(["token", "--room", ROOM]),
        "HUDDLE_API_SECRET: HS256 needs a secret of at least 32 bytes",
    );
    assert!(!message.contains(short), "{message}");
}

/// Following clap's old tip (`--api-key` for `--api-secret`) with the
/// secret's value would put the secret in every token's `kid`. The library
/// refuses such a key (the keys branch); this passes once that is merged.
#[test]
fn api_key_equal_to_the_secret_is_refused() {
    let message = rejected(
        cli()
            .env("HUDDLE_API_SECRET", SECRET)
            .args(["token", "--room", ROOM, "--api-key", SECRET]),
        "error: ",
    );
    let lower = message.to_lowercase();
    let names_the_key = ["key id", "api key", "huddle_api_key"]
        .iter()
        .any(|name| lower.contains(name));
    assert!(
        lower.contains("secret") && names_the_key,
        "the refusal does not name the key id and the secret: {message}"
    );
}
