//! The `roomType` claim of Huddle01's infra.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// The kind of room a peer joins (`roomType`): Huddle01's infra writes it
/// into the tokens it issues, and its media servers set the room up by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
// The infra's schema may gain room kinds; 0.1.x can then add variants.
#[non_exhaustive]
pub enum RoomType {
    /// An audio room (`"AUDIO"`).
    Audio,
    /// A video room (`"VIDEO"`).
    Video,
}

impl RoomType {
    /// The wire name: `AUDIO` or `VIDEO`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RoomType::Audio => "AUDIO",
            RoomType::Video => "VIDEO",
        }
    }

    /// Reads a wire name, `AUDIO` or `VIDEO` (exactly, as the infra's schema
    /// takes them).
    pub fn from_wire(name: &str) -> Option<Self> {
        match name {
            "AUDIO" => Some(RoomType::Audio),
            "VIDEO" => Some(RoomType::Video),
            _ => None,
        }
    }
}

impl fmt::Display for RoomType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Read as a string, not as a derived enum: serde_json reports a derived
/// enum's `null` as a JSON syntax error, where a claim of the wrong type must
/// be an error about that claim.
impl<'de> Deserialize<'de> for RoomType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(RoomTypeVisitor)
    }
}

struct RoomTypeVisitor;

impl Visitor<'_> for RoomTypeVisitor {
    type Value = RoomType;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("`AUDIO` or `VIDEO`")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<RoomType, E> {
        RoomType::from_wire(name).ok_or_else(|| E::unknown_variant(name, &["AUDIO", "VIDEO"]))
    }
}
