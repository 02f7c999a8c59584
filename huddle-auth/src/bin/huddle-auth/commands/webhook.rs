//! `huddle-auth webhook verify` and `webhook sign`: check a webhook body
//! against its `huddle01-signature` header, or write the header for a body
//! to test an endpoint with.

use std::io::Write;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use huddle_auth::webhooks::{WebhookAlgorithm, WebhookReceiver, WebhookSigner};
use serde::Serialize;
use serde_json::Value;

use crate::credentials::{self, API_KEY_ENV};
use crate::failure::Failure;
use crate::{duration, input};

/// `webhook`: Huddle01's signed webhooks.
#[derive(Debug, Args)]
pub struct WebhookArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: WebhookCommand,
}

/// The subcommands of `webhook`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a webhook body and print the event as one line of JSON.
    #[command(after_help = "\
Examples:
  huddle-auth webhook verify --signature \"$HEADER\" body.json
  huddle-auth webhook verify --signature \"$HEADER\" --tolerance none - < body.json

Exit status: 0 verified (the event on stdout as {\"id\",\"event\",\"payload\"}), 1 refused
(the reason on stderr), 2 a usage error.

Environment:
  HUDDLE_API_KEY  the API key, which Huddle01 signs webhooks with (or --api-key)")]
    Verify(VerifyArgs),
    /// Print the huddle01-signature header Huddle01 would send with a body.
    #[command(after_help = "\
Examples:
  curl -X POST http://localhost:3000/webhooks/huddle01 --data-binary @body.json \\
    -H \"huddle01-signature: $(huddle-auth webhook sign body.json)\"
  huddle-auth webhook sign --timestamp 1700000000000 --alg sha512 - < body.json

Environment:
  HUDDLE_API_KEY  the API key, which Huddle01 signs webhooks with (or --api-key)")]
    Sign(SignArgs),
}

/// `webhook verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The value of the huddle01-signature header, `t=<timestamp>,sha256=<hex>`.
    #[arg(long, value_name = "HEADER", allow_hyphen_values = true)]
    pub signature: String,

    /// How far the timestamp may be from now, either way, parsed like `token --ttl`,
    /// or `none` to accept any timestamp as the SDK does [default: 5m].
    #[arg(long, value_name = "DURATION|none", allow_hyphen_values = true)]
    pub tolerance: Option<String>,

    /// The body exactly as received, from FILE, or - for stdin [default: -].
    #[arg(value_name = "FILE|-")]
    pub body: Option<PathBuf>,

    #[command(flatten)]
    pub key: WebhookKey,
}

/// `webhook sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The header's `t` [default: now, in milliseconds].
    #[arg(long, value_name = "T")]
    pub timestamp: Option<u64>,

    /// The HMAC's hash.
    #[arg(long, value_name = "ALG", default_value = "sha256", value_parser = algorithm_parser())]
    pub alg: WebhookAlgorithm,

    /// The body to sign, from FILE, or - for stdin [default: -].
    #[arg(value_name = "FILE|-")]
    pub body: Option<PathBuf>,

    #[command(flatten)]
    pub key: WebhookKey,
}

/// The API key webhooks are signed with.
#[derive(Debug, Args)]
pub struct WebhookKey {
    /// The API key (the value sent as x-api-key), the webhooks' HMAC key.
    #[arg(long = "api-key", value_name = "KEY", env = API_KEY_ENV, hide_env_values = true)]
    pub api_key: Option<String>,
}

fn algorithm_parser() -> impl TypedValueParser<Value = WebhookAlgorithm> {
    PossibleValuesParser::new(["sha256", "sha512"]).try_map(|name| {
        WebhookAlgorithm::from_name(&name)
            .ok_or_else(|| format!("{name:?} is not sha256 or sha512"))
    })
}

/// Runs a `webhook` subcommand.
pub fn run(args: WebhookArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match args.command {
        WebhookCommand::Verify(args) => verify(args, out),
        WebhookCommand::Sign(args) => sign(args, out),
    }
}

fn verify(args: VerifyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let api_key = credentials::key_id(args.key.api_key)?;
    let tolerance = match args.tolerance.as_deref().map(str::trim) {
        None => Some(huddle_auth::webhooks::DEFAULT_TOLERANCE),
        Some("none") => None,
        Some(text) => Some(duration::parse("--tolerance", text)?),
    };
    let receiver = WebhookReceiver::new(api_key)
        .map_err(|e| Failure::new(API_KEY_ENV, e))?
        .tolerance(tolerance);
    let body = input::body(args.body.as_deref())?;
    let webhook = receiver
        .receive(&body, &args.signature)
        .map_err(|e| Failure::new("webhook rejected", e))?;
    let raw = webhook.raw();
    let line = Verified {
        id: raw.get("id").unwrap_or(&Value::Null),
        event: webhook.name(),
        payload: raw.get("payload").unwrap_or(&Value::Null),
    };
    serde_json::to_writer(&mut *out, &line).map_err(|e| Failure::new("stdout", e))?;
    writeln!(out).map_err(|e| Failure::new("stdout", e))
}

/// What `verify` prints, fields in this order.
#[derive(Serialize)]
struct Verified<'a> {
    id: &'a Value,
    event: &'a str,
    payload: &'a Value,
}

fn sign(args: SignArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let api_key = credentials::key_id(args.key.api_key)?;
    let signer = WebhookSigner::new(api_key)
        .map_err(|e| Failure::new(API_KEY_ENV, e))?
        .algorithm(args.alg);
    let body = input::body(args.body.as_deref())?;
    let header = match args.timestamp {
        Some(t) => signer.sign_at(&body, t),
        None => signer.sign(&body),
    }
    .map_err(|e| Failure::new("cannot sign", e))?;
    writeln!(out, "{header}").map_err(|e| Failure::new("stdout", e))
}
