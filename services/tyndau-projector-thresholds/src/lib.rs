//! The thresholds projector: per petition, its public lifecycle (catalogue entry and timeline)
//! and its signature counts — total, by region, by hour.
//!
//! It consumes the bus through a durable pull consumer and applies each fetched batch in one
//! PostgreSQL transaction, acknowledging only after the commit. Counting is idempotent by natural
//! key (one tally row per petition and signer), so redelivery, reordering and replays never count
//! twice; counters are bumped once per batch, never once per signature. Petition events apply in
//! sequence order per petition; a gap is negatively acknowledged and retried.

mod apply;
mod rebuild;

use std::time::Duration;

use futures::{FutureExt, StreamExt};
use serde::Deserialize;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tyndau_bus::Bus;
use tyndau_bus::async_nats::jetstream::AckKind;
use tyndau_config::{DatabaseSettings, HttpSettings, NatsSettings};

pub use apply::{ProjectedEvent, apply_batch};
pub use rebuild::{RebuildReport, rebuild};

/// This projector's name: its durable consumer and its checkpoint row.
pub const PROJECTOR: &str = "thresholds";

/// Serialises batch transactions with a rebuild.
pub(crate) const PROJECTOR_LOCK: i64 = 0x7479_6e64_6175_0002;

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub nats: NatsSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8084).into())
}

pub struct ProjectorService {
    projector: Projector,
    pool: PgPool,
    bus: Bus,
    http: HttpSettings,
}

impl ProjectorService {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = tyndau_db::connect(&settings.database).await?;
        let bus = Bus::connect(&settings.nats).await?;
        let projector = Projector::new(pool.clone(), bus.clone());
        Ok(Self {
            projector,
            pool,
            bus,
            http: settings.http,
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.http.addr).await?;
        let router = health_router(self.pool.clone(), self.bus.clone(), &self.http);
        let http = tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
        tracing::info!(addr = %self.http.addr, "thresholds projector started");
        self.projector.run(shutdown).await;
        http.await??;
        Ok(())
    }
}

fn health_router(pool: PgPool, bus: Bus, http: &HttpSettings) -> axum::Router {
    let checks = tyndau_http::HealthCheck::new()
        .with("postgres", move || tyndau_db::ping(pool.clone()))
        .with("nats", move || bus.clone().ping());
    tyndau_http::middleware::apply(tyndau_http::health_routes(checks), http)
}

#[derive(Clone)]
pub struct Projector {
    pool: PgPool,
    bus: Bus,
    max_batch: usize,
}

impl Projector {
    pub fn new(pool: PgPool, bus: Bus) -> Self {
        Self {
            pool,
            bus,
            max_batch: 1_000,
        }
    }

    /// Consumes until `shutdown`, reconnecting after failures.
    pub async fn run(self, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            if let Err(e) = self.consume(&shutdown).await {
                tyndau_telemetry::log_error_chain("projector failed; resuming from the last ack", e.as_ref());
                tokio::select! {
                    () = shutdown.cancelled() => {},
                    () = tokio::time::sleep(Duration::from_millis(500)) => {},
                }
            }
        }
        tracing::info!("thresholds projector stopped");
    }

    async fn consume(
        &self,
        shutdown: &CancellationToken,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let subjects = self.bus.subjects();
        let consumer = self
            .bus
            .durable_consumer(
                &format!("projector-{PROJECTOR}"),
                vec![
                    subjects.aggregate_events("petition"),
                    subjects.aggregate_events("signature"),
                ],
            )
            .await?;
        let mut messages = consumer
            .stream()
            .max_messages_per_batch(self.max_batch)
            .messages()
            .await?;
        loop {
            let first = tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                next = messages.next() => next,
            };
            let Some(first) = first else {
                return Err("the consumer stream ended".into());
            };
            let mut batch = vec![first?];
            // Take whatever else is already here: larger batches under load, no waiting when idle.
            while batch.len() < self.max_batch {
                match messages.next().now_or_never() {
                    Some(Some(message)) => batch.push(message?),
                    _ => break,
                }
            }
            self.project(batch).await?;
        }
    }

    async fn project(
        &self,
        batch: Vec<tyndau_bus::async_nats::jetstream::Message>,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let mut events = Vec::new();
        let mut owner = Vec::new();
        let mut terminated = std::collections::HashSet::new();
        for (index, message) in batch.iter().enumerate() {
            match tyndau_bus::decode(&message.payload) {
                Ok(decoded) => {
                    for envelope in decoded.events {
                        events.push(ProjectedEvent::from_bus(envelope));
                        owner.push(index);
                    }
                }
                Err(e) => {
                    // A body we cannot read will not get better: terminate it, loudly.
                    tyndau_telemetry::log_error_chain("undecodable bus message; terminating it", &e);
                    message.ack_with(AckKind::Term).await?;
                    terminated.insert(index);
                }
            }
        }
        let mut tx = self.pool.begin().await?;
        let outcome = apply_batch(&mut tx, &events).await?;
        tx.commit().await?;
        let deferred: std::collections::HashSet<usize> = outcome.deferred.iter().map(|&i| owner[i]).collect();
        for (index, message) in batch.iter().enumerate() {
            if terminated.contains(&index) {
                continue;
            }
            if deferred.contains(&index) {
                message
                    .ack_with(AckKind::Nak(Some(Duration::from_millis(200))))
                    .await?;
            } else {
                message.ack().await?;
            }
        }
        Ok(())
    }
}
