//! The keys a verifier holds: one per `kid`, and the keys a token without a
//! `kid` may be checked against, grouped by algorithm.
//!
//! Local keys (API keys, PEM files, a JWKS written by the operator) always
//! have a `kid`. A remote JWKS may publish keys without one; a token without
//! a `kid` is then checked against the keys of its `alg` that have none,
//! never against a key that has a `kid` (that key is for tokens naming it) —
//! unless the verifier's profile makes `kid` optional, as Huddle01's does:
//! its infra signs without a `kid` with keys its JWKS may well name. Then a
//! kid-less token is checked against every public key of its `alg`, named
//! or not, as jose selects keys.

use std::collections::HashMap;

use super::jwk::{parse_jwks, Unsupported};
use super::{check_key_id, Algorithm, VerifyingKey};
use crate::{KeyError, VerifyError};

/// The public keys of a JWKS: by `kid`, and, for tokens without a `kid`,
/// by algorithm. What a `RemoteJwks` of a URL holds (feature `hosted`).
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    by_kid: HashMap<String, VerifyingKey>,
    without_kid: HashMap<Algorithm, Vec<VerifyingKey>>,
    // Every public key by algorithm, named or not, in the order added: the
    // candidates for a kid-less token when the profile makes `kid` optional.
    public_by_alg: HashMap<Algorithm, Vec<VerifyingKey>>,
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
        if self.by_kid.contains_key(&kid) {
            return Err(KeyError::DuplicateKeyId { kid });
        }
        self.remember_public(&key);
        self.by_kid.insert(kid, key);
        Ok(())
    }

    /// Adds a key that tokens without a `kid` may be checked against, if
    /// their `alg` is the key's.
    pub(crate) fn insert_without_kid(&mut self, key: VerifyingKey) {
        self.remember_public(&key);
        self.without_kid
            .entry(key.algorithm())
            .or_default()
            .push(key);
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
    /// added), or with `kid_optional` every public key of `alg`, named or
    /// not. Never empty when `Ok`.
    pub(crate) fn keys_for(
        &self,
        kid: Option<&str>,
        alg: &str,
        kid_optional: bool,
    ) -> Result<&[VerifyingKey], VerifyError> {
        let kidless = if kid_optional {
            &self.public_by_alg
        } else {
            &self.without_kid
        };
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
                .and_then(|alg| kidless.get(&alg))
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
    fn tokens_without_a_kid_get_the_kidless_keys_of_their_alg() {
        let mut set = KeySet::new();
        let (first, first_public) = public(Algorithm::EdDSA, "a");
        let (second, second_public) = public(Algorithm::EdDSA, "b");
        let (_, es256) = public(Algorithm::ES256, "c");
        set.insert_without_kid(first_public);
        set.insert_without_kid(second_public);
        set.insert_without_kid(es256);
        assert_eq!(set.len(), 3);
        let keys = set.keys_for(None, "EdDSA", false).expect("two EdDSA keys");
        assert_eq!(keys.len(), 2);
        // In the order added: each verifies its own key's signature only.
        for (key, signer) in keys.iter().zip([&first, &second]) {
            let signature = signer.sign(b"header.payload").expect("signs");
            assert!(key.verify(b"header.payload", signature.as_ref()));
            assert!(!key.verify(b"header.payloaD", signature.as_ref()));
        }
        assert_eq!(set.keys_for(None, "ES256", false).map(<[_]>::len), Ok(1));
        for alg in ["RS256", "HS256", "none", "eddsa"] {
            assert_eq!(
                set.keys_for(None, alg, false).err(),
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
        assert_eq!(
            set.keys_for(Some("named"), "ES256", false).map(<[_]>::len),
            Ok(1)
        );
        assert_eq!(set.keys_for(None, "RS256", false).map(<[_]>::len), Ok(1));
        assert_eq!(
            set.keys_for(None, "ES256", false).err(),
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
        // Strict: only the key without a kid.
        assert_eq!(set.keys_for(None, "RS256", false).map(<[_]>::len), Ok(1));
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
