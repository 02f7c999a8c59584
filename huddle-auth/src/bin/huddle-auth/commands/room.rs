//! `huddle-auth room create` and the plumbing of `token --hosted`: a client
//! of Huddle01's infra from the flags and environment, a wait on it, and
//! one stderr line per failure, naming the cause.

use std::future::Future;
use std::io::Write;

use huddle_auth::hosted::{HostedError, Huddle01Client};

use crate::args::{InfraUrl, RoomArgs, RoomCommand};
use crate::credentials::{self, API_KEY_ENV};
use crate::failure::Failure;

/// Runs a `room` subcommand.
pub fn run(args: RoomArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match args.command {
        RoomCommand::Create(args) => {
            let client = client(&args.infra, args.api_key.id)?;
            let mut room = client.create_room();
            if args.locked {
                room = room.locked(true);
            }
            if let Some(metadata) = args.metadata {
                room = room.metadata(metadata);
            }
            let room_id = block_on(room.send())?;
            writeln!(out, "{room_id}").map_err(|e| Failure::new("stdout", e))
        }
    }
}

/// A client with the API key from `--api-key` or `HUDDLE_API_KEY` (the
/// secret is neither read nor sent) and the base URL from `--api-url` or
/// `HUDDLE01_API_URL`.
pub fn client(infra: &InfraUrl, api_key: Option<String>) -> Result<Huddle01Client, Failure> {
    let mut builder = Huddle01Client::builder(credentials::key_id(api_key)?);
    if let Some(url) = &infra.api_url {
        builder = builder.base_url(url.as_str());
    }
    builder.build().map_err(failure)
}

/// Waits for one call to the infra.
pub fn block_on<T>(call: impl Future<Output = Result<T, HostedError>>) -> Result<T, Failure> {
    crate::runtime::block_on(call)?.map_err(failure)
}

/// The name failures of the infra itself are reported under.
const INFRA: &str = "Huddle01's infra";

/// One line naming the cause: the input, the API key, the room, the status
/// or the timeout. None of these messages holds the API key itself.
fn failure(error: HostedError) -> Failure {
    match error {
        HostedError::Input(error) => crate::refusal::mint_failure(error),
        HostedError::ApiKeyRejected => Failure::new(
            API_KEY_ENV,
            "rejected by Huddle01's infra (401): the API key is missing or invalid",
        ),
        HostedError::RoomNotFound { room_id } => Failure::new(
            "--room",
            format_args!("{room_id:?} not found for this API key (404)"),
        ),
        HostedError::Status { status, body } => {
            Failure::new(INFRA, format_args!("answered {status}: {body}"))
        }
        HostedError::Timeout { after } => {
            Failure::new(INFRA, format_args!("timed out: no answer within {after:?}"))
        }
        HostedError::Transport { reason } => {
            Failure::new(INFRA, format_args!("unreachable: {reason}"))
        }
        HostedError::InvalidResponse { reason } => {
            Failure::new(INFRA, format_args!("invalid response: {reason}"))
        }
        // A variant added later still gets its cause on the line.
        other => Failure::new(INFRA, other),
    }
}
