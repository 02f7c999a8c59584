//! The keys a verifier holds: one per `kid`, and, for the profile that
//! makes `kid` optional, every public key by algorithm.
//!
//! Under this crate's own profile a token must name its key with a `kid`,
//! whatever the key set: local keys (API keys, PEM files, a JWKS written by
//! the operator) always have one, and a key of a remote JWKS that has none
//! is never used for such a token. Huddle01's infra signs without a `kid`,
//! with keys its JWKS may or may not name, so under
//! [`TokenProfile::Huddle01`](crate::TokenProfile::Huddle01) a kid-less
//! token is checked against every public key of its `alg`, named or not, as
//! jose selects keys.

use std::collections::HashMap;

use super::jwk::{parse_jwks, SkippedKey, Unsupported};
use super::{check_key_id, Algorithm, VerifyingKey};
use crate::{KeyError, VerifyError};

/// The public keys of a JWKS: by `kid`, and, for tokens without a `kid`
/// under a profile that allows them, by algorithm. What a `RemoteJwks` of a
/// URL holds (feature `hosted`), with the keys it skipped.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    by_kid: HashMap<String, VerifyingKey>,
    // How many keys have no kid: counted, never looked up by themselves.
    kidless: usize,
    // Every public key by algorithm, named or not, in the order added: the
    // candidates for a kid-less token when the profile makes `kid` optional.
    public_by_alg: HashMap<Algorithm, Vec<VerifyingKey>>,
    skipped: Vec<SkippedKey>,
}

impl KeySet {
    /// An empty set.
    pub(crate) fn new() -> Self {
        KeySet::default()
    }

    /// The keys of a JWKS document: those with a `kid` under it, all of
    /// them by algorithm. Two usable keys with one `kid` refuse the
    /// document, as a malformed document does; what else refuses it or is
    /// skipped, `unsupported` decides (see [`parse_jwks`]).
    fn from_jwks(json: &[u8], unsupported: Unsupported) -> Result<Self, KeyError> {
        let parsed = parse_jwks(json, unsupported)?;
        let mut set = KeySet::new();
        for entry in parsed.entries {
            let key = VerifyingKey::Public(entry.key);
            match entry.kid {
                Some(kid) => set.insert(kid, key)?,
                None => set.insert_without_kid(key),
            }
        }
        set.skipped = parsed.skipped;
        Ok(set)
    }

    /// The keys of a JWKS document as a remote key set reads it, the way
    /// jose does: a key this crate cannot verify with is left out and
    /// listed in [`skipped`](Self::skipped), and the rest are kept. That is
    /// a key of an unsupported `kty`, `crv` or `alg`, with a `use` other than
    /// `sig`, `key_ops` without `verify`, RSA under 2048 or over 4096 bits,
    /// private or symmetric members (an `oct` key is never used, whatever
    /// its `kid`), or a malformed member. A malformed document still refuses
    /// the whole set: not JSON, a member repeated anywhere, no `keys` array,
    /// or two usable keys under one `kid`.
    ///
    /// ```
    /// use huddle_auth::KeySet;
    ///
    /// let jwks = br#"{"keys":[
    ///   {"kty":"OKP","crv":"Ed25519","kid":"sig-1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
    ///   {"kty":"OKP","crv":"X25519","kid":"enc-1","use":"enc","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}
    /// ]}"#;
    /// let set = KeySet::from_remote_jwks(jwks)?;
    /// assert!(set.contains("sig-1"));
    /// assert!(!set.contains("enc-1"));
    /// assert_eq!(set.skipped().len(), 1);
    /// assert_eq!(set.skipped()[0].kid(), Some("enc-1"));
    /// assert_eq!(set.skipped()[0].reason(), r#""use" is "enc", not "sig""#);
    /// # Ok::<(), huddle_auth::KeyError>(())
    /// ```
    pub fn from_remote_jwks(json: &[u8]) -> Result<Self, KeyError> {
        KeySet::from_jwks(json, Unsupported::Skip)
    }

    /// The keys of the document that were left out, in document order, each
    /// with its `kid` (if any) and why. Always empty for keys held up front,
    /// which are refused instead.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// Adds `key` under `kid`. A `kid` names one key: a second is refused.
    pub(crate) fn insert(&mut self, kid: String, key: VerifyingKey) -> Result<(), KeyError> {
        check_key_id(&kid)?;
        if self.by_kid.contains_key(&kid) {
            return Err(KeyError::DuplicateKeyId { kid });
        }
        self.remember_public(&key);
        self.by_kid.insert(kid, key);
        Ok(())
    }

    /// Adds a key without a `kid`: only a profile that makes `kid` optional
    /// checks tokens against it.
    fn insert_without_kid(&mut self, key: VerifyingKey) {
        self.remember_public(&key);
        self.kidless += 1;
    }

    fn remember_public(&mut self, key: &VerifyingKey) {
        // HMAC keys are never candidates for a kid-less token (jose never
        // uses a symmetric key it was not pointed at).
        if matches!(key, VerifyingKey::Public(_)) {
            self.public_by_alg
                .entry(key.algorithm())
                .or_default()
                .push(key.clone());
        }
    }

    /// The key under `kid`.
    pub(crate) fn get(&self, kid: &str) -> Option<&VerifyingKey> {
        self.by_kid.get(kid)
    }

    /// Whether a key is held under `kid`.
    pub fn contains(&self, kid: &str) -> bool {
        self.by_kid.contains_key(kid)
    }

    /// The number of usable keys, with and without a `kid` (skipped keys
    /// are not counted).
    pub fn len(&self) -> usize {
        self.by_kid.len() + self.kidless
    }

    /// Whether the set holds no usable key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys a token whose header has `kid` and `alg` may be checked
    /// against: the one key under `kid`, bound to its algorithm; without a
    /// `kid`, none (a `kid` names the key), unless `kid_optional`: then
    /// every public key of `alg`, named or not, in the order added. Never
    /// empty when `Ok`.
    pub(crate) fn keys_for(
        &self,
        kid: Option<&str>,
        alg: &str,
        kid_optional: bool,
    ) -> Result<&[VerifyingKey], VerifyError> {
        match kid {
            Some(kid) => {
                let key = self.get(kid).ok_or_else(|| VerifyError::UnknownKey {
                    kid: Some(kid.to_owned()),
                })?;
                let expected = key.algorithm();
                if alg != expected.as_str() {
                    return Err(VerifyError::AlgorithmNotAllowed {
                        alg: alg.to_owned(),
                        expected,
                    });
                }
                Ok(std::slice::from_ref(key))
            }
            None if kid_optional => Algorithm::from_alg(alg)
                .and_then(|alg| self.public_by_alg.get(&alg))
                .filter(|keys| !keys.is_empty())
                .map(Vec::as_slice)
                .ok_or(VerifyError::UnknownKey { kid: None }),
            None => Err(VerifyError::UnknownKey { kid: None }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiKey, PrivateKey};

    fn public(alg: Algorithm, kid: &str) -> (PrivateKey, VerifyingKey) {
        let key = PrivateKey::generate(alg, kid).expect("key generation");
        let public = VerifyingKey::Public(key.public_key());
        (key, public)
    }

    fn hs256() -> VerifyingKey {
        VerifyingKey::from_api_key(
            &ApiKey::new("api", "a secret of at least thirty-two bytes").expect("key"),
        )
    }

    #[test]
    fn a_kid_names_one_key_bound_to_its_algorithm() {
        let mut set = KeySet::new();
        assert!(set.is_empty());
        set.insert("api".to_owned(), hs256()).expect("first");
        assert_eq!(
            set.insert("api".to_owned(), hs256()),
            Err(KeyError::DuplicateKeyId {
                kid: "api".to_owned()
            })
        );
        assert_eq!(
            set.insert(String::new(), hs256()),
            Err(KeyError::EmptyKeyId)
        );
        assert!(set.contains("api"));
        assert!(!set.contains("other"));
        assert_eq!(set.len(), 1);
        let keys = set.keys_for(Some("api"), "HS256", false).expect("held");
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].algorithm(), Algorithm::HS256);
        assert_eq!(
            set.keys_for(Some("api"), "EdDSA", false).err(),
            Some(VerifyError::AlgorithmNotAllowed {
                alg: "EdDSA".to_owned(),
                expected: Algorithm::HS256
            })
        );
        assert_eq!(
            set.keys_for(Some("other"), "HS256", false).err(),
            Some(VerifyError::UnknownKey {
                kid: Some("other".to_owned())
            })
        );
        // A key with a kid is not a key for tokens without one.
        assert_eq!(
            set.keys_for(None, "HS256", false).err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
    }

    #[test]
    fn without_kid_optional_a_kidless_token_has_no_key() {
        let mut set = KeySet::new();
        let (first, first_public) = public(Algorithm::EdDSA, "a");
        let (second, second_public) = public(Algorithm::EdDSA, "b");
        let (_, es256) = public(Algorithm::ES256, "c");
        set.insert_without_kid(first_public);
        set.insert_without_kid(second_public);
        set.insert_without_kid(es256);
        assert_eq!(set.len(), 3);
        // This crate's profile: a kid names the key, even for keys without one.
        for alg in ["EdDSA", "ES256", "RS256", "HS256", "none"] {
            assert_eq!(
                set.keys_for(None, alg, false).err(),
                Some(VerifyError::UnknownKey { kid: None }),
                "{alg}"
            );
        }
        // kid optional: in the order added, each verifies its own key's signature only.
        let keys = set.keys_for(None, "EdDSA", true).expect("two EdDSA keys");
        assert_eq!(keys.len(), 2);
        for (key, signer) in keys.iter().zip([&first, &second]) {
            let signature = signer.sign(b"header.payload").expect("signs");
            assert!(key.verify(b"header.payload", signature.as_ref()));
            assert!(!key.verify(b"header.payloaD", signature.as_ref()));
        }
        assert_eq!(set.keys_for(None, "ES256", true).map(<[_]>::len), Ok(1));
        assert!(!set.contains("a"), "a key without a kid has none");
    }

    #[test]
    fn a_jwks_fills_both_halves_and_reports_what_it_skipped() {
        let (named, _) = public(Algorithm::ES256, "named");
        let (unnamed, _) = public(Algorithm::RS256, "unnamed");
        let mut unnamed = serde_json::to_value(unnamed.public_jwk()).expect("JWK");
        unnamed.as_object_mut().expect("object").remove("kid");
        let other = serde_json::json!({ "kty": "EC2", "kid": "future" });
        let json = serde_json::json!({
            "keys": [serde_json::to_value(named.public_jwk()).expect("JWK"), unnamed, other]
        })
        .to_string();
        assert_eq!(
            KeySet::from_jwks(json.as_bytes(), Unsupported::Refuse).err(),
            Some(KeyError::Jwk {
                kid: Some("future".to_owned()),
                reason: "key type \"EC2\" is not supported".to_owned()
            })
        );
        let set = KeySet::from_remote_jwks(json.as_bytes()).expect("skips EC2");
        assert_eq!(set.len(), 2);
        assert!(set.contains("named"));
        assert!(!set.contains("future"));
        assert_eq!(set.skipped().len(), 1);
        assert_eq!(
            set.skipped()[0].to_string(),
            "key \"future\": key type \"EC2\" is not supported"
        );
        assert_eq!(
            set.keys_for(Some("named"), "ES256", false).map(<[_]>::len),
            Ok(1)
        );
        assert_eq!(set.keys_for(None, "RS256", true).map(<[_]>::len), Ok(1));
        assert_eq!(
            set.keys_for(None, "RS256", false).err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
    }

    #[test]
    fn an_oct_key_is_never_used_whatever_its_kid() {
        let (signing, _) = public(Algorithm::EdDSA, "shared");
        let json = serde_json::json!({ "keys": [
            { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA" },
            { "kty": "oct", "kid": "shared" },
            serde_json::to_value(signing.public_jwk()).expect("JWK"),
        ]})
        .to_string();
        let set = KeySet::from_remote_jwks(json.as_bytes()).expect("the Ed25519 key is kept");
        assert_eq!(set.len(), 1);
        assert!(!set.contains("hmac"));
        for (kid, alg) in [("hmac", "HS256"), ("shared", "HS256")] {
            assert!(set.keys_for(Some(kid), alg, true).is_err(), "{kid}");
        }
        assert_eq!(
            set.keys_for(Some("shared"), "EdDSA", false).map(<[_]>::len),
            Ok(1)
        );
        let kids: Vec<_> = set.skipped().iter().map(SkippedKey::kid).collect();
        assert_eq!(kids, [Some("hmac"), Some("shared")]);
    }

    #[test]
    fn two_keys_under_one_kid_refuse_the_jwks() {
        let (a, _) = public(Algorithm::EdDSA, "same");
        let (b, _) = public(Algorithm::EdDSA, "same");
        let json = serde_json::json!({ "keys": [
            serde_json::to_value(a.public_jwk()).expect("JWK"),
            serde_json::to_value(b.public_jwk()).expect("JWK"),
        ]})
        .to_string();
        for mode in [Unsupported::Refuse, Unsupported::Skip] {
            assert_eq!(
                KeySet::from_jwks(json.as_bytes(), mode).err(),
                Some(KeyError::DuplicateKeyId {
                    kid: "same".to_owned()
                })
            );
        }
    }

    #[test]
    fn with_kid_optional_a_kidless_token_gets_every_public_key_of_its_alg() {
        let mut set = KeySet::new();
        let (_, named) = public(Algorithm::RS256, "named");
        let (_, unnamed) = public(Algorithm::RS256, "unnamed");
        let (_, es256) = public(Algorithm::ES256, "es");
        set.insert("named".to_owned(), named).expect("named");
        set.insert_without_kid(unnamed);
        set.insert("es".to_owned(), es256).expect("es");
        set.insert("api".to_owned(), hs256()).expect("api");
        // Strict: none, a kid is required.
        assert_eq!(
            set.keys_for(None, "RS256", false).err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
        // kid optional: both RS256 keys, the named one first (added first).
        let keys = set.keys_for(None, "RS256", true).expect("two RS256 keys");
        assert_eq!(keys.len(), 2);
        assert!(keys.iter().all(|k| k.algorithm() == Algorithm::RS256));
        assert_eq!(set.keys_for(None, "ES256", true).map(<[_]>::len), Ok(1));
        // Never an HMAC key, even with kid optional.
        assert_eq!(
            set.keys_for(None, "HS256", true).err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
        // A kid still names exactly its key.
        assert_eq!(
            set.keys_for(Some("named"), "RS256", true).map(<[_]>::len),
            Ok(1)
        );
    }
}
