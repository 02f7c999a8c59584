//! The webhook receiver (feature `webhooks`): a typical `peer:joined` event
//! of about 600 bytes, verified whole (header, V8's canonical form, one
//! HMAC-SHA256, the replay window, the typed event and the raw JSON),
//! against a floor of what any correct receiver must at least do: parse the
//! body to a `serde_json::Value`, serialize it again, and MAC the result once.
//!
//! The issue's floor parses with serde_json's `preserve_order`. That feature
//! cannot be turned on for the floor alone: Cargo unifies it into the one
//! serde_json the library under test is built with, and would change the
//! order of every map the library writes or hands out while it is measured.
//! So the floor parses to serde_json's default map, a `BTreeMap`, whose
//! insertions into maps of this size cost no more than `IndexMap`'s
//! hashing: the floor stays at least as fast, and the ratio no kinder.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use huddle_auth::webhooks::{Event, WebhookEvent, WebhookReceiver, WebhookSigner};
use sha2::Sha256;

const API_KEY: &str = "ak_bench_webhooks";
const T: u64 = 1_750_000_000_000;

/// A `peer:joined` as Huddle01 sends it: compact JSON, every field of the
/// SDK's type, metadata as a JSON string.
const PEER_JOINED: &str = concat!(
    r#"{"id":"whk_01HZX3V7Q8K2M4N6P8R0S2T4V6","event":"peer:joined","payload":{"#,
    r#""id":"peer_Qm9iLVN0YWdlLTQyLWxvbmctaWQ","sessionId":"sess_8f14e45fceea167a5a36dedd4bea2543","#,
    r#""roomId":"abc-defg-hij","joinedAt":1750000000000,"#,
    r#""metadata":"{\"displayName\":\"Ada Lovelace\",\"walletAddress\":\"mizanxali.eth\",\"avatar\":\"https://example.com/avatars/42.png\",\"locale\":\"en-IN\",\"theme\":\"dark\"}","#,
    r#""role":"speaker","version":"2.6.2","#,
    r#""browser":{"name":"Chrome","version":"126.0.6478.127"},"#,
    r#""geoData":{"region":"Maharashtra","country":"IN"},"#,
    r#""device":{"model":"MacBook Pro","type":"desktop","vendor":"Apple"}}}"#
);

/// The body, its header, and the receiver and floor MAC keyed once each.
pub struct WebhookContest {
    body: Vec<u8>,
    header: String,
    receiver: WebhookReceiver,
    floor_mac: Hmac<Sha256>,
    t: String,
}

impl WebhookContest {
    /// Signs the body and checks that the receiver and the floor agree on
    /// the header before anything is timed.
    pub fn new() -> WebhookContest {
        let body = PEER_JOINED.as_bytes().to_vec();
        let header = WebhookSigner::new(API_KEY)
            .expect("a key")
            .sign_at(&body, T)
            .expect("the bench body signs");
        let contest = WebhookContest {
            body,
            header,
            receiver: WebhookReceiver::new(API_KEY).expect("a key"),
            floor_mac: Hmac::<Sha256>::new_from_slice(API_KEY.as_bytes()).expect("any key length"),
            t: T.to_string(),
        };
        let webhook = contest.receive();
        assert!(matches!(webhook.event(), Event::PeerJoined(_)));
        contest
    }

    /// The body's length, for the table.
    pub fn body_len(&self) -> usize {
        self.body.len()
    }

    /// The whole receive, at a clock inside the replay window.
    pub fn receive(&self) -> WebhookEvent {
        let now = UNIX_EPOCH + Duration::from_millis(T) + Duration::from_secs(1);
        self.receive_at(now)
    }

    fn receive_at(&self, now: SystemTime) -> WebhookEvent {
        self.receiver
            .receive_at(black_box(&self.body), black_box(&self.header), now)
            .expect("the bench webhook verifies")
    }

    /// The floor: parse to `Value`, serialize, one HMAC-SHA256 over
    /// `id.t.json` (the id and `t` fed as the receiver feeds them; the keys
    /// come out sorted, so this MAC is not the header's, only its cost).
    pub fn floor(&self) -> [u8; 32] {
        let value: serde_json::Value =
            serde_json::from_slice(black_box(&self.body)).expect("the bench body is JSON");
        let json = serde_json::to_vec(&value).expect("a Value serializes");
        let mut mac = self.floor_mac.clone();
        mac.update(value["id"].as_str().unwrap_or_default().as_bytes());
        mac.update(b".");
        mac.update(self.t.as_bytes());
        mac.update(b".");
        mac.update(&json);
        mac.finalize().into_bytes().into()
    }
}
