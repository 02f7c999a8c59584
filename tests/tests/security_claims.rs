//! The payload: a JSON object (RFC 7519 section 7.2 step 10) of claims, each
//! name at most once (RFC 7519 section 4), every claim of the right type, the
//! permission rules 1 and 2 and the metadata limit (rule 4) checked, and no
//! input able to exhaust the stack.

use huddle_auth::VerifyError;
use huddle_auth_tests::fixtures::*;
use serde_json::{json, Value};

#[track_caller]
fn assert_refused_payload(payload: &[u8]) {
    assert_malformed(
        verify(&forge_bytes(header().as_bytes(), payload)),
        "payload",
    );
}

/// The claims as JSON text with the member at `path` replaced by `raw`.
fn raw_claim(path: &[&str], raw: &str) -> String {
    const MARK: &str = "@@raw@@";
    claims_with(path, json!(MARK))
        .to_string()
        .replacen(&format!("\"{MARK}\""), raw, 1)
}

#[test]
fn the_unchanged_claims_verify() {
    let claims = verify(&forge_claims(&claims())).expect("the suite's claims are valid");
    assert_eq!(claims.peer_id(), "peer_security");
    assert_eq!(
        claims.metadata(),
        Some(&json!({ "walletAddress": "mizanxali.eth" }))
    );
}

#[test]
fn a_payload_that_is_not_a_json_object_is_malformed() {
    // The claims' values in field order: what serde_json would take for a
    // derived struct. A payload must be an object.
    let c = claims();
    let as_array = json!([
        c["roomId"],
        c["peerId"],
        c["projectId"],
        c["role"],
        c["permissions"],
        c["metadata"],
        null,
        null,
        c["iat"],
        c["nbf"],
        c["exp"],
        c["jti"]
    ]);
    for payload in [
        as_array.to_string(),
        "[]".to_owned(),
        "42".to_owned(),
        "1.5".to_owned(),
        "null".to_owned(),
        "true".to_owned(),
        r#""a string""#.to_owned(),
    ] {
        assert_refused_payload(payload.as_bytes());
    }
}

#[test]
fn bad_json_and_trailing_bytes_are_malformed() {
    let valid = claims().to_string();
    for payload in [
        "{".to_owned(),
        format!("{valid}}}"),
        format!("{valid}x"),
        format!("{valid}{valid}"),
        format!("{valid},"),
        format!("{valid}\0"),
        valid.replacen(':', "=", 1),
        valid.replacen('"', "'", 2),
        valid.trim_end_matches('}').to_owned(),
    ] {
        assert_refused_payload(payload.as_bytes());
    }
    // Whitespace around the object is JSON, and allowed.
    assert!(verify(&forge_payload(&format!(" \n{valid}\t "))).is_ok());
}

#[test]
fn invalid_utf8_is_malformed() {
    let valid = claims().to_string();
    let in_a_string = valid.replace(ROOM, "room-\u{FFFD}").into_bytes();
    let at = in_a_string
        .windows(3)
        .position(|w| w == "\u{FFFD}".as_bytes())
        .expect("the marker");
    for bad in [
        &[0xFF][..],
        &[0xC3],
        &[0xED, 0xA0, 0x80],
        &[0xF8, 0x88, 0x80, 0x80],
    ] {
        let mut payload = in_a_string.clone();
        payload.splice(at..at + 3, bad.iter().copied());
        assert_refused_payload(&payload);
    }
    // Outside any string, and a byte-order mark.
    let mut outside = valid.clone().into_bytes();
    outside.insert(1, 0xFF);
    assert_refused_payload(&outside);
    let bom = [&[0xEF, 0xBB, 0xBF][..], valid.as_bytes()].concat();
    assert_refused_payload(&bom);
}

#[test]
fn a_duplicate_claim_name_is_refused_known_or_not() {
    let valid = claims().to_string();
    let body = &valid[1..valid.len() - 1];
    for (extra, field) in [
        (r#""roomId":"another-room""#, "roomId"),
        (r#""exp":99999999999"#, "exp"),
        (r#""iat":0"#, "iat"),
        (
            r#""permissions":{"admin":true,"canConsume":true,"canProduce":true,"canProduceSources":{"cam":true,"mic":true,"screen":true},"canSendData":true,"canRecvData":true,"canUpdateMetadata":true}"#,
            "permissions",
        ),
        (r#""metadata":"{}""#, "metadata"),
        (r#""role":"host""#, "role"),
        (r#""jti":"again""#, "jti"),
        // The same name spelled with an escape is the same name.
        (r#""room\u0049d":"another-room""#, "roomId"),
    ] {
        for payload in [format!("{{{body},{extra}}}"), format!("{{{extra},{body}}}")] {
            assert_invalid_claim(verify(&forge_payload(&payload)), field);
        }
    }
    // Unknown claims are ignored, but only once each.
    let once = format!(r#"{{{body},"x-team":"red","x-tier":1}}"#);
    assert!(verify(&forge_payload(&once)).is_ok());
    for twice in [
        format!(r#"{{{body},"x-team":"red","x-team":"blue"}}"#),
        format!(r#"{{"x-team":"red",{body},"x-team":"red"}}"#),
        format!(r#"{{{body},"aud":"a","a\u0075d":"b"}}"#),
    ] {
        let result = verify(&forge_payload(&twice));
        assert!(
            matches!(&result, Err(VerifyError::InvalidClaims { field, reason })
                if (field == "x-team" || field == "aud") && reason.contains("duplicate")),
            "{twice}: {result:?}"
        );
    }
}

#[test]
fn a_duplicate_inside_an_object_claim_is_refused() {
    let claims = claims().to_string();
    let doubled = claims.replacen(
        r#""canProduce":true"#,
        r#""canProduce":true,"canProduce":false"#,
        1,
    );
    assert_ne!(doubled, claims);
    assert_invalid_claim(verify(&forge_payload(&doubled)), "permissions.canProduce");
    let doubled = claims.replacen(r#""mic":true"#, r#""mic":true,"mic":true"#, 1);
    assert_invalid_claim(
        verify(&forge_payload(&doubled)),
        "permissions.canProduceSources.mic",
    );
    let options = claims_with(&["options"], json!({ "maxPeersAllowed": 3 })).to_string();
    let doubled = options.replacen(
        r#""maxPeersAllowed":3"#,
        r#""maxPeersAllowed":3,"maxPeersAllowed":300"#,
        1,
    );
    assert_invalid_claim(verify(&forge_payload(&doubled)), "options.maxPeersAllowed");
}

#[test]
fn nesting_ten_thousand_deep_is_refused_without_exhausting_the_stack() {
    const DEPTH: usize = 10_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let valid = claims().to_string();
    let body = &valid[1..valid.len() - 1];
    // At the top, inside an unknown claim, and inside a known one.
    assert_refused_payload(arrays.as_bytes());
    assert_refused_payload(format!(r#"{{"deep":{arrays},{body}}}"#).as_bytes());
    let objects = format!("{}1{}", r#"{"a":"#.repeat(2_000), "}".repeat(2_000));
    assert_refused_payload(format!(r#"{{"deep":{objects},{body}}}"#).as_bytes());
    for path in [
        &["roomId"][..],
        &["permissions"],
        &["permissions", "canProduceSources"],
        &["options"],
        &["exp"],
    ] {
        let payload = raw_claim(path, &arrays);
        assert!(
            matches!(
                verify(&forge_payload(&payload)),
                Err(VerifyError::Malformed {
                    part: "payload",
                    ..
                } | VerifyError::InvalidClaims { .. })
            ),
            "{path:?}"
        );
    }
    // In the header.
    let header = format!(r#"{{"alg":"HS256","kid":"{KID}","deep":{arrays}}}"#);
    assert_malformed(
        verify(&forge_bytes(header.as_bytes(), valid.as_bytes())),
        "header",
    );
    // In the metadata: as deep as 5120 bytes allow, refused by the metadata
    // parser's own depth limit.
    let deep_metadata = format!("{}{}", "[".repeat(2_560), "]".repeat(2_560));
    assert_invalid_claim(
        verify(&forge_claims(&claims_with(
            &["metadata"],
            json!(deep_metadata),
        ))),
        "metadata",
    );
}

#[test]
fn room_and_peer_ids_must_be_non_empty_strings() {
    for claim in ["roomId", "peerId"] {
        assert_invalid_claim(verify(&forge_claims(&claims_without(&[claim]))), claim);
        for wrong in [
            json!(""),
            json!(null),
            json!(42),
            json!(true),
            json!([]),
            json!({}),
        ] {
            assert_invalid_claim(
                verify(&forge_claims(&claims_with(&[claim], wrong.clone()))),
                claim,
            );
        }
    }
}

const PERMISSIONS: [&str; 7] = [
    "admin",
    "canConsume",
    "canProduce",
    "canProduceSources",
    "canSendData",
    "canRecvData",
    "canUpdateMetadata",
];

#[test]
fn every_permission_is_required_and_of_its_type() {
    assert_invalid_claim(
        verify(&forge_claims(&claims_without(&["permissions"]))),
        "permissions",
    );
    for key in PERMISSIONS {
        let field = format!("permissions.{key}");
        assert_invalid_claim(
            verify(&forge_claims(&claims_without(&["permissions", key]))),
            &field,
        );
        for wrong in [
            json!("true"),
            json!(1),
            json!(0),
            json!(null),
            json!([true]),
        ] {
            assert_invalid_claim(
                verify(&forge_claims(&claims_with(&["permissions", key], wrong))),
                &field,
            );
        }
    }
    for source in ["cam", "mic", "screen"] {
        let path = ["permissions", "canProduceSources", source];
        let field = format!("permissions.canProduceSources.{source}");
        assert_invalid_claim(verify(&forge_claims(&claims_without(&path))), &field);
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(&path, json!("yes")))),
            &field,
        );
    }
}

#[test]
fn an_unknown_permission_or_source_is_refused() {
    for (path, field) in [
        (&["permissions", "canFly"][..], "permissions.canFly"),
        (
            &["permissions", "can_produce"][..],
            "permissions.can_produce",
        ),
        (
            &["permissions", "canProduceSources", "tv"][..],
            "permissions.canProduceSources.tv",
        ),
    ] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(path, json!(true)))),
            field,
        );
    }
}

#[test]
fn permissions_must_be_objects_not_arrays_or_scalars() {
    // `[cam, mic, screen]` in field order: what a derived struct would take.
    for wrong in [
        json!([false, true, true]),
        json!(true),
        json!("cam"),
        json!(null),
        json!(7),
    ] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(
                &["permissions", "canProduceSources"],
                wrong,
            ))),
            "permissions.canProduceSources",
        );
    }
    let sources = json!({ "cam": false, "mic": true, "screen": true });
    for wrong in [
        json!([false, true, true, sources, true, true, true]),
        json!("host"),
        json!(null),
    ] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(&["permissions"], wrong))),
            "permissions",
        );
    }
    for wrong in [json!([10]), json!(10), json!(null)] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(&["options"], wrong))),
            "options",
        );
    }
}

#[test]
fn permissions_breaking_rules_1_and_2_are_refused() {
    // Rule 1: a source may be true only if canProduce is.
    for source in ["cam", "mic", "screen"] {
        let mut claims = claims_with(&["permissions", "canProduce"], json!(false));
        for other in ["cam", "mic", "screen"] {
            claims["permissions"]["canProduceSources"][other] = json!(other == source);
        }
        assert_invalid_claim(
            verify(&forge_claims(&claims)),
            &format!("permissions.canProduceSources.{source}"),
        );
    }
    // Rule 2: canProduce needs at least one source.
    let claims = claims_with(
        &["permissions", "canProduceSources"],
        json!({ "cam": false, "mic": false, "screen": false }),
    );
    assert_invalid_claim(verify(&forge_claims(&claims)), "permissions.canProduce");
}

#[test]
fn metadata_must_be_a_string_of_at_most_5120_bytes() {
    for wrong in [
        json!({ "a": 1 }),
        json!(1),
        json!(null),
        json!(["a"]),
        json!(true),
    ] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(&["metadata"], wrong))),
            "metadata",
        );
    }
    // 5120 bytes of JSON: a string of 5118 characters and its quotes.
    let at_limit = serde_json::to_string(&"m".repeat(5118)).expect("JSON");
    assert_eq!(at_limit.len(), 5120);
    assert!(verify(&forge_claims(&claims_with(&["metadata"], json!(at_limit)))).is_ok());
    let over = serde_json::to_string(&"m".repeat(5119)).expect("JSON");
    let result = verify(&forge_claims(&claims_with(&["metadata"], json!(over))));
    assert!(
        matches!(&result, Err(VerifyError::InvalidClaims { field, reason }) if field == "metadata" && reason.contains("5120")),
        "{result:?}"
    );
    // Multi-byte characters count in bytes.
    let wide = serde_json::to_string(&"é".repeat(2560)).expect("JSON");
    assert_eq!(wide.len(), 5122);
    assert_invalid_claim(
        verify(&forge_claims(&claims_with(&["metadata"], json!(wide)))),
        "metadata",
    );
    // A string that is not JSON is refused when metadata is read.
    assert_invalid_claim(
        verify(&forge_claims(&claims_with(
            &["metadata"],
            json!("{not json"),
        ))),
        "metadata",
    );
}

#[test]
fn optional_claims_are_absent_or_of_their_type_never_null() {
    for claim in [
        "projectId",
        "role",
        "displayName",
        "jti",
        "metadata",
        "options",
        "nbf",
    ] {
        assert_invalid_claim(
            verify(&forge_claims(&claims_with(&[claim], Value::Null))),
            claim,
        );
    }
    for claim in ["projectId", "role", "jti", "metadata", "nbf"] {
        let without = claims_without(&[claim]);
        assert!(
            verify(&forge_claims(&without)).is_ok(),
            "{claim} may be absent"
        );
    }
    for (claim, wrong) in [
        ("role", json!(1)),
        ("displayName", json!({})),
        ("jti", json!([])),
        ("projectId", json!(false)),
    ] {
        assert_invalid_claim(verify(&forge_claims(&claims_with(&[claim], wrong))), claim);
    }
    assert_invalid_claim(
        verify(&forge_claims(&claims_with(
            &["options", "maxPeersAllowed"],
            json!(0),
        ))),
        "options.maxPeersAllowed",
    );
    assert_invalid_claim(
        verify(&forge_claims(&claims_with(
            &["role"],
            json!("not a role name!"),
        ))),
        "role",
    );
}

#[test]
fn text_claims_refuse_control_characters_and_more_than_256_bytes_at_both_ends() {
    use huddle_auth::{AccessToken, MintError, RuleViolation};
    let key = api_key();
    let long = "r".repeat(257);
    let cases: [(&str, &str, String); 6] = [
        (
            "roomId",
            "\u{1b}[2Jroom",
            "must not hold the control character '\\u{1b}'".to_owned(),
        ),
        (
            "roomId",
            &long,
            "is 257 bytes, over the limit of 256".to_owned(),
        ),
        (
            "peerId",
            "peer\nid",
            "must not hold the control character '\\n'".to_owned(),
        ),
        (
            "peerId",
            &long,
            "is 257 bytes, over the limit of 256".to_owned(),
        ),
        (
            "displayName",
            "Ann\u{7}",
            "must not hold the control character '\\u{7}'".to_owned(),
        ),
        (
            "displayName",
            &long,
            "is 257 bytes, over the limit of 256".to_owned(),
        ),
    ];
    for (field, value, reason) in cases {
        let builder = match field {
            "roomId" => AccessToken::new(&key, value),
            "peerId" => AccessToken::new(&key, ROOM).peer_id(value),
            _ => AccessToken::new(&key, ROOM).display_name(value),
        };
        let minted = builder.to_jwt_at(NOW).expect_err("refused at mint");
        assert!(matches!(
            minted,
            MintError::Rule(
                RuleViolation::TextControlCharacter { .. } | RuleViolation::TextTooLong { .. }
            )
        ));
        assert_eq!(minted.to_string(), format!("{field}: {reason}"));
        let forged = forge_claims(&claims_with(&[field], json!(value)));
        assert_eq!(
            verify(&forged).err(),
            Some(VerifyError::InvalidClaims {
                field: field.to_owned(),
                reason: reason.clone()
            })
        );
    }
    // 256 bytes, a multi-byte name, spaces: accepted at both ends.
    let at_limit = "r".repeat(256);
    let token = AccessToken::new(&key, at_limit.as_str())
        .peer_id("peer 1")
        .display_name("Zoë Ä")
        .to_jwt_at(NOW)
        .expect("mints");
    assert!(verifier().verify_at::<Value>(&token, NOW).is_ok());
}

#[test]
fn parsing_thousands_of_unknown_claims_stays_linear() {
    use std::time::Instant;
    let normal = forge_claims(&claims());
    let mut padded = claims();
    // Two-character names, so that 3000 of them fit the 32 KiB token limit.
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    for i in 0..3000 {
        let name: String = [alphabet[i / alphabet.len()], alphabet[i % alphabet.len()]]
            .iter()
            .collect();
        padded[name] = json!(0);
    }
    let padded = forge_claims(&padded);
    // Compared with a normal token in the same process, so the machine's
    // speed cancels out: a linear parser pays for the bytes (this token is
    // 44 times longer; measured about 50x the time), a quadratic one for every
    // pair of names (measured about 700x in a debug build).
    let cost = |token: &str, rounds: u32| {
        let start = Instant::now();
        for _ in 0..rounds {
            assert!(verify(token).is_ok());
        }
        start.elapsed().as_secs_f64() / f64::from(rounds)
    };
    let normal_cost = cost(&normal, 200);
    let padded_cost = cost(&padded, 20);
    let ratio = padded_cost / normal_cost;
    assert!(
        ratio < 250.0,
        "3000 unknown claims cost {ratio:.1}x a normal token"
    );
}
