//! Reading the infra's answers. Everything here takes a status and the
//! bytes of a body (already capped), so the fuzz target drives the same code.

use serde::Deserialize;

use super::error::HostedError;
use crate::jws::Compact;
use crate::{UnverifiedToken, VerifyError};

/// `201 { "message": …, "data": { "roomId": … } }`.
#[derive(Deserialize)]
struct RoomCreated {
    data: RoomData,
}

#[derive(Deserialize)]
struct RoomData {
    #[serde(rename = "roomId")]
    room_id: String,
}

/// `200 { "token": … }`.
#[derive(Deserialize)]
struct PeerTokenIssued {
    token: String,
}

/// The room id out of the answer to `create-room`.
#[doc(hidden)]
pub fn parse_room_created(status: u16, body: &[u8]) -> Result<String, HostedError> {
    match status {
        201 => {}
        401 => return Err(HostedError::ApiKeyRejected),
        _ => return Err(HostedError::status(status, body)),
    }
    let created: RoomCreated = serde_json::from_slice(body).map_err(|e| {
        HostedError::invalid_response(format!("create-room: not the expected JSON: {e}"))
    })?;
    if created.data.room_id.is_empty() {
        return Err(HostedError::invalid_response(
            "create-room: data.roomId is empty",
        ));
    }
    Ok(created.data.room_id)
}

/// The token out of the answer to `create-peer-token` for `room_id`: a
/// compact JWS whose (unverified) `roomId` is the room asked for, so that a
/// proxy or a bug handing back another room's token does not pass silently.
/// Its signature is Huddle01's and is left to the media servers to check.
#[doc(hidden)]
pub fn parse_peer_token(status: u16, body: &[u8], room_id: &str) -> Result<String, HostedError> {
    match status {
        200 => {}
        401 => return Err(HostedError::ApiKeyRejected),
        404 => {
            return Err(HostedError::RoomNotFound {
                room_id: room_id.to_owned(),
            })
        }
        _ => return Err(HostedError::status(status, body)),
    }
    let issued: PeerTokenIssued = serde_json::from_slice(body).map_err(|e| {
        HostedError::invalid_response(format!(
            "create-peer-token: not JSON with a `token` string: {e}"
        ))
    })?;
    let token = issued.token;
    let not_a_jws = |e: VerifyError| {
        HostedError::invalid_response(format!("the token is not a compact JWS: {e}"))
    };
    let jws = Compact::parse(&token).map_err(not_a_jws)?;
    let unverified = UnverifiedToken::read(&jws).map_err(not_a_jws)?;
    if jws.signature.is_empty() {
        return Err(HostedError::invalid_response(
            "the token is not a compact JWS: its signature is empty",
        ));
    }
    match unverified.claims().get("roomId").and_then(|v| v.as_str()) {
        Some(found) if found == room_id => Ok(token),
        Some(found) => Err(HostedError::invalid_response(format!(
            "the token is for room {found:?}, not {room_id:?}"
        ))),
        None => Err(HostedError::invalid_response(
            "the token has no roomId string",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(token: &str) -> Option<String> {
        let body = serde_json::json!({ "token": token }).to_string();
        match parse_peer_token(200, body.as_bytes(), "kgg-iyre-bks") {
            Err(HostedError::InvalidResponse { reason }) => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn the_token_is_read_through_the_jws_layer() {
        // {"alg":"HS256"} . {"roomId":"kgg-iyre-bks"}, encoded by hand.
        let signed = "eyJhbGciOiJIUzI1NiJ9.eyJyb29tSWQiOiJrZ2ctaXlyZS1ia3MifQ.c2ln";
        let body = serde_json::json!({ "token": signed }).to_string();
        assert_eq!(
            parse_peer_token(200, body.as_bytes(), "kgg-iyre-bks").ok(),
            Some(signed.to_owned())
        );
        assert_eq!(
            reason("eyJhbGciOiJIUzI1NiJ9.eyJyb29tSWQiOiJrZ2ctaXlyZS1ia3MifQ.").as_deref(),
            Some("the token is not a compact JWS: its signature is empty")
        );
        assert_eq!(
            reason("e30.e30").as_deref(),
            Some(
                "the token is not a compact JWS: malformed token: a compact JWS has exactly \
                 three segments separated by '.'"
            )
        );
        // A payload that is no JSON object fails before the empty signature.
        assert_eq!(
            reason("e30.W10.").as_deref(),
            Some("the token is not a compact JWS: malformed token payload: is not a JSON object")
        );
    }
}
