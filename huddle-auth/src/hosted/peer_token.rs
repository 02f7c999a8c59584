//! `POST /api/v2/sdk/create-peer-token`: an [`AccessToken`] that Huddle01's
//! infra issues. Its inputs are checked by the same code as local minting
//! (`AccessToken::checked`); only the sending differs.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::client::Huddle01Client;
use super::error::HostedError;
use super::response::read_peer_token;
use crate::claims::{RoomType, WireOptions};
use crate::lifetime::unix_now;
use crate::{AccessToken, MintError, Permissions};

const CREATE_PEER_TOKEN_PATH: &str = "/api/v2/sdk/create-peer-token";

/// The SDK sends these with every token request, so that no cache between
/// here and the infra hands one peer's token to another.
const NO_CACHE_HEADERS: &[(&str, &str)] = &[
    ("cache-control", "no-store, max-age=0"),
    ("pragma", "no-cache"),
];

/// The issuer of a token that Huddle01's infra signs: the client that asks
/// for it. Made by [`Huddle01Client::peer_token`].
#[derive(Clone, Copy)]
pub struct Hosted<'c>(&'c Huddle01Client);

impl fmt::Debug for Hosted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Hosted").field(self.0).finish()
    }
}

/// The request body, the infra's input schema.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PeerTokenBody<'a> {
    room_id: &'a str,
    permissions: &'a Permissions,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<WireOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    room_type: Option<RoomType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mute_on_entry: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video_on_entry: Option<bool>,
    // The SDK's `toJwt()` never sends one; the infra's schema takes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<u64>,
}

impl Huddle01Client {
    /// Starts a token for one peer of `room_id`, which the infra will issue
    /// and sign. Set the role, permissions, metadata and the rest as for a
    /// local token, then call [`to_jwt`](AccessToken::<Hosted>::to_jwt).
    pub fn peer_token<'c>(
        &'c self,
        room_id: impl Into<Cow<'c, str>>,
    ) -> AccessToken<'c, Hosted<'c>> {
        AccessToken::issued_by(Hosted(self), room_id)
    }
}

impl AccessToken<'_, Hosted<'_>> {
    /// Asks Huddle01's infra for the token. Every input is checked first, by
    /// the rules of local minting, and nothing is sent if one is refused.
    /// The infra picks the peer id and has no display name, so setting
    /// either is refused too.
    ///
    /// The body is the SDK's: `roomId`, `permissions`, `role`, `metadata`,
    /// `options.maxPeersAllowed`, and `roomType`, `muteOnEntry` and
    /// `videoOnEntry` when set. The infra picks the lifetime (3 h in the
    /// tokens seen) unless [`ttl`](AccessToken::ttl) is set: then `ttl` is
    /// sent too, and an issued token that lives longer than asked (`exp -
    /// iat`, or `exp` - now give or take 30 s when it has no `iat`) is
    /// refused with [`HostedError::InvalidResponse`], naming both lifetimes.
    pub async fn to_jwt(&self) -> Result<String, HostedError> {
        let checked = self.checked()?;
        if checked.peer_id.is_some() {
            return Err(MintError::invalid(
                "peerId",
                "Huddle01's infra picks the peer id; it cannot be set for a hosted token",
            )
            .into());
        }
        if checked.display_name.is_some() {
            return Err(MintError::invalid(
                "displayName",
                "Huddle01's infra takes no display name; set it in the metadata instead",
            )
            .into());
        }
        let body = PeerTokenBody {
            room_id: checked.room_id,
            permissions: &checked.permissions,
            role: checked.role,
            metadata: checked.metadata,
            options: checked.max_peers_allowed.map(|max| WireOptions {
                max_peers_allowed: Some(max),
            }),
            room_type: checked.room_type,
            mute_on_entry: checked.mute_on_entry,
            video_on_entry: checked.video_on_entry,
            ttl: self.ttl_is_set().then_some(checked.ttl),
        };
        let client = self.issuer().0;
        client
            .post_json(
                CREATE_PEER_TOKEN_PATH,
                NO_CACHE_HEADERS,
                &body,
                |status, answer| {
                    let issued = read_peer_token(status, answer, checked.room_id)?;
                    if let Some(asked) = body.ttl {
                        issued.check_lifetime(asked, unix_now())?;
                    }
                    Ok(issued.token)
                },
            )
            .await
    }
}
