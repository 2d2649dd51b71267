//! Appending: the public events of the log, in commit order, become leaves.
//!
//! Each batch is one transaction that locks the tree's row, reads the events after the row's
//! cursor (gap-safely, `tyndau_db::eventlog`), appends their leaves and tiles and moves the
//! cursor. The leaves' order is the log's commit order, so any process appending from the same
//! row appends the same leaves: a restart or a standby continues the same tree.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretSlice};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tyndau_db::eventlog::{self, StoredEvent};
use tyndau_db::sqlx::{self, PgConnection, PgPool};
use tyndau_telemetry::metrics::LEDGER_LEAVES;
use tyndau_tlog::leaf::{LOGGED_AGGREGATES, LoggedEvent, leaf_of};
use tyndau_tlog::tiles::{Frontier, HEIGHT, TileData};

use crate::store::{self, TreeState};

#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("the ledger's database failed")]
    Database(#[from] sqlx::Error),
    #[error("the stored edge of the tree does not match its size")]
    Edge(#[from] tyndau_tlog::tiles::TileError),
    #[error("an event cannot be logged")]
    Leaf(#[from] tyndau_tlog::leaf::LeafError),
}

pub struct Appender {
    pool: PgPool,
    receipt_key: SecretSlice<u8>,
    batch: i64,
    idle: Duration,
    frontier: Frontier,
    /// The tree's size after every commit, for the checkpoint publisher.
    appended: watch::Sender<u64>,
}

impl Appender {
    pub fn new(
        pool: PgPool,
        receipt_key: SecretSlice<u8>,
        batch: i64,
        idle: Duration,
    ) -> (Self, watch::Receiver<u64>) {
        let (appended, rx) = watch::channel(0);
        (
            Self {
                pool,
                receipt_key,
                batch,
                idle,
                frontier: Frontier::default(),
                appended,
            },
            rx,
        )
    }

    pub async fn run(mut self, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            let wait = match self.append_once().await {
                Ok(n) if n as i64 >= self.batch => Duration::ZERO,
                Ok(_) => self.idle,
                Err(e) => {
                    tyndau_telemetry::log_error_chain("appending to the ledger failed; retrying", &e);
                    // What is in memory may be ahead of what committed: read it again.
                    self.frontier = Frontier::default();
                    Duration::from_millis(500)
                }
            };
            if !wait.is_zero() {
                tokio::select! {
                    () = shutdown.cancelled() => {},
                    () = tokio::time::sleep(wait) => {},
                }
            }
        }
        tracing::info!("ledger appender stopped");
    }

    /// One batch; returns how many events it read.
    pub async fn append_once(&mut self) -> Result<usize, AppendError> {
        let mut tx = self.pool.begin().await?;
        let tree = store::tree(&mut tx, true).await?;
        // Another process appended, or this one's last batch did not commit: read the edge again.
        if tree.size != self.frontier.size() {
            self.frontier = resume(&mut tx, tree.size).await?;
        }
        let events = eventlog::read_of_after(&mut *tx, &LOGGED_AGGREGATES, tree.cursor, self.batch).await?;
        let Some(last) = events.last().map(|e| e.position) else {
            self.announce(tree.size);
            metrics::gauge!(LEDGER_LEAVES).set(tree.size as f64);
            return Ok(0);
        };
        let mut leaves = Vec::with_capacity(events.len());
        let mut completed: Vec<TileData> = Vec::new();
        for event in &events {
            let Some(leaf) = leaf_of(&logged(event), self.receipt_key.expose_secret())? else {
                continue;
            };
            let data = leaf.encode();
            let hash = tyndau_tlog::record_hash(&data);
            self.frontier.push(hash, &mut completed);
            leaves.push((data, hash));
        }
        completed.extend(self.frontier.edge_tiles());
        let state = TreeState {
            size: self.frontier.size(),
            root: self.frontier.root(),
            cursor: last,
        };
        store::append(&mut tx, tree.size, &leaves, &completed, &state).await?;
        tx.commit().await?;
        self.announce(state.size);
        metrics::gauge!(LEDGER_LEAVES).set(state.size as f64);
        tracing::debug!(leaves = leaves.len(), size = state.size, "appended");
        Ok(events.len())
    }
}

impl Appender {
    /// Wakes the checkpoint publisher when the committed tree has grown.
    fn announce(&self, size: u64) {
        self.appended.send_if_modified(|known| {
            let grown = *known != size;
            *known = size;
            grown
        });
    }
}

fn logged(event: &StoredEvent) -> LoggedEvent<'_> {
    LoggedEvent {
        aggregate_type: &event.aggregate_type,
        aggregate_id: &event.aggregate_id,
        sequence: u64::from(event.sequence),
        event_type: &event.event_type,
        event_version: &event.event_version,
        payload: &event.payload,
    }
}

/// The right edge of the stored tree of `size` leaves.
async fn resume(conn: &mut PgConnection, size: u64) -> Result<Frontier, AppendError> {
    let mut keys = Vec::new();
    let mut level = 0u8;
    while size
        .checked_shr(u32::from(HEIGHT) * u32::from(level))
        .unwrap_or(0)
        > 0
    {
        let hashes = size >> (u32::from(HEIGHT) * u32::from(level));
        keys.push((level, hashes / tyndau_tlog::tiles::WIDTH));
        level += 1;
    }
    let tiles: BTreeMap<_, _> = store::tiles(&mut *conn, keys).await?;
    Ok(Frontier::resume(size, &tiles)?)
}
