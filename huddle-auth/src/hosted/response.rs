//! Reading the infra's answers. Everything here takes a status and the
//! bytes of a body (already capped), so the fuzz target drives the same code.

use serde::Deserialize;

use super::error::HostedError;
use crate::decode_unverified;

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
    let unverified = decode_unverified(&token).map_err(|e| {
        HostedError::invalid_response(format!("the token is not a compact JWS: {e}"))
    })?;
    if token.rsplit('.').next().is_none_or(str::is_empty) {
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
