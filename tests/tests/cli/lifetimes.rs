//! How long tokens live: `token` refuses a TTL that default verifiers would
//! refuse unless `--max-lifetime` allows it, and `verify` takes
//! `--max-lifetime` and `--leeway`.

use huddle_auth::AccessToken;

use crate::support::*;

const SIXTY_DAYS: u64 = 60 * 24 * 60 * 60;

#[test]
fn a_ttl_over_30_days_is_refused_saying_how_to_mint_it() {
    refused(
        &mut token_with_key(&["--ttl", "1y"]),
        "--ttl: \"1y\" (365 days 6 hours) is over the 30 days that verifiers accept by default; \
         shorten it, or mint with --max-lifetime 1y and verify with as much \
         (`huddle-auth verify --max-lifetime 1y`, `TokenVerifier::max_lifetime`)",
    );
    refused(
        &mut token_with_key(&["--valid-for", "45 days"]),
        "--ttl: \"45 days\" (45 days) is over the 30 days that verifiers accept by default; \
         shorten it, or mint with --max-lifetime \"45 days\" and verify with as much \
         (`huddle-auth verify --max-lifetime \"45 days\"`, `TokenVerifier::max_lifetime`)",
    );
    // Exactly 30 days is the default limit, and is minted.
    let claims = verified(&mint(&["--ttl", "30d"]));
    assert_eq!(claims.expires_at() - claims.issued_at(), 30 * 24 * 60 * 60);
}

#[test]
fn max_lifetime_mints_a_longer_token_that_only_a_verifier_allowing_it_accepts() {
    let token = mint(&["--ttl", "60d", "--max-lifetime", "60d"]);
    let assert = run(cli_with_key().args(["verify", &token, "--max-lifetime", "60d"]))
        .success()
        .stderr("");
    let claims = json_stdout(&assert);
    let lifetime = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert_eq!(lifetime, SIXTY_DAYS);

    let message = rejected(
        cli_with_key().args(["verify", &token]),
        "error: token rejected: ",
    );
    assert!(
        message.ends_with("; pass --max-lifetime to accept tokens that live this long\n"),
        "{message}"
    );
    // A verifier allowing less refuses it too.
    rejected(
        cli_with_key().args(["verify", &token, "--max-lifetime", "59d"]),
        "; pass --max-lifetime to accept tokens that live this long",
    );
}

#[test]
fn a_ttl_over_the_raised_max_lifetime_is_refused() {
    refused(
        &mut token_with_key(&["--ttl", "61d", "--max-lifetime", "60d"]),
        "--ttl: \"61d\" (61 days) is over --max-lifetime (60 days); shorten --ttl or raise \
         --max-lifetime",
    );
    // The default TTL of 4 hours counts too.
    refused(
        &mut token_with_key(&["--max-lifetime", "1h"]),
        "--ttl: the default of 4 hours is over --max-lifetime (1 hour); shorten --ttl or raise \
         --max-lifetime",
    );
}

#[test]
fn leeway_lets_a_just_expired_token_through() {
    // Expired 60 s ago: past the default leeway of 30 s.
    let token = AccessToken::new(&api_key(), ROOM)
        .ttl(600)
        .to_jwt_at(now() - 660)
        .expect("minted");
    rejected(
        cli_with_key().args(["verify", &token]),
        "error: token rejected: token expired",
    );
    let assert = run(cli_with_key().args(["verify", &token, "--leeway", "5m"]))
        .success()
        .stderr("");
    assert_eq!(json_stdout(&assert)["roomId"], ROOM);
    // A leeway still shorter than the lateness does not.
    rejected(
        cli_with_key().args(["verify", &token, "--leeway", "10"]),
        "error: token rejected: token expired",
    );
}

#[test]
fn bad_durations_are_refused_naming_the_flag() {
    let token = mint(&[]);
    for flag in ["--max-lifetime", "--leeway"] {
        rejected(
            cli_with_key().args(["verify", &token, flag, "soon"]),
            &format!("error: {flag}: \"soon\" is not a duration ("),
        );
        rejected(
            cli_with_key().args(["verify", &token, flag, "-5"]),
            &format!("error: {flag}: \"-5\" is not a duration ("),
        );
    }
    refused(
        cli_with_key().args(["verify", &token, "--max-lifetime", "0"]),
        "--max-lifetime: must be longer than zero",
    );
    refused(
        &mut token_with_key(&["--max-lifetime", "0s"]),
        "--max-lifetime: must be longer than zero",
    );
    // No leeway at all is a leeway.
    run(cli_with_key().args(["verify", &token, "--leeway", "0"])).success();
}
