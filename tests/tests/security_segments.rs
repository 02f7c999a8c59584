//! The compact serialization: exactly three segments of canonical, unpadded
//! base64url (RFC 7515 sections 2, 3.1 and 7.1), the size limit checked
//! before anything is decoded, the signature checked over the exact bytes
//! received (every single flipped bit refused), and the signature checked
//! before any claim (RFC 8725 section 3.4, RFC 7519 section 7.2).

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use huddle_auth::{
    AccessToken, Algorithm, PrivateKey, TokenVerifier, VerifyError, MAX_TOKEN_BYTES,
};
use huddle_auth_tests::fixtures::*;
use serde_json::json;

fn segments(token: &str) -> [&str; 3] {
    let mut parts = token.split('.');
    let parts = [parts.next(), parts.next(), parts.next()];
    parts.map(|part| part.expect("three segments"))
}

#[test]
fn anything_but_three_segments_is_malformed() {
    let token = mint();
    let [header, payload, signature] = segments(&token);
    for candidate in [
        String::new(),
        header.to_owned(),
        format!("{header}.{payload}"),
        format!("{header}.{payload}."),
        format!("{token}."),
        format!("{token}.{signature}"),
        format!("{token}.{signature}.{signature}"),
        format!("{header}..{payload}.{signature}"),
        "...".to_owned(),
        ".".repeat(1000),
    ] {
        let result = verify(&candidate);
        let three = candidate.matches('.').count() == 2;
        match result {
            Err(VerifyError::Malformed { part: "token", .. }) if !three => {}
            // `header.payload.` has three segments; its signature is empty.
            Err(VerifyError::Malformed {
                part: "signature", ..
            }) if three => {}
            other => panic!("{candidate:?}: {other:?}"),
        }
    }
    for (empty_part, part) in [
        (format!(".{payload}.{signature}"), "header"),
        ("..".to_owned(), "header"),
        (forge_segments(header, ""), "payload"),
    ] {
        let result = verify(&empty_part);
        assert!(
            matches!(&result, Err(VerifyError::Malformed { part: p, reason }) if *p == part && reason.contains("empty")),
            "{empty_part}: {result:?}"
        );
    }
    // An empty payload under another token's MAC: the MAC is checked first.
    assert_eq!(
        verify(&format!("{header}..{signature}")).err(),
        Some(VerifyError::BadSignature)
    );
}

#[test]
fn padding_is_refused_in_every_segment() {
    let token = mint();
    let [header, payload, signature] = segments(&token);
    // Padding after the signature alone leaves the MAC input intact.
    for pad in ["=", "=="] {
        assert_malformed(
            verify(&format!("{header}.{payload}.{signature}{pad}")),
            "signature",
        );
        let padded = format!("{header}{pad}");
        assert_malformed(verify(&forge_segments(&padded, payload)), "header");
        let padded = format!("{payload}{pad}");
        assert_malformed(verify(&forge_segments(header, &padded)), "payload");
    }
}

#[test]
fn the_standard_alphabet_is_refused() {
    // `???` encodes to `Pz8/` and `>>>` to `Pj4+` in the standard alphabet.
    let claims = claims_with(&["displayName"], json!("???>>>"));
    let payload = STANDARD_NO_PAD.encode(claims.to_string());
    assert!(payload.contains('/') && payload.contains('+'));
    assert_malformed(verify(&forge_segments(&b64(header()), &payload)), "payload");

    let header = format!(r#"{{"alg":"HS256","kid":"{KID}","x":"???>>>"}}"#);
    let encoded = STANDARD_NO_PAD.encode(&header);
    assert!(encoded.contains('/') && encoded.contains('+'));
    assert_malformed(
        verify(&forge_segments(&encoded, &b64(claims.to_string()))),
        "header",
    );

    // The signature's bytes in the standard alphabet: the same MAC, refused.
    let token = forge_claims(&claims);
    let [header, payload, signature] = segments(&token);
    let standard = STANDARD_NO_PAD.encode(unb64(signature));
    if standard != signature {
        assert_malformed(
            verify(&format!("{header}.{payload}.{standard}")),
            "signature",
        );
    }
}

/// The message of a refused token, which must say what to fix.
fn message(token: &str) -> String {
    verify(token).expect_err("refused").to_string()
}

#[test]
fn whitespace_anywhere_is_refused_naming_the_cause() {
    let token = mint();
    let [header, payload, signature] = segments(&token);
    let around = "malformed token: has whitespace around it: trim the token";
    let newline =
        "malformed token: ends with a newline: trim the token (as read from a file or stdin)";
    let inside = "malformed token: holds whitespace: a compact JWS has none";
    for ws in [" ", "\t", "\n", "\r\n"] {
        assert_eq!(message(&format!("{ws}{token}")), around, "{ws:?}");
        let trailing = if ws.ends_with('\n') { newline } else { around };
        assert_eq!(message(&format!("{token}{ws}")), trailing, "{ws:?}");
        let (left, right) = signature.split_at(10);
        assert_eq!(
            message(&format!("{header}.{payload}.{left}{ws}{right}")),
            inside
        );
        let (left, right) = payload.split_at(10);
        let spaced = format!("{left}{ws}{right}");
        assert_eq!(message(&forge_segments(header, &spaced)), inside);
        let (left, right) = header.split_at(10);
        let spaced = format!("{left}{ws}{right}");
        assert_eq!(message(&forge_segments(&spaced, payload)), inside);
    }
    assert_malformed(verify(&format!(" {token}")), "token");
}

#[test]
fn a_bearer_prefix_is_refused_naming_the_cause() {
    let token = mint();
    for prefix in ["Bearer ", "bearer ", "BEARER "] {
        assert_eq!(
            message(&format!("{prefix}{token}")),
            "malformed token: starts with \"Bearer \": pass the token alone, \
             without the Authorization scheme"
        );
    }
    // A tab after the scheme is whitespace inside the token.
    assert_eq!(
        message(&format!("Bearer\t{token}")),
        "malformed token: holds whitespace: a compact JWS has none"
    );
}

/// The last character of a segment whose length is not a multiple of four
/// carries unused low bits; setting them keeps the decoded bytes the same.
fn with_trailing_bits_set(segment: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let unused_bits = match segment.len() % 4 {
        2 => 4,
        3 => 2,
        other => panic!("a segment of length {other} mod 4 has no unused bits"),
    };
    let last = *segment.as_bytes().last().expect("non-empty");
    let index = ALPHABET.iter().position(|&c| c == last).expect("base64url");
    let changed = ALPHABET[index | ((1 << unused_bits) - 1)] as char;
    assert_ne!(changed as u8, last, "the canonical form has the bits clear");
    format!("{}{changed}", &segment[..segment.len() - 1])
}

#[test]
fn non_canonical_base64_is_refused() {
    // An HS256 MAC is 32 bytes: 43 characters, two unused bits. A lenient
    // decoder reads the same MAC out of the changed text.
    let token = mint();
    let [header_b64, payload_b64, signature] = segments(&token);
    let same_mac = with_trailing_bits_set(signature);
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    assert_eq!(lenient.decode(&same_mac).ok(), Some(unb64(signature)));
    assert_malformed(
        verify(&format!("{header_b64}.{payload_b64}.{same_mac}")),
        "signature",
    );

    // A payload and a header whose encodings end with unused bits, MACed as sent.
    let mut payload_json = claims();
    let mut name = String::new();
    while b64(payload_json.to_string()).len().is_multiple_of(4) {
        name.push('x');
        payload_json["displayName"] = json!(name);
    }
    let payload = b64(payload_json.to_string());
    assert_malformed(
        verify(&forge_segments(
            &b64(header()),
            &with_trailing_bits_set(&payload),
        )),
        "payload",
    );
    let mut header_json = header();
    while b64(&header_json).len().is_multiple_of(4) {
        header_json.insert(1, ' ');
    }
    assert_malformed(
        verify(&forge_segments(
            &with_trailing_bits_set(&b64(&header_json)),
            &payload,
        )),
        "header",
    );
}

#[test]
fn a_signature_of_the_wrong_length_is_bad() {
    let token = mint();
    let [header, payload, signature] = segments(&token);
    let mac = unb64(signature);
    assert_eq!(mac.len(), 32);
    let mut candidates = vec![
        mac[..31].to_vec(),
        mac[..16].to_vec(),
        mac[..1].to_vec(),
        [mac.as_slice(), &[0]].concat(),
        [&[0], mac.as_slice()].concat(),
        [mac.as_slice(), mac.as_slice()].concat(),
    ];
    candidates.push(vec![0; 32]);
    for candidate in candidates {
        assert_eq!(
            verify(&format!("{header}.{payload}.{}", b64(&candidate))).err(),
            Some(VerifyError::BadSignature),
            "{} bytes",
            candidate.len()
        );
    }
}

#[test]
fn asymmetric_signatures_of_the_wrong_length_are_bad() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(alg, "k").expect("key");
        let verifier = TokenVerifier::new().with_private_key(&key).expect("key");
        let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("token");
        let [header, payload, signature] = segments(&token);
        let raw = unb64(signature);
        for candidate in [
            raw[..raw.len() - 1].to_vec(),
            [raw.as_slice(), &[0]].concat(),
            [&[0], raw.as_slice()].concat(),
            raw[..raw.len() / 2].to_vec(),
        ] {
            let result = verifier.verify_at::<serde_json::Value>(
                &format!("{header}.{payload}.{}", b64(&candidate)),
                NOW,
            );
            assert_eq!(
                result.err(),
                Some(VerifyError::BadSignature),
                "{alg}, {} bytes",
                candidate.len()
            );
        }
    }
}

/// Every token with one bit of one character flipped, as long as the result
/// is still text (a `&str`): flips of bits 0 to 6 of ASCII characters.
fn every_character_bit_flip(token: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    (0..token.len()).flat_map(move |at| {
        (0..7).filter_map(move |bit| {
            let mut bytes = token.as_bytes().to_vec();
            bytes[at] ^= 1 << bit;
            String::from_utf8(bytes).ok().map(|flipped| (at, flipped))
        })
    })
}

/// Every token with one bit of one decoded segment flipped, re-encoded
/// canonically, for segment 0 (header), 1 (payload) or 2 (signature).
fn every_decoded_bit_flip(token: &str, segment: usize) -> Vec<String> {
    let parts = segments(token);
    let bytes = unb64(parts[segment]);
    (0..bytes.len() * 8)
        .map(|bit| {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let mut parts = parts.map(str::to_owned);
            parts[segment] = b64(&flipped);
            parts.join(".")
        })
        .collect()
}

/// Flips every bit of the given segments (0 header, 1 payload, 2 signature),
/// both as characters of the token and as decoded bytes, and checks each
/// variant is refused: with the header intact, as a bad signature.
fn assert_every_bit_flip_refused(
    verifier: &TokenVerifier,
    token: &str,
    what: &str,
    segments_to_flip: &[usize],
) {
    let verify = |token: &str| verifier.verify_at::<serde_json::Value>(token, NOW);
    assert!(verify(token).is_ok(), "{what}: the original verifies");
    let payload_from = token.find('.').expect("three segments") + 1;
    let signature_from = token.rfind('.').expect("three segments") + 1;
    let segment_of =
        |at: usize| usize::from(at >= payload_from) + usize::from(at >= signature_from);
    let mut checked = 0;
    for (at, flipped) in every_character_bit_flip(token) {
        let segment = segment_of(at);
        if !segments_to_flip.contains(&segment) {
            continue;
        }
        let result = verify(&flipped);
        if segment == 0 {
            assert!(
                result.is_err(),
                "{what}: character {at} flipped was accepted"
            );
        } else {
            // A flip may also turn a character into '.', or out of the alphabet.
            assert!(
                matches!(
                    result,
                    Err(VerifyError::BadSignature | VerifyError::Malformed { .. })
                ),
                "{what}: character {at}: {result:?}"
            );
        }
        checked += 1;
    }
    for &segment in segments_to_flip {
        for flipped in every_decoded_bit_flip(token, segment) {
            let result = verify(&flipped);
            if segment == 0 {
                assert!(result.is_err(), "{what}: a header bit flipped was accepted");
            } else {
                assert_eq!(
                    result.err(),
                    Some(VerifyError::BadSignature),
                    "{what}: segment {segment}"
                );
            }
            checked += 1;
        }
    }
    let flippable: usize = segments_to_flip
        .iter()
        .map(|&segment| segments(token)[segment].len())
        .sum();
    assert!(
        checked >= flippable * 7,
        "{what}: only {checked} variants checked"
    );
}

#[test]
fn every_single_flipped_bit_of_an_hs256_token_is_refused() {
    let token = AccessToken::new(&api_key(), ROOM)
        .metadata(&json!({ "seat": 12 }))
        .display_name("Ada")
        .to_jwt_at(NOW)
        .expect("token");
    assert_every_bit_flip_refused(&verifier(), &token, "HS256", &[0, 1, 2]);
}

#[test]
fn every_single_flipped_bit_of_asymmetric_headers_and_signatures_is_refused() {
    // The payload goes through the same signature check whatever the key,
    // shown bit by bit above; here each algorithm's own signature parsing
    // (and the header naming it) gets every bit flipped. Unoptimised ECDSA
    // and RSA are too slow in debug builds to also flip every payload bit.
    for alg in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        let key = PrivateKey::generate(alg, "k").expect("key");
        let verifier = TokenVerifier::new().with_private_key(&key).expect("key");
        let token = AccessToken::new(&key, ROOM).to_jwt_at(NOW).expect("token");
        assert_every_bit_flip_refused(&verifier, &token, alg.as_str(), &[0, 2]);
    }
}

#[test]
fn the_signature_is_checked_before_any_claim() {
    // Expired an hour ago.
    let expired = AccessToken::new(&api_key(), ROOM)
        .ttl(60)
        .to_jwt_at(NOW - 3600)
        .expect("token");
    assert!(matches!(verify(&expired), Err(VerifyError::Expired { .. })));
    let [header, payload, signature] = segments(&expired);
    let mut mac = unb64(signature);
    mac[0] ^= 1;
    let tampered = format!("{header}.{payload}.{}", b64(&mac));
    assert_eq!(verify(&tampered).err(), Some(VerifyError::BadSignature));

    // A payload that is not even JSON, with a bad MAC: the MAC is reported.
    let garbage = format!("{header}.{}.{signature}", b64("not json"));
    assert_eq!(verify(&garbage).err(), Some(VerifyError::BadSignature));
    // Claims that break every rule, with a bad MAC: the MAC is reported.
    let broken = claims_with(&["permissions"], json!({ "canProduce": false }));
    let forged = format!("{header}.{}.{signature}", b64(broken.to_string()));
    assert_eq!(verify(&forged).err(), Some(VerifyError::BadSignature));
    // A payload that is not base64url, with a bad MAC: the MAC is reported,
    // because the MAC covers the segment as sent.
    let undecodable = format!("{header}.%%%%.{signature}");
    assert_eq!(verify(&undecodable).err(), Some(VerifyError::BadSignature));
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let dots = ".".repeat(100_000);
    assert_eq!(
        verify(&dots).err(),
        Some(VerifyError::TooLarge {
            bytes: 100_000,
            limit: MAX_TOKEN_BYTES
        })
    );
    let junk = "\u{1F600}".repeat(10_000);
    assert_eq!(
        verify(&junk).err(),
        Some(VerifyError::TooLarge {
            bytes: junk.len(),
            limit: MAX_TOKEN_BYTES
        })
    );
    let huge = "A".repeat(8 << 20);
    assert!(matches!(verify(&huge), Err(VerifyError::TooLarge { .. })));
}

#[test]
fn the_size_limit_is_exact() {
    assert_eq!(MAX_TOKEN_BYTES, 32 * 1024);
    // Unpadded base64 is never 1 mod 4 long, so both the header (padded with
    // spaces) and the payload (a long display name) are tuned to land a
    // valid token on exactly the limit.
    let encoded_len = |bytes: usize| (4 * bytes).div_ceil(3);
    let mac_len = encoded_len(32);
    // An unknown claim: the text claims are capped at 256 bytes.
    let named = |len: usize| claims_with(&["padding"], json!("n".repeat(len))).to_string();
    let base = named(0).len();
    let (header_json, name_len) = (0..4)
        .find_map(|spaces| {
            let header_json = header().replacen('{', &format!("{{{}", " ".repeat(spaces)), 1);
            let fixed = encoded_len(header_json.len()) + 2 + mac_len;
            (0..MAX_TOKEN_BYTES)
                .find(|len| fixed + encoded_len(base + len) == MAX_TOKEN_BYTES)
                .map(|len| (header_json, len))
        })
        .expect("some header padding reaches the limit exactly");
    let at_limit = forge_bytes(header_json.as_bytes(), named(name_len).as_bytes());
    assert_eq!(at_limit.len(), MAX_TOKEN_BYTES);
    assert!(
        verify(&at_limit).is_ok(),
        "a token of exactly the limit is accepted"
    );

    let over = forge_bytes(header_json.as_bytes(), named(name_len + 1).as_bytes());
    assert!(over.len() > MAX_TOKEN_BYTES);
    assert_eq!(
        verify(&over).err(),
        Some(VerifyError::TooLarge {
            bytes: over.len(),
            limit: MAX_TOKEN_BYTES
        })
    );
}
