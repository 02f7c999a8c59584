//! The API key from the environment: its id from `HUDDLE_API_KEY` (or
//! `--api-key`), its secret from `HUDDLE_API_SECRET` only.

use std::ffi::OsStr;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use huddle_auth::{ApiKey, KeyError};
use zeroize::Zeroizing;

use crate::failure::Failure;

/// The variable holding the API key id.
pub const API_KEY_ENV: &str = "HUDDLE_API_KEY";

/// The variable holding the HS256 secret. Never a flag: a flag's value would
/// land in shell history and in `ps` output.
pub const API_SECRET_ENV: &str = "HUDDLE_API_SECRET";

/// The key id given by `--api-key` or `HUDDLE_API_KEY` (clap has already
/// merged the two into `flag`).
pub fn key_id(flag: Option<String>) -> Result<String, Failure> {
    match flag {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(Failure::new(
            API_KEY_ENV,
            "not set; export the API key id or pass --api-key",
        )),
    }
}

/// The HS256 API key: `kid` from the flag or `HUDDLE_API_KEY`, the secret
/// from `HUDDLE_API_SECRET`.
pub fn api_key(key_id_flag: Option<String>) -> Result<ApiKey, Failure> {
    let id = key_id(key_id_flag)?;
    let secret = std::env::var_os(API_SECRET_ENV).ok_or_else(|| {
        Failure::new(
            API_SECRET_ENV,
            "not set; HS256 needs the API secret in the environment \
             (or sign with --alg EdDSA|ES256|RS256 --key-file PEM)",
        )
    })?;
    // Any bytes make a secret: it need not be UTF-8 to key an HMAC.
    let secret = Zeroizing::new(secret.into_encoded_bytes());
    ApiKey::new(id, secret.as_slice()).map_err(|error| match error {
        KeyError::SecretTooShort { bytes } => Failure::new(
            API_SECRET_ENV,
            format!("HS256 needs a secret of at least 32 bytes, this one has {bytes}"),
        ),
        other => other.into(),
    })
}

/// The value of a flag that would carry the secret: there is none, since
/// [`RefusedSecretFlag`] refuses every use of such a flag.
#[derive(Debug, Clone)]
pub enum Refused {}

/// The value parser of `--api-secret` and `--secret`: refuses the flag
/// while clap parses, so the refusal comes first (before clap checks the
/// required flags), exits 2 like any usage error, and never echoes the
/// value, which clap's own "invalid value" message would.
#[derive(Debug, Clone, Copy)]
pub struct RefusedSecretFlag;

impl TypedValueParser for RefusedSecretFlag {
    type Value = Refused;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        _value: &OsStr,
    ) -> Result<Refused, clap::Error> {
        let flag = arg.and_then(clap::Arg::get_long).unwrap_or("api-secret");
        let message = format!(
            "--{flag}: the API secret is read only from the environment variable \
             {API_SECRET_ENV}, never from a flag (a flag's value lands in shell history \
             and `ps`); export {API_SECRET_ENV} and drop --{flag}"
        );
        Err(clap::Error::raw(ErrorKind::ArgumentConflict, message).format(&mut cmd.clone()))
    }
}
