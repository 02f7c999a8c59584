//! `huddle-auth verify`: check a token and print its claims.

use std::io::Write;

use huddle_auth::{decode_unverified, Algorithm, TokenVerifier, UnverifiedToken, VerifyError};
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::args::VerifyArgs;
use crate::failure::Failure;
use crate::{credentials, duration, input};

/// Verifies the token with the JWKS file or the API key and writes its
/// claims, in their wire form, as JSON.
pub fn run(args: VerifyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let token = input::token(args.token)?;
    let max_lifetime = args
        .max_lifetime
        .as_deref()
        .map(|text| duration::parse_positive("--max-lifetime", text))
        .transpose()?;
    let leeway = args
        .leeway
        .as_deref()
        .map(|text| duration::parse("--leeway", text))
        .transpose()?;
    // Read without trust only to say what to do instead of a bare refusal;
    // what is accepted is decided by the verifier alone.
    match decode_unverified(token.as_str()) {
        Err(error) => {
            if let Some(failure) = token.not_a_token(&error) {
                return Err(failure);
            }
        }
        Ok(unverified) if args.jwks.is_none() => needs_no_jwks(&unverified)?,
        Ok(_) => {}
    }

    let mut verifier = match &args.jwks {
        Some(path) => {
            let jwks = input::text_file("--jwks", path)?;
            TokenVerifier::from_jwks(&jwks)
                .map_err(|e| Failure::new(format_args!("--jwks {}", path.display()), e))?
        }
        None => TokenVerifier::new().with_api_key(&credentials::api_key(args.api_key.id)?)?,
    };
    if let Some(max) = max_lifetime {
        verifier = verifier.max_lifetime(Some(max));
    }
    if let Some(leeway) = leeway {
        verifier = verifier.leeway(leeway);
    }
    if let Some(room) = args.room {
        verifier = verifier.require_room(room);
    }
    // Metadata is printed as the token carries it, so it is only checked to be JSON here.
    let claims = verifier
        .verify_with_metadata::<IgnoredAny>(token.as_str())
        .map_err(rejected)?;
    crate::output::json(out, &claims)
}

/// Without `--jwks` only the HS256 API secret is at hand; a token signed
/// with a private key needs the public key, which no secret can replace.
fn needs_no_jwks(token: &UnverifiedToken) -> Result<(), Failure> {
    let header = token.header();
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .and_then(Algorithm::from_alg);
    match alg {
        Some(alg) if alg != Algorithm::HS256 => {
            let kid = match header.get("kid").and_then(Value::as_str) {
                Some(kid) => format!(" by key {kid:?}"),
                None => String::new(),
            };
            Err(Failure::new(
                "--jwks",
                format_args!(
                    "missing: the token is signed with {alg}{kid}, which HUDDLE_API_SECRET \
                     cannot check; pass --jwks FILE holding its public key (keygen writes \
                     jwks.json beside the key)"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The verifier's refusal, with what to do where this command has a flag for it.
fn rejected(error: VerifyError) -> Failure {
    let hint = match error {
        VerifyError::LifetimeTooLong { .. } => {
            "; pass --max-lifetime to accept tokens that live this long"
        }
        _ => "",
    };
    Failure::rejected(format_args!("{error}{hint}"))
}
