//! Extractors for [axum](https://docs.rs/axum): demand a verified peer in a
//! handler's signature (feature `axum`).
//!
//! [`VerifiedPeer`] reads `Authorization: Bearer <token>`, verifies the token
//! with the [`TokenVerifier`] of the router state (any state from which an
//! `Arc<TokenVerifier>` can be taken with [`FromRef`]) and yields the
//! [`Claims`] with metadata parsed into `M`. [`VerifiedRole`] also narrows them
//! to a role type, so the capability bounds of [`can`](crate::can) apply: the
//! token's role and permissions must be exactly the role type's.
//!
//! A refusal is an [`AuthRejection`], answered as RFC 6750 section 3 asks:
//!
//! | what | status | `WWW-Authenticate` |
//! |---|---|---|
//! | no `Authorization` header, or another scheme than `Bearer` | 401 | `Bearer` |
//! | two `Authorization` headers, `Bearer` without a token, or a malformed header | 400 | `Bearer error="invalid_request"` |
//! | a malformed, forged, expired, unknown-key or wrong-algorithm token | 401 | `Bearer error="invalid_token"` |
//! | a valid token for another room, role or capability than required | 403 | `Bearer error="insufficient_scope"` |
//! | the verifier's remote key set cannot be had (fetch failed, stale window passed) | 503 | `Bearer` |
//!
//! The extractors verify with [`TokenVerifier::verify_with_metadata_async`],
//! so a verifier backed by a remote JWKS (`TokenVerifier::huddle01`,
//! `TokenVerifier::from_jwks_url`, feature `hosted`) fetches its keys when
//! due, without blocking the runtime's threads.
//!
//! The body is JSON, `{"error": <RFC 6750 code>, "reason": <why>, "description": <a sentence>}`,
//! and never repeats the token.
//!
//! With the feature `webhooks` too, [`VerifiedWebhook`] takes a webhook from
//! Huddle01 verified by the router state's
//! [`WebhookReceiver`](crate::webhooks::WebhookReceiver), and refuses with the
//! same JSON body ([`WebhookRejection`]).
//!
//! ```
//! use std::sync::Arc;
//!
//! use axum::{routing::get, Router};
//! use huddle_auth::axum::{AuthRejection, VerifiedPeer, VerifiedRole};
//! use huddle_auth::{role, ApiKey, Capability, TokenVerifier};
//!
//! role! {
//!     /// Runs the stage: an admin of the room who never shows a camera.
//!     pub struct Moderator: CoHost {
//!         canProduceSources: { cam: false },
//!     }
//! }
//!
//! #[derive(serde::Deserialize)]
//! struct Wallet {
//!     #[serde(rename = "walletAddress")]
//!     address: String,
//! }
//!
//! // Any valid token for the room; 401 otherwise.
//! async fn me(VerifiedPeer(peer): VerifiedPeer<Wallet>) -> String {
//!     let wallet = peer.metadata().map_or("none", |w| w.address.as_str());
//!     format!("{} in {} (wallet {wallet})", peer.peer_id(), peer.room_id())
//! }
//!
//! // Only a token whose role is `moderator` with exactly its permissions; 403 otherwise.
//! async fn moderate(VerifiedRole(peer): VerifiedRole<Moderator>) -> String {
//!     format!("{} moderates {}", peer.peer_id(), peer.room_id())
//! }
//!
//! // A capability checked at run time; 403 without it.
//! async fn share_screen(peer: VerifiedPeer) -> Result<String, AuthRejection> {
//!     let VerifiedPeer(peer) = peer.require(Capability::ProduceScreen)?;
//!     Ok(format!("{} may share a screen", peer.peer_id()))
//! }
//!
//! let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
//! let verifier = TokenVerifier::new().with_api_key(&key)?.require_room("abc-defg-hij");
//! let app: Router = Router::new()
//!     .route("/me", get(me))
//!     .route("/moderate", get(moderate))
//!     .route("/screen", get(share_screen))
//!     .with_state(Arc::new(verifier));
//! # drop(app);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod rejection;
#[cfg(feature = "webhooks")]
mod webhook;

use std::fmt;
use std::sync::Arc;

use axum_core::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use http::header::AUTHORIZATION;
use http::request::Parts;
use serde::de::DeserializeOwned;

pub use rejection::AuthRejection;
use rejection::Missing;
#[cfg(feature = "webhooks")]
pub use webhook::{VerifiedWebhook, WebhookRejection};

use crate::{Capability, Claims, Peer, StaticRole, TokenVerifier, VerifyError};

/// A request whose bearer token verified: the claims, with metadata parsed
/// into `M` (`serde_json::Value` takes any metadata, `()` ignores it).
///
/// As `Option<VerifiedPeer<M>>` it lets a request without an
/// `Authorization` header through as `None`, and still refuses a bad token.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedPeer<M = serde_json::Value>(pub Claims<M>);

impl<M> VerifiedPeer<M> {
    /// Keeps the peer only if its permissions grant `capability`; otherwise
    /// a 403 naming the capability.
    pub fn require(self, capability: Capability) -> Result<Self, AuthRejection> {
        if capability.granted_by(self.0.permissions()) {
            Ok(self)
        } else {
            Err(AuthRejection::missing_capability(capability))
        }
    }
}

/// A request whose bearer token verified and was narrowed to the role type
/// `R` (see [`Claims::narrow`]): a token with another role, or with other
/// permissions than `R`'s, is refused with a 403. Read typed metadata with
/// [`Peer::metadata_as`].
pub struct VerifiedRole<R>(pub Peer<R>);

impl<R: StaticRole> fmt::Debug for VerifiedRole<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VerifiedRole").field(&self.0).finish()
    }
}

impl<R> Clone for VerifiedRole<R> {
    fn clone(&self) -> Self {
        VerifiedRole(self.0.clone())
    }
}

impl<S, M> FromRequestParts<S> for VerifiedPeer<M>
where
    Arc<TokenVerifier>: FromRef<S>,
    S: Send + Sync,
    M: DeserializeOwned,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = bearer_token(parts)?.ok_or(AuthRejection::missing(Missing::Header))?;
        let verifier = Arc::<TokenVerifier>::from_ref(state);
        Ok(VerifiedPeer(
            verifier.verify_with_metadata_async(token).await?,
        ))
    }
}

impl<S, M> OptionalFromRequestParts<S> for VerifiedPeer<M>
where
    Arc<TokenVerifier>: FromRef<S>,
    S: Send + Sync,
    M: DeserializeOwned,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        // Only the absence of credentials is "no peer"; a token that was sent
        // and fails is still refused, so a client learns its token is bad.
        if parts.headers.get(AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <Self as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

impl<S, R> FromRequestParts<S> for VerifiedRole<R>
where
    Arc<TokenVerifier>: FromRef<S>,
    S: Send + Sync,
    R: StaticRole,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let VerifiedPeer(claims) =
            <VerifiedPeer as FromRequestParts<S>>::from_request_parts(parts, state).await?;
        Ok(VerifiedRole(claims.narrow().map_err(VerifyError::from)?))
    }
}

/// The token of `Authorization: Bearer <token>` (RFC 6750 section 2.1), or
/// `None` when the request has no `Authorization` header.
fn bearer_token(parts: &Parts) -> Result<Option<&str>, AuthRejection> {
    let mut values = parts.headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthRejection::malformed_header(
            "more than one Authorization header",
        ));
    }
    let value = value.to_str().map_err(|_| {
        AuthRejection::malformed_header("the Authorization header is not visible ASCII")
    })?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    // Auth schemes compare case-insensitively (RFC 9110 section 11.1).
    if !scheme.eq_ignore_ascii_case("Bearer") {
        return Err(AuthRejection::missing(Missing::Bearer));
    }
    let token = token.trim_start_matches(' ');
    if token.is_empty() {
        return Err(AuthRejection::malformed_header(
            "the Bearer scheme carries no token",
        ));
    }
    if token.contains(|c: char| c.is_ascii_whitespace()) {
        return Err(AuthRejection::malformed_header(
            "a bearer token has no whitespace",
        ));
    }
    Ok(Some(token))
}
