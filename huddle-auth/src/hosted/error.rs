//! Why a call to Huddle01's infra gave no room or no token.

use std::time::Duration;

use crate::http::HttpError;
use crate::MintError;

/// The most characters of an unexpected response body an error keeps: enough
/// to read the infra's message, not enough to flood a log.
pub(crate) const BODY_EXCERPT_CHARS: usize = 200;

/// Why a call to Huddle01's infra failed. No variant holds the API key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostedError {
    /// An input was refused before anything was sent: the same checks as
    /// local minting, plus the client's own settings (`apiKey`, `baseUrl`).
    #[error("{0} (refused before sending)")]
    Input(#[from] MintError),
    /// The infra answered 401: the API key is missing or invalid.
    #[error("Huddle01's infra rejected the API key (401): it is missing or invalid")]
    ApiKeyRejected,
    /// The infra answered 404: no room with this id belongs to the API key.
    #[error("room {room_id:?}: not found for this API key (404)")]
    RoomNotFound {
        /// The room asked for.
        room_id: String,
    },
    /// Any other status than the expected one.
    #[error("Huddle01's infra answered {status}: {body}")]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, at most 200 characters, lossily decoded.
        body: String,
    },
    /// No complete response came within the client's timeout.
    #[error("Huddle01's infra did not answer within {after:?}")]
    Timeout {
        /// The timeout that passed.
        after: Duration,
    },
    /// The connection, TLS or HTTP exchange failed.
    #[error("could not reach Huddle01's infra: {reason}")]
    Transport {
        /// What failed.
        reason: String,
    },
    /// The infra answered with the expected status but not the expected
    /// body: not JSON, no token, not a compact JWS, a token for another
    /// room, or a body over the size cap.
    #[error("invalid response from Huddle01's infra: {reason}")]
    InvalidResponse {
        /// What is wrong with it.
        reason: String,
    },
}

impl HostedError {
    pub(crate) fn invalid_response(reason: impl Into<String>) -> Self {
        HostedError::InvalidResponse {
            reason: reason.into(),
        }
    }

    /// An unexpected status, keeping at most [`BODY_EXCERPT_CHARS`] of its body.
    pub(crate) fn status(status: u16, body: &[u8]) -> Self {
        HostedError::Status {
            status,
            body: String::from_utf8_lossy(body)
                .chars()
                .take(BODY_EXCERPT_CHARS)
                .collect(),
        }
    }
}

impl From<HttpError> for HostedError {
    fn from(error: HttpError) -> Self {
        match error {
            HttpError::Timeout(after) => HostedError::Timeout { after },
            HttpError::TooLarge { .. } => HostedError::invalid_response(error.to_string()),
            HttpError::Transport(reason) => HostedError::Transport { reason },
        }
    }
}
