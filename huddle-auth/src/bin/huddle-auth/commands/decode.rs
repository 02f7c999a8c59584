//! `huddle-auth decode`: show a token's header and claims, trusting nothing.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::args::DecodeArgs;
use crate::failure::Failure;
use crate::input;

/// The mark on everything `decode` prints.
pub const UNVERIFIED: &str = "UNVERIFIED";

#[derive(Serialize)]
struct Decoded<'a> {
    status: &'static str,
    header: &'a Value,
    claims: &'a Value,
}

/// Decodes the token without any check and writes its header and claims as
/// JSON marked `"status": "UNVERIFIED"`; the same warning goes to `warn`.
pub fn run(args: DecodeArgs, out: &mut dyn Write, warn: &mut dyn Write) -> Result<(), Failure> {
    let token = input::token(args.token)?;
    let decoded = huddle_auth::decode_unverified(token.as_str()).map_err(|e| {
        token
            .not_a_token(&e)
            .unwrap_or_else(|| Failure::new("token", format_args!("cannot be decoded: {e}")))
    })?;
    // A warning that fails to print must not hide the output, so its error is ignored.
    let _ = writeln!(
        warn,
        "{UNVERIFIED}: nothing was checked (signature, expiry, permission rules); \
         use `huddle-auth verify` to trust a token"
    );
    crate::output::json(
        out,
        &Decoded {
            status: UNVERIFIED,
            header: decoded.header(),
            claims: decoded.claims(),
        },
    )
}
