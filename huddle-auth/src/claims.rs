//! The claims of an access token: their wire form, and the verified, typed
//! view a server works with.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::{Permissions, Role, Source, StaticRole, VerifyError};
use huddle_auth_core::rules;

mod decode;
pub(crate) mod objects_only;
mod peer;

use peer::first_difference;
pub use peer::{NarrowError, Peer};
mod room_type;

pub use room_type::RoomType;

/// The claims exactly as they travel, in the SDK's camelCase and key order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireClaims<'a> {
    pub room_id: &'a str,
    pub peer_id: &'a str,
    // Never empty in a verified token, so "absent" is written as absent.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub project_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'a str>,
    pub permissions: &'a Permissions,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<WireOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mute_on_entry: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_on_entry: Option<bool>,
    pub iat: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    pub exp: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<&'a str>,
}

/// The `options` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct WireOptions {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub max_peers_allowed: Option<u64>,
}

/// The claims as read from a token, before any check; read by the
/// hand-written `Deserialize` of [`decode`], which takes a JSON object only
/// and refuses every duplicate claim name.
pub(crate) struct DecodedClaims {
    room_id: String,
    peer_id: String,
    project_id: Option<String>,
    role: Option<String>,
    permissions: Permissions,
    metadata: Option<String>,
    display_name: Option<String>,
    options: Option<WireOptions>,
    room_type: Option<RoomType>,
    mute_on_entry: Option<bool>,
    video_on_entry: Option<bool>,
    pub(crate) iat: u64,
    pub(crate) nbf: Option<u64>,
    pub(crate) exp: u64,
    jti: Option<String>,
}

/// Reads an optional member that, when present, must hold a value: `null`
/// is a wrong type, not an absent member.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl DecodedClaims {
    /// Parses the payload in one serde pass. On failure the payload is read
    /// again, only then, to name the claim at fault.
    pub(crate) fn parse(payload: &[u8]) -> Result<Self, VerifyError> {
        serde_json::from_slice(payload).map_err(|_| describe_payload_error(payload))
    }

    /// Checks rules 1 to 5 and the text claims, then parses the metadata.
    pub(crate) fn into_claims<M: DeserializeOwned>(self) -> Result<Claims<M>, VerifyError> {
        let rule = |v: rules::RuleViolation| VerifyError::claims(v.field(), v.to_string());
        rules::check_text_claim("roomId", &self.room_id).map_err(rule)?;
        rules::check_text_claim("peerId", &self.peer_id).map_err(rule)?;
        if let Some(name) = &self.display_name {
            rules::check_text_claim("displayName", name).map_err(rule)?;
        }
        if self.project_id.as_deref() == Some("") {
            return Err(VerifyError::claims("projectId", "must not be empty"));
        }
        rules::check_permissions(&self.permissions).map_err(rule)?;
        if let Some(role) = &self.role {
            rules::check_role_name(role).map_err(rule)?;
        }
        if let Some(max_peers) = self.options.and_then(|o| o.max_peers_allowed) {
            rules::check_max_peers(max_peers).map_err(rule)?;
        }
        let metadata = match &self.metadata {
            Some(json) => {
                rules::check_metadata_len(json.len()).map_err(rule)?;
                let parsed = serde_json::from_str(json).map_err(|e| {
                    VerifyError::claims(
                        "metadata",
                        format!("does not match the expected type: {e}"),
                    )
                })?;
                Some(parsed)
            }
            None => None,
        };
        Ok(Claims {
            room_id: self.room_id,
            peer_id: self.peer_id,
            project_id: self.project_id,
            role: self.role,
            permissions: self.permissions,
            metadata_json: self.metadata,
            metadata,
            display_name: self.display_name,
            max_peers_allowed: self.options.and_then(|o| o.max_peers_allowed),
            room_type: self.room_type,
            mute_on_entry: self.mute_on_entry,
            video_on_entry: self.video_on_entry,
            issued_at: self.iat,
            not_before: self.nbf,
            expires_at: self.exp,
            jwt_id: self.jti,
        })
    }
}

fn describe_payload_error(payload: &[u8]) -> VerifyError {
    if payload.is_empty() {
        return VerifyError::malformed("payload", "is empty");
    }
    let mut deserializer = serde_json::Deserializer::from_slice(payload);
    let error = match serde_path_to_error::deserialize::<_, DecodedClaims>(&mut deserializer) {
        Ok(_) => {
            let reason = deserializer
                .end()
                .map_or_else(|e| e.to_string(), |()| "could not be read".to_owned());
            return VerifyError::malformed("payload", reason);
        }
        Err(error) => error,
    };
    let inner = error.inner();
    if !inner.is_data() {
        return VerifyError::malformed("payload", format!("is not valid JSON: {inner}"));
    }
    let reason = strip_position(&inner.to_string());
    let path = error.path().to_string();
    // Errors about one member of an object (missing, duplicate, unknown) name
    // it in backticks; the path then stops at the object that holds it.
    let member = ["missing field `", "duplicate field `", "unknown field `"]
        .iter()
        .find_map(|prefix| reason.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    match (path.as_str(), member) {
        (".", Some(member)) => VerifyError::claims(member, reason.clone()),
        (".", None) => VerifyError::malformed("payload", reason),
        (path, Some(member)) if !path.ends_with(member) => {
            VerifyError::claims(format!("{path}.{member}"), reason.clone())
        }
        (path, _) => VerifyError::claims(path, reason),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

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
