//! The webhook receiver on arbitrary header and body bytes. The input is
//! `header NUL body`; without a NUL it is the body alone, under the header
//! the target signs for it, so that the fuzzer explores the canonical JSON
//! writer behind the signature check. Nothing panics, and what is accepted
//! re-verifies.
#![no_main]

use huddle_auth_fuzz::{check_webhook, webhook_signer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match data.iter().position(|&b| b == 0) {
        Some(at) => {
            if let Ok(header) = std::str::from_utf8(&data[..at]) {
                check_webhook(&data[at + 1..], header);
            }
        }
        None => {
            // A body the signer refuses is refused by the receiver too
            // (checked in `check_webhook` under an arbitrary header).
            match webhook_signer().sign_at(data, huddle_auth_fuzz::WEBHOOK_T) {
                Ok(header) => check_webhook(data, &header),
                Err(_) => check_webhook(data, "t=1,sha256=00"),
            }
        }
    }
});
