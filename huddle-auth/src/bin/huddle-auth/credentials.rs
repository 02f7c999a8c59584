//! The API key from the environment: its id from `HUDDLE_API_KEY` (or
//! `--api-key`), its secret from `HUDDLE_API_SECRET` only.

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
