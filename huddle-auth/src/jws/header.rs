//! Reading a JOSE header: `typ`, `crit`, `kid` and `alg`, to the keys it
//! may be checked with.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use super::compact::decode_segment_into;
use crate::keys::{KeySet, VerifyingKey};
use crate::VerifyError;

/// The header members this crate reads. Any other member is ignored; in
/// particular `jwk`, `jku`, `x5u` and `x5c` are never used to find a key
/// (RFC 8725 section 3.10).
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    alg: Cow<'a, str>,
    #[serde(default, borrow)]
    kid: Option<Cow<'a, str>>,
    // `present`, as for `crit`: `"typ": null` is a `typ` that is not a
    // string, not an absent one.
    #[serde(default, borrow, deserialize_with = "crate::claims::present")]
    typ: Option<Cow<'a, str>>,
    // Read with `present`: `"crit": null` is a `crit` that is not an array
    // (RFC 7515 section 4.1.11), not an absent one.
    #[serde(default, deserialize_with = "crate::claims::present")]
    crit: Option<serde_json::Value>,
}

/// Header parameters registered by RFC 7515 and RFC 7518, which `crit` must
/// never name (RFC 7515 section 4.1.11).
const REGISTERED_HEADERS: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// Reads headers against a key set, remembering its own answer for the
/// headers this crate mints.
///
/// Most tokens carry, byte for byte, the header this crate mints for one of
/// the keys. Canonical base64url gives those bytes one decoding, which
/// [`remember`](Self::remember) ran through [`read_header`] once, so the
/// answer is known without decoding or parsing them again.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderReader {
    // A minted header segment, to the kid `read_header` found for it.
    memo: HashMap<String, String>,
}

impl HeaderReader {
    /// Reads the minted header of the key under `kid` with [`read_header`]
    /// and keeps the answer if it is that very key.
    pub(crate) fn remember(&mut self, keys: &KeySet, kid: &str) {
        let Some(held) = keys.get(kid) else {
            return;
        };
        let header = super::header_segment(held.algorithm(), kid);
        let taken = match read_header(keys, &header, false) {
            Ok([found]) => std::ptr::eq(found, held),
            _ => false,
        };
        if taken {
            self.memo.insert(header, kid.to_owned());
        }
    }

    /// The keys `header_b64` may be checked with: the remembered answer, or
    /// [`read_header`]'s.
    pub(crate) fn keys_for<'k>(
        &self,
        keys: &'k KeySet,
        header_b64: &str,
        kid_optional: bool,
    ) -> Result<&'k [VerifyingKey], VerifyError> {
        let minted = self.memo.get(header_b64);
        match minted.and_then(|kid| keys.get(kid)) {
            Some(key) => Ok(std::slice::from_ref(key)),
            None => read_header(keys, header_b64, kid_optional),
        }
    }
}

/// Decodes and checks the header: `typ`, `crit`, then the keys of `keys`
/// that its `kid` and `alg` allow (see [`KeySet::keys_for`] for
/// `kid_optional`).
pub(crate) fn read_header<'k>(
    keys: &'k KeySet,
    header_b64: &str,
    kid_optional: bool,
) -> Result<&'k [VerifyingKey], VerifyError> {
    // Headers are short: decoded on the stack, so reading one allocates
    // nothing (a remote key set has no memo to skip it).
    let mut buf = [0u8; 512];
    let header_json = decode_segment_into("header", header_b64, &mut buf)?;
    // A JSON object only (RFC 7515 section 4), never an array of members.
    let header: Header<'_> = crate::claims::objects_only::from_slice(&header_json)
        .map_err(|e| VerifyError::malformed("header", e.to_string()))?;
    if let Some(typ) = &header.typ {
        // RFC 7519 section 5.1: "JWT" is recommended, compared ignoring case.
        if !typ.eq_ignore_ascii_case("JWT") {
            return Err(VerifyError::malformed(
                "header",
                format!("typ {typ:?} is not \"JWT\""),
            ));
        }
    }
    if let Some(crit) = &header.crit {
        return Err(VerifyError::CriticalHeader {
            reason: describe_crit(crit),
        });
    }
    keys.keys_for(header.kid.as_deref(), &header.alg, kid_optional)
}

fn describe_crit(crit: &serde_json::Value) -> String {
    let Some(names) = crit.as_array() else {
        return "must be an array of header names".to_owned();
    };
    if names.is_empty() {
        return "must not be empty (RFC 7515 section 4.1.11)".to_owned();
    }
    match names
        .iter()
        .filter_map(serde_json::Value::as_str)
        .find(|n| REGISTERED_HEADERS.contains(n))
    {
        Some(name) => format!("names the registered header {name:?}, which is not allowed"),
        None => format!("lists extensions this verifier does not understand: {crit}"),
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;
    use crate::jws::B64;
    use crate::keys::Algorithm;
    use crate::{ApiKey, PrivateKey};

    /// A key of every algorithm, under kids named after it, each remembered.
    fn keys() -> (KeySet, HeaderReader) {
        let mut keys = KeySet::new();
        let api = ApiKey::new("hs256", "a secret of at least thirty-two bytes").expect("key");
        keys.insert("hs256".to_owned(), VerifyingKey::from_api_key(&api))
            .expect("new kid");
        for (alg, kid) in [
            (Algorithm::EdDSA, "eddsa"),
            (Algorithm::ES256, "es256"),
            (Algorithm::RS256, "rs256"),
        ] {
            let key = PrivateKey::generate(alg, kid).expect("key generation");
            keys.insert(kid.to_owned(), VerifyingKey::Public(key.public_key()))
                .expect("new kid");
        }
        let mut reader = HeaderReader::default();
        for kid in ["hs256", "eddsa", "es256", "rs256"] {
            reader.remember(&keys, kid);
        }
        (keys, reader)
    }

    fn algorithms(
        found: Result<&[VerifyingKey], VerifyError>,
    ) -> Result<Vec<Algorithm>, VerifyError> {
        found.map(|keys| keys.iter().map(VerifyingKey::algorithm).collect())
    }

    #[test]
    fn the_minted_headers_are_remembered() {
        let (_, reader) = keys();
        assert_eq!(reader.memo.len(), 4);
        // {"alg":"HS256","typ":"JWT","kid":"hs256"}, written out by hand.
        assert_eq!(
            reader
                .memo
                .get("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImhzMjU2In0")
                .map(String::as_str),
            Some("hs256")
        );
    }

    #[test]
    fn the_memo_and_the_full_reading_agree() {
        let (keys, reader) = keys();
        let minted = [
            (
                r#"{"alg":"HS256","typ":"JWT","kid":"hs256"}"#,
                Ok(vec![Algorithm::HS256]),
            ),
            (
                r#"{"alg":"EdDSA","typ":"JWT","kid":"eddsa"}"#,
                Ok(vec![Algorithm::EdDSA]),
            ),
            (
                r#"{"alg":"ES256","typ":"JWT","kid":"es256"}"#,
                Ok(vec![Algorithm::ES256]),
            ),
            (
                r#"{"alg":"RS256","typ":"JWT","kid":"rs256"}"#,
                Ok(vec![Algorithm::RS256]),
            ),
        ];
        let unknown = |kid: Option<&str>| VerifyError::UnknownKey {
            kid: kid.map(str::to_owned),
        };
        let foreign = [
            // Another member order and no `typ`: the same key, read in full.
            (
                r#"{"kid":"hs256","alg":"HS256"}"#,
                Ok(vec![Algorithm::HS256]),
            ),
            (
                r#"{"typ":"jwt","alg":"EdDSA","kid":"eddsa"}"#,
                Ok(vec![Algorithm::EdDSA]),
            ),
            (
                r#"{"alg":"HS256","typ":"JWT","kid":"rs256"}"#,
                Err(VerifyError::AlgorithmNotAllowed {
                    alg: "HS256".to_owned(),
                    expected: Algorithm::RS256,
                }),
            ),
            (
                r#"{"alg":"HS256","typ":"JWT","kid":"other"}"#,
                Err(unknown(Some("other"))),
            ),
            (r#"{"alg":"HS256","typ":"JWT"}"#, Err(unknown(None))),
            (r#"{"alg":"none","typ":"JWT"}"#, Err(unknown(None))),
        ];
        for (json, expected) in minted.into_iter().chain(foreign) {
            let segment = B64.encode(json);
            let full = algorithms(read_header(&keys, &segment, false));
            let memo = algorithms(reader.keys_for(&keys, &segment, false));
            assert_eq!(full, expected, "{json}");
            assert_eq!(memo, full, "{json}");
        }
        for (segment, part) in [("", "header"), ("e30=", "header"), ("W10", "header")] {
            let full = read_header(&keys, segment, false).map(<[_]>::len);
            let memo = reader.keys_for(&keys, segment, false).map(<[_]>::len);
            assert!(
                matches!(&full, Err(VerifyError::Malformed { part: found, .. }) if *found == part),
                "{segment:?}: {full:?}"
            );
            assert_eq!(memo, full, "{segment:?}");
        }
    }
}
