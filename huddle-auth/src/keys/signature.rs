//! The bytes of one signature, as a key hands them out.

/// A signature's raw bytes (not base64url: encoding them is the JWS layer's
/// work). HS256, EdDSA and ES256 signatures have a fixed size and stay on the
/// stack, so minting with those keys allocates nothing for the signature;
/// an RS256 signature, as long as the modulus, is written into a box.
pub(crate) enum Signature {
    /// An HMAC-SHA256 tag.
    Bytes32([u8; 32]),
    /// An Ed25519 signature, or an ES256 one as `r || s` (RFC 7518 section 3.4).
    Bytes64([u8; 64]),
    /// An RSASSA-PKCS1-v1_5 signature, as long as the modulus.
    Boxed(Box<[u8]>),
}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        match self {
            Signature::Bytes32(bytes) => bytes,
            Signature::Bytes64(bytes) => bytes,
            Signature::Boxed(bytes) => bytes,
        }
    }
}
