//! `huddle-auth verify`: check a token and print its claims.

use std::io::Write;

use huddle_auth::TokenVerifier;
use serde::de::IgnoredAny;

use crate::args::VerifyArgs;
use crate::credentials;
use crate::failure::Failure;
use crate::input;

/// Verifies the token with the JWKS file or the API key and writes its
/// claims, in their wire form, as JSON.
pub fn run(args: VerifyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let token = input::token(args.token)?;
    let mut verifier = match &args.jwks {
        Some(path) => {
            let jwks = input::text_file("--jwks", path)?;
            TokenVerifier::from_jwks(&jwks)
                .map_err(|e| Failure::new(format_args!("--jwks {}", path.display()), e))?
        }
        None => TokenVerifier::new().with_api_key(&credentials::api_key(args.api_key.id)?)?,
    };
    if let Some(room) = args.room {
        verifier = verifier.require_room(room);
    }
    // Metadata is printed as the token carries it, so it is only checked to be JSON here.
    let claims = verifier
        .verify_with_metadata::<IgnoredAny>(&token)
        .map_err(Failure::rejected)?;
    crate::output::json(out, &claims)
}
