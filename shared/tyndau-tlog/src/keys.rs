//! Keys in the C2SP signed-note encodings.
//!
//! The log signs checkpoints with a plain Ed25519 note key (type 0x01, `signed_note`'s
//! `StandardSigner`); a witness cosigns with a C2SP tlog-cosignature key (type 0x04), which
//! `signed_note` does not implement, so it is here: the same Ed25519 over the message
//! `cosignature/v1\ntime <t>\n<checkpoint body>`, and an 8-byte timestamp before the signature.
//!
//! Verifier keys are `<name>+<id hex>+<base64(type ‖ public key)>`; signer keys are
//! `PRIVATE+KEY+<name>+<id hex>+<base64(type ‖ seed)>`.

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use signed_note::{Signer, Verifier};

pub use signed_note::{StandardSigner as LogSigner, StandardVerifier as LogVerifier};

const ALG_ED25519: u8 = 0x01;
const ALG_COSIGNATURE_V1: u8 = 0x04;
const COSIGNATURE_LEN: usize = 8 + ed25519_dalek::SIGNATURE_LENGTH;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("not a key in the signed-note encoding")]
    Format,
    #[error("the key is not of the expected type")]
    Type,
    #[error("the key's id does not match its name and public key")]
    Id,
}

/// Which kind of key to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// A log's checkpoint key (Ed25519, type 0x01).
    Log,
    /// A witness's cosignature key (Ed25519 `cosignature/v1`, type 0x04).
    Cosigner,
}

impl KeyKind {
    fn alg(self) -> u8 {
        match self {
            KeyKind::Log => ALG_ED25519,
            KeyKind::Cosigner => ALG_COSIGNATURE_V1,
        }
    }
}

/// A new key pair named `name`: `(signer key, verifier key)`.
pub fn generate(name: &str, kind: KeyKind) -> (String, String) {
    let signing = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    encode_pair(name, kind.alg(), &signing)
}

fn encode_pair(name: &str, alg: u8, signing: &SigningKey) -> (String, String) {
    let public = [&[alg], signing.verifying_key().as_bytes().as_slice()].concat();
    let id = signed_note::key_id(name, &public);
    let secret = [&[alg], signing.to_bytes().as_slice()].concat();
    (
        format!("PRIVATE+KEY+{name}+{id:08x}+{}", BASE64_STANDARD.encode(secret)),
        format!("{name}+{id:08x}+{}", BASE64_STANDARD.encode(public)),
    )
}

/// `(name, id, type ‖ key material)` of an encoded key.
fn split_key(encoded: &str) -> Result<(&str, u32, Vec<u8>), KeyError> {
    let (name, rest) = encoded.split_once('+').ok_or(KeyError::Format)?;
    let (id_hex, key64) = rest.split_once('+').ok_or(KeyError::Format)?;
    if id_hex.len() != 8 || !signed_note::is_key_name_valid(name) {
        return Err(KeyError::Format);
    }
    let id = u32::from_str_radix(id_hex, 16).map_err(|_| KeyError::Format)?;
    let material = BASE64_STANDARD.decode(key64).map_err(|_| KeyError::Format)?;
    if material.is_empty() {
        return Err(KeyError::Format);
    }
    Ok((name, id, material))
}

/// A witness's key for C2SP `cosignature/v1` signatures.
#[derive(Clone)]
pub struct CosignerKey {
    name: String,
    id: u32,
    key: SigningKey,
}

impl std::fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosignerKey")
            .field("name", &self.name)
            .field("id", &format_args!("{:08x}", self.id))
            .finish_non_exhaustive()
    }
}

impl CosignerKey {
    /// Parses a `PRIVATE+KEY+…` signer key of type 0x04.
    pub fn new(skey: &str) -> Result<Self, KeyError> {
        let rest = skey.strip_prefix("PRIVATE+KEY+").ok_or(KeyError::Format)?;
        let (name, id, material) = split_key(rest)?;
        if material[0] != ALG_COSIGNATURE_V1 {
            return Err(KeyError::Type);
        }
        let seed: [u8; 32] = material[1..].try_into().map_err(|_| KeyError::Format)?;
        let key = SigningKey::from_bytes(&seed);
        let public = [&[ALG_COSIGNATURE_V1], key.verifying_key().as_bytes().as_slice()].concat();
        if signed_note::key_id(name, &public) != id {
            return Err(KeyError::Id);
        }
        Ok(Self {
            name: name.to_owned(),
            id,
            key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The verifier key others configure to check this witness's cosignatures.
    pub fn verifier_key(&self) -> String {
        encode_pair(&self.name, ALG_COSIGNATURE_V1, &self.key).1
    }

    /// A signer that cosigns at `timestamp` (seconds since the Epoch).
    pub fn at(&self, timestamp: u64) -> Cosigner<'_> {
        Cosigner { key: self, timestamp }
    }
}

fn cosigned_message(timestamp: u64, body: &[u8]) -> Vec<u8> {
    [format!("cosignature/v1\ntime {timestamp}\n").as_bytes(), body].concat()
}

/// [`CosignerKey`] at a fixed time, as a note [`Signer`].
pub struct Cosigner<'a> {
    key: &'a CosignerKey,
    timestamp: u64,
}

impl Signer for Cosigner<'_> {
    fn name(&self) -> &str {
        &self.key.name
    }

    fn key_id(&self) -> u32 {
        self.key.id
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        let signature = self.key.key.sign(&cosigned_message(self.timestamp, msg));
        Ok([self.timestamp.to_be_bytes().as_slice(), &signature.to_bytes()].concat())
    }
}

/// Checks `cosignature/v1` signatures of one witness.
#[derive(Clone, Debug)]
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl CosignatureVerifier {
    /// Parses a verifier key of type 0x04.
    pub fn new(vkey: &str) -> Result<Self, KeyError> {
        let (name, id, material) = split_key(vkey)?;
        if material[0] != ALG_COSIGNATURE_V1 {
            return Err(KeyError::Type);
        }
        if signed_note::key_id(name, &material) != id {
            return Err(KeyError::Id);
        }
        let public: [u8; 32] = material[1..].try_into().map_err(|_| KeyError::Format)?;
        let key = VerifyingKey::from_bytes(&public).map_err(|_| KeyError::Format)?;
        Ok(Self {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// When a cosignature was made, if it is one of this witness's and verifies over `body`.
    pub fn timestamp_of(&self, body: &[u8], signature: &[u8]) -> Option<u64> {
        if signature.len() != COSIGNATURE_LEN {
            return None;
        }
        let (time, signature) = signature.split_at(8);
        let timestamp = u64::from_be_bytes(time.try_into().ok()?);
        if timestamp > i64::MAX as u64 {
            return None;
        }
        let signature = ed25519_dalek::Signature::from_slice(signature).ok()?;
        self.key
            .verify_strict(&cosigned_message(timestamp, body), &signature)
            .ok()
            .map(|()| timestamp)
    }
}

impl Verifier for CosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }

    fn key_id(&self) -> u32 {
        self.id
    }

    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        self.timestamp_of(msg, sig).is_some()
    }
}

/// The log's checkpoint key, parsed from its signer key (type 0x01).
pub fn log_signer(skey: &str) -> Result<LogSigner, KeyError> {
    LogSigner::new(skey).map_err(|e| match e {
        signed_note::SignerError::Alg => KeyError::Type,
        signed_note::SignerError::Id => KeyError::Id,
        signed_note::SignerError::Format => KeyError::Format,
    })
}

/// The log's verifier key, parsed (type 0x01).
pub fn log_verifier(vkey: &str) -> Result<LogVerifier, KeyError> {
    LogVerifier::new(vkey).map_err(|e| match e {
        signed_note::VerifierError::Alg => KeyError::Type,
        signed_note::VerifierError::Id => KeyError::Id,
        signed_note::VerifierError::Format => KeyError::Format,
    })
}

/// The verifier key of a log signer key.
pub fn log_verifier_key(skey: &str) -> Result<String, KeyError> {
    let rest = skey.strip_prefix("PRIVATE+KEY+").ok_or(KeyError::Format)?;
    let (name, _, material) = split_key(rest)?;
    let seed: [u8; 32] = material
        .get(1..)
        .and_then(|s| s.try_into().ok())
        .ok_or(KeyError::Format)?;
    log_signer(skey)?;
    Ok(encode_pair(name, ALG_ED25519, &SigningKey::from_bytes(&seed)).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_sign_what_their_verifiers_accept() {
        let (skey, vkey) = generate("tyndau.test/log", KeyKind::Log);
        let signer = log_signer(&skey).unwrap();
        let verifier = log_verifier(&vkey).unwrap();
        assert_eq!(log_verifier_key(&skey).unwrap(), vkey);
        let signature = signer.sign(b"body\n").unwrap();
        assert!(verifier.verify(b"body\n", &signature));
        assert!(!verifier.verify(b"other\n", &signature));

        let (skey, vkey) = generate("tyndau.test/witness", KeyKind::Cosigner);
        let cosigner = CosignerKey::new(&skey).unwrap();
        assert_eq!(cosigner.verifier_key(), vkey);
        let verifier = CosignatureVerifier::new(&vkey).unwrap();
        let signature = cosigner.at(1_700_000_000).sign(b"body\n").unwrap();
        assert_eq!(verifier.timestamp_of(b"body\n", &signature), Some(1_700_000_000));
        assert!(!verifier.verify(b"other\n", &signature));
    }

    #[test]
    fn a_key_of_the_other_kind_or_with_a_wrong_id_is_refused() {
        let (log_skey, log_vkey) = generate("tyndau.test/log", KeyKind::Log);
        let (witness_skey, witness_vkey) = generate("tyndau.test/witness", KeyKind::Cosigner);
        assert_eq!(CosignerKey::new(&log_skey).unwrap_err(), KeyError::Type);
        assert_eq!(CosignatureVerifier::new(&log_vkey).unwrap_err(), KeyError::Type);
        assert!(log_verifier(&witness_vkey).is_err());
        assert!(log_signer(&witness_skey).is_err());
        let renamed = witness_vkey.replacen("tyndau.test/witness", "tyndau.test/other", 1);
        assert_eq!(CosignatureVerifier::new(&renamed).unwrap_err(), KeyError::Id);
        assert_eq!(CosignatureVerifier::new("no key").unwrap_err(), KeyError::Format);
    }

    #[test]
    fn the_cosignature_signs_the_c2sp_message() {
        // C2SP tlog-cosignature: the signed message is the header line, the time line, then
        // the checkpoint body; the signature is the timestamp (big-endian) and the Ed25519 one.
        let (skey, _) = generate("w", KeyKind::Cosigner);
        let key = CosignerKey::new(&skey).unwrap();
        let signature = key.at(7).sign(b"origin\n1\nAAAA\n").unwrap();
        assert_eq!(&signature[..8], &7u64.to_be_bytes());
        let raw = ed25519_dalek::Signature::from_slice(&signature[8..]).unwrap();
        key.key
            .verifying_key()
            .verify_strict(b"cosignature/v1\ntime 7\norigin\n1\nAAAA\n", &raw)
            .unwrap();
    }
}
