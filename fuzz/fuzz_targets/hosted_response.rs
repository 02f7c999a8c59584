//! The parsing of Huddle01's infra's answers on arbitrary bytes: the first
//! byte picks the status, the rest is the body. No panic; a token handed
//! back is always a compact JWS for the room asked for; a status error keeps
//! at most 200 characters of the body.
#![no_main]

use huddle_auth::decode_unverified;
use huddle_auth::hosted::{parse_peer_token, parse_room_created, HostedError};
use libfuzzer_sys::fuzz_target;

const ROOM: &str = "kgg-iyre-bks";
const STATUSES: [u16; 8] = [200, 201, 401, 404, 500, 302, 204, 429];

fn check_status_excerpt(error: &HostedError) {
    if let HostedError::Status { body, .. } = error {
        assert!(body.chars().count() <= 200);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(selector) % STATUSES.len()];
    match parse_peer_token(status, body, ROOM) {
        Ok(token) => {
            assert_eq!(status, 200);
            let unverified = decode_unverified(&token).expect("a compact JWS");
            assert_eq!(unverified.claims()["roomId"], ROOM);
        }
        Err(error) => check_status_excerpt(&error),
    }
    match parse_room_created(status, body) {
        Ok(room) => {
            assert_eq!(status, 201);
            assert!(!room.is_empty());
        }
        Err(error) => check_status_excerpt(&error),
    }
});
