use std::collections::HashSet;
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tyndau_bus::Bus;
use tyndau_bus::async_nats::jetstream::{AckKind, Message};
use tyndau_telemetry::metrics::{PROJECTOR_LAG_SECONDS, PROJECTOR_PENDING_MESSAGES};

use crate::{ProjectedEvent, Projection, apply_batch};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Consumes the bus into one projection.
#[derive(Clone)]
pub struct Projector<P> {
    projection: P,
    pool: PgPool,
    bus: Bus,
    max_batch: usize,
}

impl<P: Projection> Projector<P> {
    pub fn new(projection: P, pool: PgPool, bus: Bus) -> Self {
        Self {
            projection,
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
        tracing::info!(projector = P::NAME, "projector stopped");
    }

    async fn consume(&self, shutdown: &CancellationToken) -> Result<(), BoxError> {
        let subjects = self.bus.subjects();
        let filters = P::AGGREGATES
            .iter()
            .map(|t| subjects.aggregate_events(t))
            .collect();
        let consumer = self
            .bus
            .durable_consumer(&format!("projector-{}", P::NAME), filters)
            .await?;
        // Known from the start, not only after a first batch: an idle projector is not behind.
        metrics::gauge!(PROJECTOR_PENDING_MESSAGES, "projector" => P::NAME).set(0.0);
        metrics::gauge!(PROJECTOR_LAG_SECONDS, "projector" => P::NAME).set(0.0);
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

    async fn project(&self, batch: Vec<Message>) -> Result<(), BoxError> {
        let mut events = Vec::new();
        let mut owner = Vec::new();
        let mut terminated = HashSet::new();
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
        let outcome = apply_batch(&self.projection, &mut tx, &events).await?;
        tx.commit().await?;
        let deferred: HashSet<usize> = outcome.deferred.iter().map(|&i| owner[i]).collect();
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
        if let Some(last) = batch.last() {
            record_lag(P::NAME, last);
        }
        Ok(())
    }
}

/// How far behind the stream this projector is, from the last message it applied: the messages
/// the server still holds for it, and how long ago that message was published (0 once none wait).
fn record_lag(projector: &'static str, last: &Message) {
    let Ok(info) = last.info() else {
        return;
    };
    let seconds = if info.pending == 0 {
        0.0
    } else {
        (time::OffsetDateTime::now_utc() - info.published)
            .as_seconds_f64()
            .max(0.0)
    };
    metrics::gauge!(PROJECTOR_PENDING_MESSAGES, "projector" => projector).set(info.pending as f64);
    metrics::gauge!(PROJECTOR_LAG_SECONDS, "projector" => projector).set(seconds);
}
