//! Reading a token without trusting it, for debugging and tooling.

use serde_json::Value;

use crate::jws::{decode_segment, segments, Compact};
use crate::VerifyError;
#[cfg(test)]
use crate::MAX_TOKEN_BYTES;

/// The header and claims of a token that has **not** been verified.
///
/// Nothing in it has been checked: not the signature, not the times, not the
/// permission rules. Use it to look at a token; use
/// [`TokenVerifier`](crate::TokenVerifier) to trust one.
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedToken {
    header: Value,
    claims: Value,
}

impl UnverifiedToken {
    /// The JOSE header, as JSON.
    pub fn header(&self) -> &Value {
        &self.header
    }

    /// The claims, as JSON, exactly as the payload carries them (metadata
    /// stays the JSON string the token holds).
    pub fn claims(&self) -> &Value {
        &self.claims
    }

    /// The header and the claims.
    pub fn into_parts(self) -> (Value, Value) {
        (self.header, self.claims)
    }
}

/// Decodes a compact JWS into its header and claims **without verifying
/// anything**.
///
/// The token must have three segments, and its header and payload must be
/// base64url-encoded JSON objects; the signature segment is not read at all.
/// Tokens over [`MAX_TOKEN_BYTES`](crate::MAX_TOKEN_BYTES) are refused before decoding, as the
/// verifier refuses them.
///
/// ```
/// use huddle_auth::{decode_unverified, AccessToken, ApiKey};
///
/// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
/// let token = AccessToken::new(&key, "abc-defg-hij").to_jwt()?;
///
/// let unverified = decode_unverified(&token)?;
/// assert_eq!(unverified.header()["kid"], "ak_demo");
/// assert_eq!(unverified.claims()["roomId"], "abc-defg-hij");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_unverified(token: &str) -> Result<UnverifiedToken, VerifyError> {
    UnverifiedToken::read(&Compact::parse(token)?)
}

impl UnverifiedToken {
    /// The header and claims of `jws`, decoded; its signature is not read.
    pub(crate) fn read(jws: &Compact<'_>) -> Result<Self, VerifyError> {
        Ok(UnverifiedToken {
            header: json_object("header", jws.header)?,
            claims: json_object("payload", jws.payload)?,
        })
    }
}

/// Whether `text` splits as a compact JWS does: into three segments (header,
/// payload, signature) at exactly two `.`.
///
/// Nothing else is looked at: no segment is decoded, and neither the size
/// limit nor whitespace is checked. Tools use it to tell text that is no
/// token at all (a file name, a truncated paste) from a token that failed;
/// it says nothing about whether a token is valid.
///
/// ```
/// use huddle_auth::has_three_segments;
///
/// assert!(has_three_segments("e30.e30.sig"));
/// assert!(has_three_segments("e30.e30."), "an empty signature still splits");
/// assert!(!has_three_segments("e30.e30"));
/// assert!(!has_three_segments("a.b.c.d"));
/// ```
pub fn has_three_segments(text: &str) -> bool {
    segments(text).is_some()
}

fn json_object(part: &'static str, segment: &str) -> Result<Value, VerifyError> {
    let bytes = decode_segment(part, segment)?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| VerifyError::malformed(part, format!("is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(VerifyError::malformed(part, "is not a JSON object"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_token() {
        let cases = [
            ("a.b", "token"),
            ("e30.e30", "token"),
            (".e30.sig", "header"),
            ("e30..sig", "payload"),
            ("bm90IGpzb24.e30.sig", "header"),
            ("e30.WzFd.sig", "payload"),
        ];
        for (token, part) in cases {
            match decode_unverified(token) {
                Err(VerifyError::Malformed { part: found, .. }) => {
                    assert_eq!(found, part, "{token}")
                }
                other => panic!("{token}: expected a malformed {part}, got {other:?}"),
            }
        }
    }

    #[test]
    fn ignores_the_signature() {
        // `{"alg":"none"}` with an empty signature: decodable, never trusted.
        let token = "eyJhbGciOiJub25lIn0.eyJyb29tSWQiOiJyIn0.";
        let unverified = decode_unverified(token).expect("three segments of JSON objects");
        assert_eq!(unverified.header()["alg"], "none");
        assert_eq!(unverified.claims()["roomId"], "r");
    }

    #[test]
    fn refuses_oversized_input_before_decoding() {
        let token = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(matches!(
            decode_unverified(&token),
            Err(VerifyError::TooLarge { .. })
        ));
    }
}
