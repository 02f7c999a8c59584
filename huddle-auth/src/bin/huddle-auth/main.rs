//! `huddle-auth`: mint, verify and inspect access tokens from the shell.
//!
//! Exit status: 0 on success, 1 for a token that fails verification, a
//! rejected input or a failed call to Huddle01's infra (one line on stderr,
//! led by what is at fault: the flag, as in `--ttl: …`, the variable, the
//! file, `token:` or `token rejected:`), 2 for a usage error (clap's, and
//! `--api-secret`).

mod args;
mod commands;
mod credentials;
mod duration;
mod failure;
mod input;
mod output;
mod published;
mod refusal;
#[cfg(feature = "hosted")]
mod runtime;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::failure::Failure;

fn main() -> ExitCode {
    // Exits with 2 on a usage error and 0 for --help and --version.
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Token(args) => commands::token::run(args, &mut out),
        Command::Verify(args) => commands::verify::run(args, &mut out, &mut io::stderr()),
        Command::Decode(args) => commands::decode::run(args, &mut out, &mut io::stderr()),
        Command::Keygen(args) => commands::keygen::run(args, &mut out),
        Command::Roles(args) => commands::roles::run(args, &mut out),
        #[cfg(feature = "hosted")]
        Command::Room(args) => commands::room::run(args, &mut out),
        #[cfg(feature = "webhooks")]
        Command::Webhook(args) => commands::webhook::run(args, &mut out),
    }
    .and_then(|()| out.flush().map_err(|e| Failure::new("stdout", e)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // If stderr is gone too there is no one left to tell.
            let _ = writeln!(io::stderr(), "error: {failure}");
            ExitCode::FAILURE
        }
    }
}
