//! What the fuzz targets share: a verifier holding one key of each
//! algorithm (fixed keys, so that the checked-in corpus keeps verifying), a
//! fixed clock, and the checks every accepted token must pass.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use huddle_auth::{rules, ApiKey, Claims, PrivateKey, TokenVerifier, VerifyError};
use serde_json::Value;
use sha2::Sha256;

/// The clock of every verification; the corpus is minted at this time.
pub const NOW: u64 = 1_750_000_000;
/// The API key id and secret (HS256).
pub const API_KEY_ID: &str = "ak_fuzz";
pub const API_SECRET: &str = "fuzzing secret, at least thirty-two bytes long";

/// The private keys of the verifier's public keys, made with `openssl genpkey`
/// for fuzzing only.
pub fn private_keys() -> Vec<PrivateKey> {
    [
        ("ed_fuzz", include_str!("../keys/ed25519.pem")),
        ("es_fuzz", include_str!("../keys/p256.pem")),
        ("rs_fuzz", include_str!("../keys/rsa2048.pem")),
    ]
    .into_iter()
    .map(|(kid, pem)| PrivateKey::from_pkcs8_pem(kid, pem).expect("a fuzzing key"))
    .collect()
}

pub fn api_key() -> ApiKey {
    ApiKey::new(API_KEY_ID, API_SECRET).expect("a long enough secret")
}

/// A verifier holding the API key and the public half of every private key.
pub fn verifier() -> TokenVerifier {
    let with_api_key = TokenVerifier::new().with_api_key(&api_key());
    private_keys()
        .iter()
        .fold(with_api_key, |verifier, key| {
            verifier.and_then(|v| v.with_private_key(key))
        })
        .expect("distinct key ids")
}

/// The standard HS256 header of the API key.
pub fn header_json() -> String {
    format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{API_KEY_ID}"}}"#)
}

/// A token with exactly these header and payload bytes, MACed with the API
/// secret, so that fuzzed claims get past the signature check.
pub fn sign_hs256(header: &[u8], payload: &[u8]) -> String {
    let mut token = URL_SAFE_NO_PAD.encode(header);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let mut mac = Hmac::<Sha256>::new_from_slice(API_SECRET.as_bytes()).expect("any key length");
    mac.update(token.as_bytes());
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(mac.finalize().into_bytes(), &mut token);
    token
}

/// Verifies `token` and, if it is accepted, checks what acceptance promises.
pub fn verify_and_check(verifier: &TokenVerifier, token: &str) {
    let result = verifier.verify_at::<Value>(token, NOW);
    // The signature layer alone never refuses what the whole verifier accepts.
    let jws = verifier.verify_jws(token);
    match result {
        Ok(claims) => {
            assert!(jws.is_ok(), "verify accepted what verify_jws refused");
            check_accepted(verifier, &claims);
        }
        Err(error) => {
            // Rendering an error never panics either.
            let _ = error.to_string();
            if let (Err(jws_error), false) = (&jws, is_claims_error(&error)) {
                assert_eq!(jws_error, &error, "the signature layer disagrees");
            }
        }
    }
    // The unverified decoder of the CLI reads the same input.
    let _ = huddle_auth::decode_unverified(token);
}

fn is_claims_error(error: &VerifyError) -> bool {
    !matches!(
        error,
        VerifyError::TooLarge { .. }
            | VerifyError::Malformed {
                part: "token" | "header" | "signature",
                ..
            }
            | VerifyError::UnknownKey { .. }
            | VerifyError::AlgorithmNotAllowed { .. }
            | VerifyError::CriticalHeader { .. }
            | VerifyError::BadSignature
    )
}

/// What every accepted token satisfies: the rules, the clock, and an exact
/// round trip of its claims through a fresh token.
fn check_accepted(verifier: &TokenVerifier, claims: &Claims<Value>) {
    assert!(rules::check_permissions(claims.permissions()).is_ok());
    assert!(!claims.room_id().is_empty() && !claims.peer_id().is_empty());
    assert!(claims.metadata_json().is_none_or(|m| m.len() <= 5120));
    let leeway = huddle_auth::DEFAULT_LEEWAY.as_secs();
    assert!(NOW < claims.expires_at() + leeway);
    assert!(claims.issued_at() <= NOW + leeway);
    assert!(claims.issued_at() < claims.expires_at());
    assert!(claims.not_before().is_none_or(|nbf| nbf <= NOW + leeway));

    let payload = serde_json::to_vec(claims).expect("claims serialize");
    let again = sign_hs256(header_json().as_bytes(), &payload);
    let reread = verifier
        .verify_at::<Value>(&again, NOW)
        .expect("accepted claims, re-signed, are accepted again");
    assert_eq!(&reread, claims, "claims round-trip exactly");
}

/// The `t` of the webhooks the targets sign, in milliseconds.
pub const WEBHOOK_T: u64 = 1_750_000_000_000;

/// The webhooks' API key (its HMAC key).
pub const WEBHOOK_API_KEY: &str = "ak_fuzz";

/// A signer with the webhooks' API key.
pub fn webhook_signer() -> huddle_auth::webhooks::WebhookSigner {
    huddle_auth::webhooks::WebhookSigner::new(WEBHOOK_API_KEY).expect("a key")
}

/// Receives `body` under `header` (any timestamp) and, if it is accepted,
/// checks what acceptance promises: V8's form of the body is a fixed point,
/// a fresh signature of the body verifies to the same event, and the
/// receiver is deterministic. A body the signer refuses is never accepted.
pub fn check_webhook(body: &[u8], header: &str) {
    use huddle_auth::webhooks::{canonical_json, WebhookReceiver};

    let receiver = WebhookReceiver::new(WEBHOOK_API_KEY)
        .expect("a key")
        .tolerance(None);
    let result = receiver.receive(body, header);
    let signed = webhook_signer().sign_at(body, WEBHOOK_T);
    match &result {
        Ok(webhook) => {
            assert!(signed.is_ok(), "accepted a body the signer refuses");
            let canonical = canonical_json(body).expect("an accepted body has a canonical form");
            assert_eq!(
                canonical_json(canonical.as_bytes()).as_ref(),
                Ok(&canonical),
                "the canonical form is a fixed point"
            );
            assert!(!webhook.id().is_empty());
            assert_eq!(receiver.receive(body, header).as_ref(), Ok(webhook));
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    if let Ok(fresh) = signed {
        let again = receiver
            .receive(body, &fresh)
            .expect("a body the signer signs verifies");
        if let Ok(webhook) = &result {
            assert_eq!(again.raw(), webhook.raw());
            assert_eq!(again.id(), webhook.id());
        }
    }
}
