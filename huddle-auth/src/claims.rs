//! The claims of an access token: their wire form, and the verified, typed
//! view a server works with.

use std::marker::PhantomData;

use serde::Serialize;

use crate::{Permissions, Role, Source, StaticRole, VerifyError};

mod decode;
pub(crate) mod objects_only;
mod peer;
mod profile;
mod room_info;
mod validate;
mod wire;

pub(crate) use decode::DecodedClaims;
pub(crate) use profile::effective;
pub use profile::{TokenProfile, HUDDLE01_ISSUER};
pub use room_info::RoomInfo;
pub(crate) use validate::{check_rules, RuleInput, Validation};
pub(crate) use wire::{present, WireClaims, WireOptions};

use peer::first_difference;
pub use peer::{NarrowError, Peer};
mod room_type;

pub use room_type::RoomType;

/// The verified claims of a token, with metadata parsed into `M`.
///
/// Every claim here has passed the checks of [`TokenVerifier`](crate::TokenVerifier):
/// signature, times, rules 1 to 5.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims<M = serde_json::Value> {
    room_id: String,
    peer_id: String,
    project_id: Option<String>,
    role: Option<String>,
    permissions: Permissions,
    metadata_json: Option<String>,
    metadata: Option<M>,
    display_name: Option<String>,
    max_peers_allowed: Option<u64>,
    room_type: Option<RoomType>,
    mute_on_entry: Option<bool>,
    video_on_entry: Option<bool>,
    purpose: Option<String>,
    room_info: Option<RoomInfo>,
    issuer: Option<String>,
    issued_at: u64,
    not_before: Option<u64>,
    expires_at: u64,
    jwt_id: Option<String>,
}

impl<M> Claims<M> {
    /// The room the token admits to (`roomId`).
    pub fn room_id(&self) -> &str {
        &self.room_id
    }

    /// The peer the token was minted for (`peerId`).
    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// The project, which is the key id of the API key that minted it (`projectId`).
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The role's wire name, if the token carries one.
    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }

    /// The role, if it is one of the predefined ones.
    pub fn predefined_role(&self) -> Option<Role> {
        self.role.as_deref().and_then(Role::from_wire)
    }

    /// The permissions granted.
    pub fn permissions(&self) -> &Permissions {
        &self.permissions
    }

    /// The metadata, parsed into `M`.
    pub fn metadata(&self) -> Option<&M> {
        self.metadata.as_ref()
    }

    /// The metadata as the token carries it: a JSON string.
    pub fn metadata_json(&self) -> Option<&str> {
        self.metadata_json.as_deref()
    }

    /// The display name.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// `options.maxPeersAllowed`.
    pub fn max_peers_allowed(&self) -> Option<u64> {
        self.max_peers_allowed
    }

    /// The kind of room (`roomType`), which Huddle01's infra writes into
    /// its tokens.
    pub fn room_type(&self) -> Option<RoomType> {
        self.room_type
    }

    /// Whether the peer enters with its microphone muted (`muteOnEntry`).
    pub fn mute_on_entry(&self) -> Option<bool> {
        self.mute_on_entry
    }

    /// Whether the peer enters with its camera on (`videoOnEntry`).
    pub fn video_on_entry(&self) -> Option<bool> {
        self.video_on_entry
    }

    /// What the token was issued for (`purpose`); Huddle01's infra writes
    /// `"SDK"` for the tokens it issues through the SDK.
    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }

    /// The room's settings as Huddle01's infra copies them into its tokens
    /// (`roomInfo`).
    pub fn room_info(&self) -> Option<&RoomInfo> {
        self.room_info.as_ref()
    }

    /// Who issued the token (`iss`): `Huddle01` for tokens of Huddle01's
    /// infra; this crate's own tokens carry none.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// `iat`, in seconds since the Unix epoch.
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// `nbf`, in seconds since the Unix epoch.
    pub fn not_before(&self) -> Option<u64> {
        self.not_before
    }

    /// `exp`, in seconds since the Unix epoch.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// `jti`, the token's unique id.
    pub fn jwt_id(&self) -> Option<&str> {
        self.jwt_id.as_deref()
    }

    /// Whether the peer is an admin of the room.
    pub fn is_admin(&self) -> bool {
        self.permissions.admin
    }

    /// Whether the peer may consume other peers' tracks.
    pub fn may_consume(&self) -> bool {
        self.permissions.can_consume
    }

    /// Whether the peer may publish a track with this label, by the rule of
    /// Huddle01's web client: `video` needs the camera, `audio` the
    /// microphone, a label starting with `screen-share` the screen, and every
    /// label needs `canProduce`. Labels are compared case-sensitively: `"Video"`
    /// is another label, which needs only `canProduce`. Servers that know a
    /// track's source use [`may_produce_source`](Self::may_produce_source).
    pub fn may_produce(&self, label: &str) -> bool {
        self.permissions.may_produce(label)
    }

    /// Whether the peer may send data messages.
    pub fn may_send_data(&self) -> bool {
        self.permissions.can_send_data
    }

    /// Whether the peer may receive data messages.
    pub fn may_recv_data(&self) -> bool {
        self.permissions.can_recv_data
    }

    /// Whether the peer may update its own metadata.
    pub fn may_update_metadata(&self) -> bool {
        self.permissions.can_update_metadata
    }

    /// Whether the peer may give another peer the role `role`: only admins
    /// may, and only a `host` may make someone `host`.
    pub fn may_assign_role(&self, role: &str) -> bool {
        huddle_auth_core::may_assign_role(self.role.as_deref(), &self.permissions, role)
    }

    /// Narrows the claims to the role type `R`. The token's role must be
    /// `R::NAME` and its permissions must **equal** `R::PERMISSIONS`, so a
    /// [`Peer<R>`] is a proof that the token grants exactly `R`: the
    /// capability bounds of [`can`](crate::can) on `R` then hold for the
    /// peer, and no bound promises a permission the token lacks.
    ///
    /// A refusal hands the claims back in the [`NarrowError`], so a handler
    /// can try one role after another without cloning them:
    ///
    /// ```
    /// use huddle_auth::roles::{Guest, Speaker};
    /// use huddle_auth::{AccessToken, ApiKey, Role, TokenVerifier};
    ///
    /// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
    /// let token = AccessToken::new(&key, "abc-defg-hij").role(Role::Guest).to_jwt()?;
    /// let claims = TokenVerifier::new().with_api_key(&key)?.verify(&token)?;
    /// let guest = match claims.narrow::<Speaker>() {
    ///     Ok(_speaker) => unreachable!("a guest token is no speaker token"),
    ///     Err(refused) => refused.into_claims().narrow::<Guest>()?,
    /// };
    /// assert_eq!(guest.role(), Some("guest"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// The peer keeps the metadata as JSON ([`Claims::metadata`] of the
    /// peer is a `serde_json::Value`); read it as a type with
    /// [`Peer::metadata_as`].
    pub fn narrow<R: StaticRole>(self) -> Result<Peer<R>, NarrowError<M>> {
        let refuse = |claims, error| {
            Err(NarrowError {
                claims: Box::new(claims),
                error,
            })
        };
        if self.role.as_deref() != Some(R::NAME) {
            let error = VerifyError::RoleMismatch {
                expected: R::NAME,
                found: self.role.clone(),
            };
            return refuse(self, error);
        }
        if let Some((field, found, expected)) = first_difference(&self.permissions, &R::PERMISSIONS)
        {
            let error = VerifyError::PermissionMismatch {
                role: R::NAME,
                field,
                found,
                expected,
            };
            return refuse(self, error);
        }
        // The metadata parsed as `M`, so it is JSON; read once more as a
        // `Value`, so that a peer's type does not depend on `M`.
        let metadata = match self.metadata_json.as_deref().map(serde_json::from_str) {
            None => None,
            Some(Ok(value)) => Some(value),
            Some(Err(e)) => {
                let error = VerifyError::claims("metadata", format!("is not JSON: {e}"));
                return refuse(self, error);
            }
        };
        Ok(Peer {
            claims: self.with_metadata(metadata),
            role: PhantomData,
        })
    }

    /// Whether the peer may publish `source` (`canProduce` and the source's
    /// `canProduceSources` key), for servers that classify tracks themselves
    /// instead of by label.
    pub fn may_produce_source(&self, source: Source) -> bool {
        self.permissions.can_produce && self.permissions.can_produce_sources.get(source)
    }

    fn with_metadata<T>(self, metadata: Option<T>) -> Claims<T> {
        Claims {
            room_id: self.room_id,
            peer_id: self.peer_id,
            project_id: self.project_id,
            role: self.role,
            permissions: self.permissions,
            metadata_json: self.metadata_json,
            metadata,
            display_name: self.display_name,
            max_peers_allowed: self.max_peers_allowed,
            room_type: self.room_type,
            mute_on_entry: self.mute_on_entry,
            video_on_entry: self.video_on_entry,
            purpose: self.purpose,
            room_info: self.room_info,
            issuer: self.issuer,
            issued_at: self.issued_at,
            not_before: self.not_before,
            expires_at: self.expires_at,
            jwt_id: self.jwt_id,
        }
    }

    fn wire(&self) -> WireClaims<'_> {
        WireClaims {
            room_id: &self.room_id,
            peer_id: &self.peer_id,
            project_id: self.project_id.as_deref().unwrap_or_default(),
            role: self.role.as_deref(),
            permissions: &self.permissions,
            metadata: self.metadata_json.as_deref(),
            display_name: self.display_name.as_deref(),
            options: self.max_peers_allowed.map(|max| WireOptions {
                max_peers_allowed: Some(max),
            }),
            room_type: self.room_type,
            mute_on_entry: self.mute_on_entry,
            video_on_entry: self.video_on_entry,
            purpose: self.purpose.as_deref(),
            room_info: self.room_info.as_ref(),
            iss: self.issuer.as_deref(),
            iat: self.issued_at,
            nbf: self.not_before,
            exp: self.expires_at,
            jti: self.jwt_id.as_deref(),
        }
    }
}

/// Serializes to the wire form of the claims, with metadata as the JSON
/// string the token carries.
impl<M> Serialize for Claims<M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire().serialize(serializer)
    }
}
