//! `--help` of the program and of every subcommand.

use predicates::prelude::*;

use crate::support::*;

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
        assert!(!stdout_of(&assert).contains(KID));
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
