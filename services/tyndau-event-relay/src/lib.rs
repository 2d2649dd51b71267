//! The event relay: the only path from the event store to the bus.
//!
//! It polls `events` in gap-safe commit order (see `tyndau_db::eventlog`), packs consecutive
//! events of one aggregate type, partition and event type into one message, publishes with a
//! deterministic `Nats-Msg-Id`, waits for every acknowledgement, and only then advances its
//! checkpoint. A crash anywhere re-publishes from the checkpoint: the server's deduplication and
//! the consumers' idempotency make that harmless, and nothing committed is ever skipped.
//! One relay is active at a time (a PostgreSQL advisory lock); others stand by.

mod pack;

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Deserialize;
use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use tyndau_bus::{Bus, OutgoingMessage};
use tyndau_config::{DatabaseSettings, HttpSettings, NatsSettings};
use tyndau_db::eventlog::{self, CheckpointTable, LogPosition};
use tyndau_db::sqlx;
use tyndau_telemetry::metrics::{RELAY_ACTIVE, RELAY_LAG_EVENTS, RELAY_LAG_SECONDS};

pub use pack::pack;

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub nats: NatsSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    #[serde(default)]
    pub relay: RelayTuning,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8083).into())
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct RelayTuning {
    /// Rows read per poll.
    pub batch: i64,
    /// Events packed into one bus message at most.
    pub events_per_message: usize,
    /// Pause when the log is drained.
    pub idle_poll_ms: u64,
    /// The checkpoint's name: one per relay deployment.
    pub name: String,
}

impl Default for RelayTuning {
    fn default() -> Self {
        Self {
            batch: 5_000,
            events_per_message: 500,
            idle_poll_ms: 5,
            name: "main".to_owned(),
        }
    }
}

/// Advisory-lock key electing the single active relay.
const LEADER_LOCK: i64 = 0x7479_6e64_6175_0001;
/// How far back a new leader looks on the stream for what its predecessor published without
/// checkpointing: more messages than a relay publishes between two checkpoints.
const RECONCILE_MESSAGES: usize = 10_000;

pub struct RelayService {
    pool: PgPool,
    bus: Bus,
    settings: Settings,
}

impl RelayService {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = tyndau_db::connect(&settings.database).await?;
        let bus = Bus::connect(&settings.nats).await?;
        bus.ensure_stream().await?;
        Ok(Self { pool, bus, settings })
    }

    pub fn relay(&self) -> Relay {
        Relay::new(self.pool.clone(), self.bus.clone(), self.settings.relay.clone())
    }

    /// Serves health endpoints and relays until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        let router = health_router(self.pool.clone(), self.bus.clone(), &self.settings.http);
        let http = tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
        tracing::info!(addr = %self.settings.http.addr, "event relay started");
        self.relay().run(shutdown).await;
        http.await??;
        Ok(())
    }
}

pub fn health_router(pool: PgPool, bus: Bus, http: &HttpSettings) -> axum::Router {
    let checks = tyndau_http::HealthCheck::new()
        .with("postgres", move || tyndau_db::ping(pool.clone()))
        .with("nats", move || bus.clone().ping());
    tyndau_http::middleware::apply(tyndau_http::health_routes(checks), http)
}

#[derive(Clone)]
pub struct Relay {
    pool: PgPool,
    bus: Bus,
    tuning: RelayTuning,
}

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error("reading the event log failed")]
    Read(#[source] sqlx::Error),
    #[error("publishing failed")]
    Publish(#[source] tyndau_bus::BusError),
    #[error("saving the checkpoint failed")]
    Checkpoint(#[source] sqlx::Error),
}

impl Relay {
    pub fn new(pool: PgPool, bus: Bus, tuning: RelayTuning) -> Self {
        Self { pool, bus, tuning }
    }

    /// Runs until `shutdown`: waits to become leader, then relays; retries after any failure.
    pub async fn run(self, shutdown: CancellationToken) {
        metrics::gauge!(RELAY_ACTIVE).set(0.0);
        while !shutdown.is_cancelled() {
            match self.lead(&shutdown).await {
                Ok(()) => {}
                Err(e) => {
                    tyndau_telemetry::log_error_chain("relay failed; retrying from the checkpoint", &e);
                    tokio::select! {
                        () = shutdown.cancelled() => {},
                        () = tokio::time::sleep(Duration::from_millis(500)) => {},
                    }
                }
            }
        }
        tracing::info!("event relay stopped");
    }

    async fn lead(&self, shutdown: &CancellationToken) -> Result<(), RelayError> {
        // The lock lives as long as this session: held for the whole leadership. The connection
        // is closed rather than returned to the pool when dropped, so a crashed or cancelled
        // relay can never leave a pooled connection holding the lock.
        let mut leader = self.pool.acquire().await.map_err(RelayError::Read)?;
        leader.close_on_drop();
        loop {
            let elected: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(LEADER_LOCK)
                .fetch_one(&mut *leader)
                .await
                .map_err(RelayError::Read)?;
            if elected {
                break;
            }
            tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                () = tokio::time::sleep(Duration::from_secs(1)) => {},
            }
        }
        tracing::info!(relay = %self.tuning.name, "elected as the active relay");
        metrics::gauge!(RELAY_ACTIVE).set(1.0);
        let result = self.relay_while_leader(&mut leader, shutdown).await;
        metrics::gauge!(RELAY_ACTIVE).set(0.0);
        // Unlock explicitly: the connection returns to the pool and must not keep the lock.
        let _unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LEADER_LOCK)
            .execute(&mut *leader)
            .await;
        result
    }

    async fn relay_while_leader(
        &self,
        leader: &mut PoolConnection<Postgres>,
        shutdown: &CancellationToken,
    ) -> Result<(), RelayError> {
        let mut cursor = eventlog::load_checkpoint(&self.pool, CheckpointTable::Relay, &self.tuning.name)
            .await
            .map_err(RelayError::Read)?;
        // The batch a failed attempt announced (this relay's, or a dead leader's) goes out
        // again exactly as packed then: the same messages with the same `Nats-Msg-Id`s, so the
        // server drops every copy it already has or that is still in flight from that attempt
        // (a paused server stores them seconds later). A batch read afresh would pack other
        // messages, with other ids, and put those events on the stream twice.
        let announced = eventlog::load_relay_intent(&self.pool, &self.tuning.name)
            .await
            .map_err(RelayError::Read)?;
        if let Some(through) = announced.filter(|through| *through > cursor) {
            let mut events = eventlog::read_after(&self.pool, cursor, self.tuning.batch)
                .await
                .map_err(RelayError::Read)?;
            events.retain(|e| e.position <= through);
            if let Some(last) = events.last().map(|e| e.position) {
                tracing::info!(
                    events = events.len(),
                    "publishing the announced batch again, packed as before"
                );
                let messages = pack(events, self.bus.subjects(), self.tuning.events_per_message);
                self.publish_and_checkpoint(&messages, last).await?;
                cursor = last;
            }
        }
        // What the previous leader published but could not checkpoint is not published again:
        // the duplicate window would drop it only if it were packed into the same messages.
        let mut on_stream: BTreeSet<LogPosition> = self
            .bus
            .published_after((cursor.tx_id, cursor.global_position), RECONCILE_MESSAGES)
            .await
            .map_err(RelayError::Publish)?
            .into_iter()
            .map(|(tx_id, global_position)| LogPosition {
                tx_id,
                global_position,
            })
            .collect();
        if !on_stream.is_empty() {
            tracing::info!(
                events = on_stream.len(),
                "events after the checkpoint are on the stream already; skipping them"
            );
        }
        while !shutdown.is_cancelled() {
            let published = self.relay_once(leader, &mut cursor, &mut on_stream).await?;
            if published < self.tuning.batch as usize {
                tokio::select! {
                    () = shutdown.cancelled() => {},
                    () = tokio::time::sleep(Duration::from_millis(self.tuning.idle_poll_ms)) => {},
                }
            }
        }
        Ok(())
    }

    /// Publishes a batch, waits for every acknowledgement, then saves its checkpoint.
    async fn publish_and_checkpoint(
        &self,
        messages: &[OutgoingMessage],
        last: LogPosition,
    ) -> Result<(), RelayError> {
        self.bus
            .publish_all(messages)
            .await
            .map_err(RelayError::Publish)?;
        eventlog::save_checkpoint(&self.pool, CheckpointTable::Relay, &self.tuning.name, last)
            .await
            .map_err(RelayError::Checkpoint)
    }

    /// How far behind the store the relay is: measured only while batches come back full (a
    /// shorter one read everything committed), so a caught-up relay costs no extra query.
    async fn record_lag(&self, count: usize, last: LogPosition, newest_published_at: Option<OffsetDateTime>) {
        let (events, seconds) = if count < self.tuning.batch as usize {
            (0.0, 0.0)
        } else {
            let newest = eventlog::newest_position(&self.pool)
                .await
                .unwrap_or(last.global_position);
            let age = newest_published_at.map_or(0.0, |at| (OffsetDateTime::now_utc() - at).as_seconds_f64());
            ((newest - last.global_position).max(0) as f64, age.max(0.0))
        };
        metrics::gauge!(RELAY_LAG_EVENTS).set(events);
        metrics::gauge!(RELAY_LAG_SECONDS).set(seconds);
    }

    /// One poll-publish-checkpoint cycle; returns how many events it published.
    async fn relay_once(
        &self,
        leader: &mut PoolConnection<Postgres>,
        cursor: &mut LogPosition,
        on_stream: &mut BTreeSet<LogPosition>,
    ) -> Result<usize, RelayError> {
        let events = eventlog::read_after(&self.pool, *cursor, self.tuning.batch)
            .await
            .map_err(RelayError::Read)?;
        let Some(last) = events.last().map(|e| e.position) else {
            self.record_lag(0, *cursor, None).await;
            return Ok(0);
        };
        let count = events.len();
        let newest_published_at = events.last().map(|e| e.metadata.occurred_at);
        let events: Vec<_> = if on_stream.is_empty() {
            events
        } else {
            let fresh = events
                .into_iter()
                .filter(|e| !on_stream.contains(&e.position))
                .collect();
            *on_stream = on_stream.split_off(&last);
            on_stream.remove(&last);
            fresh
        };
        let messages = pack(events, self.bus.subjects(), self.tuning.events_per_message);
        // Announced on the session that holds the leader lock: that also proves this relay still
        // leads. The lock dies with its session, e.g. when the PostgreSQL primary fails over and a
        // standby relay is elected on the new one; this relay must stop before it publishes.
        eventlog::save_relay_intent(&mut **leader, &self.tuning.name, last)
            .await
            .map_err(RelayError::Checkpoint)?;
        self.publish_and_checkpoint(&messages, last).await?;
        *cursor = last;
        self.record_lag(count, last, newest_published_at).await;
        tracing::debug!(count, tx = last.tx_id, position = last.global_position, "relayed");
        Ok(count)
    }
}
