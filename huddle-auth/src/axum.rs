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
//!
//! The body is JSON, `{"error": <RFC 6750 code>, "reason": <why>, "description": <a sentence>}`,
//! and never repeats the token.
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

use std::fmt;
use std::sync::Arc;

use axum_core::body::Body;
use axum_core::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

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
        Ok(VerifiedPeer(verifier.verify_with_metadata(token)?))
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

/// Why a request carried no bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    Header,
    Bearer,
}

/// Why an extractor refused a request; turns into the 400, 401 or 403 response.
///
/// Handlers may return it too (`Result<_, AuthRejection>`), for example from
/// [`VerifiedPeer::require`]. The response body and headers never contain
/// the token; [`verify_error`](Self::verify_error) gives the full error for
/// the server's own logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRejection {
    status: StatusCode,
    error: Option<&'static str>,
    reason: &'static str,
    description: String,
    source: Option<VerifyError>,
}

/// RFC 6750 section 3.1 error codes.
const INVALID_REQUEST: &str = "invalid_request";
const INVALID_TOKEN: &str = "invalid_token";
const INSUFFICIENT_SCOPE: &str = "insufficient_scope";

impl AuthRejection {
    fn missing(missing: Missing) -> Self {
        let (reason, description) = match missing {
            Missing::Header => ("missing_token", "send Authorization: Bearer <token>"),
            Missing::Bearer => (
                "unsupported_scheme",
                "the Authorization header must use the Bearer scheme",
            ),
        };
        AuthRejection {
            status: StatusCode::UNAUTHORIZED,
            // A request without bearer credentials gets no error code
            // (RFC 6750 section 3.1).
            error: None,
            reason,
            description: description.to_owned(),
            source: None,
        }
    }

    /// A request that is not well-formed (RFC 6750 section 3.1,
    /// `invalid_request`): 400, not a verdict on any token.
    fn malformed_header(description: &str) -> Self {
        AuthRejection {
            status: StatusCode::BAD_REQUEST,
            error: Some(INVALID_REQUEST),
            reason: "malformed_header",
            description: description.to_owned(),
            source: None,
        }
    }

    fn unauthorized(
        reason: &'static str,
        description: String,
        source: Option<VerifyError>,
    ) -> Self {
        AuthRejection {
            status: StatusCode::UNAUTHORIZED,
            error: Some(INVALID_TOKEN),
            reason,
            description,
            source,
        }
    }

    fn forbidden(reason: &'static str, description: String, source: Option<VerifyError>) -> Self {
        AuthRejection {
            status: StatusCode::FORBIDDEN,
            error: Some(INSUFFICIENT_SCOPE),
            reason,
            description,
            source,
        }
    }

    /// A 403 for a verified peer whose permissions lack `capability`.
    pub fn missing_capability(capability: Capability) -> Self {
        AuthRejection::forbidden(
            "missing_capability",
            format!(
                "the token does not grant the capability {}",
                capability.trait_name()
            ),
            None,
        )
    }

    /// The status of the response: 400, 401 or 403.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The RFC 6750 error code (`invalid_request`, `invalid_token`,
    /// `insufficient_scope`), or
    /// `None` when the request carried no bearer token.
    pub fn error_code(&self) -> Option<&'static str> {
        self.error
    }

    /// A stable name for the reason (`missing_token`, `expired`,
    /// `bad_signature`, `role_mismatch`, ...), as in the response body.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// The verifier's error, when verification or narrowing refused the
    /// token. Its message may quote parts of the token (a `kid`, a claim
    /// value): log it, do not send it.
    pub fn verify_error(&self) -> Option<&VerifyError> {
        self.source.as_ref()
    }
}

impl From<VerifyError> for AuthRejection {
    /// Every variant is mapped here on purpose, without a wildcard, so that
    /// a new variant must be placed: a token that is not genuine, current
    /// and well-formed is a 401; a genuine token for something else than
    /// this route demands is a 403. Descriptions name claims and the
    /// server's own requirements, never values taken from the token.
    fn from(error: VerifyError) -> Self {
        use Refusal::{Forbidden, Unauthorized};
        let (refusal, reason, description) = match &error {
            VerifyError::TooLarge { limit, .. } => (
                Unauthorized,
                "too_large",
                format!("the token is longer than {limit} bytes"),
            ),
            VerifyError::Malformed { part, .. } => (
                Unauthorized,
                "malformed",
                format!("the token's {part} is malformed"),
            ),
            VerifyError::UnknownKey { .. } => (
                Unauthorized,
                "unknown_key",
                "the token's kid names no key of this server".to_owned(),
            ),
            VerifyError::AlgorithmNotAllowed { expected, .. } => (
                Unauthorized,
                "algorithm_not_allowed",
                format!("the token's key only verifies {expected}"),
            ),
            VerifyError::CriticalHeader { .. } => (
                Unauthorized,
                "critical_header",
                "the token's header lists crit extensions this server does not understand"
                    .to_owned(),
            ),
            VerifyError::BadSignature => (
                Unauthorized,
                "bad_signature",
                "the token's signature does not match".to_owned(),
            ),
            VerifyError::Expired { .. } => {
                (Unauthorized, "expired", "the token has expired".to_owned())
            }
            VerifyError::NotYetValid { .. } => (
                Unauthorized,
                "not_yet_valid",
                "the token is not valid yet (nbf)".to_owned(),
            ),
            VerifyError::IssuedInFuture { .. } => (
                Unauthorized,
                "issued_in_future",
                "the token is issued in the future (iat)".to_owned(),
            ),
            VerifyError::LifetimeTooLong { max, .. } => (
                Unauthorized,
                "lifetime_too_long",
                format!("the token lives longer than the {max} s this server accepts"),
            ),
            VerifyError::InvalidClaims { field, .. } => (
                Unauthorized,
                "invalid_claims",
                format!("the token's claim {field} is invalid"),
            ),
            VerifyError::WrongRoom { .. } => (
                Forbidden,
                "wrong_room",
                "the token is for another room".to_owned(),
            ),
            VerifyError::RoleMismatch { expected, .. } => (
                Forbidden,
                "role_mismatch",
                format!("this route needs the role {expected}"),
            ),
            VerifyError::PermissionMismatch { role, field, .. } => (
                Forbidden,
                "permission_mismatch",
                format!("this route needs exactly the permissions of the role {role}, which differ in {field}"),
            ),
        };
        match refusal {
            Unauthorized => AuthRejection::unauthorized(reason, description, Some(error)),
            Forbidden => AuthRejection::forbidden(reason, description, Some(error)),
        }
    }
}

/// Which of the two answers a verifier error gets.
enum Refusal {
    /// The token is not genuine, current and well-formed: 401.
    Unauthorized,
    /// The token is genuine but not for what the route demands: 403.
    Forbidden,
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description, self.reason)
    }
}

impl std::error::Error for AuthRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.error.unwrap_or("unauthorized"),
            "reason": self.reason,
            "description": self.description,
        });
        let challenge = match self.error {
            Some(INVALID_REQUEST) => r#"Bearer error="invalid_request""#,
            Some(INVALID_TOKEN) => r#"Bearer error="invalid_token""#,
            Some(INSUFFICIENT_SCOPE) => r#"Bearer error="insufficient_scope""#,
            _ => "Bearer",
        };
        let mut response = Response::new(Body::from(body.to_string()));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        response
    }
}
