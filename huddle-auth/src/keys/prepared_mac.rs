//! The HMAC state prepared once from a key: HMAC-SHA256 for HS256 tokens
//! and webhooks, HMAC-SHA512 for webhooks.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};

/// A hash HMAC is keyed over here: ties the hash to its HMAC state type, so
/// that one [`PreparedMac`] serves every hash without spelling out the bounds
/// of `hmac`'s generic core.
pub(crate) trait MacHash {
    /// HMAC over this hash.
    type State: Mac + KeyInit + Clone;
}

impl MacHash for Sha256 {
    type State = Hmac<Sha256>;
}

impl MacHash for Sha512 {
    type State = Hmac<Sha512>;
}

/// HMAC keyed once with a secret: the hash states after the blocks
/// `secret ^ ipad` and `secret ^ opad` (RFC 2104). Each message then costs
/// only the hashing of its own bytes. HMAC-SHA256 unless another hash is named.
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
pub(crate) struct PreparedMac<H: MacHash = Sha256>(H::State);

impl<H: MacHash> Clone for PreparedMac<H> {
    fn clone(&self) -> Self {
        PreparedMac(self.0.clone())
    }
}

impl<H: MacHash> PreparedMac<H> {
    /// Keys HMAC with `secret`.
    pub(crate) fn new(secret: &[u8]) -> Result<Self, hmac::digest::InvalidLength> {
        <H::State as KeyInit>::new_from_slice(secret).map(PreparedMac)
    }

    /// A copy of the keyed state, to MAC one message.
    pub(crate) fn start(&self) -> H::State {
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

impl<H: MacHash> PreparedMac<H> {
    /// Overwrites the keyed state, in place, with that of the all-zero key.
    fn wipe(&mut self) {
        self.0 = <H::State as KeyInit>::new(&Default::default());
        std::hint::black_box(&self.0);
    }
}

impl<H: MacHash> Drop for PreparedMac<H> {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag<H: MacHash>(mac: &PreparedMac<H>, message: &[u8]) -> Vec<u8> {
        let mut mac = mac.start();
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn wiping_leaves_the_state_of_the_public_zero_key() {
        let secret = b"a secret of at least thirty-two bytes";
        let zero_key = PreparedMac::<Sha256>::new(&[0; 64]).expect("any key length");
        let mut mac = PreparedMac::<Sha256>::new(secret).expect("any key length");
        assert_ne!(tag(&mac, b"message"), tag(&zero_key, b"message"));
        mac.wipe();
        assert_eq!(tag(&mac, b"message"), tag(&zero_key, b"message"));
    }

    #[test]
    fn verify_refuses_wrong_and_truncated_tags() {
        let mac =
            PreparedMac::<Sha256>::new(b"a secret of at least thirty-two bytes").expect("key");
        let good = tag(&mac, b"message");
        assert!(mac.verify(b"message", &good));
        assert!(!mac.verify(b"message", &good[..31]));
        assert!(!mac.verify(b"message", &[good.as_slice(), &[0]].concat()));
        assert!(!mac.verify(b"message", &[]));
        assert!(!mac.verify(b"massage", &good));
    }

    // RFC 4231 section 4.3 (test case 2): key "Jefe".
    #[test]
    fn matches_rfc_4231_for_both_hashes() {
        let message = b"what do ya want for nothing?";
        let sha256 = PreparedMac::<Sha256>::new(b"Jefe").expect("key");
        let sha512 = PreparedMac::<Sha512>::new(b"Jefe").expect("key");
        assert_eq!(
            hex(&tag(&sha256, message)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&tag(&sha512, message)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
        let mut wiped = sha512.clone();
        wiped.wipe();
        let zero_key = PreparedMac::<Sha512>::new(&[0; 128]).expect("any key length");
        assert_eq!(tag(&wiped, message), tag(&zero_key, message));
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
