//! Compact JWS serialization (RFC 7515 section 7.1), and nothing else of a
//! token: the size limit, splitting, canonical base64url, the header, the
//! signing input, signing and signature checking. Minting (`token`),
//! verifying (`verify`) and reading without trust (`unverified`) sit on it.

mod compact;
mod header;
mod sign;

pub use compact::MAX_TOKEN_BYTES;
pub(crate) use compact::{decode_segment, Compact, B64};
#[cfg(feature = "hosted")]
pub(crate) use header::read_header;
pub(crate) use header::HeaderReader;
pub(crate) use sign::{header_segment, push_signature, sign, verify_signature};
