//! Verifiers whose keys live at a URL: a remote JWKS, Huddle01's included.

use std::sync::Arc;

use super::{Keys, TokenVerifier};
use crate::jws::Compact;
use crate::{JwksError, KeySet, RemoteJwks, TokenProfile, VerifyError};

/// Where Huddle01 publishes the keys its infra signs tokens with (the URL
/// the Node SDK's `TokenVerifier` reads).
pub const HUDDLE01_JWKS_URL: &str = "https://huddle01.app/jwks.json";

impl TokenVerifier {
    /// A verifier whose keys are the JWKS at `url`, fetched when first
    /// needed and cached (see [`RemoteJwks`] for the timings), for tokens of
    /// this crate's profile: a token must name its key with a `kid`, even if
    /// the set publishes keys without one. `url` must be `https`, or `http`
    /// to loopback. Keys of the set this crate cannot verify with are
    /// skipped ([`KeySet::from_remote_jwks`]).
    ///
    /// ```
    /// use huddle_auth::TokenVerifier;
    ///
    /// let verifier = TokenVerifier::from_jwks_url("https://auth.example.com/jwks.json")?;
    /// assert!(TokenVerifier::from_jwks_url("http://auth.example.com/jwks.json").is_err());
    /// # let _ = verifier;
    /// # Ok::<(), huddle_auth::JwksError>(())
    /// ```
    pub fn from_jwks_url(url: &str) -> Result<Self, JwksError> {
        Ok(TokenVerifier::from_remote_jwks(RemoteJwks::from_url(url)?))
    }

    /// A verifier whose keys come from `jwks`, for tokens of this crate's
    /// profile: build the cache yourself to set its timings, its clock or
    /// its HTTP client, or to share one cache between verifiers (say, one
    /// per room).
    pub fn from_remote_jwks(jwks: impl Into<Arc<RemoteJwks<KeySet>>>) -> Self {
        TokenVerifier {
            keys: Keys::Remote(jwks.into()),
            ..TokenVerifier::new()
        }
    }

    /// A verifier for the tokens Huddle01's infra issues: keys from
    /// [`HUDDLE01_JWKS_URL`], the [`TokenProfile::Huddle01`] profile.
    ///
    /// ```
    /// use huddle_auth::{TokenProfile, TokenVerifier};
    ///
    /// let verifier = TokenVerifier::huddle01()?.require_room("kgg-iyre-bks");
    /// assert_eq!(verifier.token_profile(), TokenProfile::Huddle01);
    /// # Ok::<(), huddle_auth::JwksError>(())
    /// ```
    ///
    /// In an async handler (the README's example):
    ///
    /// ```no_run
    /// use huddle_auth::TokenVerifier;
    ///
    /// # async fn handler(token: String) -> Result<(), Box<dyn std::error::Error>> {
    /// let verifier = TokenVerifier::huddle01()?.require_room("kgg-iyre-bks"); // build once, share (Arc)
    /// let claims = verifier.verify_async(&token).await?;   // fetches the JWKS when due
    /// assert_eq!(claims.issuer(), Some("Huddle01"));
    /// println!("{:?} {:?}", claims.room_type(), claims.room_info().and_then(|i| i.room_locked()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn huddle01() -> Result<Self, JwksError> {
        TokenVerifier::huddle01_at(HUDDLE01_JWKS_URL)
    }

    /// [`huddle01`](Self::huddle01) with the JWKS at another URL (a mirror,
    /// a staging deployment, a test server on loopback).
    pub fn huddle01_at(url: &str) -> Result<Self, JwksError> {
        Ok(TokenVerifier::from_jwks_url(url)?.profile(TokenProfile::Huddle01))
    }

    /// The remote key set behind this verifier, if its keys come from one.
    pub fn remote_jwks(&self) -> Option<&Arc<RemoteJwks<KeySet>>> {
        match &self.keys {
            Keys::Remote(jwks) => Some(jwks),
            Keys::Held(_) => None,
        }
    }

    /// The JWS layer against a remote set: the cached or fetched set, then,
    /// if no key of it verifies the token, the set after a miss (a key
    /// rotation), which the cache refetches at most once per cooldown.
    pub(super) async fn verify_jws_remote(
        &self,
        jwks: &RemoteJwks<KeySet>,
        token: &str,
    ) -> Result<Vec<u8>, VerifyError> {
        // Parsed first: a token that is not even a JWS never costs a fetch.
        let jws = Compact::parse(token)?;
        let keys = jwks.key_set().await.map_err(unavailable)?;
        match self.signed_by(&jws, &keys) {
            // A kid-less token under a profile that requires a kid: no key
            // set has a key for it, so no refetch would help.
            Err(missed @ VerifyError::UnknownKey { kid: None })
                if !self.validation.profile.kid_optional() =>
            {
                Err(missed)
            }
            // An unknown kid, or (for a kid-less token) no candidate whose
            // signature fits: both what a token signed with a key published
            // after the cached set was fetched looks like.
            Err(missed @ (VerifyError::UnknownKey { .. } | VerifyError::BadSignature)) => {
                let newer = jwks.key_set_after_miss().await.map_err(unavailable)?;
                if Arc::ptr_eq(&newer, &keys) {
                    // The same set (within the cooldown): the same answer.
                    return Err(missed);
                }
                self.signed_by(&jws, &newer)
            }
            outcome => outcome,
        }
    }
}

fn unavailable(error: JwksError) -> VerifyError {
    VerifyError::KeysUnavailable {
        reason: error.to_string(),
    }
}
