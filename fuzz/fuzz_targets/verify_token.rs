//! `TokenVerifier::verify` on arbitrary bytes: no panic, no stack overflow,
//! and anything accepted satisfies every check (see `verify_and_check`).
#![no_main]

use std::sync::LazyLock;

use huddle_auth::TokenVerifier;
use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<TokenVerifier> = LazyLock::new(huddle_auth_fuzz::verifier);

fuzz_target!(|data: &[u8]| {
    // The verifier takes text; a token is ASCII.
    if let Ok(token) = std::str::from_utf8(data) {
        huddle_auth_fuzz::verify_and_check(&VERIFIER, token);
    }
});
