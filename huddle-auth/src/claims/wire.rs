//! The claims as they travel: the minted form and the `options` claim.

use serde::{Deserialize, Deserializer, Serialize};

use super::{RoomInfo, RoomType};
use crate::Permissions;

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_info: Option<&'a RoomInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<&'a str>,
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

/// Reads an optional member that, when present, must hold a value: `null`
/// is a wrong type, not an absent member.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}
