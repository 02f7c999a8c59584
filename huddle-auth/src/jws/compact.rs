//! A compact JWS as text: its size, its three segments, their base64url.

use base64::Engine as _;

use crate::VerifyError;

/// The largest token accepted; longer input is refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 32 * 1024;

/// The base64url alphabet without padding, refusing non-canonical input
/// (RFC 7515 section 2 and appendix C). On x86-64 and AArch64 it is base64's
/// SIMD engine (AVX2 or NEON when the CPU has them, picked once), which
/// decodes a token's payload in a fraction of the scalar engine's time
/// (base64 was an eighth of an HS256 verification) under the same config:
/// no padding, no set trailing bits.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
pub(crate) static B64: std::sync::LazyLock<base64::engine::Simd> = std::sync::LazyLock::new(|| {
    base64::engine::Simd::url_safe(base64::engine::general_purpose::NO_PAD)
});

/// The base64url alphabet without padding, refusing non-canonical input
/// (RFC 7515 section 2 and appendix C).
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
pub(crate) static B64: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A compact JWS split into its segments, none of them decoded yet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Compact<'t> {
    pub(crate) header: &'t str,
    pub(crate) payload: &'t str,
    pub(crate) signature: &'t str,
    /// `header.payload`, the bytes the signature covers.
    pub(crate) signing_input: &'t [u8],
}

impl<'t> Compact<'t> {
    /// Checks the size limit, then splits `token` into exactly three segments.
    pub(crate) fn parse(token: &'t str) -> Result<Self, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TooLarge {
                bytes: token.len(),
                limit: MAX_TOKEN_BYTES,
            });
        }
        let (header, payload, signature) = split(token)?;
        let signing_input = &token.as_bytes()[..header.len() + 1 + payload.len()];
        Ok(Compact {
            header,
            payload,
            signature,
            signing_input,
        })
    }
}

/// Splits a compact JWS into exactly three segments, refusing whitespace
/// first so that the message names that mistake.
fn split(token: &str) -> Result<(&str, &str, &str), VerifyError> {
    if let Some(reason) = whitespace_mistake(token) {
        return Err(VerifyError::malformed("token", reason));
    }
    segments(token).ok_or_else(|| {
        VerifyError::malformed(
            "token",
            "a compact JWS has exactly three segments separated by '.'",
        )
    })
}

/// The header, payload and signature segments of `token`, if it has exactly
/// two dots; nothing else is looked at. The outer dots are searched for from
/// each end, and the payload between them is checked for another, with
/// `memchr`'s vectorised search (`str::splitn` reads a byte or a word at a
/// time).
pub(crate) fn segments(token: &str) -> Option<(&str, &str, &str)> {
    let bytes = token.as_bytes();
    let first = memchr::memchr(b'.', bytes)?;
    let last = memchr::memrchr(b'.', bytes)?;
    let payload = token.get(first + 1..last)?;
    if memchr::memchr(b'.', payload.as_bytes()).is_some() {
        return None;
    }
    // Both dots are ASCII, so every slice falls on a character boundary.
    Some((token.get(..first)?, payload, token.get(last + 1..)?))
}

/// The usual ways a token is pasted with more than itself, named so that the
/// message says what to fix rather than which byte failed to decode. A token
/// is never trimmed here: what was signed is exactly what must be verified.
fn whitespace_mistake(token: &str) -> Option<&'static str> {
    let is_space = |b: &u8| b.is_ascii_whitespace();
    let bytes = token.as_bytes();
    let scheme = bytes
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"Bearer "));
    if scheme {
        return Some(
            "starts with \"Bearer \": pass the token alone, without the Authorization scheme",
        );
    }
    if bytes.ends_with(b"\n") {
        return Some("ends with a newline: trim the token (as read from a file or stdin)");
    }
    if bytes.first().is_some_and(is_space) || bytes.last().is_some_and(is_space) {
        return Some("has whitespace around it: trim the token");
    }
    // Every verification runs this: two vectorised searches for the five
    // ASCII whitespace bytes instead of a byte-at-a-time scan.
    if memchr::memchr3(b' ', b'\n', b'\t', bytes).is_some()
        || memchr::memchr2(b'\r', b'\x0C', bytes).is_some()
    {
        return Some("holds whitespace: a compact JWS has none");
    }
    None
}

/// Decodes unpadded, canonical base64url (RFC 7515 section 2).
pub(crate) fn decode_segment(part: &'static str, segment: &str) -> Result<Vec<u8>, VerifyError> {
    if segment.is_empty() {
        return Err(VerifyError::malformed(part, "is empty"));
    }
    B64.decode(segment)
        .map_err(|e| VerifyError::malformed(part, format!("is not unpadded base64url: {e}")))
}

/// Decodes a segment like [`decode_segment`], into `buf` when it fits, so
/// that a header (a few dozen bytes) is read without allocating; a larger
/// segment is decoded on the heap. The error messages are
/// `decode_segment`'s.
pub(crate) fn decode_segment_into<'b>(
    part: &'static str,
    segment: &str,
    buf: &'b mut [u8],
) -> Result<std::borrow::Cow<'b, [u8]>, VerifyError> {
    if segment.is_empty() || base64::decoded_len_estimate(segment.len()) > buf.len() {
        return decode_segment(part, segment).map(std::borrow::Cow::Owned);
    }
    match B64.decode_slice(segment, buf) {
        Ok(len) => Ok(std::borrow::Cow::Borrowed(&buf[..len])),
        Err(base64::DecodeSliceError::DecodeError(e)) => Err(VerifyError::malformed(
            part,
            format!("is not unpadded base64url: {e}"),
        )),
        // Not reached (the estimate fits), but the heap path is always right.
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
            decode_segment(part, segment).map(std::borrow::Cow::Owned)
        }
    }
}

/// Appends the base64url encoding of `bytes` to `out`, encoded in place:
/// `Engine::encode_string` would go through a zeroed 1 KiB buffer, a UTF-8
/// check and a copy on every call.
pub(crate) fn append_base64(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), String> {
    let start = out.len();
    let len = base64::encoded_len(bytes.len(), false)
        .ok_or_else(|| format!("{} bytes are too many to encode", bytes.len()))?;
    out.resize(start + len, 0);
    let written = B64
        .encode_slice(bytes, &mut out[start..])
        .map_err(|e| e.to_string())?;
    out.truncate(start + written);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_into_a_buffer_agrees_with_decoding_on_the_heap() {
        let long = "QUJD".repeat(200); // 600 bytes decoded: over the buffer
        let cases = [
            "eyJhbGciOiJSUzI1NiJ9",
            "QUJD",
            "QUI",
            "QQ",
            "",
            "QR",
            "Q",
            "e30=",
            "QUJD+",
            &long,
        ];
        for segment in cases {
            let mut buf = [0u8; 64];
            let into = decode_segment_into("header", segment, &mut buf).map(|c| c.into_owned());
            assert_eq!(into, decode_segment("header", segment), "{segment:?}");
        }
        let mut buf = [0u8; 64];
        assert_eq!(
            decode_segment_into("header", "eyJhbGciOiJSUzI1NiJ9", &mut buf).as_deref(),
            Ok(&b"{\"alg\":\"RS256\"}"[..])
        );
        assert!(matches!(
            decode_segment_into("header", "eyJhbGciOiJSUzI1NiJ9", &mut buf),
            Ok(std::borrow::Cow::Borrowed(_))
        ));
        assert!(matches!(
            decode_segment_into("header", &long, &mut buf),
            Ok(std::borrow::Cow::Owned(_))
        ));
    }

    #[test]
    fn the_simd_engine_decodes_and_refuses_exactly_as_the_scalar_one() {
        // The scalar engine under the same config is the reference. Inputs
        // of every length up to 200 (across the SIMD block sizes), drawn
        // from the alphabet, from neighbours of it (`+`, `/`, `=`, space,
        // bytes over 0x7f) and with the last character varied, so that set
        // trailing bits and bad bytes at every position are met.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const OTHERS: &[u8] = b"+/= .\xc3\x00";
        let scalar = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut refused = 0;
        for len in 0..=200 {
            for round in 0..40 {
                let mut input: Vec<u8> =
                    (0..len).map(|_| ALPHABET[(next() % 64) as usize]).collect();
                if round % 4 == 1 && len > 0 {
                    let at = (next() % len as u64) as usize;
                    input[at] = OTHERS[(next() % OTHERS.len() as u64) as usize];
                }
                if round % 4 == 2 && len > 0 {
                    input[len - 1] = ALPHABET[(next() % 64) as usize];
                }
                let ours = B64.decode(&input);
                assert_eq!(
                    ours,
                    scalar.decode(&input),
                    "{:?}",
                    String::from_utf8_lossy(&input)
                );
                refused += usize::from(ours.is_err());
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                assert_eq!(B64.encode(&bytes), scalar.encode(&bytes));
            }
        }
        // Both kinds of input were met.
        assert!(
            refused > 1000 && refused < 201 * 40 - 1000,
            "{refused} refused"
        );
    }
}
