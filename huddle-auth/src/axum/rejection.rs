//! The refusals of the extractors: [`AuthRejection`] and the RFC 6750
//! answer each gets.

use std::fmt;

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};

use crate::{Capability, VerifyError};

/// Why a request carried no bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    Header,
    Bearer,
}

/// Why an extractor refused a request; turns into the 400, 401 or 403
/// response, or a 503 when a remote key set cannot be had.
///
/// Handlers may return it too (`Result<_, AuthRejection>`), for example from
/// [`VerifiedPeer::require`](super::VerifiedPeer::require). The response body and headers never contain
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
/// RFC 6749 section 4.1.2.1: the server cannot answer for now.
const TEMPORARILY_UNAVAILABLE: &str = "temporarily_unavailable";

impl AuthRejection {
    pub(super) fn missing(missing: Missing) -> Self {
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
    pub(super) fn malformed_header(description: &str) -> Self {
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
        use Refusal::{Forbidden, Unauthorized, Unavailable};
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
            VerifyError::WrongIssuer { expected, .. } => (
                Unauthorized,
                "wrong_issuer",
                format!("this server accepts only tokens issued by {expected}"),
            ),
            VerifyError::KeysUnavailable { .. } => (
                Unavailable,
                "keys_unavailable",
                "the server cannot get the keys to check the token with; try again later"
                    .to_owned(),
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
            Unavailable => AuthRejection {
                status: StatusCode::SERVICE_UNAVAILABLE,
                error: Some(TEMPORARILY_UNAVAILABLE),
                reason,
                description,
                source: Some(error),
            },
        }
    }
}

/// Which of the two answers a verifier error gets.
enum Refusal {
    /// The token is not genuine, current and well-formed: 401.
    Unauthorized,
    /// The token is genuine but not for what the route demands: 403.
    Forbidden,
    /// The server cannot tell, its key source being down: 503, fail closed.
    Unavailable,
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
        let challenge = match self.error {
            Some(INVALID_REQUEST) => r#"Bearer error="invalid_request""#,
            Some(INVALID_TOKEN) => r#"Bearer error="invalid_token""#,
            Some(INSUFFICIENT_SCOPE) => r#"Bearer error="insufficient_scope""#,
            _ => "Bearer",
        };
        let mut response = json_error(
            self.status,
            self.error.unwrap_or("unauthorized"),
            self.reason,
            &self.description,
        );
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        response
    }
}

/// The JSON error body every extractor of this crate answers with:
/// `{"error": <code>, "reason": <why>, "description": <a sentence>}`.
pub(super) fn json_error(
    status: StatusCode,
    error: &str,
    reason: &str,
    description: &str,
) -> Response {
    let body = serde_json::json!({
        "error": error,
        "reason": reason,
        "description": description,
    });
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
