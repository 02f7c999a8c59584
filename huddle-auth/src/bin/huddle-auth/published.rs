//! Whether a signing key is published under the key id the tokens will name.
//!
//! `keygen` writes `DIR/KID.pem` beside `DIR/jwks.json`. Signing with that
//! PEM under another key id (a stale `HUDDLE_API_KEY`) mints tokens that no
//! verifier of the JWKS accepts, and the mistake only shows there, later. So
//! when a `jwks.json` sits beside the key file, the key must be in it under
//! the key id used, and the refusal says which key id it has instead.

use std::path::{Path, PathBuf};

use huddle_auth::PrivateKey;
use serde_json::Value;

use crate::failure::Failure;
use crate::input;

/// The JWKS file's name, as `keygen` writes it beside the keys.
pub const JWKS_FILE: &str = "jwks.json";

/// The JWK members that hold public key material (RFC 7518 section 6): two
/// JWKs with the same values here are the same key, whatever else they say.
/// RFC 7518 encodes each with the fewest octets, so equal keys compare equal.
const KEY_MEMBERS: [&str; 6] = ["kty", "crv", "x", "y", "n", "e"];

/// Checks `key`, read from `key_file`, against the `jwks.json` beside it, if
/// there is one.
pub fn check_key_file(key_file: &Path, key: &PrivateKey) -> Result<(), Failure> {
    let jwks_path = beside(key_file);
    if !jwks_path.is_file() {
        return Ok(());
    }
    let field = format_args!("--key-file {}", key_file.display()).to_string();
    let text = input::text_file(&field, &jwks_path)?;
    let document: Value = serde_json::from_str(&text).map_err(|e| {
        Failure::new(
            &field,
            format_args!("{} beside it is not valid JSON: {e}", jwks_path.display()),
        )
    })?;
    let Some(published) = document.get("keys").and_then(Value::as_array) else {
        return Err(Failure::new(
            &field,
            format_args!(
                "{} beside it is not a JWKS document (an object with a \"keys\" array)",
                jwks_path.display()
            ),
        ));
    };
    let public = serde_json::to_value(key.public_jwk()).map_err(|e| Failure::new(&field, e))?;
    let is_this_key = |jwk: &&Value| {
        KEY_MEMBERS
            .iter()
            .all(|member| jwk.get(member) == public.get(member))
    };
    let kid = key.kid();
    let under_kid = published
        .iter()
        .find(|jwk| jwk.get("kid").and_then(Value::as_str) == Some(kid));
    if under_kid.is_some_and(|jwk| is_this_key(&jwk)) {
        return Ok(());
    }
    let kids_of_this_key: Vec<&str> = published
        .iter()
        .filter(is_this_key)
        .filter_map(|jwk| jwk.get("kid")?.as_str())
        .collect();
    let jwks = jwks_path.display();
    let reason = match (kids_of_this_key.as_slice(), under_kid) {
        ([], None) => format!(
            "{jwks} beside it does not publish this key, so its verifiers would refuse \
             these tokens; publish the key there, or sign with a key it lists"
        ),
        ([], Some(_)) => format!(
            "{jwks} beside it publishes another key under kid {kid:?} and this key under \
             none; sign with the key file of {kid:?}"
        ),
        ([first, ..], _) => format!(
            "{jwks} beside it publishes this key under kid {}, not {kid:?} (HUDDLE_API_KEY \
             or --api-key), so its verifiers would look for another key; pass --api-key {first}",
            kids_of_this_key
                .iter()
                .map(|kid| format!("{kid:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    Err(Failure::new(field, reason))
}

/// The `jwks.json` in the key file's directory.
fn beside(key_file: &Path) -> PathBuf {
    key_file.with_file_name(JWKS_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jwks_is_looked_for_in_the_key_files_directory() {
        assert_eq!(
            beside(Path::new("keys/k1.pem")),
            Path::new("keys/jwks.json")
        );
        assert_eq!(beside(Path::new("k1.pem")), Path::new("jwks.json"));
    }
}
