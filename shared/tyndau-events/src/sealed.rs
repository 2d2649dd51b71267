//! Personal data inside events is sealed (AES-256-GCM) under a key per data subject, kept apart
//! from the events. Deleting the key erases the data in every stored copy at once
//! (crypto-shredding) while the events, and every count built from them, stay intact.

use serde::{Deserialize, Serialize};

/// A sealed text: base64 nonce and ciphertext (with its tag). Opening needs the subject's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SealedText {
    pub nonce: String,
    pub ciphertext: String,
}
