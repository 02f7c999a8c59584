//! The HMAC-SHA256 state prepared once from an API secret.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 keyed once with an API secret: the SHA-256 states after the
/// blocks `secret ^ ipad` and `secret ^ opad` (RFC 2104). Each token then
/// costs only the hashing of its own bytes.
///
/// The state is secret-equivalent: it cannot give the secret back, but it
/// computes every MAC the secret would. `hmac` 0.12 and `sha2` 0.10 do not
/// implement `Zeroize`, and `unsafe` is forbidden here, so on drop the state
/// is overwritten in place with the state of a public all-zero key, and
/// [`std::hint::black_box`] keeps the compiler from removing that store as
/// dead. That is best effort, not the guarantee `zeroize` gives with volatile
/// writes, and it does not reach the transient copies these crates make on
/// the stack: the padded key blocks while keying, and the per-token copy of
/// the state. This crate keeps no other copy of the secret.
#[derive(Clone)]
pub(crate) struct PreparedMac(Hmac<Sha256>);

impl PreparedMac {
    /// Keys HMAC-SHA256 with `secret`.
    pub(crate) fn new(secret: &[u8]) -> Result<Self, hmac::digest::InvalidLength> {
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).map(PreparedMac)
    }

    /// A copy of the keyed state, to MAC one message.
    pub(crate) fn start(&self) -> Hmac<Sha256> {
        self.0.clone()
    }

    /// Whether `tag` is the MAC of `message`. `Mac::verify_slice` (`digest`
    /// 0.10, `src/mac.rs`) refuses a tag of the wrong length, then compares
    /// with `subtle::ConstantTimeEq::ct_eq`, so the time taken says nothing
    /// about how many leading bytes of a forged tag were right.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.start();
        mac.update(message);
        mac.verify_slice(tag).is_ok()
    }
}

impl PreparedMac {
    /// Overwrites the keyed state, in place, with that of the all-zero key.
    fn wipe(&mut self) {
        self.0 = <Hmac<Sha256> as KeyInit>::new(&Default::default());
        std::hint::black_box(&self.0);
    }
}

impl Drop for PreparedMac {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(mac: &PreparedMac, message: &[u8]) -> Vec<u8> {
        let mut mac = mac.start();
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn wiping_leaves_the_state_of_the_public_zero_key() {
        let secret = b"a secret of at least thirty-two bytes";
        let zero_key = PreparedMac::new(&[0; 64]).expect("any key length");
        let mut mac = PreparedMac::new(secret).expect("any key length");
        assert_ne!(tag(&mac, b"message"), tag(&zero_key, b"message"));
        mac.wipe();
        assert_eq!(tag(&mac, b"message"), tag(&zero_key, b"message"));
    }

    #[test]
    fn verify_refuses_wrong_and_truncated_tags() {
        let mac = PreparedMac::new(b"a secret of at least thirty-two bytes").expect("key");
        let good = tag(&mac, b"message");
        assert!(mac.verify(b"message", &good));
        assert!(!mac.verify(b"message", &good[..31]));
        assert!(!mac.verify(b"message", &[good.as_slice(), &[0]].concat()));
        assert!(!mac.verify(b"message", &[]));
        assert!(!mac.verify(b"massage", &good));
    }
}
