//! Reading [`DecodedClaims`] out of a payload in one pass.
//!
//! Written by hand rather than derived for two reasons. The payload must be a
//! JSON object (RFC 7519 section 7.2, step 10), and a derived struct would
//! also take an array. And RFC 7519 section 4 lets a parser either reject a
//! duplicate claim name or keep the last one: this crate rejects every
//! duplicate, unknown claims included, where a derived struct would only
//! notice duplicates of the claims it knows. Unknown names are remembered only
//! when a token has some, so the usual payload allocates nothing for this.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::objects_only::Strict;
use serde::de::DeserializeOwned;

use super::{Claims, RoomInfo, RoomType, WireOptions};
use crate::{Permissions, VerifyError};

/// The claims as read from a token, before any check; read by the
/// hand-written `Deserialize` of [`decode`], which takes a JSON object only
/// and refuses every duplicate claim name.
pub(crate) struct DecodedClaims {
    pub(super) room_id: String,
    pub(super) peer_id: String,
    pub(super) project_id: Option<String>,
    pub(super) role: Option<String>,
    pub(super) permissions: Permissions,
    pub(super) metadata: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) options: Option<WireOptions>,
    pub(super) room_type: Option<RoomType>,
    pub(super) mute_on_entry: Option<bool>,
    pub(super) video_on_entry: Option<bool>,
    pub(super) purpose: Option<String>,
    pub(super) room_info: Option<RoomInfo>,
    pub(super) iss: Option<String>,
    pub(super) iat: u64,
    pub(super) nbf: Option<u64>,
    pub(super) exp: u64,
    pub(super) jti: Option<String>,
}

impl DecodedClaims {
    /// Parses the payload in one serde pass. On failure the payload is read
    /// again, only then, to name the claim at fault.
    pub(crate) fn parse(payload: &[u8]) -> Result<Self, VerifyError> {
        serde_json::from_slice(payload).map_err(|_| describe_payload_error(payload))
    }

    /// Parses the metadata into `M`, after `Validation::validate` has checked the
    /// claims.
    pub(crate) fn into_claims<M: DeserializeOwned>(self) -> Result<Claims<M>, VerifyError> {
        let metadata = match &self.metadata {
            Some(json) => {
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
            purpose: self.purpose,
            room_info: self.room_info,
            issuer: self.iss,
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

impl<'de> Deserialize<'de> for DecodedClaims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ClaimsVisitor)
    }
}

/// A claim name: one this crate reads, or any other.
enum Claim<'de> {
    RoomId,
    PeerId,
    ProjectId,
    Role,
    Permissions,
    Metadata,
    DisplayName,
    Options,
    RoomType,
    MuteOnEntry,
    VideoOnEntry,
    Purpose,
    RoomInfo,
    Iss,
    Iat,
    Nbf,
    Exp,
    Jti,
    Other(Cow<'de, str>),
}

impl Claim<'_> {
    fn known(name: &str) -> Option<Claim<'static>> {
        Some(match name {
            "roomId" => Claim::RoomId,
            "peerId" => Claim::PeerId,
            "projectId" => Claim::ProjectId,
            "role" => Claim::Role,
            "permissions" => Claim::Permissions,
            "metadata" => Claim::Metadata,
            "displayName" => Claim::DisplayName,
            "options" => Claim::Options,
            "roomType" => Claim::RoomType,
            "muteOnEntry" => Claim::MuteOnEntry,
            "videoOnEntry" => Claim::VideoOnEntry,
            "purpose" => Claim::Purpose,
            "roomInfo" => Claim::RoomInfo,
            "iss" => Claim::Iss,
            "iat" => Claim::Iat,
            "nbf" => Claim::Nbf,
            "exp" => Claim::Exp,
            "jti" => Claim::Jti,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Claim<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Claim<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a claim name")
    }

    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Claim<'de>, E> {
        Ok(Claim::known(name).unwrap_or(Claim::Other(Cow::Borrowed(name))))
    }

    // Names with escapes arrive unescaped in a temporary buffer.
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Claim<'de>, E> {
        Ok(Claim::known(name).unwrap_or_else(|| Claim::Other(Cow::Owned(name.to_owned()))))
    }
}

/// Reads the next value into `slot`, refusing a second value for `name`.
fn read_once<'de, A, S>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &'static str,
    seed: S,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

fn plain<T>() -> PhantomData<T> {
    PhantomData
}

fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

struct ClaimsVisitor;

impl<'de> Visitor<'de> for ClaimsVisitor {
    type Value = DecodedClaims;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DecodedClaims, A::Error> {
        let mut room_id = None;
        let mut peer_id = None;
        let mut project_id = None;
        let mut role = None;
        let mut permissions = None;
        let mut metadata = None;
        let mut display_name = None;
        let mut options = None;
        let mut room_type = None;
        let mut mute_on_entry = None;
        let mut video_on_entry = None;
        let mut purpose = None;
        let mut room_info = None;
        let mut iss = None;
        let mut iat = None;
        let mut nbf = None;
        let mut exp = None;
        let mut jti = None;
        // A set, not a list: a signed payload may carry thousands of unknown
        // claims, and a list search would make parsing quadratic in them.
        let mut others: HashSet<Cow<'de, str>> = HashSet::new();

        while let Some(name) = map.next_key::<Claim<'de>>()? {
            // Optional claims are read as their type, never as `Option`: a
            // `null` is a wrong type, not an absent claim.
            match name {
                Claim::RoomId => read_once(&mut map, &mut room_id, "roomId", plain())?,
                Claim::PeerId => read_once(&mut map, &mut peer_id, "peerId", plain())?,
                Claim::ProjectId => read_once(&mut map, &mut project_id, "projectId", plain())?,
                Claim::Role => read_once(&mut map, &mut role, "role", plain())?,
                Claim::Permissions => {
                    read_once(&mut map, &mut permissions, "permissions", Strict::seed())?;
                }
                Claim::Metadata => read_once(&mut map, &mut metadata, "metadata", plain())?,
                Claim::DisplayName => {
                    read_once(&mut map, &mut display_name, "displayName", plain())?;
                }
                Claim::Options => read_once(&mut map, &mut options, "options", Strict::seed())?,
                Claim::RoomType => read_once(&mut map, &mut room_type, "roomType", plain())?,
                Claim::MuteOnEntry => {
                    read_once(&mut map, &mut mute_on_entry, "muteOnEntry", plain())?;
                }
                Claim::VideoOnEntry => {
                    read_once(&mut map, &mut video_on_entry, "videoOnEntry", plain())?;
                }
                Claim::Purpose => read_once(&mut map, &mut purpose, "purpose", plain())?,
                Claim::RoomInfo => {
                    read_once(&mut map, &mut room_info, "roomInfo", Strict::seed())?;
                }
                Claim::Iss => read_once(&mut map, &mut iss, "iss", plain())?,
                Claim::Iat => read_once(&mut map, &mut iat, "iat", plain())?,
                Claim::Nbf => read_once(&mut map, &mut nbf, "nbf", plain())?,
                Claim::Exp => read_once(&mut map, &mut exp, "exp", plain())?,
                Claim::Jti => read_once(&mut map, &mut jti, "jti", plain())?,
                Claim::Other(name) => {
                    if let Some(name) = others.replace(name) {
                        return Err(de::Error::custom(format_args!("duplicate field `{name}`")));
                    }
                    // Through `Strict`, so its depth is bounded too.
                    map.next_value_seed(Strict::<IgnoredAny>::seed())?;
                }
            }
        }

        Ok(DecodedClaims {
            room_id: required(room_id, "roomId")?,
            peer_id: required(peer_id, "peerId")?,
            project_id,
            role,
            permissions: required(permissions, "permissions")?,
            metadata,
            display_name,
            options,
            room_type,
            mute_on_entry,
            video_on_entry,
            purpose,
            room_info,
            iss,
            iat: required(iat, "iat")?,
            nbf,
            exp: required(exp, "exp")?,
            jti,
        })
    }
}
