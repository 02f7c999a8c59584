//! The command line, as clap reads it. Parsing only: every check of a value's
//! meaning happens in the library, so the CLI and the SDK refuse the same input.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use huddle_auth::{Algorithm, RoomType};

use crate::credentials::{Refused, RefusedSecretFlag, API_KEY_ENV};

/// The help text's note on the environment, for every command that signs or
/// verifies. A macro, so that `concat!` can join it to each command's help.
macro_rules! environment_help {
    () => {
        "Environment:
  HUDDLE_API_KEY     the API key id: each token's `kid` and `projectId` (or --api-key)
  HUDDLE_API_SECRET  the HS256 API secret, at least 32 bytes. Read only from the
                     environment, never from a flag, so it stays out of shell history."
    };
}

/// Mint, verify and inspect access tokens for Huddle01-style rooms.
#[derive(Debug, Parser)]
#[command(name = "huddle-auth", version, propagate_version = true)]
#[command(after_help = concat!(
    "Exit status: 0 success, 1 a token that failed verification or a rejected input, 2 a usage error.\n\n",
    environment_help!()
))]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of DESIGN section 7.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Mint an access token and print the JWT alone on stdout.
    Token(TokenArgs),
    /// Verify a token and print its claims as JSON.
    Verify(VerifyArgs),
    /// Print a token's header and claims WITHOUT checking anything.
    Decode(DecodeArgs),
    /// Generate a signing key: DIR/KID.pem (PKCS#8, mode 0600) and its public key in DIR/jwks.json.
    Keygen(KeygenArgs),
    /// Print the predefined roles and their permissions.
    Roles(RolesArgs),
    /// Rooms on Huddle01's hosted platform.
    #[cfg(feature = "hosted")]
    Room(RoomArgs),
    /// Verify a webhook from Huddle01, or sign a body to test an endpoint with.
    #[cfg(feature = "webhooks")]
    Webhook(crate::commands::webhook::WebhookArgs),
}

/// `token`: mint.
#[derive(Debug, Args)]
// The usage line of `--help`, fixed: clap's own after a mistake lists every
// flag given as if it were required.
#[command(override_usage = "huddle-auth token [OPTIONS] --room <ID>")]
#[command(after_help = concat!(
    "Examples:\n",
    "  HUDDLE_API_KEY=ak_live_1 HUDDLE_API_SECRET=\"$SECRET\" \\\n",
    "    huddle-auth token --room abc-defg-hij --role host --metadata '{\"walletAddress\":\"mizanxali.eth\"}'\n",
    "  huddle-auth token --room abc-defg-hij --role moderator --permissions '{\"admin\":true,\"canProduceSources\":{\"cam\":false}}'\n",
    "  huddle-auth token --room abc-defg-hij --alg EdDSA --key-file keys/k1.pem --api-key k1 --ttl 7d\n",
    "  huddle-auth token --room abc-defg-hij --ttl 60d --max-lifetime 60d\n\n",
    "A predefined role (host, coHost, speaker, listener, guest, bot) starts from the SDK's\n",
    "permissions; any other name is a custom role, which needs --permissions (merged over\n",
    "the default permissions).\n\n",
    environment_help!()
))]
pub struct TokenArgs {
    /// The room the token admits to (`roomId`).
    #[arg(long, value_name = "ID")]
    pub room: String,

    /// A predefined role (host, coHost, speaker, listener, guest, bot) or a custom role name.
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,

    /// Permission overrides as a JSON object of wire keys, merged over the role's,
    /// e.g. '{"canProduceSources":{"cam":false}}'.
    #[arg(long, value_name = "JSON")]
    pub permissions: Option<String>,

    /// Metadata as JSON; the token carries it as a JSON string (at most 5120 bytes).
    #[arg(long, value_name = "JSON")]
    pub metadata: Option<String>,

    /// Time to live: integer seconds or a span such as 4h, 90m, 7d, "2 days" [default: 4h],
    /// at most 30 days unless --max-lifetime allows more.
    #[arg(
        long,
        visible_alias = "valid-for",
        value_name = "DUR",
        allow_hyphen_values = true
    )]
    pub ttl: Option<String>,

    /// The longest --ttl to accept [default: 30d, what verifiers accept by default]; its
    /// verifiers need `verify --max-lifetime` (or `TokenVerifier::max_lifetime`) as long.
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    pub max_lifetime: Option<String>,

    /// `options.maxPeersAllowed`, a positive integer.
    #[arg(long, value_name = "N")]
    pub max_peers: Option<u64>,

    /// The peer id [default: a fresh random `peer_…`].
    #[arg(long, visible_alias = "identity", value_name = "ID")]
    pub peer_id: Option<String>,

    /// The peer's display name.
    #[arg(long, visible_alias = "name", value_name = "NAME")]
    pub display_name: Option<String>,

    /// The kind of room (`roomType`).
    #[arg(long, value_name = "TYPE", value_parser = room_type_parser())]
    pub room_type: Option<RoomType>,

    /// The peer enters with its microphone muted (`muteOnEntry: true`).
    #[arg(long)]
    pub mute_on_entry: bool,

    /// The peer enters with its camera on (`videoOnEntry: true`).
    #[arg(long)]
    pub video_on_entry: bool,

    #[cfg(feature = "hosted")]
    #[command(flatten)]
    pub hosted: HostedTokenArgs,

    /// The signing algorithm [default: HS256, or the algorithm of --key-file].
    #[arg(long, value_name = "ALG", value_parser = algorithm_parser(&Algorithm::ALL))]
    pub alg: Option<Algorithm>,

    /// A PKCS#8 PEM private key (Ed25519, P-256 or RSA) for EdDSA, ES256 or RS256.
    #[arg(long, value_name = "PEM")]
    pub key_file: Option<PathBuf>,

    #[command(flatten)]
    pub api_key: ApiKeyId,
}

/// The examples of `verify --help` that every build has.
macro_rules! verify_examples {
    () => {
        concat!(
            "Examples:\n",
            "  huddle-auth verify \"$TOKEN\" --room abc-defg-hij\n",
            "  huddle-auth token --room r | huddle-auth verify -\n",
            "  huddle-auth verify \"$TOKEN\" --jwks keys/jwks.json\n",
            "  huddle-auth verify \"$TOKEN\" --max-lifetime 60d --leeway 2m\n",
        )
    };
}

/// `verify`: check a token.
#[derive(Debug, Args)]
#[command(override_usage = "huddle-auth verify [OPTIONS] [TOKEN|-]")]
#[cfg_attr(not(feature = "hosted"), command(after_help = concat!(
    verify_examples!(),
    "\nWithout --jwks, HS256 tokens are checked with HUDDLE_API_SECRET under the key id\n",
    "HUDDLE_API_KEY (or --api-key).\n\n",
    environment_help!()
)))]
#[cfg_attr(feature = "hosted", command(after_help = concat!(
    verify_examples!(),
    "  huddle-auth verify \"$TOKEN\" --jwks-url https://auth.example.com/jwks.json\n",
    "  huddle-auth verify \"$TOKEN\" --huddle01 --room kgg-iyre-bks\n\n",
    "Without --jwks, --jwks-url or --huddle01, HS256 tokens are checked with HUDDLE_API_SECRET\n",
    "under the key id HUDDLE_API_KEY (or --api-key). --jwks-url and --huddle01 fetch the key\n",
    "set (at most 5 s, 256 KiB, no redirects) and need no API key.\n\n",
    environment_help!(), "\n",
    "  HUDDLE01_JWKS_URL  the JWKS URL of --huddle01 [default: https://huddle01.app/jwks.json]"
)))]
pub struct VerifyArgs {
    /// The token, or - to read it from stdin [default: -].
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,

    /// Verify with the public keys of this JWKS file instead of the API secret.
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,

    #[cfg(feature = "hosted")]
    #[command(flatten)]
    pub remote: RemoteJwksArgs,

    /// Accept only tokens for this room.
    #[arg(long, value_name = "ID")]
    pub room: Option<String>,

    /// The longest lifetime (exp - iat) to accept, parsed like `token --ttl` [default: 30d].
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    pub max_lifetime: Option<String>,

    /// How far the clocks of minter and verifier may disagree, for exp, nbf and iat,
    /// parsed like `token --ttl` (0 allowed) [default: 30s].
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    pub leeway: Option<String>,

    #[command(flatten)]
    pub api_key: ApiKeyId,
}

/// How the commands that sign or verify take the API key: its id by
/// `--api-key` or the environment, its secret by the environment only.
#[derive(Debug, Args)]
pub struct ApiKeyId {
    /// The API key id: the tokens' `kid` (and `projectId` when minting).
    #[arg(long = "api-key", value_name = "ID", env = API_KEY_ENV, hide_env_values = true)]
    pub id: Option<String>,

    // `--api-secret` and `--secret` are what a user tries (clap would even
    // suggest `--api-key` for them, inviting the secret into the `kid`), so
    // they are recognised, hidden, and refused while parsing. Any value,
    // even one starting with `-`, or none is taken so that it is never
    // parsed as something else; the refusal never echoes it.
    #[arg(long = "api-secret", hide = true, num_args = 0..=1, default_missing_value = "",
          allow_hyphen_values = true, value_parser = RefusedSecretFlag)]
    _api_secret: Option<Refused>,

    #[arg(long = "secret", hide = true, num_args = 0..=1, default_missing_value = "",
          allow_hyphen_values = true, value_parser = RefusedSecretFlag)]
    _secret: Option<Refused>,
}

/// `decode`: look without trusting.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  huddle-auth decode \"$TOKEN\"
  huddle-auth decode - < token.jwt

Nothing is checked: not the signature, not the expiry, not the permission rules.
The output is marked UNVERIFIED; use `huddle-auth verify` to trust a token.")]
pub struct DecodeArgs {
    /// The token, or - to read it from stdin [default: -].
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,
}

/// `keygen`: a key pair for EdDSA, ES256 or RS256.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  huddle-auth keygen --alg EdDSA --kid k1 --out keys
  huddle-auth keygen --alg RS256 --bits 4096 --kid r1 --out keys
  HUDDLE_API_KEY=k1 huddle-auth token --room abc-defg-hij --key-file keys/k1.pem

Writes DIR/KID.pem (never overwriting an existing file) and adds the public key to
DIR/jwks.json, which is created if missing; publish jwks.json to the verifiers.")]
pub struct KeygenArgs {
    /// The algorithm of the new key.
    #[arg(long, value_name = "ALG", value_parser = algorithm_parser(&[Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256]))]
    pub alg: Algorithm,

    /// The key id; also the file name (ASCII letters, digits, `.`, `_`, `-`).
    #[arg(long, value_name = "ID")]
    pub kid: String,

    /// The size of an RS256 key: 2048 (the default), 3072 or 4096 bits.
    #[arg(long, value_name = "BITS", value_parser = rsa_bits)]
    pub bits: Option<usize>,

    /// The directory for KID.pem and jwks.json (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `roles`: the SDK's table.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  huddle-auth roles
  huddle-auth roles --json | jq .speaker")]
pub struct RolesArgs {
    /// Print an object keyed by role wire name, each value the permissions object.
    #[arg(long)]
    pub json: bool,
}

/// `token --hosted`: ask Huddle01's infra instead of signing here.
#[cfg(feature = "hosted")]
#[derive(Debug, Args)]
pub struct HostedTokenArgs {
    /// Ask Huddle01's infra for the token (signed by Huddle01, for its media
    /// servers) and print it; needs only the API key, never the secret.
    #[arg(long, conflicts_with_all = ["alg", "key_file", "peer_id", "display_name"])]
    pub hosted: bool,

    #[command(flatten)]
    pub infra: InfraUrl,
}

/// `verify --jwks-url` and `verify --huddle01`: keys fetched from a URL.
#[cfg(feature = "hosted")]
#[derive(Debug, Args)]
pub struct RemoteJwksArgs {
    /// Verify with the JWKS at this URL (https, or http to loopback), for tokens of this
    /// crate's profile (kid required), or with --huddle01 for Huddle01's.
    #[arg(long, value_name = "URL", conflicts_with = "jwks")]
    pub jwks_url: Option<String>,

    /// Verify a token issued by Huddle01's infra (iss Huddle01, kid optional), with the
    /// keys of Huddle01's JWKS (--jwks-url or HUDDLE01_JWKS_URL overrides its URL).
    #[arg(long, conflicts_with = "jwks")]
    pub huddle01: bool,

    /// With --jwks-url or --huddle01: report on stderr the keys of the fetched JWKS that
    /// were skipped (unsupported or not for signatures), with their kid and why.
    #[arg(long)]
    pub verbose: bool,
}

/// `--api-url`, for every command that calls Huddle01's infra.
#[cfg(feature = "hosted")]
#[derive(Debug, Args)]
pub struct InfraUrl {
    /// The base URL of Huddle01's infra [default: https://infra-api.huddle01.workers.dev].
    #[arg(long, value_name = "URL", env = "HUDDLE01_API_URL")]
    pub api_url: Option<String>,
}

/// `room`: rooms on Huddle01's hosted platform.
#[cfg(feature = "hosted")]
#[derive(Debug, Args)]
pub struct RoomArgs {
    /// What to do with rooms.
    #[command(subcommand)]
    pub command: RoomCommand,
}

/// The subcommands of `room`.
#[cfg(feature = "hosted")]
#[derive(Debug, Subcommand)]
pub enum RoomCommand {
    /// Create a room on Huddle01's infra and print its id alone on stdout.
    #[command(after_help = "\
Examples:
  HUDDLE_API_KEY=ak_live_1 huddle-auth room create
  ROOM=$(huddle-auth room create --locked --metadata 'weekly sync')
  huddle-auth token --hosted --room \"$ROOM\" --role host

Environment:
  HUDDLE_API_KEY    the API key, the only credential sent (or --api-key)
  HUDDLE01_API_URL  the infra's base URL (or --api-url)")]
    Create(RoomCreateArgs),
}

/// `room create`.
#[cfg(feature = "hosted")]
#[derive(Debug, Args)]
pub struct RoomCreateArgs {
    /// Create the room locked (`roomLocked: true`).
    #[arg(long)]
    pub locked: bool,

    /// The room's metadata, any text (at most 1024 bytes as a JSON string).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    #[command(flatten)]
    pub infra: InfraUrl,

    #[command(flatten)]
    pub api_key: ApiKeyId,
}

/// A parser of `AUDIO` or `VIDEO`, listed in `--help`.
fn room_type_parser() -> impl TypedValueParser<Value = RoomType> {
    PossibleValuesParser::new(["AUDIO", "VIDEO"]).try_map(|name| {
        RoomType::from_wire(&name).ok_or_else(|| format!("{name:?} is not AUDIO or VIDEO"))
    })
}

/// A parser accepting exactly these algorithms' `alg` names, listed in `--help`.
/// An RSA size that `PrivateKey::generate_rsa` makes.
fn rsa_bits(value: &str) -> Result<usize, String> {
    let allowed = huddle_auth::PrivateKey::RSA_GENERATED_BITS;
    let sizes = allowed.map(|bits| bits.to_string()).join(", ");
    value
        .parse()
        .ok()
        .filter(|bits| allowed.contains(bits))
        .ok_or_else(|| format!("choose one of {sizes}"))
}

fn algorithm_parser(allowed: &[Algorithm]) -> impl TypedValueParser<Value = Algorithm> {
    PossibleValuesParser::new(allowed.iter().map(|alg| alg.as_str()))
        .try_map(|name| name.parse::<Algorithm>())
}
