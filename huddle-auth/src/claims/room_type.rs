//! The `roomType` claim of Huddle01's infra.

use serde::{Deserialize, Serialize};

/// The kind of room a peer joins (`roomType`): Huddle01's infra writes it
/// into the tokens it issues, and its media servers set the room up by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
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

impl std::fmt::Display for RoomType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
