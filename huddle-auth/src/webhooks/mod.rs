//! Webhooks from Huddle01: verify them as the SDK does, and better (feature
//! `webhooks`).
//!
//! Huddle01 POSTs a JSON body, `{"id", "event", "payload"}`, with a header
//! `huddle01-signature: t=<timestamp>,sha256=<lowercase hex>`. The MAC is
//! HMAC-SHA256 (or SHA-512) keyed with the project's **API key**, the same
//! value sent as `x-api-key` (there is no separate webhook secret; SDK 2.0.0
//! used the API secret, 2.3.5 onward the API key), over
//! `` `${data.id}.${t}.${JSON.stringify(JSON.parse(body))}` ``.
//!
//! That last part is the trap: the SDK does not sign the bytes sent but V8's
//! re-serialization of them, so a receiver that hashes the raw body rejects
//! genuine webhooks whose body has an escape, a float, a big integer, a
//! repeated or a numeric key. [`WebhookReceiver`] writes V8's form itself,
//! byte for byte, without a JavaScript engine: keys in V8's order (array
//! indices first, ascending), repeated keys as V8 keeps them, numbers as
//! ECMAScript's `Number::toString` prints them, strings escaped as
//! `JSON.stringify` escapes them. It also accepts a body whose raw bytes are
//! the signed text, for a sender that signs exactly what it sends.
//!
//! A body V8 would accept but that this crate cannot reproduce faithfully (a
//! lone surrogate escape such as `"\ud800"`, nesting deeper than
//! [`MAX_DEPTH`]) is refused with an error saying so, never accepted on a
//! guessed signature.
//!
//! Where the SDK is weak this receiver is stricter:
//!
//! - **a replay window**, on by default: the timestamp `t` must be within
//!   [`DEFAULT_TOLERANCE`] (5 minutes) of the receiver's clock, in both
//!   directions. The SDK checks no timestamp at all, so a captured webhook
//!   replays forever. The unit of `t` is **unconfirmed**: Huddle01's docs
//!   compare it with `Date.now()`, which suggests milliseconds, and nothing
//!   settles it, so `t` is read as milliseconds when it is at least
//!   [`MILLISECONDS_THRESHOLD`] (10^11, which in seconds is the year 5138) and
//!   as seconds below. [`WebhookReceiver::tolerance`]`(None)` accepts any
//!   timestamp, as the SDK does.
//! - **a size cap** ([`DEFAULT_MAX_BODY_BYTES`], 1 MiB), checked before parsing;
//! - **a strict header**: `t=<digits>,<alg>=<lowercase hex>`, further
//!   `,`-segments ignored (as the SDK ignores them);
//! - **distinct errors** ([`WebhookError`]), none of which holds the key.
//!
//! The SDK's `new WebhookReceiver({ apiKey }).receive(body, header)`, in Rust
//! (the README's example; `body` is the raw request body, byte for byte, and
//! `signature` the value of its `huddle01-signature` header):
//!
//! ```
//! # use huddle_auth::webhooks::WebhookSigner;
//! # let api_key = "ak_test_huddle_auth";
//! # let body: &[u8] = br#"{"id":"evt_1","event":"peer:joined","payload":{"id":"p1","sessionId":"s1","roomId":"abc-defg-hij","joinedAt":1700000000000}}"#;
//! # let signature = &WebhookSigner::new(api_key)?.sign(body)?;
//! use huddle_auth::webhooks::{Event, WebhookReceiver};
//!
//! // Build once and share: the API key is keyed into HMAC states here.
//! let receiver = WebhookReceiver::new(api_key)?; // the API key, the value sent as x-api-key
//! let webhook = receiver.receive(body, signature)?; // signature, replay window, typed event
//! match webhook.event() {
//!     Event::PeerJoined(peer) => println!("{} joined {}", peer.id, peer.room_id),
//!     Event::MeetingEnded(meeting) => println!("{} ended", meeting.room_id),
//!     other => println!("{} {}", other.name(), webhook.json()),
//! }
//! # assert_eq!(webhook.id(), "evt_1");
//! # assert!(matches!(webhook.event(), Event::PeerJoined(p) if p.room_id == "abc-defg-hij"));
//! # Ok::<(), huddle_auth::webhooks::WebhookError>(())
//! ```

use std::time::Duration;

/// The request header that carries the signature.
pub const SIGNATURE_HEADER: &str = "huddle01-signature";

/// How far the webhook's timestamp may be from the receiver's clock, in
/// either direction, unless [`WebhookReceiver::tolerance`] says otherwise:
/// Standard Webhooks' tolerance, and the one Huddle01's docs check by hand.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The largest body read, unless [`WebhookReceiver::max_body_bytes`] says
/// otherwise. Huddle01's events are a few hundred bytes; the cap bounds what
/// one request costs before anything is parsed.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// A timestamp at or above this is read as milliseconds since the Unix
/// epoch, below it as seconds. The unit Huddle01 sends is unconfirmed (see
/// the module docs); 10^11 seconds is in the year 5138 and 10^11
/// milliseconds is in 1973, so neither reading of a real clock crosses it.
pub const MILLISECONDS_THRESHOLD: u64 = 100_000_000_000;

/// The deepest nesting of arrays and objects this crate reproduces. V8
/// parses deeper; a body past the limit is refused with
/// [`WebhookError::TooDeep`], not verified by a guess. Huddle01's events nest
/// three levels.
pub const MAX_DEPTH: usize = 100;

mod canonical;
mod error;
mod events;
mod header;
mod key;
mod receiver;
mod signer;

pub use canonical::canonical_json;
pub use error::WebhookError;
pub use events::{
    Browser, Device, Event, GeoData, MeetingEnded, MeetingStarted, PeerJoined, PeerLeft, PeerTrack,
    Recording, RecordingFile, RecordingStream, WebhookEvent,
};
pub use header::WebhookAlgorithm;
pub use receiver::WebhookReceiver;
pub use signer::WebhookSigner;
