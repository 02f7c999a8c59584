//! Huddle01's hosted platform: rooms and peer tokens from Huddle01's infra
//! (feature `hosted`).
//!
//! A peer that joins Huddle01's media servers needs a token that Huddle01
//! signed: those servers trust Huddle01's key, not yours. [`Huddle01Client`]
//! creates rooms and asks the infra for such tokens, with the API key as the
//! only credential. A hosted token is an [`AccessToken`](crate::AccessToken)
//! like a local one — same roles, `role!` types, permission overrides, rules
//! and metadata, checked by the same code before anything is sent — whose
//! `to_jwt` is an HTTPS call, as the Node SDK's `toJwt()` is.
//!
//! ```no_run
//! use huddle_auth::hosted::Huddle01Client;
//! use huddle_auth::{Role, RoomType};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Huddle01Client::new(std::env::var("HUDDLE_API_KEY")?)?;
//! let room_id = client.create_room().metadata("weekly sync").send().await?;
//! let token = client
//!     .peer_token(&room_id)
//!     .role(Role::Host)
//!     .metadata(&serde_json::json!({ "displayName": "Ada" }))
//!     .room_type(RoomType::Video)
//!     .to_jwt()
//!     .await?;
//! # Ok(()) }
//! ```

mod client;
mod error;
mod peer_token;
mod response;
mod rooms;

pub use client::{
    Huddle01Client, Huddle01ClientBuilder, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES,
    SDK_VERSION, USER_AGENT_VALUE,
};
pub use error::HostedError;
pub use peer_token::Hosted;
#[doc(hidden)]
pub use response::{parse_peer_token, parse_room_created};
pub use rooms::{CreateRoom, MAX_ROOM_METADATA_BYTES};
