//! Arbitrary header and payload bytes under a valid HS256 MAC, so that the
//! fuzzer explores the header and claims parsers behind the signature check.
//! The input is `header NUL payload`; without a NUL it is the payload alone,
//! under the standard header.
#![no_main]

use std::sync::LazyLock;

use huddle_auth::TokenVerifier;
use huddle_auth_fuzz::{header_json, sign_hs256, verify_and_check};
use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<TokenVerifier> = LazyLock::new(huddle_auth_fuzz::verifier);

fuzz_target!(|data: &[u8]| {
    let token = match data.iter().position(|&b| b == 0) {
        Some(at) => sign_hs256(&data[..at], &data[at + 1..]),
        None => sign_hs256(header_json().as_bytes(), data),
    };
    verify_and_check(&VERIFIER, &token);
});
