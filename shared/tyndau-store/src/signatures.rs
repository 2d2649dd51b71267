//! Signatures: the `CqrsFramework` API on a batched event store.
//!
//! A `Sign` command needs no read: a signature aggregate that already exists is caught by the
//! primary key when its first event is appended ([`LoadMode::Blind`]). `Withdraw` needs the real
//! state, so it runs on a store that loads ([`LoadMode::Full`]). Both commit through the same
//! [`SignatureBatcher`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cqrs_es::{AggregateContext, AggregateError, CqrsFramework, EventEnvelope, EventStore};
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio::sync::{Mutex, mpsc, oneshot};
use tyndau_db::eventlog::{self, NewEvent, OnConflict};
use tyndau_domain::{Signature, SignatureError, SignatureServices};
use tyndau_events::aggregate_types::SIGNATURE;
use tyndau_events::{EventMetadata, Sequence, SignatureEvent};
use tyndau_ids::{PetitionId, SignatureId};
use tyndau_telemetry::metrics::{PG_POOL_WAIT_SECONDS, SIGNATURE_BATCH_COMMIT_SECONDS, SIGNATURE_BATCH_SIZE};

use crate::gate;

pub type SignatureCqrs = CqrsFramework<Signature, SignatureStore>;

pub fn signature_cqrs(store: SignatureStore, services: SignatureServices) -> Arc<SignatureCqrs> {
    Arc::new(CqrsFramework::new(store, Vec::new(), services))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadMode {
    /// Start from an empty aggregate without reading: for signing, where the primary key is the
    /// uniqueness check.
    Blind,
    /// Read the aggregate's events (at most two): for withdrawing.
    Full,
}

#[derive(Clone)]
pub struct SignatureStore {
    pool: PgPool,
    batcher: SignatureBatcher,
    mode: LoadMode,
}

impl SignatureStore {
    pub fn new(pool: PgPool, batcher: SignatureBatcher, mode: LoadMode) -> Self {
        Self { pool, batcher, mode }
    }

    /// The signature's current state from its whole history (whatever this store's mode): what
    /// a citizen sees of their own signature, straight from the record, never a projection.
    pub async fn current(&self, id: SignatureId) -> StoreResult<Signature> {
        let mut signature = Signature::default();
        for envelope in self.load_events(&id.to_string()).await? {
            cqrs_es::Aggregate::apply(&mut signature, envelope.payload);
        }
        Ok(signature)
    }
}

pub struct SignatureContext {
    aggregate_id: String,
    aggregate: Signature,
    current_sequence: usize,
}

impl AggregateContext<Signature> for SignatureContext {
    fn aggregate(&mut self) -> &mut Signature {
        &mut self.aggregate
    }
}

type StoreResult<T> = Result<T, AggregateError<SignatureError>>;

impl EventStore<Signature> for SignatureStore {
    type AC = SignatureContext;

    async fn load_events(&self, aggregate_id: &str) -> StoreResult<Vec<EventEnvelope<Signature>>> {
        let stored = eventlog::load_streams(&self.pool, SIGNATURE, &[aggregate_id])
            .await
            .map_err(unexpected)?;
        stored
            .into_iter()
            .map(|event| {
                Ok(EventEnvelope {
                    aggregate_id: aggregate_id.to_owned(),
                    sequence: usize::try_from(event.sequence).map_err(unexpected)?,
                    payload: event
                        .decode()
                        .map_err(|e| AggregateError::DeserializationError(Box::new(e)))?,
                    metadata: event.metadata.to_map(),
                })
            })
            .collect()
    }

    async fn load_aggregate(&self, aggregate_id: &str) -> StoreResult<SignatureContext> {
        let mut context = SignatureContext {
            aggregate_id: aggregate_id.to_owned(),
            aggregate: Signature::default(),
            current_sequence: 0,
        };
        if self.mode == LoadMode::Full {
            for envelope in self.load_events(aggregate_id).await? {
                context.current_sequence = envelope.sequence;
                cqrs_es::Aggregate::apply(&mut context.aggregate, envelope.payload);
            }
        }
        Ok(context)
    }

    async fn commit(
        &self,
        events: Vec<SignatureEvent>,
        context: SignatureContext,
        metadata: HashMap<String, String>,
    ) -> StoreResult<Vec<EventEnvelope<Signature>>> {
        let typed_metadata = EventMetadata::from_map(&metadata).map_err(unexpected)?;
        let last = Sequence::try_from(context.current_sequence).map_err(unexpected)?;
        let mut envelopes = Vec::with_capacity(events.len());
        for (offset, event) in events.into_iter().enumerate() {
            let sequence = last.nth_after(offset).map_err(unexpected)?;
            let delta = match &event {
                SignatureEvent::SignatureRecorded(_) => 1,
                // Bulk invalidation normally commits in its own transaction (`invalidation`).
                SignatureEvent::SignatureWithdrawn(_) | SignatureEvent::SignatureInvalidated(_) => -1,
            };
            let row = SignatureRow {
                petition_id: event.signature_id().petition,
                event: NewEvent::of(context.aggregate_id.clone(), sequence, &event, &typed_metadata)
                    .map_err(unexpected)?,
                delta,
            };
            match self.batcher.append(row).await? {
                Appended::Stored => {}
                // The key was taken between load and commit (or, signing blind, before it).
                Appended::Duplicate if sequence == Sequence::FIRST => {
                    return Err(AggregateError::UserError(SignatureError::AlreadySigned));
                }
                Appended::Duplicate => {
                    return Err(AggregateError::UserError(SignatureError::AlreadyWithdrawn));
                }
                Appended::GateClosed => {
                    return Err(AggregateError::UserError(SignatureError::PetitionClosed));
                }
            }
            envelopes.push(EventEnvelope {
                aggregate_id: context.aggregate_id.clone(),
                sequence: usize::try_from(sequence).map_err(unexpected)?,
                payload: event,
                metadata: metadata.clone(),
            });
        }
        Ok(envelopes)
    }
}

fn unexpected(error: impl std::error::Error + Send + Sync + 'static) -> AggregateError<SignatureError> {
    AggregateError::UnexpectedError(Box::new(error))
}

/// One signature event on its way into the store.
#[derive(Debug, Clone)]
pub struct SignatureRow {
    pub event: NewEvent,
    pub petition_id: PetitionId,
    /// +1 for a signature, -1 for a withdrawal: the gate's count moves by the batch's sum.
    pub delta: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Appended {
    Stored,
    /// The primary key already holds this (aggregate, sequence).
    Duplicate,
    /// The petition's gate is shut, past its closing time, or absent.
    GateClosed,
}

#[derive(Debug, thiserror::Error)]
#[error("the signature batch could not be written")]
pub struct BatchFailed(#[source] Arc<sqlx::Error>);

#[derive(Clone, Debug)]
pub struct BatcherSettings {
    /// Concurrent batch transactions. While one commits, the next batch gathers in the queue;
    /// batches for the same petition serialise on its gate row whatever this is.
    pub collectors: usize,
    pub max_batch: usize,
    /// Waiting room; when full, callers wait (backpressure instead of unbounded memory).
    pub queue: usize,
}

impl Default for BatcherSettings {
    fn default() -> Self {
        Self {
            collectors: 1,
            max_batch: 2_000,
            queue: 50_000,
        }
    }
}

struct Job {
    row: SignatureRow,
    reply: oneshot::Sender<Result<Appended, BatchFailed>>,
}

/// Appends signature events in batches: every row waiting when a collector becomes free goes into
/// its next transaction (group commit without a timer, so an idle system answers at once).
#[derive(Clone)]
pub struct SignatureBatcher {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for SignatureBatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureBatcher").finish_non_exhaustive()
    }
}

impl SignatureBatcher {
    /// Starts the collectors; they stop when every handle is dropped.
    pub fn spawn(pool: PgPool, settings: BatcherSettings) -> Self {
        let (jobs, receiver) = mpsc::channel(settings.queue.max(1));
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..settings.collectors.max(1) {
            tokio::spawn(collect(pool.clone(), receiver.clone(), settings.max_batch.max(1)));
        }
        Self { jobs }
    }

    pub async fn append(&self, row: SignatureRow) -> Result<Appended, AggregateError<SignatureError>> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { row, reply })
            .await
            .map_err(|_| batcher_gone())?;
        match answer.await {
            Ok(Ok(appended)) => Ok(appended),
            Ok(Err(failed)) => Err(AggregateError::DatabaseConnectionError(Box::new(failed))),
            Err(_) => Err(batcher_gone()),
        }
    }
}

fn batcher_gone() -> AggregateError<SignatureError> {
    AggregateError::UnexpectedError("the signature batcher has stopped".into())
}

async fn collect(pool: PgPool, receiver: Arc<Mutex<mpsc::Receiver<Job>>>, max_batch: usize) {
    let mut batch = Vec::with_capacity(max_batch);
    loop {
        let received = receiver.lock().await.recv_many(&mut batch, max_batch).await;
        if received == 0 {
            return;
        }
        let jobs = std::mem::take(&mut batch);
        let rows: Vec<&SignatureRow> = jobs.iter().map(|job| &job.row).collect();
        let started = Instant::now();
        match append_batch(&pool, &rows).await {
            Ok(outcomes) => {
                metrics::histogram!(SIGNATURE_BATCH_COMMIT_SECONDS).record(started.elapsed());
                metrics::histogram!(SIGNATURE_BATCH_SIZE).record(rows.len() as f64);
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let _receiver_gone = job.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(error = %error, rows = jobs.len(), "signature batch failed");
                let shared = Arc::new(error);
                for job in jobs {
                    let _receiver_gone = job.reply.send(Err(BatchFailed(shared.clone())));
                }
                // A failing database should not be hammered in a tight loop.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// One transaction: lock the gates of the petitions involved (in id order, so concurrent batches
/// cannot deadlock), append the rows whose gate accepts, move each gate's count by what was
/// really appended, commit once.
async fn append_batch(pool: &PgPool, rows: &[&SignatureRow]) -> Result<Vec<Appended>, sqlx::Error> {
    let mut outcomes = vec![Appended::GateClosed; rows.len()];
    let mut petitions: Vec<PetitionId> = rows.iter().map(|r| r.petition_id).collect();
    petitions.sort_unstable();
    petitions.dedup();

    let waiting = Instant::now();
    let mut tx = pool.begin().await?;
    metrics::histogram!(PG_POOL_WAIT_SECONDS).record(waiting.elapsed());
    let terms = gate::lock_terms(&mut tx, &petitions).await?;
    // Read after the locks are held: a close that committed while this batch waited is seen.
    let now = OffsetDateTime::now_utc();
    let accepting: HashSet<PetitionId> = terms
        .iter()
        .filter(|terms| terms.accepts_at(now))
        .map(|terms| terms.petition_id)
        .collect();

    // The same key twice in one batch: only the first may be appended.
    let mut seen = HashSet::new();
    let mut candidates = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if !accepting.contains(&row.petition_id) {
            continue;
        }
        if seen.insert((row.event.aggregate_id.as_str(), row.event.sequence)) {
            candidates.push(index);
        } else {
            outcomes[index] = Appended::Duplicate;
        }
    }
    if candidates.is_empty() {
        tx.commit().await?;
        return Ok(outcomes);
    }

    let events: Vec<NewEvent> = candidates.iter().map(|&i| rows[i].event.clone()).collect();
    let inserted: HashSet<(String, Sequence)> =
        eventlog::append(&mut tx, SIGNATURE, &events, OnConflict::Skip)
            .await?
            .into_iter()
            .collect();

    let mut deltas: HashMap<PetitionId, i64> = HashMap::new();
    for &index in &candidates {
        let row = rows[index];
        if inserted.contains(&(row.event.aggregate_id.clone(), row.event.sequence)) {
            outcomes[index] = Appended::Stored;
            *deltas.entry(row.petition_id).or_default() += row.delta;
        } else {
            outcomes[index] = Appended::Duplicate;
        }
    }
    gate::count(&mut tx, &deltas).await?;
    tx.commit().await?;
    Ok(outcomes)
}
