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
    read_peer_token(status, body, room_id).map(|issued| issued.token)
}

/// A token the infra issued, with the (unverified) times it claims.
pub(crate) struct IssuedToken {
    pub(crate) token: String,
    exp: Option<u64>,
    iat: Option<u64>,
}

/// [`parse_peer_token`], keeping the token's times.
pub(crate) fn read_peer_token(
    status: u16,
    body: &[u8],
    room_id: &str,
) -> Result<IssuedToken, HostedError> {
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
    let claims = unverified.claims();
    let time = |name: &str| claims.get(name).and_then(serde_json::Value::as_u64);
    let (exp, iat) = (time("exp"), time("iat"));
    match claims.get("roomId").and_then(|v| v.as_str()) {
        Some(found) if found == room_id => Ok(IssuedToken { token, exp, iat }),
        Some(found) => Err(HostedError::invalid_response(format!(
            "the token is for room {found:?}, not {room_id:?}"
        ))),
        None => Err(HostedError::invalid_response(
            "the token has no roomId string",
        )),
    }
}

impl IssuedToken {
    /// Refuses the token if it lives longer than the `asked` seconds:
    /// `exp - iat`, or without an `iat`, `exp - now` less the verifiers'
    /// default leeway, since the two clocks may disagree.
    pub(crate) fn check_lifetime(&self, asked: u64, now: u64) -> Result<(), HostedError> {
        let Some(exp) = self.exp else {
            return Err(HostedError::invalid_response(format!(
                "the token has no exp, but a ttl of {asked} s was asked for"
            )));
        };
        let lives = match self.iat {
            Some(iat) => exp.saturating_sub(iat),
            None => exp
                .saturating_sub(now)
                .saturating_sub(crate::DEFAULT_LEEWAY.as_secs()),
        };
        if lives > asked {
            return Err(HostedError::invalid_response(format!(
                "the token lives {lives} s, longer than the ttl of {asked} s asked for"
            )));
        }
        Ok(())
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

    fn issued(claims: &serde_json::Value) -> IssuedToken {
        use base64::Engine as _;
        let payload = crate::jws::B64.encode(claims.to_string());
        let body = serde_json::json!({ "token": format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln") });
        match read_peer_token(200, body.to_string().as_bytes(), "kgg-iyre-bks") {
            Ok(issued) => issued,
            Err(error) => panic!("{error}"),
        }
    }

    fn lifetime_refusal(issued: &IssuedToken, asked: u64, now: u64) -> Option<String> {
        match issued.check_lifetime(asked, now) {
            Err(HostedError::InvalidResponse { reason }) => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn an_issued_token_may_live_as_long_as_asked_never_longer() {
        let three_hours = issued(&serde_json::json!({
            "roomId": "kgg-iyre-bks", "iat": 1_727_800_826_u64, "exp": 1_727_811_626_u64
        }));
        assert!(three_hours.check_lifetime(10_800, 0).is_ok());
        assert!(three_hours.check_lifetime(14_400, 0).is_ok());
        assert_eq!(
            lifetime_refusal(&three_hours, 7_200, 0).as_deref(),
            Some("the token lives 10800 s, longer than the ttl of 7200 s asked for")
        );
        // Without an iat, from now, 30 s of clock skew allowed.
        let no_iat = issued(&serde_json::json!({ "roomId": "kgg-iyre-bks", "exp": 8_230 }));
        assert!(no_iat.check_lifetime(7_200, 1_000).is_ok());
        assert_eq!(
            lifetime_refusal(&no_iat, 7_200, 999).as_deref(),
            Some("the token lives 7201 s, longer than the ttl of 7200 s asked for")
        );
        let no_exp = issued(&serde_json::json!({ "roomId": "kgg-iyre-bks", "iat": 1 }));
        assert_eq!(
            lifetime_refusal(&no_exp, 7_200, 0).as_deref(),
            Some("the token has no exp, but a ttl of 7200 s was asked for")
        );
    }
}
