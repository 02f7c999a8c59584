//! `verify --jwks-url` and `verify --huddle01`: a verifier whose keys are
//! fetched from a URL, and a key set that cannot be had told apart from a
//! refused token (both exit 1, but only one is the token's fault).

use huddle_auth::{Claims, TokenVerifier, VerifyError, HUDDLE01_JWKS_URL};
use serde::de::IgnoredAny;

use crate::args::RemoteJwksArgs;
use crate::failure::Failure;

/// The variable that points `--huddle01` at another JWKS (a mirror, a
/// staging deployment, a test server on loopback).
pub const HUDDLE01_JWKS_URL_ENV: &str = "HUDDLE01_JWKS_URL";

/// A verifier over a remote JWKS, and where its URL came from.
pub struct Remote {
    verifier: TokenVerifier,
    /// The flag or variable and the URL, e.g. `--jwks-url https://…`: what a
    /// failure to fetch is reported under. The URL policy refuses user names
    /// and passwords, so it holds no credential.
    origin: String,
    /// Whether the verifier has this crate's profile, where a kid-less token
    /// is most likely one of Huddle01's, given to the wrong flag.
    own_profile: bool,
}

impl Remote {
    /// The remote verifier the flags ask for, if any. A URL that breaks the
    /// policy (`https`, or `http` to loopback only) is refused here, before
    /// anything is fetched.
    pub fn from_args(args: &RemoteJwksArgs) -> Result<Option<Remote>, Failure> {
        if let Some(url) = &args.jwks_url {
            let verifier =
                TokenVerifier::from_jwks_url(url).map_err(|e| Failure::new("--jwks-url", e))?;
            return Ok(Some(Remote {
                verifier,
                origin: format!("--jwks-url {url}"),
                own_profile: true,
            }));
        }
        if !args.huddle01 {
            return Ok(None);
        }
        let (source, url) = match huddle01_url_override()? {
            Some(url) => (HUDDLE01_JWKS_URL_ENV, url),
            None => ("--huddle01", HUDDLE01_JWKS_URL.to_owned()),
        };
        let verifier = TokenVerifier::huddle01_at(&url).map_err(|e| Failure::new(source, e))?;
        Ok(Some(Remote {
            verifier,
            origin: format!("{source} {url}"),
            own_profile: false,
        }))
    }

    /// Verifies `token` with the verifier as `configure` leaves it, fetching
    /// the key set (within its fetch timeout) on a runtime of its own.
    pub fn verify(
        self,
        configure: impl FnOnce(TokenVerifier) -> TokenVerifier,
        token: &str,
    ) -> Result<Claims<IgnoredAny>, Failure> {
        let verifier = configure(self.verifier);
        let outcome =
            crate::runtime::block_on(verifier.verify_with_metadata_async::<IgnoredAny>(token))?;
        outcome.map_err(|error| match error {
            VerifyError::KeysUnavailable { .. } => Failure::new(&self.origin, error),
            VerifyError::UnknownKey { kid: None } if self.own_profile => {
                Failure::rejected(format_args!(
                    "{error}; tokens issued by Huddle01's infra have none: verify those with \
                     --huddle01"
                ))
            }
            other => super::rejected(other),
        })
    }
}

/// `HUDDLE01_JWKS_URL`, if set; empty counts as unset, as clap treats the
/// variables behind flags.
fn huddle01_url_override() -> Result<Option<String>, Failure> {
    match std::env::var(HUDDLE01_JWKS_URL_ENV) {
        Ok(url) if !url.is_empty() => Ok(Some(url)),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Failure::new(HUDDLE01_JWKS_URL_ENV, "is not valid UTF-8"))
        }
    }
}
