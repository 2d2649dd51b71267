//! The C2SP tlog-witness protocol as data: the `add-checkpoint` request and the witness's
//! decision on it, with the spec's answers.

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use signed_note::{Note, Signer, Verifier, VerifierList};
use tlog_tiles::{Checkpoint, Hash};

use crate::keys::{CosignerKey, LogVerifier};

/// At most this many consistency proof lines (C2SP tlog-witness).
pub const MAX_PROOF_LINES: usize = 63;

/// `POST <prefix>/add-checkpoint`'s body.
#[derive(Clone, Debug, PartialEq)]
pub struct AddCheckpoint {
    pub old_size: u64,
    pub proof: Vec<Hash>,
    /// The signed checkpoint note.
    pub checkpoint: Vec<u8>,
}

impl AddCheckpoint {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = format!("old {}\n", self.old_size).into_bytes();
        for hash in &self.proof {
            out.extend_from_slice(BASE64_STANDARD.encode(hash.0).as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
        out.extend_from_slice(&self.checkpoint);
        out
    }

    pub fn parse(body: &[u8]) -> Result<Self, Refusal> {
        let text = std::str::from_utf8(body).map_err(|_| Refusal::Malformed("not UTF-8"))?;
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or(Refusal::Malformed("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .ok_or(Refusal::Malformed("no `old <size>` line"))?;
        if old.len() > 1 && old.starts_with('0') || old.is_empty() || !old.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Refusal::Malformed(
                "the old size is not a decimal without leading zeroes",
            ));
        }
        let old_size = old
            .parse()
            .map_err(|_| Refusal::Malformed("the old size is out of range"))?;
        let proof = lines
            .map(|line| {
                let bytes = BASE64_STANDARD
                    .decode(line)
                    .map_err(|_| Refusal::Malformed("a proof line is not base64"))?;
                let hash: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| Refusal::Malformed("a proof line is not a SHA-256 hash"))?;
                Ok(Hash(hash))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if proof.len() > MAX_PROOF_LINES {
            return Err(Refusal::Malformed("more than 63 proof lines"));
        }
        Ok(Self {
            old_size,
            proof,
            checkpoint: checkpoint.as_bytes().to_vec(),
        })
    }
}

/// Why a witness does not cosign, with the HTTP status the spec gives each.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    #[error("the old size is larger than the checkpoint's")]
    OldSizeTooLarge,
    #[error("the checkpoint's origin is not a log this witness knows")]
    UnknownLog,
    #[error("no signature on the checkpoint verifies against the log's key")]
    BadSignature,
    #[error("the old size is not the size of the latest checkpoint cosigned ({latest})")]
    OldSizeMismatch { latest: u64 },
    #[error("a checkpoint of the same size with another root hash was cosigned")]
    SameSizeOtherRoot { latest: u64 },
    #[error("the consistency proof does not verify")]
    BadProof,
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::Malformed(_) | Refusal::OldSizeTooLarge => 400,
            Refusal::BadSignature => 403,
            Refusal::UnknownLog => 404,
            Refusal::OldSizeMismatch { .. } | Refusal::SameSizeOtherRoot { .. } => 409,
            Refusal::BadProof => 422,
        }
    }

    /// The size a 409 names (`text/x.tlog.size`).
    pub fn latest_size(&self) -> Option<u64> {
        match self {
            Refusal::OldSizeMismatch { latest } | Refusal::SameSizeOtherRoot { latest } => Some(*latest),
            _ => None,
        }
    }
}

/// What a witness remembers of one log: the latest checkpoint it cosigned.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cosigned {
    pub size: u64,
    #[serde(with = "hex_hash")]
    pub root: Hash,
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};
    use tlog_tiles::Hash;

    pub fn serialize<S: Serializer>(hash: &Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(hash.0))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(text).map_err(serde::de::Error::custom)?;
        Ok(Hash(
            bytes
                .try_into()
                .map_err(|_| serde::de::Error::custom("not 32 bytes"))?,
        ))
    }
}

/// The origin line of the request's checkpoint: which log it claims to be from.
pub fn origin_of(request: &AddCheckpoint) -> Result<String, Refusal> {
    let note = Note::from_bytes(&request.checkpoint)
        .map_err(|_| Refusal::Malformed("the checkpoint is not a signed note"))?;
    let checkpoint =
        Checkpoint::from_bytes(note.text()).map_err(|_| Refusal::Malformed("not a checkpoint"))?;
    Ok(checkpoint.origin().to_owned())
}

/// The witness's decision, in the spec's order of checks: the new state to persist before
/// answering, and the answer's signature lines.
pub fn decide(
    request: &AddCheckpoint,
    log: &LogVerifier,
    latest: Option<Cosigned>,
    key: &CosignerKey,
    now: u64,
) -> Result<(Cosigned, Vec<u8>), Refusal> {
    let note = Note::from_bytes(&request.checkpoint)
        .map_err(|_| Refusal::Malformed("the checkpoint is not a signed note"))?;
    let checkpoint =
        Checkpoint::from_bytes(note.text()).map_err(|_| Refusal::Malformed("not a checkpoint"))?;
    if checkpoint.origin() != log.name() {
        return Err(Refusal::UnknownLog);
    }
    let verified = note
        .verify(&VerifierList::new(vec![
            Box::new(log.clone()) as Box<dyn Verifier>
        ]))
        .map_err(|_| Refusal::BadSignature)?;
    if verified.0.is_empty() {
        return Err(Refusal::BadSignature);
    }
    if request.old_size > checkpoint.size() {
        return Err(Refusal::OldSizeTooLarge);
    }
    let latest_size = latest.map_or(0, |l| l.size);
    if request.old_size != latest_size {
        return Err(Refusal::OldSizeMismatch { latest: latest_size });
    }
    match latest {
        None if !request.proof.is_empty() => return Err(Refusal::BadProof),
        None => {}
        Some(latest) if latest.size == checkpoint.size() && latest.root != *checkpoint.hash() => {
            return Err(Refusal::SameSizeOtherRoot { latest: latest.size });
        }
        Some(latest) if latest.size == checkpoint.size() => {}
        Some(latest) => {
            tlog_tiles::check_tree(
                &request.proof,
                checkpoint.size(),
                *checkpoint.hash(),
                latest.size,
                latest.root,
            )
            .map_err(|_| Refusal::BadProof)?;
        }
    }
    let mut cosigned = Note::new(note.text(), &[]).map_err(|_| Refusal::Malformed("not a note"))?;
    cosigned
        .add_sigs(&[&key.at(now) as &dyn Signer])
        .map_err(|_| Refusal::Malformed("cannot cosign"))?;
    let bytes = cosigned.to_bytes();
    // The answer is the signature lines only: what follows the note's blank line.
    let lines = bytes[note.text().len() + 1..].to_vec();
    Ok((
        Cosigned {
            size: checkpoint.size(),
            root: *checkpoint.hash(),
        },
        lines,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint;
    use crate::keys::{CosignatureVerifier, KeyKind, generate, log_signer, log_verifier};
    use crate::tiles::{Frontier, TileHashes};

    struct Setup {
        log: LogVerifier,
        signer: crate::keys::LogSigner,
        witness: CosignerKey,
        witness_verifier: CosignatureVerifier,
    }

    fn setup() -> Setup {
        let (log_skey, log_vkey) = generate("tyndau.test/log", KeyKind::Log);
        let (witness_skey, witness_vkey) = generate("tyndau.test/witness", KeyKind::Cosigner);
        Setup {
            log: log_verifier(&log_vkey).unwrap(),
            signer: log_signer(&log_skey).unwrap(),
            witness: CosignerKey::new(&witness_skey).unwrap(),
            witness_verifier: CosignatureVerifier::new(&witness_vkey).unwrap(),
        }
    }

    type Tiles = std::collections::BTreeMap<crate::tiles::TileKey, Vec<u8>>;

    /// A tree of `n` leaves named with `salt`, its tiles and its signed checkpoint.
    fn tree(s: &Setup, n: u64, salt: &str) -> (Frontier, Tiles, Vec<u8>) {
        let mut frontier = Frontier::default();
        let mut done = Vec::new();
        for i in 0..n {
            frontier.push(
                tlog_tiles::record_hash(format!("{salt}{i}").as_bytes()),
                &mut done,
            );
        }
        let tiles = done
            .into_iter()
            .chain(frontier.edge_tiles())
            .map(|t| ((t.level, t.index), t.hashes))
            .collect();
        let note = checkpoint::sign("tyndau.test/log", n, frontier.root(), &s.signer).unwrap();
        (frontier, tiles, note)
    }

    #[test]
    fn the_first_checkpoint_then_a_consistent_one_are_cosigned() {
        let s = setup();
        let (_, _, first) = tree(&s, 10, "");
        let request = AddCheckpoint {
            old_size: 0,
            proof: vec![],
            checkpoint: first.clone(),
        };
        assert_eq!(AddCheckpoint::parse(&request.encode()).unwrap(), request);
        let (state, lines) = decide(&request, &s.log, None, &s.witness, 100).unwrap();
        assert_eq!(state.size, 10);
        let cosigned = checkpoint::with_signature_lines(&first, &lines);
        assert!(checkpoint::verify(&cosigned, &s.log, Some(&s.witness_verifier)).is_ok());

        let (_, tiles, second) = tree(&s, 300, "");
        let reader = TileHashes::new(|key| tiles.get(&key).map(Vec::as_slice));
        let proof = tlog_tiles::prove_tree(300, 10, &reader).unwrap();
        let request = AddCheckpoint {
            old_size: 10,
            proof,
            checkpoint: second,
        };
        let request = AddCheckpoint::parse(&request.encode()).unwrap();
        assert_eq!(
            decide(&request, &s.log, Some(state), &s.witness, 101)
                .unwrap()
                .0
                .size,
            300
        );
    }

    #[test]
    fn a_rewritten_history_a_stale_size_and_a_stranger_are_refused_with_the_specs_codes() {
        let s = setup();
        let (honest, _, _) = tree(&s, 10, "");
        let state = Cosigned {
            size: 10,
            root: honest.root(),
        };
        // The same first 10 leaves replaced: no consistency proof can link the two.
        let (_, tiles, forked) = tree(&s, 300, "forged ");
        let reader = TileHashes::new(|key| tiles.get(&key).map(Vec::as_slice));
        let proof = tlog_tiles::prove_tree(300, 10, &reader).unwrap();
        let refusal = decide(
            &AddCheckpoint {
                old_size: 10,
                proof: proof.clone(),
                checkpoint: forked.clone(),
            },
            &s.log,
            Some(state),
            &s.witness,
            1,
        )
        .unwrap_err();
        assert_eq!((refusal.status(), refusal.clone()), (422, Refusal::BadProof));

        let refusal = decide(
            &AddCheckpoint {
                old_size: 5,
                proof,
                checkpoint: forked.clone(),
            },
            &s.log,
            Some(state),
            &s.witness,
            1,
        )
        .unwrap_err();
        assert_eq!((refusal.status(), refusal.latest_size()), (409, Some(10)));

        let (_, _, same_size) = tree(&s, 10, "other ");
        let refusal = decide(
            &AddCheckpoint {
                old_size: 10,
                proof: vec![],
                checkpoint: same_size,
            },
            &s.log,
            Some(state),
            &s.witness,
            1,
        )
        .unwrap_err();
        assert_eq!(refusal.status(), 409);

        let stranger = setup();
        let (_, _, foreign) = tree(&stranger, 10, "");
        let refusal = decide(
            &AddCheckpoint {
                old_size: 0,
                proof: vec![],
                checkpoint: foreign,
            },
            &s.log,
            None,
            &s.witness,
            1,
        )
        .unwrap_err();
        assert_eq!(refusal.status(), 403);

        let refusal = decide(
            &AddCheckpoint {
                old_size: 400,
                proof: vec![],
                checkpoint: forked,
            },
            &s.log,
            Some(state),
            &s.witness,
            1,
        )
        .unwrap_err();
        assert_eq!(refusal.status(), 400);
    }

    #[test]
    fn malformed_bodies_are_400s() {
        for body in [
            &b"old 01\n\nx"[..],
            b"old 1\nnot base64!\n\nx",
            b"new 1\n\nx",
            b"old 1\n",
            b"old -1\n\nx",
            &[0xff, 0xfe],
        ] {
            let refusal = AddCheckpoint::parse(body).unwrap_err();
            assert_eq!(refusal.status(), 400, "{body:?}");
        }
        let many = format!(
            "old 1\n{}\nx",
            format!("{}\n", BASE64_STANDARD.encode([0u8; 32])).repeat(64)
        );
        assert_eq!(
            AddCheckpoint::parse(many.as_bytes()).unwrap_err(),
            Refusal::Malformed("more than 63 proof lines")
        );
    }
}
