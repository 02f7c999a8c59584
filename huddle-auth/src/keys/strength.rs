//! Key-strength checks: what makes a key of a supported type still unfit to
//! sign or verify tokens. Every way into a key (SPKI, PKCS#8, JWK,
//! generation) runs these, so the rules are written once.

use pkcs8::ObjectIdentifier;

use crate::KeyError;

/// The smallest RSA modulus accepted (RFC 7518 section 3.3).
pub const MIN_RSA_BITS: usize = 2048;

/// The largest RSA modulus accepted. Each RSA verification costs about the
/// modulus size cubed, so a key set must not make the verifier pay for
/// someone's 16384-bit key (aws-lc itself would take 8192 bits).
pub const MAX_RSA_BITS: usize = 4096;

/// The named curve of the only EC keys accepted: P-256 (secp256r1).
pub(super) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// Refuses a modulus of `bits` outside [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`].
/// Run on the modulus as read, before the key is built, so a giant key costs
/// nothing more than reading its bytes.
pub(super) fn check_rsa_bits(bits: usize) -> Result<(), KeyError> {
    if bits < MIN_RSA_BITS {
        Err(KeyError::RsaTooSmall { bits })
    } else if bits > MAX_RSA_BITS {
        Err(KeyError::RsaTooLarge { bits })
    } else {
        Ok(())
    }
}

/// The bit length of a big-endian unsigned integer.
pub(super) fn bit_length(be_bytes: &[u8]) -> usize {
    match be_bytes.iter().position(|&b| b != 0) {
        None => 0,
        Some(first) => (be_bytes.len() - first) * 8 - be_bytes[first].leading_zeros() as usize,
    }
}

/// The largest RSA public exponent accepted, 2^33 - 1: what the `rsa` crate
/// allowed before, and aws-lc's own bound (`kMaxExponentBits`), which it
/// would only apply at the first verification.
const MAX_RSA_EXPONENT: u64 = (1 << 33) - 1;

/// Refuses RSA keys that are the wrong size or known to be weak: the modulus
/// size ([`check_rsa_bits`]), an even modulus (no RSA key at all), an
/// exponent that is even, 1 or over 2^33 - 1 (no inverse, no encryption at
/// all, or a key aws-lc refuses only once a token arrives), and the ROCA
/// fingerprint (CVE-2017-15361), whose factors can be computed from the
/// public key alone. `n` and `e` are big-endian, leading zeros allowed.
pub(super) fn check_rsa(n: &[u8], e: &[u8]) -> Result<(), KeyError> {
    check_rsa_bits(bit_length(n))?;
    if n.last().is_some_and(|low| low & 1 == 0) {
        return Err(KeyError::WeakKey {
            reason: "the RSA modulus is even".to_owned(),
        });
    }
    let e = strip_leading_zeros(e);
    let odd = e.last().is_some_and(|low| low & 1 == 1);
    let value = (e.len() <= 8).then(|| e.iter().fold(0_u64, |v, &b| v << 8 | u64::from(b)));
    if !odd || value.is_some_and(|v| v < 3) {
        return Err(KeyError::WeakKey {
            reason: "the RSA public exponent must be odd and at least 3".to_owned(),
        });
    }
    if value.is_none_or(|v| v > MAX_RSA_EXPONENT) {
        return Err(KeyError::WeakKey {
            reason: "the RSA public exponent is over 2^33 - 1".to_owned(),
        });
    }
    if has_roca_fingerprint(n) {
        return Err(KeyError::WeakKey {
            reason: "the RSA modulus has the ROCA fingerprint (CVE-2017-15361): \
                     its private key can be computed; generate a new key"
                .to_owned(),
        });
    }
    Ok(())
}

/// `bytes` without its leading zero bytes: the unsigned big-endian integer
/// as aws-lc takes it (`RsaPublicKeyComponents` refuses leading zeros, which
/// JWK `n` and `e` may carry).
pub(super) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Refuses an Ed25519 public key that is not a curve point, or is one of
/// small order: with one, a signature verifies for any message. aws-lc
/// checks neither when a key is loaded (it stores the 32 bytes), so the point
/// is decoded here, once, by `curve25519-dalek`.
pub(super) fn check_ed25519(x: &[u8; 32]) -> Result<(), KeyError> {
    let point = curve25519_dalek::edwards::CompressedEdwardsY(*x)
        .decompress()
        .ok_or_else(|| KeyError::Encoding {
            what: "Ed25519 public key",
            reason: "the 32 bytes are not a curve point".to_owned(),
        })?;
    if point.is_small_order() {
        return Err(KeyError::Unsupported {
            what: "an Ed25519 public key of small order".to_owned(),
        });
    }
    Ok(())
}

/// The encodings, sign bit cleared, of the Ed25519 points of small order,
/// canonical or not: y = 0, 1 and p - 1 (orders 4, 1 and 2), p and p + 1
/// (0 and 1 again, written non-canonically), and the two y of the points of
/// order 8. Every 32 bytes that decode to a point of small order are one of
/// these with either sign bit.
const SMALL_ORDER_ENCODINGS: [[u8; 32]; 7] = [
    [0; 32],
    {
        let mut one = [0; 32];
        one[0] = 1;
        one
    },
    field_element_below_p(1),
    field_element_below_p(0),
    field_element_below_p(-1),
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
];

/// p - `below` (p = 2^255 - 19), little-endian, for `below` in -1..=1.
const fn field_element_below_p(below: i8) -> [u8; 32] {
    let mut bytes = [0xff; 32];
    bytes[31] = 0x7f;
    // The low byte of p is 0xed.
    bytes[0] = (0xed - below as i16) as u8;
    bytes
}

/// Whether the `R` half of an Ed25519 signature decodes to a point of small
/// order. `ed25519-dalek`'s `verify_strict`, which this crate used, refused
/// those; aws-lc's verification accepts one when the signer chose it (`R` the
/// identity, `S = k * a`). A table lookup keeps the refusal at no cost per
/// token, where decoding `R` would cost a square root.
pub(super) fn is_small_order_r(r: &[u8]) -> bool {
    let Ok(r) = <[u8; 32]>::try_from(r) else {
        return false;
    };
    let mut unsigned = r;
    unsigned[31] &= 0x7f;
    SMALL_ORDER_ENCODINGS.contains(&unsigned)
}

/// Refuses an EC key whose named curve (from its algorithm parameters) is
/// not P-256: ES256 is defined on P-256 only (RFC 7518 section 3.4).
pub(super) fn check_ec_curve(curve: Option<ObjectIdentifier>) -> Result<(), KeyError> {
    if curve == Some(OID_P256) {
        return Ok(());
    }
    Err(KeyError::Unsupported {
        what: format!(
            "an EC key on curve {}",
            curve.map_or_else(|| "(none)".to_owned(), |c| c.to_string())
        ),
    })
}

/// The primes that divide the primorial every vulnerable key generator used.
const ROCA_PRIMES: [u32; 38] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
];

/// Whether `n` (big-endian) looks generated by the flawed Infineon library
/// (Nemec et al., "The Return of Coppersmith's Attack", CCS 2017): its primes
/// are `k * M + (65537^a mod M)`, so `n mod p` lies in the subgroup generated
/// by 65537 modulo each small prime `p` of `M`. A random modulus passes all 38
/// tests with a probability far below 2^-100.
fn has_roca_fingerprint(n: &[u8]) -> bool {
    ROCA_PRIMES.iter().all(|&p| {
        let residue = n.iter().fold(0, |r, &byte| (r * 256 + u32::from(byte)) % p);
        let generator = 65537 % p;
        let mut power = 1;
        loop {
            if power == residue {
                return true;
            }
            power = power * generator % p;
            if power == 1 {
                return false;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths_ignore_leading_zero_bytes() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
        assert_eq!(bit_length(&[0x7f; 512]), 4095);
    }

    /// The table against `curve25519-dalek`: each entry, with either sign
    /// bit, decodes to a point of small order, and the eight points of small
    /// order (its `EIGHT_TORSION`) all encode to entries.
    #[test]
    fn the_small_order_table_is_every_encoding_of_the_torsion_points() {
        use curve25519_dalek::constants::EIGHT_TORSION;
        use curve25519_dalek::edwards::CompressedEdwardsY;
        for entry in SMALL_ORDER_ENCODINGS {
            for sign in [0, 0x80] {
                let mut bytes = entry;
                bytes[31] |= sign;
                let point = CompressedEdwardsY(bytes).decompress();
                assert!(point.is_some_and(|p| p.is_small_order()), "{bytes:02x?}");
                assert!(is_small_order_r(&bytes));
            }
        }
        for point in EIGHT_TORSION {
            assert!(is_small_order_r(point.compress().as_bytes()));
        }
        // The base point's encoding (RFC 8032 section 5.1) is no entry.
        let mut base = [0x66; 32];
        base[0] = 0x58;
        assert!(!is_small_order_r(&base));
        assert!(!is_small_order_r(&[0; 31]), "not an R");
    }

    #[test]
    fn rsa_exponents_and_moduli_are_refused_as_the_rsa_crate_refused_them() {
        let mut n = vec![0xC5; 256];
        n[255] |= 1;
        let weak = |n: &[u8], e: &[u8]| match check_rsa(n, e) {
            Err(KeyError::WeakKey { reason }) => reason,
            other => panic!("{e:02x?}: {other:?}"),
        };
        assert_eq!(check_rsa(&n, &[1, 0, 1]), Ok(()));
        assert_eq!(check_rsa(&n, &[0, 0, 1, 0, 1]), Ok(()), "leading zeros");
        // 2^33 - 1 is the largest exponent; 2^33 + 1 and 2^64 + 1 are over it.
        assert_eq!(check_rsa(&n, &[1, 0xff, 0xff, 0xff, 0xff]), Ok(()));
        assert!(weak(&n, &[2, 0, 0, 0, 1]).contains("over 2^33 - 1"));
        assert!(weak(&n, &[1, 0, 0, 0, 0, 0, 0, 0, 1]).contains("over 2^33 - 1"));
        for e in [&[][..], &[0], &[1], &[2], &[1, 0]] {
            assert!(weak(&n, e).contains("odd and at least 3"), "{e:?}");
        }
        let mut even = n.clone();
        even[255] &= !1;
        assert!(weak(&even, &[1, 0, 1]).contains("even"));
    }

    #[test]
    fn rsa_sizes_are_bounded_on_both_sides() {
        assert_eq!(
            check_rsa_bits(2047),
            Err(KeyError::RsaTooSmall { bits: 2047 })
        );
        assert_eq!(check_rsa_bits(2048), Ok(()));
        assert_eq!(check_rsa_bits(4096), Ok(()));
        assert_eq!(
            check_rsa_bits(4097),
            Err(KeyError::RsaTooLarge { bits: 4097 })
        );
    }
}
