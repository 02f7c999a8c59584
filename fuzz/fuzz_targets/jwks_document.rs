//! Arbitrary bytes as a JWKS document, into the strict parser in both of its
//! modes: a local JWKS (every key must be usable) and a remote one (each
//! key it cannot use skipped and reported). Either may refuse; neither may
//! panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = huddle_auth::KeySet::from_remote_jwks(data) {
        // A parsed set answers its own questions without panicking.
        let _ = (set.len(), set.is_empty(), set.contains("k1"));
        for skipped in set.skipped() {
            let _ = (skipped.kid(), skipped.reason(), skipped.to_string());
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = huddle_auth::TokenVerifier::from_jwks(text);
    }
});
