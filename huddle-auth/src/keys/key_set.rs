//! The keys a verifier holds: one per `kid`, and the keys a token without a
//! `kid` may be checked against, grouped by algorithm.
//!
//! Local keys (API keys, PEM files, a JWKS written by the operator) always
//! have a `kid`. A remote JWKS may publish keys without one; a token without
//! a `kid` is then checked against the keys of its `alg` that have none,
//! never against a key that has a `kid` (that key is for tokens naming it).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::jwk::{parse_jwks, Unsupported};
use super::{check_key_id, Algorithm, VerifyingKey};
use crate::{KeyError, VerifyError};

/// The public keys of a JWKS: by `kid`, and, for tokens without a `kid`,
/// by algorithm. What a [`RemoteJwks`](crate::RemoteJwks) of a URL holds.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    by_kid: HashMap<String, VerifyingKey>,
    without_kid: HashMap<Algorithm, Vec<VerifyingKey>>,
}

impl KeySet {
    /// An empty set.
    pub(crate) fn new() -> Self {
        KeySet::default()
    }

    /// The keys of a JWKS document: those with a `kid` under it, those
    /// without for tokens that name none. Two keys with one `kid` refuse the
    /// document, as every other check of [`parse_jwks`] does.
    // For the remote key set, which builds on it next.
    #[allow(dead_code)]
    pub(crate) fn from_jwks(json: &[u8], unsupported: Unsupported) -> Result<Self, KeyError> {
        let mut set = KeySet::new();
        for entry in parse_jwks(json, unsupported)? {
            let key = VerifyingKey::Public(entry.key);
            match entry.kid {
                Some(kid) => set.insert(kid, key)?,
                None => set.insert_without_kid(key),
            }
        }
        Ok(set)
    }

    /// The keys of a JWKS document as a remote key set reads it: as strictly
    /// as a local JWKS (repeated members, private or symmetric members, weak
    /// RSA, a wrong curve, `use`, `key_ops` or an `alg` that does not fit the
    /// key refuse the document), except that a key of a type this crate does
    /// not support is skipped.
    pub fn from_remote_jwks(json: &[u8]) -> Result<Self, KeyError> {
        KeySet::from_jwks(json, Unsupported::Skip)
    }

    /// Adds `key` under `kid`. A `kid` names one key: a second is refused.
    pub(crate) fn insert(&mut self, kid: String, key: VerifyingKey) -> Result<(), KeyError> {
        check_key_id(&kid)?;
        match self.by_kid.entry(kid) {
            Entry::Occupied(taken) => Err(KeyError::DuplicateKeyId {
                kid: taken.key().clone(),
            }),
            Entry::Vacant(slot) => {
                slot.insert(key);
                Ok(())
            }
        }
    }

    /// Adds a key that tokens without a `kid` may be checked against, if
    /// their `alg` is the key's.
    // For the remote key set, which builds on it next.
    #[allow(dead_code)]
    pub(crate) fn insert_without_kid(&mut self, key: VerifyingKey) {
        self.without_kid
            .entry(key.algorithm())
            .or_default()
            .push(key);
    }

    /// The key under `kid`.
    pub(crate) fn get(&self, kid: &str) -> Option<&VerifyingKey> {
        self.by_kid.get(kid)
    }

    /// Whether a key is held under `kid`.
    pub fn contains(&self, kid: &str) -> bool {
        self.by_kid.contains_key(kid)
    }

    /// The number of keys, with and without a `kid`.
    pub fn len(&self) -> usize {
        self.by_kid.len() + self.without_kid.values().map(Vec::len).sum::<usize>()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys a token whose header has `kid` and `alg` may be checked
    /// against: the one key under `kid`, bound to its algorithm; or, without
    /// a `kid`, every key without one whose algorithm is `alg` (in the order
    /// added). Never empty when `Ok`.
    pub(crate) fn keys_for(
        &self,
        kid: Option<&str>,
        alg: &str,
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
            None => Algorithm::from_alg(alg)
                .and_then(|alg| self.without_kid.get(&alg))
                .filter(|keys| !keys.is_empty())
                .map(Vec::as_slice)
                .ok_or(VerifyError::UnknownKey { kid: None }),
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
        let keys = set.keys_for(Some("api"), "HS256").expect("held");
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].algorithm(), Algorithm::HS256);
        assert_eq!(
            set.keys_for(Some("api"), "EdDSA").err(),
            Some(VerifyError::AlgorithmNotAllowed {
                alg: "EdDSA".to_owned(),
                expected: Algorithm::HS256
            })
        );
        assert_eq!(
            set.keys_for(Some("other"), "HS256").err(),
            Some(VerifyError::UnknownKey {
                kid: Some("other".to_owned())
            })
        );
        // A key with a kid is not a key for tokens without one.
        assert_eq!(
            set.keys_for(None, "HS256").err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
    }

    #[test]
    fn tokens_without_a_kid_get_the_kidless_keys_of_their_alg() {
        let mut set = KeySet::new();
        let (first, first_public) = public(Algorithm::EdDSA, "a");
        let (second, second_public) = public(Algorithm::EdDSA, "b");
        let (_, es256) = public(Algorithm::ES256, "c");
        set.insert_without_kid(first_public);
        set.insert_without_kid(second_public);
        set.insert_without_kid(es256);
        assert_eq!(set.len(), 3);
        let keys = set.keys_for(None, "EdDSA").expect("two EdDSA keys");
        assert_eq!(keys.len(), 2);
        // In the order added: each verifies its own key's signature only.
        for (key, signer) in keys.iter().zip([&first, &second]) {
            let signature = signer.sign(b"header.payload").expect("signs");
            assert!(key.verify(b"header.payload", signature.as_ref()));
            assert!(!key.verify(b"header.payloaD", signature.as_ref()));
        }
        assert_eq!(set.keys_for(None, "ES256").map(<[_]>::len), Ok(1));
        for alg in ["RS256", "HS256", "none", "eddsa"] {
            assert_eq!(
                set.keys_for(None, alg).err(),
                Some(VerifyError::UnknownKey { kid: None }),
                "{alg}"
            );
        }
        assert!(!set.contains("a"), "a key without a kid has none");
    }

    #[test]
    fn a_jwks_fills_both_halves() {
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
        let set = KeySet::from_jwks(json.as_bytes(), Unsupported::Skip).expect("skips EC2");
        assert_eq!(set.len(), 2);
        assert!(set.contains("named"));
        assert!(!set.contains("future"));
        assert_eq!(set.keys_for(Some("named"), "ES256").map(<[_]>::len), Ok(1));
        assert_eq!(set.keys_for(None, "RS256").map(<[_]>::len), Ok(1));
        assert_eq!(
            set.keys_for(None, "ES256").err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
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
}
