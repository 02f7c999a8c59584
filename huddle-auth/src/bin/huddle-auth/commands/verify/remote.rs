//! `verify --jwks-url` and `verify --huddle01`: a verifier whose keys are
//! fetched from a URL, and a key set that cannot be had told apart from a
//! refused token (both exit 1, but only one is the token's fault).

use std::io::Write;

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
    /// Whether to report the keys the fetched set skipped (`--verbose`).
    verbose: bool,
}

impl Remote {
    /// The remote verifier the flags ask for, if any. A URL that breaks the
    /// policy (`https`, or `http` to loopback only) is refused here, before
    /// anything is fetched.
    pub fn from_args(args: &RemoteJwksArgs) -> Result<Option<Remote>, Failure> {
        let (source, url) = match (&args.jwks_url, args.huddle01) {
            (Some(url), _) => ("--jwks-url", url.clone()),
            (None, false) => return Ok(None),
            (None, true) => match huddle01_url_override()? {
                Some(url) => (HUDDLE01_JWKS_URL_ENV, url),
                None => ("--huddle01", HUDDLE01_JWKS_URL.to_owned()),
            },
        };
        // `--huddle01 --jwks-url URL`: Huddle01's profile over that URL.
        let verifier = if args.huddle01 {
            TokenVerifier::huddle01_at(&url)
        } else {
            TokenVerifier::from_jwks_url(&url)
        }
        .map_err(|e| Failure::new(source, e))?;
        Ok(Some(Remote {
            verifier,
            origin: format!("{source} {url}"),
            own_profile: !args.huddle01,
            verbose: args.verbose,
        }))
    }

    /// Verifies `token` with the verifier as `configure` leaves it, fetching
    /// the key set (within its fetch timeout) on a runtime of its own. With
    /// `--verbose`, the keys the fetched set skipped go to `err`, verified
    /// or not.
    pub fn verify(
        self,
        configure: impl FnOnce(TokenVerifier) -> TokenVerifier,
        token: &str,
        err: &mut dyn Write,
    ) -> Result<Claims<IgnoredAny>, Failure> {
        let verifier = configure(self.verifier);
        let outcome =
            crate::runtime::block_on(verifier.verify_with_metadata_async::<IgnoredAny>(token))?;
        if self.verbose {
            report_skipped(&verifier, &self.origin, err)?;
        }
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

/// One line for the count of keys the fetched set skipped, then one per key
/// with its `kid` and why; nothing if no set was fetched.
fn report_skipped(
    verifier: &TokenVerifier,
    origin: &str,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let Some(keys) = verifier.remote_jwks().and_then(|jwks| jwks.cached_fresh()) else {
        return Ok(());
    };
    let skipped = keys.skipped();
    let plural = if skipped.len() == 1 { "" } else { "s" };
    let mut lines = format!("{origin}: {} key{plural} skipped\n", skipped.len());
    for key in skipped {
        lines.push_str(&format!("  {key}\n"));
    }
    err.write_all(lines.as_bytes())
        .map_err(|e| Failure::new("stderr", e))
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
