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
use super::DecodedClaims;

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
            iat: required(iat, "iat")?,
            nbf,
            exp: required(exp, "exp")?,
            jti,
        })
    }
}
