//! `huddle-auth token`: mint a token and print the JWT alone.

use std::io::Write;
use std::path::Path;

use huddle_auth::{
    AccessToken, Algorithm, ApiKey, CustomRole, Permissions, PermissionsPatch, PrivateKey, Role,
    TokenRole, TokenSigner, Ttl,
};
use serde::de::IgnoredAny;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::args::TokenArgs;
use crate::credentials;
use crate::failure::Failure;
use crate::input;

/// Mints the token described by `args` and writes it, with a newline, to `out`.
pub fn run(args: TokenArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let overrides = args
        .permissions
        .as_deref()
        .map(parse_permissions)
        .transpose()?;
    let (role, overrides) = role_and_overrides(args.role.as_deref(), overrides)?;
    if let Some(metadata) = &args.metadata {
        serde_json::from_str::<IgnoredAny>(metadata)
            .map_err(|e| Failure::new("--metadata", format_args!("not valid JSON: {e}")))?;
    }
    #[cfg(feature = "hosted")]
    if args.hosted.hosted {
        let client = super::room::client(&args.hosted.infra, args.api_key.id.clone())?;
        let token = describe(
            client.peer_token(args.room.as_str()),
            &args,
            role,
            overrides,
        );
        let jwt = super::room::block_on(token.to_jwt())?;
        return writeln!(out, "{jwt}").map_err(|e| Failure::new("stdout", e));
    }
    let signer = Signer::load(args.alg, args.key_file.as_deref(), args.api_key.id.clone())?;
    let token = AccessToken::new(signer.as_signer(), args.room.as_str());
    let jwt = describe(token, &args, role, overrides).to_jwt()?;
    writeln!(out, "{jwt}").map_err(|e| Failure::new("stdout", e))
}

/// The token's inputs from `args`, the same for a local and a hosted token.
fn describe<'k, I>(
    mut token: AccessToken<'k, I>,
    args: &'k TokenArgs,
    role: Option<TokenRole>,
    overrides: PermissionsPatch,
) -> AccessToken<'k, I> {
    token = token.permissions(overrides);
    if let Some(role) = role {
        token = token.role(role);
    }
    if let Some(metadata) = &args.metadata {
        token = token.metadata(&CompactJson(metadata));
    }
    if let Some(ttl) = &args.ttl {
        token = token.ttl(Ttl::from(ttl.as_str()));
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
    token
}

/// Reads `--permissions` as a partial permissions object, naming the key at fault.
fn parse_permissions(json: &str) -> Result<PermissionsPatch, Failure> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Failure::new("--permissions", format_args!("not valid JSON: {e}")))?;
    // serde reads a struct from an array by position too; permissions are
    // named keys, so an array anywhere is a mistake, not a shorthand.
    if let Some(path) = array_path(&value) {
        let field = if path.is_empty() {
            "--permissions".to_owned()
        } else {
            format!("--permissions {path}")
        };
        return Err(Failure::new(field, "must be a JSON object, not an array"));
    }
    // Read from the text, not the parsed value, so a repeated key is refused.
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let patch: PermissionsPatch =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let reason = e.into_inner();
            // Only a wrong value has a meaningful path; a syntax error has none.
            if path == "." || !reason.is_data() {
                Failure::new("--permissions", reason)
            } else {
                Failure::new(format_args!("--permissions {path}"), reason)
            }
        })?;
    deserializer
        .end()
        .map_err(|e| Failure::new("--permissions", e))?;
    Ok(patch)
}

/// The dotted path of the first array in `value` (empty for the value itself).
fn array_path(value: &Value) -> Option<String> {
    match value {
        Value::Array(_) => Some(String::new()),
        Value::Object(members) => members.iter().find_map(|(key, member)| {
            array_path(member).map(|path| {
                if path.is_empty() {
                    key.clone()
                } else {
                    format!("{key}.{path}")
                }
            })
        }),
        _ => None,
    }
}

/// The role claim and the overrides the builder merges over its permissions.
///
/// A predefined name keeps the SDK's permissions and takes the overrides on
/// top. Any other name is a custom role: the overrides are merged over the
/// default permissions into the role itself, where rule 3 checks its name.
fn role_and_overrides(
    name: Option<&str>,
    overrides: Option<PermissionsPatch>,
) -> Result<(Option<TokenRole>, PermissionsPatch), Failure> {
    let Some(name) = name else {
        return Ok((None, overrides.unwrap_or_default()));
    };
    if let Some(role) = Role::from_wire(name) {
        return Ok((Some(role.into()), overrides.unwrap_or_default()));
    }
    // Build first, so a name that breaks rule 3 is reported as such even
    // without --permissions.
    let permissions = overrides.unwrap_or_default().apply(Permissions::DEFAULT);
    let custom = CustomRole::new(name.to_owned(), permissions)?;
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
    Ok((Some(custom.into()), PermissionsPatch::default()))
}

/// The key that signs: the API key (HS256) or a private key from a PEM file.
enum Signer {
    Api(ApiKey),
    Private(PrivateKey),
}

impl Signer {
    fn load(
        alg: Option<Algorithm>,
        key_file: Option<&Path>,
        key_id: Option<String>,
    ) -> Result<Signer, Failure> {
        match (alg, key_file) {
            (None | Some(Algorithm::HS256), None) => Ok(Signer::Api(credentials::api_key(key_id)?)),
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
                let key = PrivateKey::from_pkcs8_pem(kid, &pem)
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
                Ok(Signer::Private(key))
            }
        }
    }

    fn as_signer(&self) -> &dyn TokenSigner {
        match self {
            Signer::Api(key) => key,
            Signer::Private(key) => key,
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
            failure.to_string().contains("duplicate field `admin`"),
            "{failure}"
        );
        let failure = parse_permissions(r#"{"canProduceSources":[true]}"#).expect_err("an array");
        assert_eq!(
            failure.to_string(),
            "--permissions canProduceSources: must be a JSON object, not an array"
        );
    }
}
