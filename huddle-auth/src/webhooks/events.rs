//! What a verified webhook says: [`WebhookEvent`], and [`Event`] with a typed
//! payload per event of SDK 2.6.2 (`dist/webhooks/types.d.ts`).
//!
//! Fields the types do not list are ignored, and events they do not list (or
//! whose payload lacks a field the type requires) are [`Event::Other`]: Huddle01's docs already name some (`recording:stopped`,
//! `cid` and `ipfsUrl` at the top level), and LiveKit's Rust SDK once broke on
//! every webhook when its server added a field.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A webhook whose signature and timestamp were checked.
#[derive(Debug, Clone)]
pub struct WebhookEvent {
    id: String,
    timestamp_millis: u64,
    event: Event,
    /// V8's form of the body: the JSON the signature covers.
    json: String,
    /// `json` as a `Value`, built when first asked for.
    raw: OnceLock<Value>,
}

impl PartialEq for WebhookEvent {
    /// Equal when the id, the timestamp and the verified JSON are (the event
    /// is read from that JSON); whether `raw` was asked for does not count.
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.timestamp_millis == other.timestamp_millis
            && self.json == other.json
    }
}

impl WebhookEvent {
    /// The event of verified JSON (V8's form of a body), or serde_json's
    /// error if it cannot read that JSON.
    pub(crate) fn new(
        id: String,
        timestamp_millis: u64,
        json: String,
    ) -> Result<Self, serde_json::Error> {
        Ok(WebhookEvent {
            id,
            timestamp_millis,
            event: Event::decode(&json)?,
            json,
            raw: OnceLock::new(),
        })
    }

    /// The event's id as the signature covers it (`${data.id}`): a string id
    /// as is, a numeric one as JavaScript prints it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the webhook was signed, by its header's `t` (read as
    /// milliseconds from 10^11 up, as seconds below: the unit is unconfirmed).
    pub fn timestamp(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(self.timestamp_millis)
    }

    /// [`timestamp`](Self::timestamp) in milliseconds since the Unix epoch.
    pub fn timestamp_millis(&self) -> u64 {
        self.timestamp_millis
    }

    /// The event and its typed payload.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The event's name, `peer:joined` say.
    pub fn name(&self) -> &str {
        self.event.name()
    }

    /// The verified body, as JSON.parse read it (`id`, `event`, `payload`
    /// and whatever else it holds), parsed on the first call. Objects are
    /// `serde_json` maps, so their keys are in that map's order; the body's
    /// order is [`json`](Self::json)'s.
    pub fn raw(&self) -> &Value {
        // `new` read this JSON whole with the same parser, so it parses;
        // `Null` is never what this returns.
        self.raw
            .get_or_init(|| plain_value(&self.json).unwrap_or_default())
    }

    /// The verified body as the signature covers it: V8's
    /// `JSON.stringify(JSON.parse(body))` (for a body signed over its raw
    /// bytes, what those bytes canonicalize to).
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The event, dropping the rest.
    pub fn into_event(self) -> Event {
        self.event
    }
}

/// An event and its payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `meeting:started`: the first peer entered a room.
    MeetingStarted(MeetingStarted),
    /// `meeting:ended`: the last peer left.
    MeetingEnded(MeetingEnded),
    /// `peer:joined`.
    PeerJoined(PeerJoined),
    /// `peer:left`.
    PeerLeft(PeerLeft),
    /// `peer:trackPublished`: a peer started sending a track.
    PeerTrackPublished(PeerTrack),
    /// `peer:trackUnpublished`: a peer stopped sending a track.
    PeerTrackUnpublished(PeerTrack),
    /// `recording:started`.
    RecordingStarted(Recording),
    /// `recording:ended`.
    RecordingEnded(Recording),
    /// `recording:updated`.
    RecordingUpdated(Recording),
    /// An event this crate does not know, or a known one whose payload does
    /// not have its type, with the payload as sent.
    Other {
        /// The event's name (empty when the body has no `event` string).
        name: String,
        /// Its payload (`null` when the body has none).
        payload: Value,
    },
}

impl Event {
    /// The event's name on the wire.
    pub fn name(&self) -> &str {
        match self {
            Event::MeetingStarted(_) => "meeting:started",
            Event::MeetingEnded(_) => "meeting:ended",
            Event::PeerJoined(_) => "peer:joined",
            Event::PeerLeft(_) => "peer:left",
            Event::PeerTrackPublished(_) => "peer:trackPublished",
            Event::PeerTrackUnpublished(_) => "peer:trackUnpublished",
            Event::RecordingStarted(_) => "recording:started",
            Event::RecordingEnded(_) => "recording:ended",
            Event::RecordingUpdated(_) => "recording:updated",
            Event::Other { name, .. } => name,
        }
    }

    /// The event of verified JSON: `event` names it, `payload` is typed by
    /// it. A payload that does not have its event's type (a required field
    /// missing, say) and a body without an `event` string come as
    /// [`Event::Other`] too: the signature is Huddle01's, and a change on its
    /// side must not turn genuine webhooks into errors. Payloads are typed
    /// straight from the text, with no `Value` in between.
    fn decode(json: &str) -> Result<Self, serde_json::Error> {
        let envelope: Envelope<'_> = serde_json::from_str(json)?;
        let name: String = envelope
            .event
            .and_then(|event| serde_json::from_str(event.get()).ok())
            .unwrap_or_default();
        let payload = envelope.payload.map_or("null", RawValue::get);
        let typed = match name.as_str() {
            "meeting:started" => typed(payload).map(Event::MeetingStarted),
            "meeting:ended" => typed(payload).map(Event::MeetingEnded),
            "peer:joined" => typed(payload).map(Event::PeerJoined),
            "peer:left" => typed(payload).map(Event::PeerLeft),
            "peer:trackPublished" => typed(payload).map(Event::PeerTrackPublished),
            "peer:trackUnpublished" => typed(payload).map(Event::PeerTrackUnpublished),
            "recording:started" => typed(payload).map(Event::RecordingStarted),
            "recording:ended" => typed(payload).map(Event::RecordingEnded),
            "recording:updated" => typed(payload).map(Event::RecordingUpdated),
            _ => None,
        };
        match typed {
            Some(event) => Ok(event),
            None => Ok(Event::Other {
                payload: plain_value(payload)?,
                name,
            }),
        }
    }
}

/// The two members of a body that name and carry the event, unread.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    event: Option<&'a RawValue>,
    #[serde(borrow, default)]
    payload: Option<&'a RawValue>,
}

/// `json` as a `Value`, every object key an ordinary key, as JSON.parse reads
/// it. `Value`'s own `Deserialize` does not do that here: with serde_json's
/// `raw_value` feature (on for [`Envelope`]) it reads an object whose first
/// key is serde_json's private raw-value token as the raw JSON in its string,
/// so `{"$serde_json::private::RawValue":"1"}` would be `1`, and a string
/// that is not JSON an error.
fn plain_value(json: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<PlainValue>(json).map(|plain| plain.0)
}

/// A `Value` read by [`PlainVisitor`].
struct PlainValue(Value);

impl<'de> Deserialize<'de> for PlainValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PlainVisitor).map(PlainValue)
    }
}

/// Builds a `Value` from what the parser reads, with no key set apart.
struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json's parser yields finite numbers only; `from` would make
        // any other `Null`, as `Value` does.
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(PlainValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // A repeated key keeps its last value, as in JSON.parse.
        let mut object = Map::new();
        while let Some((key, PlainValue(value))) = map.next_entry::<String, PlainValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The payload of a known event, if it has the event's type.
fn typed<T: DeserializeOwned>(payload: &str) -> Option<T> {
    serde_json::from_str(payload).ok()
}

/// `meeting:started`. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingStarted {
    /// The session (one meeting of the room).
    pub session_id: String,
    /// The room.
    pub room_id: String,
    /// When the meeting started.
    pub created_at: u64,
}

/// `meeting:ended`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingEnded {
    /// The session.
    pub session_id: String,
    /// The room.
    pub room_id: String,
    /// When the meeting started.
    pub created_at: u64,
    /// When it ended.
    pub ended_at: u64,
    /// How long it lasted, as Huddle01 counts it.
    pub duration: f64,
    /// How many peers took part.
    pub participants: u64,
    /// The most peers at once.
    pub max_participants: u64,
    /// Audio minutes used.
    pub audio_minutes: f64,
    /// Video minutes used.
    pub video_minutes: f64,
}

/// `peer:joined`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PeerJoined {
    /// The peer.
    pub id: String,
    /// The session.
    pub session_id: String,
    /// The room.
    pub room_id: String,
    /// When the peer joined.
    pub joined_at: u64,
    /// The peer's metadata, as the token carried it (a JSON string).
    pub metadata: Option<String>,
    /// The peer's role.
    pub role: Option<String>,
    /// The client SDK's version.
    pub version: Option<String>,
    /// The peer's browser (empty when not sent).
    #[serde(default)]
    pub browser: Browser,
    /// Where the peer is.
    pub geo_data: Option<GeoData>,
    /// The peer's device (empty when not sent).
    #[serde(default)]
    pub device: Device,
}

/// The browser of a [`PeerJoined`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Browser {
    /// Its name.
    pub name: Option<String>,
    /// Its version.
    pub version: Option<String>,
}

/// Where a [`PeerJoined`] is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GeoData {
    /// The region.
    pub region: String,
    /// The country.
    pub country: String,
}

/// The device of a [`PeerJoined`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Device {
    /// The model.
    pub model: Option<String>,
    /// The kind of device.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The vendor.
    pub vendor: Option<String>,
}

/// `peer:left`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PeerLeft {
    /// The peer.
    pub id: String,
    /// The session.
    pub session_id: String,
    /// The room.
    pub room_id: String,
    /// When the peer left.
    pub left_at: u64,
    /// How long the peer stayed, as Huddle01 counts it.
    pub duration: f64,
    /// The peer's metadata (a JSON string).
    pub metadata: Option<String>,
    /// The peer's role.
    pub role: Option<String>,
}

/// `peer:trackPublished` and `peer:trackUnpublished`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PeerTrack {
    /// The peer.
    pub id: String,
    /// The track (`audio`, `video`, `screen`...).
    pub track: String,
}

/// `recording:started`, `recording:ended` and `recording:updated`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Recording {
    /// The recording.
    pub id: String,
    /// The room.
    pub room_id: String,
    /// The session.
    pub session_id: String,
    /// The files written so far.
    pub files: Vec<RecordingFile>,
    /// The streams.
    pub streams: Vec<RecordingStream>,
}

/// A file of a [`Recording`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RecordingFile {
    /// Its length, as Huddle01 counts it.
    pub duration: f64,
    /// Its size in bytes.
    pub size: u64,
    /// Its name.
    pub filename: String,
    /// Where it is stored.
    pub location: String,
    /// Its IPFS content id, when it has one.
    pub cid: Option<String>,
}

/// A stream of a [`Recording`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecordingStream {
    /// Its length, as Huddle01 counts it.
    pub duration: f64,
    /// Its URL.
    pub url: String,
    /// When it started.
    pub started_at: u64,
    /// When it ended.
    pub ended_at: u64,
}
