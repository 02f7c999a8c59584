//! The `roomInfo` claim of Huddle01-issued tokens.

use serde::{Deserialize, Serialize};

use super::wire::present;
use super::RoomType;

/// The room's settings as Huddle01's infra copies them into the tokens it
/// issues (`roomInfo`). Members the crate does not know are ignored, so a
/// new setting on Huddle01's side does not refuse its tokens; a known member
/// of the wrong type, a `null` or a repeated one does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomInfo {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    room_locked: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    mute_on_entry: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    room_type: Option<RoomType>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    video_on_entry: Option<bool>,
}

impl RoomInfo {
    /// Whether the room is locked (`roomLocked`): no one joins without an
    /// admin letting them in.
    pub fn room_locked(&self) -> Option<bool> {
        self.room_locked
    }

    /// Whether peers enter the room muted (`muteOnEntry`).
    pub fn mute_on_entry(&self) -> Option<bool> {
        self.mute_on_entry
    }

    /// The kind of room (`roomType`).
    pub fn room_type(&self) -> Option<RoomType> {
        self.room_type
    }

    /// Whether peers enter with their camera on (`videoOnEntry`).
    pub fn video_on_entry(&self) -> Option<bool> {
        self.video_on_entry
    }
}
