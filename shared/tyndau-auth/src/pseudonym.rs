//! IIN → signer pseudonym. National ids have only ~10^10–10^11 values, so an unkeyed hash would be
//! brute-forced in minutes; a secret pepper kept outside the database and its backups is what makes
//! [`SignerKey`] safe to store.

use std::fmt;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;
use tyndau_ids::{Iin, SignerKey};

/// Minimum pepper length: 256 bits, the HMAC-SHA256 block security level.
pub const MIN_PEPPER_BYTES: usize = 32;

/// The pepper is too short to resist guessing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the pseudonymisation pepper must be at least {MIN_PEPPER_BYTES} bytes")]
pub struct PepperTooShort;

/// Derives stable signer keys. `Debug` never prints the pepper; the pepper is zeroised on drop.
pub struct Pseudonymizer {
    pepper: SecretSlice<u8>,
}

impl Pseudonymizer {
    pub fn new(pepper: SecretSlice<u8>) -> Result<Self, PepperTooShort> {
        if pepper.expose_secret().len() < MIN_PEPPER_BYTES {
            return Err(PepperTooShort);
        }
        Ok(Self { pepper })
    }

    /// `HMAC-SHA256(pepper, the IIN's 12 ASCII digits)`.
    pub fn signer_key(&self, iin: &Iin) -> SignerKey {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.pepper.expose_secret())
            .expect("HMAC accepts keys of any length");
        mac.update(iin.expose_digits().as_bytes());
        SignerKey::from_bytes(mac.finalize().into_bytes().into())
    }
}

impl fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymizer { pepper: [REDACTED] }")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;

    fn pepper(byte: u8, len: usize) -> SecretSlice<u8> {
        vec![byte; len].into()
    }

    #[test]
    fn keys_are_stable_keyed_and_match_plain_hmac() {
        let iin: Iin = "900101300017".parse().unwrap();
        let other: Iin = "850115300205".parse().unwrap();
        let p = Pseudonymizer::new(pepper(1, 32)).unwrap();
        assert_eq!(p.signer_key(&iin), p.signer_key(&iin));
        assert_ne!(p.signer_key(&iin), p.signer_key(&other));
        let q = Pseudonymizer::new(pepper(2, 64)).unwrap();
        assert_ne!(p.signer_key(&iin), q.signer_key(&iin));

        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&[1u8; 32]).unwrap();
        mac.update(b"900101300017");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(p.signer_key(&iin), SignerKey::from_bytes(expected));
    }

    #[test]
    fn short_peppers_are_refused_and_never_printed() {
        assert_eq!(Pseudonymizer::new(pepper(b'a', 31)).unwrap_err(), PepperTooShort);
        let p = Pseudonymizer::new(pepper(b'z', 40)).unwrap();
        assert!(!format!("{p:?}").contains("zzzz"));
        assert!(!format!("{p:?}").contains("122"));
    }
}
