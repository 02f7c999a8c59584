//! Signing dispatched over the key types: each key hands out signature bytes,
//! and this file writes them, and the header this crate mints for the key
//! (encoded once per key), as JWS text.

use std::sync::OnceLock;

use base64::Engine as _;
use serde::Serialize;

use super::compact::{append_base64, B64};
use crate::keys::Algorithm;
use crate::{ApiKey, PrivateKey, SigningKey};

/// The base64url-encoded JWS header `{"alg":…,"typ":"JWT","kid":…}`.
pub(crate) fn header_segment(alg: Algorithm, kid: &str) -> String {
    #[derive(Serialize)]
    struct Header<'a> {
        alg: &'static str,
        typ: &'static str,
        kid: &'a str,
    }
    let header = Header {
        alg: alg.as_str(),
        typ: "JWT",
        kid,
    };
    // Serializing three strings into a Vec cannot fail.
    let json = serde_json::to_vec(&header).unwrap_or_default();
    B64.encode(json)
}

/// A key that signs tokens: an [`ApiKey`] (HS256), a [`PrivateKey`], or a
/// [`SigningKey`] holding either.
///
/// Sealed: only this crate's key types implement it.
pub trait TokenSigner: sealed::Sealed {
    /// The key id, sent as the header's `kid` and the `projectId` claim.
    fn key_id(&self) -> &str;
    /// The algorithm the key signs with.
    fn algorithm(&self) -> Algorithm;
    /// The base64url header segment, encoded once per key.
    #[doc(hidden)]
    fn header_segment(&self) -> &str;
    /// Signs the bytes of `token` (the signing input `header.payload`) and
    /// appends `.` and the base64url signature to it, so a token is built in
    /// one buffer.
    #[doc(hidden)]
    fn append_signature(&self, token: &mut Vec<u8>) -> Result<(), String>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::ApiKey {}
    impl Sealed for crate::PrivateKey {}
    impl Sealed for crate::SigningKey {}
}

/// The header kept in `slot`, encoded on first use.
fn cached_header<'k>(slot: &'k OnceLock<String>, alg: Algorithm, kid: &str) -> &'k str {
    slot.get_or_init(|| header_segment(alg, kid))
}

/// Ends a token: `.` and the base64url `signature`.
fn push_signature(token: &mut Vec<u8>, signature: &[u8]) -> Result<(), String> {
    token.push(b'.');
    append_base64(token, signature)
}

impl TokenSigner for ApiKey {
    fn key_id(&self) -> &str {
        self.id()
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }

    fn header_segment(&self) -> &str {
        cached_header(self.jws_header(), Algorithm::HS256, self.id())
    }

    fn append_signature(&self, token: &mut Vec<u8>) -> Result<(), String> {
        let signature = self.sign(token);
        push_signature(token, signature.as_ref())
    }
}

impl TokenSigner for PrivateKey {
    fn key_id(&self) -> &str {
        self.kid()
    }

    fn algorithm(&self) -> Algorithm {
        PrivateKey::algorithm(self)
    }

    fn header_segment(&self) -> &str {
        cached_header(self.jws_header(), self.algorithm(), self.kid())
    }

    fn append_signature(&self, token: &mut Vec<u8>) -> Result<(), String> {
        let signature = self.sign(token)?;
        push_signature(token, signature.as_ref())
    }
}

impl TokenSigner for SigningKey {
    fn key_id(&self) -> &str {
        SigningKey::key_id(self)
    }

    fn algorithm(&self) -> Algorithm {
        SigningKey::algorithm(self)
    }

    fn header_segment(&self) -> &str {
        match self {
            SigningKey::Api(key) => key.header_segment(),
            SigningKey::Private(key) => key.header_segment(),
        }
    }

    fn append_signature(&self, token: &mut Vec<u8>) -> Result<(), String> {
        match self {
            SigningKey::Api(key) => key.append_signature(token),
            SigningKey::Private(key) => key.append_signature(token),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_type_writes_its_own_header_once() {
        let api = ApiKey::new("ak_1", "a secret of at least thirty-two bytes").expect("key");
        // {"alg":"HS256","typ":"JWT","kid":"ak_1"}, encoded by hand.
        let hs256 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImFrXzEifQ";
        assert_eq!(api.header_segment(), hs256);
        // The second call hands out the very string the first one cached.
        assert!(std::ptr::eq(api.header_segment(), api.header_segment()));
        assert_eq!(SigningKey::from(api).header_segment(), hs256);

        let private = PrivateKey::generate(Algorithm::EdDSA, "ed").expect("key");
        // {"alg":"EdDSA","typ":"JWT","kid":"ed"}
        let eddsa = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6ImVkIn0";
        assert_eq!(private.header_segment(), eddsa);
        assert_eq!(SigningKey::from(private).header_segment(), eddsa);
    }

    #[test]
    fn an_hs256_signature_is_appended_as_base64url() {
        // RFC 7515 appendix A.1: its key and signing input, and the
        // signature it publishes for them.
        let secret = [
            3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40,
            230, 240, 84, 201, 40, 169, 15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6,
            71, 239, 150, 138, 180, 195, 119, 98, 61, 34, 61, 46, 33, 114, 5, 46, 79, 8, 192, 205,
            154, 245, 103, 208, 128, 163,
        ];
        let key = SigningKey::from(ApiKey::new("joe", secret).expect("a 64-byte secret"));
        let signing_input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
            .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt\
            cGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let mut token = signing_input.as_bytes().to_vec();
        key.append_signature(&mut token).expect("signs");
        assert_eq!(
            String::from_utf8(token).expect("ASCII"),
            format!("{signing_input}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        );
    }
}
