//! `huddle-auth token`: mint a token and print the JWT alone.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use huddle_auth::{
    AccessToken, Algorithm, CustomRole, Permissions, PermissionsPatch, Role, SigningKey, Ttl,
    DEFAULT_MAX_LIFETIME,
};
use serde::de::IgnoredAny;
use serde::{Serialize, Serializer};

use crate::args::TokenArgs;
use crate::failure::Failure;
use crate::refusal::mint_failure;
use crate::{credentials, duration, input, published};

/// Mints the token described by `args` and writes it, with a newline, to `out`.
pub fn run(args: TokenArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let overrides = args
        .permissions
        .as_deref()
        .map(parse_permissions)
        .transpose()?;
    if let Some(metadata) = &args.metadata {
        serde_json::from_str::<IgnoredAny>(metadata)
            .map_err(|e| Failure::new("--metadata", format_args!("not valid JSON: {e}")))?;
    }
    let max_lifetime = match &args.max_lifetime {
        Some(text) => duration::parse_positive("--max-lifetime", text)?,
        None => DEFAULT_MAX_LIFETIME,
    };
    let ttl = ttl_within(
        args.ttl.as_deref(),
        max_lifetime,
        args.max_lifetime.is_some(),
    )?;
    #[cfg(feature = "hosted")]
    if args.hosted.hosted {
        let client = super::room::client(&args.hosted.infra, args.api_key.id.clone())?;
        let token = client.peer_token(args.room.as_str());
        let token = describe(token, &args, ttl, max_lifetime, overrides)?;
        let jwt = super::room::block_on(token.to_jwt())?;
        return writeln!(out, "{jwt}").map_err(|e| Failure::new("stdout", e));
    }
    let signer = load_signing_key(args.alg, args.key_file.as_deref(), args.api_key.id.clone())?;
    if let (Some(path), SigningKey::Private(key)) = (&args.key_file, &signer) {
        published::check_key_file(path, key)?;
    }
    let token = AccessToken::new(&signer, args.room.as_str());
    let token = describe(token, &args, ttl, max_lifetime, overrides)?;
    let jwt = token.to_jwt().map_err(mint_failure)?;
    writeln!(out, "{jwt}").map_err(|e| Failure::new("stdout", e))
}

/// The token's inputs from `args`, the same for a local and a hosted token.
fn describe<'k, I>(
    token: AccessToken<'k, I>,
    args: &'k TokenArgs,
    ttl: u64,
    max_lifetime: Duration,
    overrides: Option<PermissionsPatch>,
) -> Result<AccessToken<'k, I>, Failure> {
    // Only a --ttl given is set: a hosted request then sends it, and without
    // one sends the SDK's body, which has none.
    let token = token.max_lifetime(Some(max_lifetime));
    let token = match args.ttl {
        Some(_) => token.ttl(ttl),
        None => token,
    };
    let mut token = with_role(token, args.role.as_deref(), overrides)?;
    if let Some(metadata) = &args.metadata {
        token = token.metadata(&CompactJson(metadata));
    }
    if let Some(max_peers) = args.max_peers {
        token = token.max_peers_allowed(max_peers);
    }
    if let Some(peer_id) = &args.peer_id {
        token = token.peer_id(peer_id.as_str());
    }
    if let Some(name) = &args.display_name {
        token = token.display_name(name.as_str());
    }
    if let Some(room_type) = args.room_type {
        token = token.room_type(room_type);
    }
    if args.mute_on_entry {
        token = token.mute_on_entry(true);
    }
    if args.video_on_entry {
        token = token.video_on_entry(true);
    }
    Ok(token)
}

/// The TTL in seconds (`--ttl`, or the SDK's default), refused here when over
/// the maximum lifetime so that the refusal names the flags of this command
/// (the library, which refuses it too, names its methods).
fn ttl_within(ttl: Option<&str>, max_lifetime: Duration, raised: bool) -> Result<u64, Failure> {
    let secs = ttl
        .map_or(Ttl::DEFAULT, Ttl::from)
        .seconds()
        .map_err(mint_failure)?;
    let max = max_lifetime.as_secs();
    if secs <= max {
        return Ok(secs);
    }
    let (given, wanted) = match ttl {
        Some(text) => (
            format!("{text:?} ({})", duration::describe(secs)),
            match text.trim() {
                spaced if spaced.contains(char::is_whitespace) => format!("{spaced:?}"),
                plain => plain.to_owned(),
            },
        ),
        None => (
            format!("the default of {}", duration::describe(secs)),
            secs.to_string(),
        ),
    };
    let reason = if raised {
        format!(
            "{given} is over --max-lifetime ({}); shorten --ttl or raise --max-lifetime",
            duration::describe(max)
        )
    } else {
        format!(
            "{given} is over the {} that verifiers accept by default; shorten it, or mint \
             with --max-lifetime {wanted} and verify with as much \
             (`huddle-auth verify --max-lifetime {wanted}`, `TokenVerifier::max_lifetime`)",
            duration::describe(max)
        )
    };
    Err(Failure::new("--ttl", reason))
}

/// Reads `--permissions` strictly, naming the key at fault.
fn parse_permissions(json: &str) -> Result<PermissionsPatch, Failure> {
    PermissionsPatch::from_json(json).map_err(|error| match error.path() {
        Some(path) => Failure::new(format_args!("--permissions {path}"), error.reason()),
        None => Failure::new("--permissions", error.reason()),
    })
}

/// The token with its role and the overrides merged over its permissions.
///
/// A predefined name keeps the SDK's permissions and takes the overrides on
/// top. Any other name is a custom role: the overrides are merged over the
/// default permissions into the role itself, where rule 3 checks its name.
fn with_role<'k, I>(
    token: AccessToken<'k, I>,
    name: Option<&str>,
    overrides: Option<PermissionsPatch>,
) -> Result<AccessToken<'k, I>, Failure> {
    let Some(name) = name else {
        return Ok(token.permissions(overrides.unwrap_or_default()));
    };
    if let Some(role) = Role::from_wire(name) {
        return Ok(token.role(role).permissions(overrides.unwrap_or_default()));
    }
    // Role names are case-sensitive on the wire (`coHost`), and a custom
    // role may not take a predefined name in another case (rule 3): the
    // user meant the predefined role.
    if let Some(role) = Role::ALL
        .into_iter()
        .find(|role| role.as_str().eq_ignore_ascii_case(name))
    {
        return Err(Failure::new(
            "--role",
            format_args!(
                "{name:?} is not a role; did you mean `{}`? (role names are case-sensitive)",
                role.as_str()
            ),
        ));
    }
    // Build first, so a name that breaks rule 3 is reported as such even
    // without --permissions.
    let permissions = overrides.unwrap_or_default().apply(Permissions::DEFAULT);
    let custom = CustomRole::new(name.to_owned(), permissions)
        .map_err(|violation| mint_failure(violation.into()))?;
    if overrides.is_none() {
        let predefined: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        return Err(Failure::new(
            "--role",
            format_args!(
                "{name:?} is not a predefined role ({}); a custom role needs --permissions",
                predefined.join(", ")
            ),
        ));
    }
    Ok(token.role(custom))
}

/// The key that signs: the API key (HS256) or a private key from a PEM file.
fn load_signing_key(
    alg: Option<Algorithm>,
    key_file: Option<&Path>,
    key_id: Option<String>,
) -> Result<SigningKey, Failure> {
    match (alg, key_file) {
        (None | Some(Algorithm::HS256), None) => Ok(credentials::api_key(key_id)?.into()),
        (Some(Algorithm::HS256), Some(_)) => Err(Failure::new(
            "--key-file",
            "HS256 signs with HUDDLE_API_SECRET, not a key file; \
             drop --alg or pass --alg EdDSA, ES256 or RS256",
        )),
        (Some(alg), None) => Err(Failure::new(
            "--key-file",
            format_args!("{alg} signs with a private key; pass --key-file PEM"),
        )),
        (alg, Some(path)) => {
            let kid = credentials::key_id(key_id)?;
            let pem = input::text_file("--key-file", path)?;
            let key = SigningKey::from_pkcs8_pem(kid, &pem)
                .map_err(|e| Failure::new(format_args!("--key-file {}", path.display()), e))?;
            if let Some(alg) = alg {
                if alg != key.algorithm() {
                    return Err(Failure::new(
                        "--alg",
                        format_args!(
                            "is {alg}, but {} holds a key for {}",
                            path.display(),
                            key.algorithm()
                        ),
                    ));
                }
            }
            Ok(key)
        }
    }
}

/// JSON text re-serialized compactly with its keys in the order given, as
/// `JSON.stringify(JSON.parse(text))` would carry it in the SDK.
struct CompactJson<'a>(&'a str);

impl Serialize for CompactJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(self.0);
        serde_transcode::transcode(&mut deserializer, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keeps_key_order_and_drops_whitespace() {
        let json = serde_json::to_string(&CompactJson(r#"{ "z": 1, "a": [true, null] }"#))
            .expect("valid JSON transcodes");
        assert_eq!(json, r#"{"z":1,"a":[true,null]}"#);
    }

    #[test]
    fn permissions_errors_name_the_key() {
        let failure = parse_permissions(r#"{"canProduceSources":{"cam":"yes"}}"#)
            .expect_err("a string is not a bool");
        assert!(
            failure
                .to_string()
                .starts_with("--permissions canProduceSources.cam: invalid type"),
            "{failure}"
        );
        let failure = parse_permissions(r#"{"admin":true} x"#).expect_err("trailing input");
        assert!(
            failure
                .to_string()
                .starts_with("--permissions: not valid JSON: trailing"),
            "{failure}"
        );
        let failure = parse_permissions(r#"{"admin":true,"admin":false}"#).expect_err("repeated");
        assert!(
            failure
                .to_string()
                .starts_with("--permissions admin: duplicate field `admin`"),
            "{failure}"
        );
        let failure = parse_permissions(r#"{"canProduceSources":[true]}"#).expect_err("an array");
        assert!(
            failure.to_string().starts_with(
                "--permissions canProduceSources: must be a JSON object, not an array"
            ),
            "{failure}"
        );
    }
}
