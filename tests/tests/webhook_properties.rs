//! Property tests of the webhook receiver: V8's canonical form is a fixed
//! point; no single-byte change of an accepted header is accepted; no change
//! of an accepted body that changes its canonical form is accepted; a change
//! of the whitespace between tokens changes neither the canonical form nor
//! the verdict.

use std::time::{Duration, UNIX_EPOCH};

use huddle_auth::webhooks::{canonical_json, WebhookAlgorithm, WebhookReceiver, WebhookSigner};
use huddle_auth_tests::fixtures::{WEBHOOK_API_KEY, WEBHOOK_VECTOR_T};
use proptest::prelude::*;
use proptest::sample::Index;

/// A JSON value as tokens, so its whitespace can be chosen apart from it.
#[derive(Debug, Clone)]
enum Json {
    Scalar(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn tokens(&self, out: &mut Vec<String>) {
        match self {
            Json::Scalar(text) => out.push(text.clone()),
            Json::Array(items) => {
                out.push("[".into());
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(",".into());
                    }
                    item.tokens(out);
                }
                out.push("]".into());
            }
            Json::Object(members) => {
                out.push("{".into());
                for (n, (key, value)) in members.iter().enumerate() {
                    if n > 0 {
                        out.push(",".into());
                    }
                    out.push(format!("\"{key}\""));
                    out.push(":".into());
                    value.tokens(out);
                }
                out.push("}".into());
            }
        }
    }
}

/// String contents: plain text, every kind of escape, astral characters.
fn string_content() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z0-9 :{}\\[\\]]{0,4}",
            Just("\\\"".to_owned()),
            Just("\\\\".to_owned()),
            Just("\\/".to_owned()),
            Just("\\n\\t\\b\\f\\r".to_owned()),
            (0u32..0xD800).prop_map(|unit| format!("\\u{unit:04X}")),
            Just("\\ud83d\\ude00".to_owned()),
            Just("é😀\u{2028}\u{7f}".to_owned()),
        ],
        0..4,
    )
    .prop_map(|pieces| pieces.concat())
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        prop::sample::select(vec![
            "1e21",
            "1e-7",
            "-0",
            "1.0",
            "12345678901234567890",
            "1e400",
            "5e-324",
            "0.1",
        ])
        .prop_map(str::to_owned),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a",
            "b",
            "0",
            "1",
            "10",
            "01",
            "-1",
            "4294967295",
            "id"
        ])
        .prop_map(str::to_owned),
        string_content(),
    ]
}

fn value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        number().prop_map(Json::Scalar),
        string_content().prop_map(|s| Json::Scalar(format!("\"{s}\""))),
        prop::sample::select(vec!["true", "false", "null"]).prop_map(|s| Json::Scalar(s.into())),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((key(), inner), 0..5).prop_map(Json::Object),
        ]
    })
}

/// A webhook body's tokens: `id`, `event`, `payload` and other members.
fn body_tokens() -> impl Strategy<Value = Vec<String>> {
    (
        "[a-z0-9_]{1,12}",
        value(),
        prop::collection::vec((key(), value()), 0..3),
    )
        .prop_map(|(id, payload, extra)| {
            let mut members = vec![
                ("id".to_owned(), Json::Scalar(format!("\"evt_{id}\""))),
                (
                    "event".to_owned(),
                    Json::Scalar("\"peer:joined\"".to_owned()),
                ),
                ("payload".to_owned(), payload),
            ];
            members.extend(extra.into_iter().filter(|(key, _)| key != "id"));
            let mut tokens = Vec::new();
            Json::Object(members).tokens(&mut tokens);
            tokens
        })
}

/// JSON whitespace between tokens, chosen per gap.
fn whitespace() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[ \t\r\n]{0,3}", 64)
}

fn render(tokens: &[String], whitespace: &[String]) -> String {
    let mut text = String::new();
    for (n, token) in tokens.iter().enumerate() {
        text.push_str(&whitespace[n % whitespace.len()]);
        text.push_str(token);
    }
    text.push_str(&whitespace[tokens.len() % whitespace.len()]);
    text
}

fn receiver() -> WebhookReceiver {
    WebhookReceiver::new(WEBHOOK_API_KEY)
        .expect("a key")
        .tolerance(None)
}

fn sign(body: &str, sha512: bool) -> String {
    let signer = WebhookSigner::new(WEBHOOK_API_KEY).expect("a key");
    let signer = if sha512 {
        signer.algorithm(WebhookAlgorithm::Sha512)
    } else {
        signer
    };
    signer
        .sign_at(body.as_bytes(), WEBHOOK_VECTOR_T)
        .unwrap_or_else(|e| panic!("signs {body}: {e}"))
}

proptest! {
    #[test]
    fn the_canonical_form_is_a_fixed_point(tokens in body_tokens(), ws in whitespace()) {
        let body = render(&tokens, &ws);
        let once = canonical_json(body.as_bytes()).expect("generated JSON");
        prop_assert_eq!(canonical_json(once.as_bytes()).expect("canonical JSON"), once);
    }

    #[test]
    fn no_single_byte_change_of_a_header_is_accepted(
        tokens in body_tokens(),
        sha512 in any::<bool>(),
        at in any::<Index>(),
        byte in any::<u8>(),
    ) {
        let body = render(&tokens, &[String::new()]);
        let header = sign(&body, sha512);
        prop_assert!(receiver().receive(body.as_bytes(), &header).is_ok());
        let mut changed = header.clone().into_bytes();
        let i = at.index(changed.len());
        prop_assume!(changed[i] != byte);
        changed[i] = byte;
        if let Ok(changed) = String::from_utf8(changed) {
            prop_assert!(
                receiver().receive(body.as_bytes(), &changed).is_err(),
                "accepted {} for {}", changed, body
            );
        }
    }

    #[test]
    fn no_body_change_that_changes_the_canonical_form_is_accepted(
        tokens in body_tokens(),
        ws in whitespace(),
        at in any::<Index>(),
        byte in any::<u8>(),
        edit in 0..3usize,
    ) {
        let body = render(&tokens, &ws);
        let header = sign(&body, false);
        let canonical = canonical_json(body.as_bytes()).expect("generated JSON");
        let mut changed = body.clone().into_bytes();
        let i = at.index(changed.len());
        match edit {
            0 => changed[i] = byte,
            1 => changed.insert(i, byte),
            _ => {
                changed.remove(i);
            }
        }
        let verdict = receiver().receive(&changed, &header);
        match canonical_json(&changed) {
            Ok(other) if other == canonical => prop_assert!(verdict.is_ok()),
            _ => prop_assert!(verdict.is_err(), "accepted {:?}", String::from_utf8_lossy(&changed)),
        }
    }

    #[test]
    fn whitespace_between_tokens_changes_nothing(
        tokens in body_tokens(),
        first in whitespace(),
        second in whitespace(),
        sha512 in any::<bool>(),
    ) {
        let (a, b) = (render(&tokens, &first), render(&tokens, &second));
        let canonical = canonical_json(a.as_bytes()).expect("generated JSON");
        prop_assert_eq!(canonical_json(b.as_bytes()).expect("generated JSON"), canonical.clone());
        let header = sign(&a, sha512);
        let now = UNIX_EPOCH + Duration::from_millis(WEBHOOK_VECTOR_T);
        let (left, right) = (
            receiver().receive_at(a.as_bytes(), &header, now).expect("signed"),
            receiver().receive_at(b.as_bytes(), &header, now).expect("same canonical form"),
        );
        prop_assert_eq!(left, right);
        // And a stale timestamp is refused for both alike.
        let later = now + Duration::from_secs(301);
        let strict = WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key");
        prop_assert_eq!(
            strict.receive_at(a.as_bytes(), &header, later).err(),
            strict.receive_at(b.as_bytes(), &header, later).err()
        );
    }
}
