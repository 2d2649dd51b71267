//! Checkpoints: signed by the log, cosigned by its witness, then published.
//!
//! Whenever the tree has grown (at most once per interval), the publisher signs a checkpoint of
//! the committed tree and asks the witness to cosign it, with a consistency proof from the last
//! checkpoint the witness cosigned. Only a cosigned checkpoint is published when a witness is
//! configured. The log never signs a checkpoint that contradicts one it signed before: the tree
//! is append-only, and a tree smaller than the newest signed checkpoint (a database restored
//! from an old backup) stops publishing instead.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tyndau_db::sqlx::{self, PgPool};
use tyndau_tlog::keys::{CosignatureVerifier, LogSigner};
use tyndau_tlog::tiles::{NeededHashes, TileHashes};
use tyndau_tlog::witness::AddCheckpoint;
use tyndau_tlog::{Hash, checkpoint};

use tyndau_telemetry::metrics::LEDGER_CHECKPOINT_LEAVES;

use crate::store::{self, SignedCheckpoint};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the ledger's database failed")]
    Database(#[from] sqlx::Error),
    #[error(
        "the tree ({size} leaves) is smaller than or differs from a checkpoint already signed ({signed} leaves)"
    )]
    Rollback { size: u64, signed: u64 },
    #[error("signing the checkpoint failed")]
    Sign(#[from] tyndau_tlog::checkpoint::CheckpointError),
    #[error("a consistency proof could not be made")]
    Proof(#[from] tyndau_tlog::TlogError),
    #[error("the witness could not be reached")]
    WitnessUnreachable(#[from] reqwest::Error),
    #[error("the witness refused the checkpoint with {status}: {body}")]
    WitnessRefused { status: u16, body: String },
}

/// Where the witness is and how to check its answers.
#[derive(Clone)]
pub struct WitnessClient {
    pub url: String,
    pub key: CosignatureVerifier,
    pub http: reqwest::Client,
}

pub struct Publisher {
    pub pool: PgPool,
    pub origin: String,
    pub signer: LogSigner,
    pub log_key: tyndau_tlog::keys::LogVerifier,
    pub witness: Option<WitnessClient>,
    pub interval: Duration,
}

impl Publisher {
    pub async fn run(self, mut appended: watch::Receiver<u64>, shutdown: CancellationToken) {
        // The witness's last cosigned size, learnt from our records or from its 409.
        let mut witness_size: Option<u64> = None;
        while !shutdown.is_cancelled() {
            // After a failure (the witness down, say) the same tree is tried again soon.
            let retry = match self.publish_once(&mut witness_size).await {
                Ok(_) => Duration::from_secs(60),
                Err(e) => {
                    witness_size = None;
                    tyndau_telemetry::log_error_chain("publishing a checkpoint failed; retrying", &e);
                    Duration::from_secs(5)
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => {},
                () = tokio::time::sleep(self.interval) => {},
            }
            // Then wait for the tree to grow.
            tokio::select! {
                () = shutdown.cancelled() => {},
                _ = appended.changed() => {},
                () = tokio::time::sleep(retry) => {},
            }
        }
    }

    /// Signs, cosigns and publishes a checkpoint of the committed tree if it grew; returns its
    /// size.
    pub async fn publish_once(&self, witness_size: &mut Option<u64>) -> Result<Option<u64>, PublishError> {
        // One publisher at a time, across processes: the lock is held while signing and asking
        // the witness, and released by the commit that saves the checkpoint.
        let mut tx = self.pool.begin().await?;
        if !store::lock_publishing(&mut tx).await? {
            return Ok(None);
        }
        let tree = store::tree(&mut tx, false).await?;
        let latest = store::latest_checkpoint(&mut *tx, false).await?;
        if let Some(latest) = &latest {
            let same_tree = latest.size < tree.size || (latest.size == tree.size && latest.root == tree.root);
            if !same_tree {
                return Err(PublishError::Rollback {
                    size: tree.size,
                    signed: latest.size,
                });
            }
            if latest.size == tree.size && (latest.witnessed || self.witness.is_none()) {
                metrics::gauge!(LEDGER_CHECKPOINT_LEAVES).set(latest.size as f64);
                return Ok(None);
            }
        } else if tree.size == 0 {
            metrics::gauge!(LEDGER_CHECKPOINT_LEAVES).set(0.0);
            return Ok(None);
        }
        let note = checkpoint::sign(&self.origin, tree.size, tree.root, &self.signer)?;
        let (note, witnessed) = match &self.witness {
            None => (note, false),
            Some(witness) => match self.cosign(witness, witness_size, tree.size, &note).await? {
                Some(lines) => {
                    *witness_size = Some(tree.size);
                    (checkpoint::with_signature_lines(&note, &lines), true)
                }
                // The witness holds a larger checkpoint already: nothing to publish.
                None => return Ok(None),
            },
        };
        store::save_checkpoint(
            &mut *tx,
            &SignedCheckpoint {
                size: tree.size,
                root: tree.root,
                note,
                witnessed,
            },
        )
        .await?;
        tx.commit().await?;
        metrics::gauge!(LEDGER_CHECKPOINT_LEAVES).set(tree.size as f64);
        Ok(Some(tree.size))
    }

    /// `add-checkpoint`, once more with the size a 409 names; `None` when the witness has
    /// cosigned this size or a larger one already (this process's record was stale).
    async fn cosign(
        &self,
        witness: &WitnessClient,
        witness_size: &mut Option<u64>,
        size: u64,
        note: &[u8],
    ) -> Result<Option<Vec<u8>>, PublishError> {
        if witness_size.is_none() {
            *witness_size = store::latest_checkpoint(&self.pool, true).await?.map(|c| c.size);
        }
        let mut old = witness_size.unwrap_or(0);
        for _ in 0..2 {
            let request = AddCheckpoint {
                old_size: old,
                proof: self.consistency_proof(size, old).await?,
                checkpoint: note.to_vec(),
            };
            let response = witness
                .http
                .post(format!("{}/add-checkpoint", witness.url.trim_end_matches('/')))
                .body(request.encode())
                .send()
                .await?;
            let status = response.status().as_u16();
            let body = response.bytes().await?;
            match status {
                200 => {
                    let cosigned = checkpoint::with_signature_lines(note, &body);
                    // Only an answer that verifies is published.
                    checkpoint::verify(&cosigned, &self.log_key, Some(&witness.key))?;
                    return Ok(Some(body.to_vec()));
                }
                409 => {
                    let text = String::from_utf8_lossy(&body);
                    match text.trim().parse::<u64>() {
                        Ok(known) if known > size => {
                            *witness_size = Some(known);
                            return Ok(None);
                        }
                        Ok(known) if known != old => old = known,
                        _ => {
                            return Err(PublishError::WitnessRefused {
                                status,
                                body: text.into_owned(),
                            });
                        }
                    }
                }
                _ => {
                    return Err(PublishError::WitnessRefused {
                        status,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                }
            }
        }
        Err(PublishError::WitnessRefused {
            status: 409,
            body: format!("the witness's size changed twice (now {old})"),
        })
    }

    /// RFC 6962 consistency proof from `old` to `size` leaves, from the stored tiles.
    async fn consistency_proof(&self, size: u64, old: u64) -> Result<Vec<Hash>, PublishError> {
        if old == 0 || old == size {
            return Ok(Vec::new());
        }
        // The hashes a proof reads depend only on the sizes: list them, fetch their tiles once.
        let needed = NeededHashes::default();
        tyndau_tlog::prove_tree(size, old, &needed)?;
        let tiles: BTreeMap<_, _> = store::tiles(&self.pool, needed.tiles()).await?;
        let reader = TileHashes::new(|key| tiles.get(&key).map(Vec::as_slice));
        Ok(tyndau_tlog::prove_tree(size, old, &reader)?)
    }
}
