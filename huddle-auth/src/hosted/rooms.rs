//! `POST /api/v2/sdk/rooms/create-room`.

use serde::Serialize;

use super::client::Huddle01Client;
use super::error::HostedError;
use super::response::parse_room_created;
use crate::MintError;

/// The most bytes of room metadata, measured as its JSON encoding (the SDK's
/// `MAX_ROOM_METADATA_SIZE`).
pub const MAX_ROOM_METADATA_BYTES: usize = 1024;

const CREATE_ROOM_PATH: &str = "/api/v2/sdk/rooms/create-room";

/// A room being created; [`send`](CreateRoom::send) asks the infra for it.
#[derive(Debug, Clone)]
#[must_use = "a room is only created by `send`"]
pub struct CreateRoom<'c> {
    client: &'c Huddle01Client,
    body: CreateRoomBody,
}

/// The request body, the infra's schema.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateRoomBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    room_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<String>,
}

impl Huddle01Client {
    /// Starts creating a room: unlocked and without metadata unless set.
    pub fn create_room(&self) -> CreateRoom<'_> {
        CreateRoom {
            client: self,
            body: CreateRoomBody::default(),
        }
    }
}

impl CreateRoom<'_> {
    /// Whether the room is locked (`roomLocked`).
    pub fn locked(mut self, locked: bool) -> Self {
        self.body.room_locked = Some(locked);
        self
    }

    /// The room's metadata, a string of at most
    /// [`MAX_ROOM_METADATA_BYTES`] as JSON; checked before sending.
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.body.metadata = Some(metadata.into());
        self
    }

    /// Creates the room and returns its id.
    pub async fn send(&self) -> Result<String, HostedError> {
        if let Some(metadata) = &self.body.metadata {
            // The SDK measures `JSON.stringify(metadata)`: quotes and escapes count.
            let bytes = serde_json::to_string(metadata).map_or(usize::MAX, |json| json.len());
            if bytes > MAX_ROOM_METADATA_BYTES {
                return Err(MintError::invalid(
                    "metadata",
                    format!(
                        "room metadata is {bytes} bytes as JSON, over the limit of \
                         {MAX_ROOM_METADATA_BYTES}"
                    ),
                )
                .into());
            }
        }
        self.client
            .post_json(CREATE_ROOM_PATH, &[], &self.body, parse_room_created)
            .await
    }
}
