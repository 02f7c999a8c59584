//! The webhook receiver and signer against V8 and `@huddle01/server-sdk`
//! 2.6.2 itself, on a corpus of 3,000 bodies made by a deterministic
//! generator: escapes, astral characters, floats near every formatting
//! boundary, integers past 2^53, index-like and repeated keys, deep nesting,
//! empty containers, whitespace, and bodies V8 refuses. One Node process
//! answers for the whole corpus (`tests/interop/webhook_v8.mjs`). For each
//! body:
//!
//! - the crate's canonical form equals V8's `JSON.stringify(JSON.parse(body))`
//!   byte for byte, or the crate refuses what V8 refuses (and says so for the
//!   lone surrogates and depths V8 takes and it cannot reproduce);
//! - the receiver accepts the header Node signs as Huddle01 does;
//! - the SDK's `WebhookReceiver` accepts the header `WebhookSigner` writes.
//!
//! Needs `npm ci --prefix tests/interop` (`.ci/run` does it).

use std::path::PathBuf;
use std::process::Command;

use huddle_auth::webhooks::{
    canonical_json, WebhookAlgorithm, WebhookError, WebhookReceiver, WebhookSigner, MAX_DEPTH,
};
use huddle_auth_tests::fixtures::{WEBHOOK_API_KEY, WEBHOOK_VECTOR_T};
use serde_json::{json, Value};

/// How many bodies the corpus holds.
const CORPUS: usize = 3_000;

/// splitmix64: a small generator whose sequence is fixed by its seed, so the
/// corpus is the same on every run and a failure names a reproducible body.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Numbers at the edges of `Number::toString` and of a double.
const EDGE_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "-0e5",
    "1",
    "1.0",
    "1E+2",
    "1e+0",
    "100e-2",
    "0.1",
    "0.5e1",
    "1e21",
    "1e20",
    "999999999999999999999",
    "100000000000000000000",
    "123456789012345680000",
    "1e-7",
    "1e-6",
    "0.000001",
    "0.0000001",
    "0.00000123",
    "1.5e-7",
    "9.999999999999999e20",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "12345678901234567890",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "1e308",
    "1e309",
    "1e400",
    "-1e400",
    "2.2250738585072014e-308",
    "2.225073858507201e-308",
    "5e-324",
    "4.9e-324",
    "3e-324",
    "2e-324",
    "1e-400",
    "0.30000000000000004",
    "1.0000000000000002",
    "4294967295",
    "4294967296",
    "123e-20",
    "1.23e+25",
    "-5.5e-10",
    "2.5E-3",
    "123.456e2",
];

const EVENTS: &[&str] = &[
    "meeting:started",
    "meeting:ended",
    "peer:joined",
    "peer:left",
    "peer:trackPublished",
    "peer:trackUnpublished",
    "recording:started",
    "recording:ended",
    "recording:updated",
    "recording:stopped",
    "something:new",
];

/// Keys that V8 orders first (array indices) and keys that only look so.
const KEYS: &[&str] = &[
    "a",
    "b",
    "id",
    "event",
    "payload",
    "roomId",
    "sessionId",
    "0",
    "1",
    "2",
    "10",
    "9",
    "01",
    "-1",
    "1.0",
    "4294967294",
    "4294967295",
    "99999999999",
    " ",
    "",
    "é",
    "😀",
    "__proto__",
    "constructor",
    "\\u0061",
    "\\u0030",
    "x\\ny",
    "toString",
];

/// JSON whitespace runs between tokens.
const WHITESPACE: &[&str] = &[" ", "\n", "\t", "\r\n", "  \t ", " \n  "];

struct Generator {
    rng: Rng,
}

impl Generator {
    fn ws(&mut self) -> &'static str {
        if self.rng.chance(80) {
            ""
        } else {
            WHITESPACE[self.rng.below(WHITESPACE.len())]
        }
    }

    fn number(&mut self) -> String {
        match self.rng.below(5) {
            0 | 1 => (*self.rng.pick(EDGE_NUMBERS)).to_owned(),
            2 => {
                // A double's shortest form, or one digit more or less.
                let value = f64::from_bits(self.rng.next());
                if !value.is_finite() {
                    return "42".to_owned();
                }
                match self.rng.below(3) {
                    0 => format!("{value:e}"),
                    1 => format!("{value:.17e}"),
                    _ => format!("{:.3e}", value),
                }
            }
            3 => {
                // Digits and an exponent that put the decimal point around
                // the 1e21 and 1e-7 switches of Number::toString.
                let digits: String = (0..1 + self.rng.below(22))
                    .map(|i| {
                        let d = self.rng.below(10);
                        char::from(b'0' + if i == 0 { 1 + (d % 9) as u8 } else { d as u8 })
                    })
                    .collect();
                let exponent = *self
                    .rng
                    .pick(&[-28i32, -8, -7, -6, -1, 0, 1, 5, 19, 20, 21, 22, 30]);
                let sign = if self.rng.chance(30) { "-" } else { "" };
                let e = *self.rng.pick(&["e", "E"]);
                match self.rng.below(3) {
                    0 => format!("{sign}{digits}{e}{exponent}"),
                    1 => format!("{sign}{}.{}5{e}{exponent:+}", &digits[..1], &digits[1..]),
                    _ => format!("{sign}0.{digits}"),
                }
            }
            _ => {
                let n = self.rng.next() >> self.rng.below(64);
                if self.rng.chance(30) {
                    format!("-{n}")
                } else {
                    n.to_string()
                }
            }
        }
    }

    fn string_content(&mut self) -> String {
        let mut text = String::new();
        for _ in 0..self.rng.below(8) {
            let piece = match self.rng.below(14) {
                0 => "\\\"".to_owned(),
                1 => "\\\\".to_owned(),
                2 => "\\/".to_owned(),
                3 => (*self.rng.pick(&["\\b", "\\f", "\\n", "\\r", "\\t"])).to_owned(),
                4 => {
                    // Any BMP code unit that is not a surrogate, either case of hex.
                    let mut unit = self.rng.below(0x1_0000) as u32;
                    if (0xD800..0xE000).contains(&unit) {
                        unit = self.rng.below(0x20) as u32;
                    }
                    if self.rng.chance(50) {
                        format!("\\u{unit:04x}")
                    } else {
                        format!("\\u{unit:04X}")
                    }
                }
                5 => {
                    let unit = *self.rng.pick(&[
                        0x00, 0x01, 0x08, 0x0b, 0x1f, 0x7f, 0x2028, 0x2029, 0xe9, 0xfeff, 0xfffe,
                        0xffff,
                    ]);
                    format!("\\u{unit:04x}")
                }
                6 => {
                    // An astral character as a surrogate pair escape.
                    let c = 0x1_0000 + self.rng.below(0x10_0000) as u32;
                    let high = 0xD800 + ((c - 0x1_0000) >> 10);
                    let low = 0xDC00 + ((c - 0x1_0000) & 0x3ff);
                    format!("\\u{high:04x}\\u{low:04X}")
                }
                7 => (*self.rng.pick(&[
                    "😀",
                    "𝄞",
                    "中文",
                    "é",
                    "\u{2028}",
                    "\u{7f}",
                    "\u{feff}",
                    "ß",
                    "\u{10ffff}",
                ]))
                .to_owned(),
                _ => (*self.rng.pick(&[
                    "a",
                    "hello",
                    "abc-defg-hij",
                    " ",
                    "peer_1",
                    "0",
                    "key",
                    "{}",
                    "[",
                    ":",
                ]))
                .to_owned(),
            };
            text.push_str(&piece);
        }
        text
    }

    fn value(&mut self, depth: usize) -> String {
        let choice = if depth > 6 {
            self.rng.below(5)
        } else {
            self.rng.below(9)
        };
        match choice {
            0 | 1 => self.number(),
            2 | 3 => format!("\"{}\"", self.string_content()),
            4 => (*self.rng.pick(&["true", "false", "null"])).to_owned(),
            5 | 6 => self.object(depth + 1),
            _ => self.array(depth + 1),
        }
    }

    fn key(&mut self) -> String {
        if self.rng.chance(60) {
            (*self.rng.pick(KEYS)).to_owned()
        } else if self.rng.chance(50) {
            self.rng.below(5000).to_string()
        } else {
            self.string_content()
        }
    }

    fn members(&mut self, depth: usize, mut fixed: Vec<(String, String)>) -> String {
        for _ in 0..self.rng.below(7) {
            let key = if !fixed.is_empty() && self.rng.chance(15) {
                // A repeated key: first position, last value.
                fixed[self.rng.below(fixed.len())].0.clone()
            } else {
                self.key()
            };
            let value = self.value(depth);
            fixed.insert(self.rng.below(fixed.len() + 1), (key, value));
        }
        let members: Vec<String> = fixed
            .into_iter()
            .map(|(key, value)| {
                format!(
                    "{}\"{key}\"{}:{}{value}{}",
                    self.ws(),
                    self.ws(),
                    self.ws(),
                    self.ws()
                )
            })
            .collect();
        format!("{{{}{}}}", members.join(","), self.ws())
    }

    fn object(&mut self, depth: usize) -> String {
        self.members(depth, Vec::new())
    }

    fn array(&mut self, depth: usize) -> String {
        let items: Vec<String> = (0..self.rng.below(6))
            .map(|_| format!("{}{}{}", self.ws(), self.value(depth), self.ws()))
            .collect();
        format!("[{}{}]", items.join(","), self.ws())
    }

    fn id(&mut self) -> String {
        match self.rng.below(20) {
            0 | 1 => self.number(),
            2 => "true".to_owned(),
            3 => "{}".to_owned(),
            _ => format!(
                "\"evt_{}{}\"",
                self.rng.below(1_000_000),
                self.string_content()
            ),
        }
    }

    /// A webhook body: `id`, `event` and `payload` among other members, in
    /// any order; sometimes nested to the depth limit, or just past it.
    fn body(&mut self, n: usize) -> String {
        let payload = match n % 40 {
            0 => {
                let levels = MAX_DEPTH - 1; // the body's own object is one level
                format!(
                    "{}{}{}",
                    "[".repeat(levels),
                    self.value(MAX_DEPTH),
                    "]".repeat(levels)
                )
            }
            1 => format!("{}{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH))
                .replace("\"a\":}", "\"a\":1}"),
            2 => (*self
                .rng
                .pick(&["{}", "[]", "[{}]", "{\"a\":[]}", "[[],{}]"]))
            .to_owned(),
            _ => self.value(1),
        };
        let fixed = vec![
            ("id".to_owned(), self.id()),
            ("event".to_owned(), format!("\"{}\"", self.rng.pick(EVENTS))),
            ("payload".to_owned(), payload),
        ];
        let body = self.members(1, fixed);
        format!("{}{body}{}", self.ws(), self.ws())
    }

    /// Bodies V8 refuses or that this crate cannot reproduce, made from a
    /// valid one.
    fn damaged(&mut self, body: &str) -> String {
        match self.rng.below(12) {
            0 => {
                let mut end = self.rng.below(body.len());
                while !body.is_char_boundary(end) {
                    end -= 1;
                }
                body[..end].to_owned()
            }
            1 => format!("\u{feff}{body}"),
            2 => body.replacen('}', ",}", 1),
            3 => body.replacen(':', ":0", 1),
            4 => format!("{body}\u{a0}"),
            5 => format!("\u{b}{body}"),
            6 => body.replacen('{', "{\"lone\":\"\\ud800\",", 1),
            7 => body.replacen('{', "{\"lone\":\"x\\udfffy\",", 1),
            8 => body.replacen('{', "{\"n\":01,", 1),
            9 => body.replacen('{', "{\"n\":1.,", 1),
            10 => body.replacen('{', "{\"s\":\"\t\",", 1),
            _ => body.replacen('{', "{\"n\":.5,", 1),
        }
    }
}

fn corpus() -> Vec<String> {
    let mut generator = Generator {
        rng: Rng(0x5eed_0fb0_d1e5),
    };
    (0..CORPUS)
        .map(|n| {
            let body = generator.body(n);
            if n % 8 == 7 {
                generator.damaged(&body)
            } else {
                body
            }
        })
        .collect()
}

fn run_node(input: &Value) -> Vec<Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop");
    assert!(
        dir.join("node_modules/@huddle01/server-sdk").is_dir(),
        "the SDK is not installed: run `npm ci --prefix tests/interop`"
    );
    let file =
        std::env::temp_dir().join(format!("huddle-auth-webhooks-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(input).expect("JSON")).expect("a temp file");
    let output = Command::new("node")
        .arg(dir.join("webhook_v8.mjs"))
        .arg(&file)
        .output()
        .expect("node must be installed");
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "webhook_v8.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[test]
fn the_receiver_and_signer_agree_with_v8_and_the_sdk_on_the_corpus() {
    let bodies = corpus();
    let t = WEBHOOK_VECTOR_T;
    let signer = WebhookSigner::new(WEBHOOK_API_KEY).expect("a key");
    let signers = [signer.clone(), signer.algorithm(WebhookAlgorithm::Sha512)];
    let ours: Vec<Option<String>> = bodies
        .iter()
        .enumerate()
        .map(|(n, body)| signers[n % 2].sign_at(body.as_bytes(), t).ok())
        .collect();
    let cases: Vec<Value> = bodies
        .iter()
        .zip(&ours)
        .map(|(body, header)| json!({ "body": body, "header": header }))
        .collect();
    let results = run_node(&json!({ "apiKey": WEBHOOK_API_KEY, "t": t, "cases": cases }));
    assert_eq!(results.len(), bodies.len());

    let receiver = WebhookReceiver::new(WEBHOOK_API_KEY)
        .expect("a key")
        .tolerance(None);
    let mut counts = [0usize; 6]; // compared, refused alike, lone, deep, node-signed, sdk-accepted
    for ((body, header), v8) in bodies.iter().zip(&ours).zip(&results) {
        let canonical = canonical_json(body.as_bytes());
        match (v8["parsed"].as_bool(), &canonical) {
            (Some(true), Ok(ours)) => {
                assert_eq!(
                    Some(ours.as_str()),
                    v8["canonical"].as_str(),
                    "body {body:?}"
                );
                counts[0] += 1;
            }
            (Some(false), Err(WebhookError::NotJson { .. })) => counts[1] += 1,
            (Some(true), Err(WebhookError::LoneSurrogate { .. })) => {
                assert_eq!(v8["lone"], json!(true), "body {body:?}");
                counts[2] += 1;
            }
            (Some(true), Err(WebhookError::TooDeep { .. })) => counts[3] += 1,
            (parsed, ours) => panic!("V8 parsed: {parsed:?}, the crate: {ours:?}, body {body:?}"),
        }
        for name in ["header256", "header512"] {
            if let (Some(node_header), Some(_)) = (v8[name].as_str(), header) {
                receiver
                    .receive(body.as_bytes(), node_header)
                    .unwrap_or_else(|e| panic!("refused Node's {name} ({e}) for {body:?}"));
                counts[4] += 1;
            }
        }
        if header.is_some() {
            assert_eq!(
                v8["sdk"],
                json!(true),
                "the SDK refused {header:?} for {body:?}"
            );
            counts[5] += 1;
        } else if let (Ok(canonical), Some(node_header)) = (&canonical, v8["header256"].as_str()) {
            // Not signed here, though V8 parsed it and Node could sign it:
            // only an object or array id, which the crate refuses rather than guess.
            let id = &serde_json::from_str::<Value>(canonical).expect("JSON")["id"];
            assert!(
                id.is_object() || id.is_array(),
                "unsigned {body:?}, which Node signed as {node_header}"
            );
        }
    }
    eprintln!("compared, refused alike, lone, deep, Node-signed, SDK-accepted: {counts:?}");
    let [compared, refused, lone, deep, node_signed, sdk] = counts;
    assert!(
        compared >= 2_000,
        "only {compared} bodies compared byte for byte"
    );
    assert!(refused >= 150 && lone >= 20 && deep >= 30, "{counts:?}");
    assert!(node_signed >= 3_800 && sdk >= 1_900, "{counts:?}");
}
