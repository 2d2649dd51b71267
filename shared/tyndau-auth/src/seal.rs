//! Sealing personal data under a per-subject key (AES-256-GCM, aws-lc-rs). The subject's id is
//! bound as associated data, so a sealed value cannot be replayed under another subject.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tyndau_events::sealed::SealedText;

/// A data subject's key. Deleting it (from `subject_keys`) shreds what it sealed.
pub struct SubjectKey([u8; 32]);

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the system random generator failed")]
    Random,
    #[error("the key is not 32 bytes")]
    KeyLength,
    #[error("encryption failed")]
    Encrypt,
}

impl SubjectKey {
    pub fn generate() -> Result<Self, SealError> {
        let mut key = [0u8; 32];
        aws_lc_rs::rand::fill(&mut key).map_err(|_| SealError::Random)?;
        Ok(Self(key))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        bytes.try_into().map(Self).map_err(|_| SealError::KeyLength)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn aead(&self) -> Result<LessSafeKey, SealError> {
        UnboundKey::new(&AES_256_GCM, &self.0)
            .map(LessSafeKey::new)
            .map_err(|_| SealError::KeyLength)
    }

    pub fn seal(&self, subject: &str, plaintext: &str) -> Result<SealedText, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        aws_lc_rs::rand::fill(&mut nonce).map_err(|_| SealError::Random)?;
        let mut buffer = plaintext.as_bytes().to_vec();
        self.aead()?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(subject.as_bytes()),
                &mut buffer,
            )
            .map_err(|_| SealError::Encrypt)?;
        Ok(SealedText {
            nonce: STANDARD.encode(nonce),
            ciphertext: STANDARD.encode(buffer),
        })
    }

    /// The plaintext, or `None` when the value was not sealed by this key for this subject.
    pub fn open(&self, subject: &str, sealed: &SealedText) -> Option<String> {
        let nonce: [u8; NONCE_LEN] = STANDARD.decode(&sealed.nonce).ok()?.try_into().ok()?;
        let mut buffer = STANDARD.decode(&sealed.ciphertext).ok()?;
        let plaintext = self
            .aead()
            .ok()?
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(subject.as_bytes()),
                &mut buffer,
            )
            .ok()?;
        String::from_utf8(plaintext.to_vec()).ok()
    }
}

/// "First name + initial" from a full display name: `Айгерим Сапарова` → `Айгерим С.`.
pub fn first_name_and_initial(full: &str) -> Option<String> {
    let mut words = full.split_whitespace();
    let first = words.next()?;
    Some(match words.next().and_then(|w| w.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_with_its_key_and_subject() {
        let key = SubjectKey::generate().unwrap();
        let sealed = key.seal("p:s", "Айгерим С.").unwrap();
        assert_eq!(key.open("p:s", &sealed).as_deref(), Some("Айгерим С."));
        assert_eq!(key.open("p:other", &sealed), None);
        let other = SubjectKey::generate().unwrap();
        assert_eq!(other.open("p:s", &sealed), None);
        assert_ne!(
            sealed.ciphertext,
            key.seal("p:s", "Айгерим С.").unwrap().ciphertext,
            "fresh nonces"
        );
    }

    #[test]
    fn only_the_first_name_and_an_initial_are_shown() {
        assert_eq!(
            first_name_and_initial("Айгерим Сапарова").as_deref(),
            Some("Айгерим С.")
        );
        assert_eq!(first_name_and_initial("  Ерлан  ").as_deref(), Some("Ерлан"));
        assert_eq!(first_name_and_initial("   "), None);
    }
}
