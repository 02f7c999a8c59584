//! Verifying tokens from a remote key set: Huddle01's profile on the real
//! 2024 token's claims, kid-less keys and rotation, and failing closed. The
//! key set comes from memory here (an injected clock, a counted source); the
//! HTTP side is `remote_jwks_http.rs`'s.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use huddle_auth::{
    decode_unverified, Algorithm, ApiKey, FetchError, FetchFuture, JwksSource, KeyError, KeySet,
    PrivateKey, ProduceSources, RemoteJwks, RoomType, TokenProfile, TokenVerifier, VerifyError,
};
use huddle_auth_tests::fixtures::{
    b64, pem_der, public_jwk, real_claims_issued_now, rs256, rsa_4096_jwk, sign_with, ManualClock,
    REAL_TOKEN,
};
use serde_json::{json, Value};

/// A JWKS served from memory, swappable, counting its fetches; `None`
/// answers 500.
#[derive(Debug, Clone)]
struct Memory {
    document: Arc<Mutex<Option<Value>>>,
    fetches: Arc<AtomicUsize>,
}

impl Memory {
    fn serving(document: Value) -> Self {
        Memory {
            document: Arc::new(Mutex::new(Some(document))),
            fetches: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn serve(&self, document: Option<Value>) {
        *self.document.lock().expect("the document") = document;
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl JwksSource for Memory {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            match &*self.document.lock().expect("the document") {
                Some(document) => Ok(document.to_string().into_bytes()),
                None => Err(FetchError::Status { status: 500 }),
            }
        })
    }
}

fn verifier(source: &Memory, clock: &ManualClock, profile: TokenProfile) -> TokenVerifier {
    let jwks = RemoteJwks::new(source.clone(), KeySet::from_remote_jwks).clock(clock.clone());
    TokenVerifier::from_remote_jwks(jwks).profile(profile)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
}

/// `claims` signed ES256 with `key`, header `{"alg":"ES256"}` (no kid).
fn es256(key: &PrivateKey, claims: &Value) -> String {
    let pem = key.to_pkcs8_pem().expect("PEM");
    let key = jsonwebtoken::EncodingKey::from_ec_der(&pem_der(&pem));
    let input = format!("{}.{}", b64(r#"{"alg":"ES256"}"#), b64(claims.to_string()));
    let signature = sign_with(&key, jsonwebtoken::Algorithm::ES256, &input);
    format!("{input}.{signature}")
}

const HEADER: &str = r#"{"alg":"RS256"}"#;

#[test]
fn the_real_token_decodes_as_huddle01_issued_it() {
    let token = decode_unverified(REAL_TOKEN.trim()).expect("decodes");
    assert_eq!(token.header(), &json!({ "alg": "RS256" }));
    let claims = token.claims();
    assert_eq!(claims["roomId"], "kgg-iyre-bks");
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["purpose"], "SDK");
    assert_eq!(claims["role"], "host");
    assert_eq!(claims["peerId"], "peerId-SXFB-awk0EUhurwQ3e5Jb");
    assert_eq!(
        claims["roomInfo"],
        json!({ "roomLocked": false, "muteOnEntry": false, "roomType": "VIDEO", "videoOnEntry": false })
    );
    assert_eq!(claims["exp"], 1_727_811_626_u64);
    assert_eq!(claims["iat"], 1_727_800_826_u64);
}

#[test]
fn the_real_claims_verify_under_the_huddle01_profile() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01).require_room("kgg-iyre-bks");
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    let claims = runtime()
        .block_on(verifier.verify_async(&token))
        .expect("a genuine Huddle01 token");
    assert_eq!(claims.room_id(), "kgg-iyre-bks");
    assert_eq!(claims.peer_id(), "peerId-SXFB-awk0EUhurwQ3e5Jb");
    assert_eq!(claims.role(), Some("host"));
    assert_eq!(claims.issuer(), Some("Huddle01"));
    assert_eq!(claims.purpose(), Some("SDK"));
    assert_eq!(claims.room_type(), Some(RoomType::Video));
    assert_eq!(claims.mute_on_entry(), Some(false));
    assert_eq!(claims.video_on_entry(), Some(false));
    let info = claims.room_info().expect("roomInfo");
    assert_eq!(info.room_locked(), Some(false));
    assert_eq!(info.mute_on_entry(), Some(false));
    assert_eq!(info.room_type(), Some(RoomType::Video));
    assert_eq!(info.video_on_entry(), Some(false));
    assert_eq!(claims.project_id(), None);
    assert_eq!(claims.jwt_id(), None);
    assert_eq!(claims.not_before(), None);
    assert!(claims.is_admin());
    assert!(claims.may_produce("screen-share-1"));
    assert_eq!(source.fetches(), 1);

    // The same bytes, re-serialized by the crate, name the claims it read.
    let wire = serde_json::to_value(&claims).expect("claims serialize");
    assert_eq!(wire["iss"], "Huddle01");
    assert_eq!(wire["purpose"], "SDK");
    assert_eq!(wire["roomInfo"]["roomType"], "VIDEO");
}

#[test]
fn this_crates_profile_refuses_them() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(Some("huddle01"))] }));
    let clock = ManualClock::new();
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    // Without a kid, a named key is no candidate of the self-signed profile.
    let strict = verifier(&source, &clock, TokenProfile::SelfSigned);
    assert_eq!(
        runtime().block_on(strict.verify_async(&token)).err(),
        Some(VerifyError::UnknownKey { kid: None })
    );
    // The Huddle01 profile tries it: kid is optional there.
    let huddle01 = verifier(&source, &clock, TokenProfile::Huddle01);
    assert!(runtime().block_on(huddle01.verify_async(&token)).is_ok());
}

#[test]
fn the_issuer_must_be_huddle01() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let rt = runtime();
    let mut claims = real_claims_issued_now();
    claims["iss"] = json!("huddle01");
    assert_eq!(
        rt.block_on(verifier.verify_async(&rs256(HEADER, &claims.to_string())))
            .err(),
        Some(VerifyError::WrongIssuer {
            expected: "Huddle01",
            found: Some("huddle01".to_owned())
        })
    );
    claims.as_object_mut().expect("claims").remove("iss");
    let refused = rt
        .block_on(verifier.verify_async(&rs256(HEADER, &claims.to_string())))
        .expect_err("no iss");
    assert_eq!(
        refused.to_string(),
        "iss: the token names no issuer, expected \"Huddle01\""
    );
    claims["iss"] = json!(null);
    assert!(matches!(
        rt.block_on(verifier.verify_async(&rs256(HEADER, &claims.to_string()))),
        Err(VerifyError::InvalidClaims { field, .. }) if field == "iss"
    ));
}

#[test]
fn sources_under_no_produce_count_as_none() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    let clock = ManualClock::new();
    let mut claims = real_claims_issued_now();
    claims["role"] = json!("audience");
    claims["permissions"]["admin"] = json!(false);
    claims["permissions"]["canProduce"] = json!(false);
    let token = rs256(HEADER, &claims.to_string());

    let huddle01 = verifier(&source, &clock, TokenProfile::Huddle01);
    let verified = runtime()
        .block_on(huddle01.verify_async(&token))
        .expect("Huddle01's infra issues these");
    assert!(!verified.permissions().can_produce);
    assert_eq!(
        verified.permissions().can_produce_sources,
        ProduceSources {
            cam: false,
            mic: false,
            screen: false
        }
    );
    assert!(!verified.may_produce("audio"));
    assert!(verified.may_consume());

    // Tokens of this crate's profile keep rule 1.
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(Some("k1"))] }));
    let strict = verifier(&source, &clock, TokenProfile::SelfSigned);
    let token = rs256(r#"{"alg":"RS256","kid":"k1"}"#, &claims.to_string());
    assert!(matches!(
        runtime().block_on(strict.verify_async(&token)),
        Err(VerifyError::InvalidClaims { field, .. }) if field == "permissions.canProduceSources.cam"
    ));
}

fn es256_claims() -> Value {
    let mut claims = real_claims_issued_now();
    claims["roomId"] = json!("abc-defg-hij");
    claims
}

#[test]
fn a_rotation_is_picked_up_after_the_miss_cooldown() {
    let old = PrivateKey::generate(Algorithm::ES256, "old").expect("a key");
    let new = PrivateKey::generate(Algorithm::ES256, "new").expect("a key");
    let source = Memory::serving(json!({ "keys": [public_jwk(&old.public_key(), None)] }));
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let rt = runtime();
    assert!(rt
        .block_on(verifier.verify_async(&es256(&old, &es256_claims())))
        .is_ok());
    assert_eq!(source.fetches(), 1);

    // The issuer publishes the new key beside the old and signs with it.
    source.serve(Some(json!({ "keys": [
        public_jwk(&old.public_key(), None),
        public_jwk(&new.public_key(), None),
    ]})));
    let rotated = es256(&new, &es256_claims());
    // Within 30 s of the last fetch the cached set answers: refused, no fetch.
    clock.advance(Duration::from_secs(29));
    assert_eq!(
        rt.block_on(verifier.verify_async(&rotated)).err(),
        Some(VerifyError::BadSignature)
    );
    assert_eq!(source.fetches(), 1);
    // Past the cooldown the miss refetches once, and both keys are tried.
    clock.advance(Duration::from_secs(2));
    assert!(rt.block_on(verifier.verify_async(&rotated)).is_ok());
    assert_eq!(source.fetches(), 2);
    assert!(rt
        .block_on(verifier.verify_async(&es256(&old, &es256_claims())))
        .is_ok());
    assert_eq!(source.fetches(), 2);
}

#[test]
fn a_kidless_token_is_tried_against_four_keys_at_most() {
    let keys: Vec<PrivateKey> = (0..5)
        .map(|i| PrivateKey::generate(Algorithm::ES256, format!("k{i}")).expect("a key"))
        .collect();
    let document = json!({
        "keys": keys.iter().map(|k| public_jwk(&k.public_key(), None)).collect::<Vec<_>>()
    });
    let source = Memory::serving(document);
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let rt = runtime();
    assert!(rt
        .block_on(verifier.verify_async(&es256(&keys[3], &es256_claims())))
        .is_ok());
    assert_eq!(
        rt.block_on(verifier.verify_async(&es256(&keys[4], &es256_claims())))
            .err(),
        Some(VerifyError::BadSignature)
    );
}

#[test]
fn the_sync_verify_never_fetches() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    assert!(matches!(
        verifier.verify(&token),
        Err(VerifyError::KeysUnavailable { .. })
    ));
    assert_eq!(source.fetches(), 0);
    assert!(runtime().block_on(verifier.verify_async(&token)).is_ok());
    // Fresh now: the sync path serves from the cache.
    assert!(verifier.verify(&token).is_ok());
    clock.advance(Duration::from_secs(10 * 60));
    assert!(matches!(
        verifier.verify(&token),
        Err(VerifyError::KeysUnavailable { .. })
    ));
    assert_eq!(source.fetches(), 1);
}

#[test]
fn an_unreachable_key_set_fails_closed_and_junk_costs_no_fetch() {
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    source.serve(None);
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let rt = runtime();
    assert!(matches!(
        rt.block_on(verifier.verify_async("not.a token")),
        Err(VerifyError::Malformed { .. })
    ));
    assert_eq!(source.fetches(), 0);
    let refused = rt
        .block_on(verifier.verify_async(&rs256(HEADER, &real_claims_issued_now().to_string())))
        .expect_err("no keys");
    assert_eq!(
        refused,
        VerifyError::KeysUnavailable {
            reason: "fetching the JWKS failed: the server answered 500, not 200".to_owned()
        }
    );
    assert_eq!(source.fetches(), 1);
}

#[test]
fn keys_cannot_be_added_to_a_remote_set() {
    let source = Memory::serving(json!({ "keys": [] }));
    let clock = ManualClock::new();
    let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes").expect("a key");
    assert_eq!(
        verifier(&source, &clock, TokenProfile::SelfSigned)
            .with_api_key(&key)
            .err(),
        Some(KeyError::RemoteKeySet)
    );
}

#[test]
fn this_crates_profile_requires_a_kid_even_of_a_kid_less_key() {
    // The key that signed the token, published without a kid.
    let source = Memory::serving(json!({ "keys": [rsa_4096_jwk(None)] }));
    let clock = ManualClock::new();
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    let strict = verifier(&source, &clock, TokenProfile::SelfSigned);
    let rt = runtime();
    for _ in 0..3 {
        assert_eq!(
            rt.block_on(strict.verify_async(&token)).err(),
            Some(VerifyError::UnknownKey { kid: None })
        );
    }
    // No key set could have a key for it: no refetch after the first fetch.
    clock.advance(Duration::from_secs(60));
    assert!(rt.block_on(strict.verify_async(&token)).is_err());
    assert_eq!(source.fetches(), 1);
    assert!(matches!(
        strict.verify(&token),
        Err(VerifyError::UnknownKey { kid: None })
    ));
    let huddle01 = verifier(&source, &clock, TokenProfile::Huddle01);
    assert!(rt.block_on(huddle01.verify_async(&token)).is_ok());
}

#[test]
fn keys_the_crate_cannot_use_are_skipped_and_reported_the_rest_verify() {
    let mut encryption = rsa_4096_jwk(Some("enc"));
    encryption["use"] = json!("enc");
    let mut small = rsa_4096_jwk(Some("rsa-1024"));
    let n = encryption["n"].as_str().expect("n").to_owned();
    small["n"] = json!(&n[..171]); // 128 bytes of base64url: 1024 bits
    let document = json!({ "keys": [
        { "kty": "OKP", "crv": "X25519", "kid": "x25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo" },
        { "kty": "EC", "crv": "P-384", "kid": "p384", "x": "AAAA", "y": "AAAA" },
        { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA" },
        encryption,
        small,
        rsa_4096_jwk(None),
    ]});
    let source = Memory::serving(document);
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01).require_room("kgg-iyre-bks");
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    let claims = runtime()
        .block_on(verifier.verify_async(&token))
        .expect("the one usable key verifies");
    assert_eq!(claims.issuer(), Some("Huddle01"));

    let set = verifier
        .remote_jwks()
        .and_then(|jwks| jwks.cached_fresh())
        .expect("the set is cached");
    assert_eq!(set.len(), 1);
    let skipped: Vec<(Option<&str>, &str)> = set
        .skipped()
        .iter()
        .map(|key| (key.kid(), key.reason()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                Some("x25519"),
                "OKP curve \"X25519\" is not supported, only Ed25519"
            ),
            (
                Some("p384"),
                "EC curve \"P-384\" is not supported, only P-256"
            ),
            (
                Some("hmac"),
                "holds the private or symmetric member \"k\"; publish public keys only"
            ),
            (Some("enc"), "\"use\" is \"enc\", not \"sig\""),
            (
                Some("rsa-1024"),
                "RSA key: 1024 bits is too small, at least 2048 are required"
            ),
        ]
    );
    // A token naming the oct key's kid is never checked with it.
    let hs256 = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"HS256","kid":"hmac"}"#),
        b64(real_claims_issued_now().to_string())
    );
    assert_eq!(
        runtime().block_on(verifier.verify_async(&hs256)).err(),
        Some(VerifyError::UnknownKey {
            kid: Some("hmac".to_owned())
        })
    );
}

#[test]
fn a_failing_key_set_is_asked_once_per_cooldown_whatever_the_traffic() {
    let source = Memory::serving(json!({ "keys": [] }));
    source.serve(None);
    let clock = ManualClock::new();
    let verifier = verifier(&source, &clock, TokenProfile::Huddle01);
    let rt = runtime();
    // Unsigned JWS-shaped junk and genuine-looking tokens alike, one a second.
    let junk = format!("{}.{}.", b64(HEADER), b64("{}"));
    let token = rs256(HEADER, &real_claims_issued_now().to_string());
    for second in 0..50 {
        let candidate = if second % 2 == 0 { &junk } else { &token };
        let refused = rt
            .block_on(verifier.verify_async(candidate))
            .expect_err("no keys");
        let VerifyError::KeysUnavailable { reason } = refused else {
            panic!("{second}: {refused:?}");
        };
        assert!(
            reason.ends_with("the server answered 500, not 200"),
            "{reason}"
        );
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(source.fetches(), 2, "at 0 s and 30 s");
}
