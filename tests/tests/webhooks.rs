//! The webhook receiver and signer against the reference's golden vectors
//! (what SDK 2.6.2 accepts, `tests/data/huddle01-webhook-vectors.json`), and
//! the receiver's own rules: the replay window, the size cap, the header,
//! the id, the typed events. Headers are MACed independently of the crate
//! (`fixtures::webhook_header`, by `jsonwebtoken`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use huddle_auth::webhooks::{
    canonical_json, Event, WebhookAlgorithm, WebhookError, WebhookReceiver, WebhookSigner,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE, MAX_DEPTH,
};
use huddle_auth_tests::fixtures::{
    webhook_header, webhook_vectors, WEBHOOK_API_KEY, WEBHOOK_VECTOR_T,
};
use serde_json::json;

fn at_millis(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

fn receiver() -> WebhookReceiver {
    WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key")
}

/// A body signed over itself (compact JSON is its own V8 form) at `t`.
fn signed(body: &str, id: &str, t: u64) -> String {
    webhook_header(
        WEBHOOK_API_KEY,
        &t.to_string(),
        false,
        &format!("{id}.{t}.{body}"),
    )
}

const JOINED: &str = r#"{"id":"evt_9","event":"peer:joined","payload":{"id":"peer_1","sessionId":"s1","roomId":"abc-defg-hij","joinedAt":1700000000000,"role":"host","browser":{"name":"Chrome","version":"120"},"device":{"type":"desktop","vendor":"Apple"},"geoData":{"region":"MH","country":"IN"},"newField":[1,2]}}"#;

#[test]
fn accepts_every_golden_vector_with_both_algorithms() {
    for v in webhook_vectors() {
        let receiver = WebhookReceiver::new(&v.api_key).expect("a key");
        for header in [&v.header256, &v.header512] {
            let webhook = receiver
                .receive_at(v.raw_body.as_bytes(), header, at_millis(WEBHOOK_VECTOR_T))
                .unwrap_or_else(|e| panic!("{}: {header}: {e}", v.name));
            let id = v.signed_string.split('.').next().expect("an id");
            assert_eq!(webhook.id(), id, "{}", v.name);
            assert_eq!(webhook.timestamp(), at_millis(WEBHOOK_VECTOR_T));
            let expected: serde_json::Value =
                serde_json::from_str(&v.canonical).expect("canonical JSON");
            assert_eq!(webhook.raw(), &expected, "{}", v.name);
        }
    }
}

#[test]
fn writes_the_golden_canonical_forms_and_signatures() {
    for v in webhook_vectors() {
        assert_eq!(
            canonical_json(v.raw_body.as_bytes()).expect("JSON"),
            v.canonical,
            "{}",
            v.name
        );
        assert!(v
            .signed_string
            .ends_with(&format!(".{WEBHOOK_VECTOR_T}.{}", v.canonical)));
        let signer = WebhookSigner::new(&v.api_key).expect("a key");
        assert_eq!(
            signer.sign_at(v.raw_body.as_bytes(), WEBHOOK_VECTOR_T),
            Ok(v.header256.clone()),
            "{}",
            v.name
        );
        let signer = signer.algorithm(WebhookAlgorithm::Sha512);
        assert_eq!(
            signer.sign_at(v.raw_body.as_bytes(), WEBHOOK_VECTOR_T),
            Ok(v.header512.clone()),
            "{}",
            v.name
        );
    }
}

#[test]
fn a_signature_over_the_raw_body_is_accepted_too() {
    // The SDK refuses these (`rawBodySignatureRejected`): it signs V8's form
    // only. This receiver also takes a sender that signs the bytes it sends.
    let vectors: Vec<_> = webhook_vectors()
        .into_iter()
        .filter(|v| v.raw_body_signature_rejected)
        .collect();
    assert!(vectors.len() >= 4);
    for v in vectors {
        let id = v.signed_string.split('.').next().expect("an id");
        let t = WEBHOOK_VECTOR_T.to_string();
        let header = webhook_header(&v.api_key, &t, true, &format!("{id}.{t}.{}", v.raw_body));
        receiver()
            .receive_at(v.raw_body.as_bytes(), &header, at_millis(WEBHOOK_VECTOR_T))
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
    }
}

#[test]
fn refuses_a_wrong_key_a_changed_body_and_a_changed_t() {
    let v = &webhook_vectors()[0];
    let now = at_millis(WEBHOOK_VECTOR_T);
    let other = WebhookReceiver::new("ak_another_project").expect("a key");
    assert_eq!(
        other.receive_at(v.raw_body.as_bytes(), &v.header256, now),
        Err(WebhookError::BadSignature {
            algorithm: WebhookAlgorithm::Sha256
        })
    );
    let changed = v.raw_body.replace("s1", "s2");
    assert_eq!(
        receiver().receive_at(changed.as_bytes(), &v.header512, now),
        Err(WebhookError::BadSignature {
            algorithm: WebhookAlgorithm::Sha512
        })
    );
    let later = v.header256.replace("t=1700000000000", "t=1700000000001");
    assert!(matches!(
        receiver().receive_at(v.raw_body.as_bytes(), &later, now),
        Err(WebhookError::BadSignature { .. })
    ));
    // The SDK's API secret was the key of 2.0.0; the API key is the key now.
    assert!(WebhookReceiver::new("").is_err());
    assert_eq!(WebhookSigner::new(b"").err(), Some(WebhookError::EmptyKey));
}

#[test]
fn the_replay_window_is_five_minutes_both_ways_by_default() {
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    let t = WEBHOOK_VECTOR_T;
    let body = r#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let header = signed(body, "evt_1", t);
    let receive = |now| receiver().receive_at(body.as_bytes(), &header, at_millis(now));
    assert!(receive(t + 300_000).is_ok());
    assert!(receive(t - 300_000).is_ok());
    assert_eq!(
        receive(t + 300_001),
        Err(WebhookError::TooOld {
            age: Duration::from_millis(300_001),
            tolerance: DEFAULT_TOLERANCE
        })
    );
    assert_eq!(
        receive(t - 312_500),
        Err(WebhookError::FromFuture {
            ahead: Duration::from_millis(312_500),
            tolerance: DEFAULT_TOLERANCE
        })
    );
    let message = receive(t + 600_000).expect_err("stale").to_string();
    assert_eq!(
        message,
        "the timestamp is 600 s old, more than the 300 s accepted"
    );

    // `None` accepts any timestamp, as the SDK does.
    let any = receiver().tolerance(None);
    for now in [0, t * 2, 253_402_300_799_999] {
        assert!(any
            .receive_at(body.as_bytes(), &header, at_millis(now))
            .is_ok());
    }
    let tight = receiver().tolerance(Some(Duration::from_secs(1)));
    assert!(tight
        .receive_at(body.as_bytes(), &header, at_millis(t + 1_000))
        .is_ok());
    assert!(tight
        .receive_at(body.as_bytes(), &header, at_millis(t + 1_001))
        .is_err());
}

#[test]
fn a_timestamp_below_ten_to_the_eleven_is_seconds() {
    let body = r#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let seconds = 1_700_000_000;
    let header = signed(body, "evt_1", seconds);
    let webhook = receiver()
        .receive_at(body.as_bytes(), &header, at_millis(seconds * 1000 + 1_000))
        .expect("seconds read as seconds");
    // Read as milliseconds it would be January 1970, and refused at this clock.
    assert_eq!(webhook.timestamp_millis(), 1_700_000_000_000);
    // The threshold: 10^11 - 1 is still seconds, 10^11 milliseconds.
    let header = signed(body, "evt_1", 99_999_999_999);
    assert!(receiver()
        .receive_at(body.as_bytes(), &header, at_millis(99_999_999_999_000))
        .is_ok());
    let header = signed(body, "evt_1", 100_000_000_000);
    assert!(receiver()
        .receive_at(body.as_bytes(), &header, at_millis(100_000_000_000))
        .is_ok());
}

#[test]
fn the_size_cap_comes_before_parsing() {
    assert_eq!(DEFAULT_MAX_BODY_BYTES, 1024 * 1024);
    let big = format!(
        r#"{{"id":"evt_1","pad":"{}"}}"#,
        "x".repeat(DEFAULT_MAX_BODY_BYTES)
    );
    assert_eq!(
        receiver().receive(big.as_bytes(), "not even a header"),
        Err(WebhookError::TooLarge {
            limit: DEFAULT_MAX_BODY_BYTES
        })
    );
    let body = r#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let small = receiver().max_body_bytes(body.len() - 1);
    assert_eq!(
        small.receive(body.as_bytes(), "t=1,sha256=00"),
        Err(WebhookError::TooLarge {
            limit: body.len() - 1
        })
    );
}

#[test]
fn each_refusal_is_its_own_variant_and_none_shows_the_key() {
    let t = WEBHOOK_VECTOR_T;
    let now = at_millis(t);
    let receive = |body: &str, header: &str| receiver().receive_at(body.as_bytes(), header, now);
    let body = r#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let errors = [
        receive(body, ""),
        receive(body, "t=abc,sha256=00"),
        receive(body, "t=1,md5=00"),
        receive("{\"id\":", &signed(body, "evt_1", t)),
        receive(r#"{"id":""}"#, &signed(r#"{"id":""}"#, "", t)),
        receive(r#"{"id":"\ud800"}"#, &signed(body, "evt_1", t)),
        receive(
            &format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1)),
            &signed(body, "evt_1", t),
        ),
        receive(body, &signed(body, "evt_2", t)),
    ];
    let errors: Vec<WebhookError> = errors
        .into_iter()
        .map(|r| r.expect_err("refused"))
        .collect();
    let kinds: Vec<String> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split([' ', '{', '('])
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "MissingHeader",
            "MalformedHeader",
            "UnsupportedAlgorithm",
            "NotJson",
            "NoId",
            "LoneSurrogate",
            "TooDeep",
            "BadSignature"
        ]
    );
    for error in &errors {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(WEBHOOK_API_KEY), "{shown}");
    }
    let debug = format!("{:?} {:?}", receiver(), WebhookSigner::new(WEBHOOK_API_KEY));
    assert!(!debug.contains(WEBHOOK_API_KEY), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}

#[test]
fn falsy_ids_are_refused_as_the_sdk_refuses_them() {
    let now = at_millis(WEBHOOK_VECTOR_T);
    for (body, reason) in [
        (r#"{"event":"x"}"#, "no id"),
        (r#"{"id":""}"#, "the id is an empty string"),
        (r#"{"id":0}"#, "the id is 0"),
        (r#"{"id":-0.0}"#, "the id is 0"),
        (r#"{"id":false}"#, "the id is false"),
        (r#"{"id":null}"#, "the id is null"),
        (r#"["id"]"#, "no id"),
    ] {
        let header = signed(body, "x", WEBHOOK_VECTOR_T);
        assert_eq!(
            receiver().receive_at(body.as_bytes(), &header, now),
            Err(WebhookError::NoId { reason }),
            "{body}"
        );
    }
}

#[test]
fn a_numeric_id_is_signed_as_javascript_prints_it() {
    let t = WEBHOOK_VECTOR_T;
    for (body, id) in [
        (r#"{"id":12.50,"event":"x"}"#, "12.5"),
        (r#"{"id":1e21,"event":"x"}"#, "1e+21"),
        (r#"{"id":true,"event":"x"}"#, "true"),
    ] {
        let canonical = canonical_json(body.as_bytes()).expect("JSON");
        let header = webhook_header(
            WEBHOOK_API_KEY,
            &t.to_string(),
            false,
            &format!("{id}.{t}.{canonical}"),
        );
        let webhook = receiver()
            .receive_at(body.as_bytes(), &header, at_millis(t))
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(webhook.id(), id);
    }
}

#[test]
fn events_are_typed_and_unknown_fields_ignored() {
    let t = WEBHOOK_VECTOR_T;
    let webhook = receiver()
        .receive_at(JOINED.as_bytes(), &signed(JOINED, "evt_9", t), at_millis(t))
        .expect("verified");
    assert_eq!(webhook.name(), "peer:joined");
    let Event::PeerJoined(peer) = webhook.event() else {
        panic!("not a join: {:?}", webhook.event());
    };
    assert_eq!(peer.id, "peer_1");
    assert_eq!(peer.room_id, "abc-defg-hij");
    assert_eq!(peer.joined_at, 1_700_000_000_000);
    assert_eq!(peer.role.as_deref(), Some("host"));
    assert_eq!(peer.metadata, None);
    assert_eq!(peer.browser.name.as_deref(), Some("Chrome"));
    assert_eq!(peer.device.kind.as_deref(), Some("desktop"));
    assert_eq!(
        peer.geo_data.as_ref().map(|g| g.country.as_str()),
        Some("IN")
    );
    assert_eq!(webhook.raw()["payload"]["newField"], json!([1, 2]));
}

#[test]
fn every_event_of_the_reference_has_its_variant() {
    let t = WEBHOOK_VECTOR_T;
    let recording = json!({"id":"rec_1","roomId":"r","sessionId":"s","files":[{"duration":61.5,"size":1024,"filename":"a.mp4","location":"s3://a","cid":"bafy"}],"streams":[{"duration":60,"url":"rtmp://x","startedAt":1,"endedAt":2}]});
    let cases = [
        (
            "meeting:started",
            json!({"sessionId":"s","roomId":"r","createdAt":1}),
        ),
        (
            "meeting:ended",
            json!({"sessionId":"s","roomId":"r","createdAt":1,"endedAt":2,"duration":1,"participants":3,"maxParticipants":2,"audioMinutes":0.5,"videoMinutes":1.5}),
        ),
        (
            "peer:joined",
            json!({"id":"p","sessionId":"s","roomId":"r","joinedAt":1,"browser":{},"device":{}}),
        ),
        (
            "peer:left",
            json!({"id":"p","sessionId":"s","roomId":"r","leftAt":2,"duration":1,"metadata":"{}"}),
        ),
        ("peer:trackPublished", json!({"id":"p","track":"audio"})),
        ("peer:trackUnpublished", json!({"id":"p","track":"video"})),
        ("recording:started", recording.clone()),
        ("recording:ended", recording.clone()),
        ("recording:updated", recording),
        ("recording:stopped", json!({"id":"rec_1","ipfsUrl":"x"})),
    ];
    for (name, payload) in cases {
        let body = json!({"id": "evt_1", "event": name, "payload": payload}).to_string();
        let canonical = canonical_json(body.as_bytes()).expect("JSON");
        let header = webhook_header(
            WEBHOOK_API_KEY,
            &t.to_string(),
            false,
            &format!("evt_1.{t}.{canonical}"),
        );
        let webhook = receiver()
            .receive_at(body.as_bytes(), &header, at_millis(t))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(webhook.name(), name);
        let typed = match webhook.event() {
            Event::MeetingStarted(e) => e.created_at == 1,
            Event::MeetingEnded(e) => e.max_participants == 2 && e.video_minutes == 1.5,
            Event::PeerJoined(e) => e.browser.name.is_none() && e.geo_data.is_none(),
            Event::PeerLeft(e) => e.left_at == 2 && e.metadata.as_deref() == Some("{}"),
            Event::PeerTrackPublished(e) => e.track == "audio",
            Event::PeerTrackUnpublished(e) => e.track == "video",
            Event::RecordingStarted(e) | Event::RecordingEnded(e) | Event::RecordingUpdated(e) => {
                e.files[0].cid.as_deref() == Some("bafy") && e.streams[0].ended_at == 2
            }
            Event::Other { name, payload } => {
                name == "recording:stopped" && payload["ipfsUrl"] == "x"
            }
            other => panic!("an event this test does not know: {other:?}"),
        };
        assert!(typed, "{name}: {:?}", webhook.event());
    }
}

#[test]
fn a_known_event_whose_payload_lacks_a_field_comes_as_other() {
    // The golden vector `unicode_escape_and_float` is a `peer:joined` with
    // none of its fields; the SDK returns it, and so does this receiver.
    let v = &webhook_vectors()[2];
    let webhook = receiver()
        .receive_at(
            v.raw_body.as_bytes(),
            &v.header256,
            at_millis(WEBHOOK_VECTOR_T),
        )
        .expect("verified");
    match webhook.event() {
        Event::Other { name, payload } => {
            assert_eq!(name, "peer:joined");
            assert_eq!(payload["y"], json!(1e21));
        }
        other => panic!("typed a payload without its fields: {other:?}"),
    }
}

#[test]
fn the_signer_signs_now_in_milliseconds() {
    let body = br#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let signer = WebhookSigner::new(WEBHOOK_API_KEY).expect("a key");
    let before = huddle_auth_tests::fixtures::now_millis();
    let header = signer.sign(body).expect("signed");
    let t: u64 = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .and_then(|t| t.parse().ok())
        .expect("t=<millis>");
    assert!(t >= before && t < before + 60_000, "{header}");
    assert!(receiver().receive(body, &header).is_ok());
    assert_eq!(
        signer.sign_at(b"{\"id\":0}", 1),
        Err(WebhookError::NoId {
            reason: "the id is 0"
        })
    );
    assert!(matches!(
        signer.sign_at(b"{", 1),
        Err(WebhookError::NotJson { .. })
    ));
}

#[test]
fn a_key_named_like_serde_jsons_raw_value_token_is_an_ordinary_key() {
    // With serde_json's `raw_value` feature, `Value` reads an object whose
    // first key is that token as the JSON in its string; JSON.parse, and so
    // the SDK, reads an ordinary key. Found by the `webhook` fuzz target.
    let body = r#"{"id":"evt_7","event":"custom:event","payload":{"a":{"$serde_json::private::RawValue":"1"},"b":[{"$serde_json::private::RawValue":"IN"}]}}"#;
    let t = 1_750_000_000_000;
    let webhook = receiver()
        .receive_at(body.as_bytes(), &signed(body, "evt_7", t), at_millis(t))
        .expect("verified");
    let payload = json!({
        "a": {"$serde_json::private::RawValue": "1"},
        "b": [{"$serde_json::private::RawValue": "IN"}],
    });
    match webhook.event() {
        Event::Other { name, payload: got } => {
            assert_eq!(name, "custom:event");
            assert_eq!(got, &payload);
        }
        other => panic!("typed an unknown event: {other:?}"),
    }
    assert_eq!(webhook.raw()["payload"], payload);
    assert_eq!(webhook.raw()["id"], "evt_7");
}
