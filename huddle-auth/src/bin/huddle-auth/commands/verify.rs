//! `huddle-auth verify`: check a token and print its claims.

use std::io::Write;

#[cfg(feature = "hosted")]
use huddle_auth::HUDDLE01_ISSUER;
use huddle_auth::{decode_unverified, Algorithm, TokenVerifier, UnverifiedToken, VerifyError};
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::args::VerifyArgs;
use crate::failure::Failure;
use crate::{credentials, duration, input};

#[cfg(feature = "hosted")]
mod remote;

/// Verifies the token with the JWKS file, the remote JWKS or the API key
/// and writes its claims, in their wire form, as JSON.
/// With `--verbose`, the keys a remote set skipped are reported on `err`.
#[cfg_attr(not(feature = "hosted"), allow(unused_variables))]
pub fn run(args: VerifyArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
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
    // A URL the policy refuses fails here, before the token is looked at.
    #[cfg(feature = "hosted")]
    let remote = remote::Remote::from_args(&args.remote)?;
    #[cfg(feature = "hosted")]
    let fetched = remote.is_some();
    #[cfg(not(feature = "hosted"))]
    let fetched = false;
    // Read without trust only to say what to do instead of a bare refusal;
    // what is accepted is decided by the verifier alone.
    match decode_unverified(token.as_str()) {
        Err(error) => {
            if let Some(failure) = token.not_a_token(&error) {
                return Err(failure);
            }
        }
        Ok(unverified) if args.jwks.is_none() && !fetched => needs_no_jwks(&unverified)?,
        Ok(_) => {}
    }

    let room = args.room;
    let configure = move |mut verifier: TokenVerifier| {
        if let Some(max) = max_lifetime {
            verifier = verifier.max_lifetime(Some(max));
        }
        if let Some(leeway) = leeway {
            verifier = verifier.leeway(leeway);
        }
        if let Some(room) = room {
            verifier = verifier.require_room(room);
        }
        verifier
    };
    // Metadata is printed as the token carries it, so it is only checked to be JSON here.
    #[cfg(feature = "hosted")]
    if let Some(remote) = remote {
        return crate::output::json(out, &remote.verify(configure, token.as_str(), err)?);
    }
    let verifier = match &args.jwks {
        Some(path) => {
            let jwks = input::text_file("--jwks", path)?;
            TokenVerifier::from_jwks(&jwks)
                .map_err(|e| Failure::new(format_args!("--jwks {}", path.display()), e))?
        }
        None => TokenVerifier::new().with_api_key(&credentials::api_key(args.api_key.id)?)?,
    };
    let claims = configure(verifier)
        .verify_with_metadata::<IgnoredAny>(token.as_str())
        .map_err(rejected)?;
    crate::output::json(out, &claims)
}

/// Without a key set only the HS256 API secret is at hand; a token signed
/// with a private key needs the public key, which no secret can replace.
fn needs_no_jwks(token: &UnverifiedToken) -> Result<(), Failure> {
    let header = token.header();
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .and_then(Algorithm::from_alg);
    match alg {
        #[cfg(feature = "hosted")]
        Some(alg)
            if alg != Algorithm::HS256
                && token.claims().get("iss").and_then(Value::as_str) == Some(HUDDLE01_ISSUER) =>
        {
            Err(Failure::new(
                "--huddle01",
                format_args!(
                    "missing: the token is signed with {alg} by Huddle01's infra (iss {HUDDLE01_ISSUER:?}), \
                     which HUDDLE_API_SECRET cannot check; pass --huddle01 to verify it with \
                     Huddle01's key set"
                ),
            ))
        }
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
