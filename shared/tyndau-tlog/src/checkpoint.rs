//! Checkpoints (C2SP tlog-checkpoint) as signed notes (C2SP signed-note): signed by the log,
//! cosigned by its witness.

use signed_note::{Note, Signer, Verifier, VerifierList};
use tlog_tiles::{Checkpoint, Hash};

use crate::keys::{CosignatureVerifier, LogSigner, LogVerifier};

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint is not a well-formed signed note")]
    Malformed,
    #[error("the log's signature on the checkpoint does not verify")]
    LogSignature,
    #[error("the checkpoint carries no valid cosignature from the witness {0}")]
    NotWitnessed(String),
    #[error("the checkpoint's origin is {found:?}, not the log's {expected:?}")]
    Origin { expected: String, found: String },
    #[error("signing failed")]
    Signing,
}

/// A checkpoint whose signatures were checked.
#[derive(Debug)]
pub struct Verified {
    pub checkpoint: Checkpoint,
    /// When the witness cosigned, if a witness was asked for.
    pub witnessed_at: Option<u64>,
}

/// The body of the checkpoint of a tree, signed by the log: the note's bytes.
pub fn sign(origin: &str, size: u64, root: Hash, log: &LogSigner) -> Result<Vec<u8>, CheckpointError> {
    let body = Checkpoint::new(origin, size, root, "")
        .map_err(|_| CheckpointError::Malformed)?
        .to_bytes();
    let mut note = Note::new(&body, &[]).map_err(|_| CheckpointError::Malformed)?;
    note.add_sigs(&[log as &dyn Signer])
        .map_err(|_| CheckpointError::Signing)?;
    Ok(note.to_bytes())
}

/// Adds signature lines (a witness's answer) to a signed note.
pub fn with_signature_lines(note: &[u8], lines: &[u8]) -> Vec<u8> {
    [note, lines].concat()
}

/// Checks the log's signature and, if `witness` is given, the witness's cosignature, and that
/// the origin is the log's key name. Signatures of unknown keys are ignored (C2SP signed-note).
pub fn verify(
    note: &[u8],
    log: &LogVerifier,
    witness: Option<&CosignatureVerifier>,
) -> Result<Verified, CheckpointError> {
    let parsed = Note::from_bytes(note).map_err(|_| CheckpointError::Malformed)?;
    let mut verifiers: Vec<Box<dyn Verifier>> = vec![Box::new(log.clone())];
    if let Some(witness) = witness {
        verifiers.push(Box::new(witness.clone()));
    }
    let (verified, _unknown) = parsed
        .verify(&VerifierList::new(verifiers))
        .map_err(|e| match e {
            signed_note::NoteError::InvalidSignature { name, .. }
                if Some(name.as_str()) == witness.map(|w| w.name()) =>
            {
                CheckpointError::NotWitnessed(name)
            }
            signed_note::NoteError::MalformedNote => CheckpointError::Malformed,
            _ => CheckpointError::LogSignature,
        })?;
    if !verified
        .iter()
        .any(|s| s.name() == log.name() && s.id() == log.key_id())
    {
        return Err(CheckpointError::LogSignature);
    }
    let witnessed_at = match witness {
        None => None,
        Some(witness) => {
            let cosignature = verified
                .iter()
                .find(|s| s.name() == witness.name() && s.id() == witness.key_id())
                .ok_or_else(|| CheckpointError::NotWitnessed(witness.name().to_owned()))?;
            witness.timestamp_of(parsed.text(), cosignature.signature())
        }
    };
    let checkpoint = Checkpoint::from_bytes(parsed.text()).map_err(|_| CheckpointError::Malformed)?;
    if checkpoint.origin() != log.name() {
        return Err(CheckpointError::Origin {
            expected: log.name().to_owned(),
            found: checkpoint.origin().to_owned(),
        });
    }
    Ok(Verified {
        checkpoint,
        witnessed_at,
    })
}

/// The note's body (the checkpoint without signatures).
pub fn body(note: &[u8]) -> Option<Vec<u8>> {
    Note::from_bytes(note).ok().map(|n| n.text().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{CosignerKey, KeyKind, generate, log_signer, log_verifier};

    #[test]
    fn a_cosigned_checkpoint_verifies_and_a_bare_one_is_not_witnessed() {
        let (log_skey, log_vkey) = generate("tyndau.test/log", KeyKind::Log);
        let (witness_skey, witness_vkey) = generate("tyndau.test/witness", KeyKind::Cosigner);
        let log = log_verifier(&log_vkey).unwrap();
        let witness = CosignatureVerifier::new(&witness_vkey).unwrap();
        let root = tlog_tiles::record_hash(b"x");
        let note = sign("tyndau.test/log", 1, root, &log_signer(&log_skey).unwrap()).unwrap();

        let verified = verify(&note, &log, None).unwrap();
        assert_eq!(
            (verified.checkpoint.size(), *verified.checkpoint.hash()),
            (1, root)
        );
        assert!(matches!(
            verify(&note, &log, Some(&witness)),
            Err(CheckpointError::NotWitnessed(_))
        ));

        let key = CosignerKey::new(&witness_skey).unwrap();
        let mut cosigned = Note::from_bytes(&note).unwrap();
        cosigned.add_sigs(&[&key.at(42) as &dyn Signer]).unwrap();
        let verified = verify(&cosigned.to_bytes(), &log, Some(&witness)).unwrap();
        assert_eq!(verified.witnessed_at, Some(42));
    }

    #[test]
    fn another_logs_key_or_an_edited_body_fails() {
        let (log_skey, log_vkey) = generate("tyndau.test/log", KeyKind::Log);
        let (_, other_vkey) = generate("tyndau.test/log", KeyKind::Log);
        let note = sign(
            "tyndau.test/log",
            5,
            tlog_tiles::record_hash(b"x"),
            &log_signer(&log_skey).unwrap(),
        )
        .unwrap();
        assert!(verify(&note, &log_verifier(&other_vkey).unwrap(), None).is_err());
        let edited = String::from_utf8(note).unwrap().replacen("\n5\n", "\n6\n", 1);
        assert!(matches!(
            verify(edited.as_bytes(), &log_verifier(&log_vkey).unwrap(), None),
            Err(CheckpointError::LogSignature)
        ));
    }
}
