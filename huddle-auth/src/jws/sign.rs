//! Signing a token under a key's prepared header, and checking a signature.

use serde::Serialize;

use super::compact::{append_base64, decode_segment, Compact};
use super::signer::TokenSigner;
use crate::keys::VerifyingKey;
use crate::{MintError, VerifyError};

/// Encodes and signs `claims` under the key's prepared header: one
/// serialization, one base64 pass, one signature, one output buffer.
pub(crate) fn sign(key: &dyn TokenSigner, claims: &impl Serialize) -> Result<String, MintError> {
    let signing = |reason| MintError::Signing { reason };
    let mut payload = Vec::with_capacity(512);
    serde_json::to_writer(&mut payload, claims)
        .map_err(|e| signing(format!("claims could not be serialized: {e}")))?;
    let header = key.header_segment();
    let mut token = Vec::with_capacity(header.len() + payload.len() * 4 / 3 + 350);
    token.extend_from_slice(header.as_bytes());
    token.push(b'.');
    append_base64(&mut token, &payload).map_err(signing)?;
    key.append_signature(&mut token).map_err(signing)?;
    // Always ASCII: a base64url header, payload and signature.
    String::from_utf8(token).map_err(|e| signing(e.to_string()))
}

/// Checks the signature of `jws` against `keys` (those its header allows)
/// and returns the decoded payload, authentic but not yet read as claims.
pub(crate) fn verify_signature(
    jws: &Compact<'_>,
    keys: &[VerifyingKey],
) -> Result<Vec<u8>, VerifyError> {
    let signature = decode_segment("signature", jws.signature)?;
    if !keys
        .iter()
        .any(|key| key.verify(jws.signing_input, &signature))
    {
        return Err(VerifyError::BadSignature);
    }
    // A JWS may sign an empty payload (RFC 7515 section 7.1); as claims
    // it is refused by `DecodedClaims::parse`.
    if jws.payload.is_empty() {
        return Ok(Vec::new());
    }
    decode_segment("payload", jws.payload)
}
