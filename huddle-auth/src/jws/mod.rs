//! Compact JWS serialization (RFC 7515 section 7.1), and nothing else of a
//! token: the size limit, splitting, canonical base64url, the header, the
//! signing input, and signing and signature checking dispatched over the key
//! types of `keys`, which hand out signature bytes and know no JWS text.
//! Minting (`token`), verifying (`verify`) and reading without trust
//! (`unverified`) sit on it.

mod compact;
mod header;
mod sign;
mod signer;

pub use compact::MAX_TOKEN_BYTES;
pub(crate) use compact::{decode_segment, segments, Compact, B64};
pub(crate) use header::HeaderReader;
pub(crate) use sign::{sign, verify_signature};
pub(crate) use signer::header_segment;
pub use signer::TokenSigner;
