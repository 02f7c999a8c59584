//! Shared by the `security_*` tests: one API key, a fixed clock, and tokens
//! forged byte by byte (any header text, any payload bytes) yet MACed with
//! the real secret, so that each test reaches exactly the check it names.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use huddle_auth::{AccessToken, ApiKey, Claims, TokenVerifier, VerifyError};
use serde_json::{json, Value};

pub const SECRET: &str = "security-suite-secret-of-more-than-32-bytes";
pub const KID: &str = "ak_security";
pub const ROOM: &str = "abc-defg-hij";
/// The clock of every check: tokens are minted and verified at this time.
pub const NOW: u64 = 1_750_000_000;

pub fn api_key() -> ApiKey {
    ApiKey::new(KID, SECRET).expect("the suite's secret is long enough")
}

pub fn verifier() -> TokenVerifier {
    TokenVerifier::new()
        .with_api_key(&api_key())
        .expect("one key")
}

/// Verifies at [`NOW`] with the suite's verifier.
pub fn verify(token: &str) -> Result<Claims<Value>, VerifyError> {
    verifier().verify_at(token, NOW)
}

/// A real token, minted by the crate at [`NOW`].
pub fn mint() -> String {
    AccessToken::new(&api_key(), ROOM)
        .to_jwt_at(NOW)
        .expect("a valid token")
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(segment: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(segment)
        .expect("a segment of a token this suite made")
}

/// The base64url HMAC-SHA256 of `signing_input`, computed by `jsonwebtoken`
/// so that the suite does not trust the crate under test to forge.
pub fn hs256(secret: &[u8], signing_input: &str) -> String {
    sign_with(
        &jsonwebtoken::EncodingKey::from_secret(secret),
        jsonwebtoken::Algorithm::HS256,
        signing_input,
    )
}

pub fn sign_with(
    key: &jsonwebtoken::EncodingKey,
    alg: jsonwebtoken::Algorithm,
    signing_input: &str,
) -> String {
    jsonwebtoken::crypto::sign(signing_input.as_bytes(), key, alg).expect("signing works")
}

/// A token with exactly these encoded segments, MACed with the suite's secret.
pub fn forge_segments(header_b64: &str, payload_b64: &str) -> String {
    let signing_input = format!("{header_b64}.{payload_b64}");
    let signature = hs256(SECRET.as_bytes(), &signing_input);
    format!("{signing_input}.{signature}")
}

/// A token with exactly these header and payload bytes, MACed with the
/// suite's secret.
pub fn forge_bytes(header: &[u8], payload: &[u8]) -> String {
    forge_segments(&b64(header), &b64(payload))
}

/// A token with this header and the valid claims, MACed with the suite's secret.
pub fn forge_header(header: &str) -> String {
    forge_bytes(header.as_bytes(), claims().to_string().as_bytes())
}

/// A token with the suite's header and this payload text, MACed with the
/// suite's secret.
pub fn forge_payload(payload: &str) -> String {
    forge_bytes(header().as_bytes(), payload.as_bytes())
}

/// A token with the suite's header and these claims.
pub fn forge_claims(claims: &Value) -> String {
    forge_payload(&claims.to_string())
}

/// The header the crate writes for the suite's key.
pub fn header() -> String {
    format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID}"}}"#)
}

/// Claims that pass every check at [`NOW`].
pub fn claims() -> Value {
    json!({
        "roomId": ROOM,
        "peerId": "peer_security",
        "projectId": KID,
        "role": "speaker",
        "permissions": {
            "admin": false,
            "canConsume": true,
            "canProduce": true,
            "canProduceSources": { "cam": false, "mic": true, "screen": true },
            "canSendData": true,
            "canRecvData": true,
            "canUpdateMetadata": true
        },
        "metadata": "{\"walletAddress\":\"mizanxali.eth\"}",
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 3600,
        "jti": "jti_security"
    })
}

/// The claims with one member replaced, at a path of object keys.
pub fn claims_with(path: &[&str], value: Value) -> Value {
    let mut claims = claims();
    *member(&mut claims, path) = value;
    claims
}

/// The claims with one member removed, at a path of object keys.
pub fn claims_without(path: &[&str]) -> Value {
    let mut claims = claims();
    let (last, parent) = path.split_last().expect("a non-empty path");
    member(&mut claims, parent)
        .as_object_mut()
        .expect("an object")
        .remove(*last)
        .expect("the member exists");
    claims
}

fn member<'a>(value: &'a mut Value, path: &[&str]) -> &'a mut Value {
    path.iter().fold(value, |value, key| &mut value[*key])
}

#[track_caller]
pub fn assert_malformed<T: std::fmt::Debug>(result: Result<T, VerifyError>, expected_part: &str) {
    match result {
        Err(VerifyError::Malformed { part, .. }) if part == expected_part => {}
        other => panic!("expected Malformed {{ part: {expected_part:?} }}, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_invalid_claim<T: std::fmt::Debug>(
    result: Result<T, VerifyError>,
    expected_field: &str,
) {
    match result {
        Err(VerifyError::InvalidClaims { field, .. }) if field == expected_field => {}
        other => panic!("expected InvalidClaims {{ field: {expected_field:?} }}, got {other:?}"),
    }
}
