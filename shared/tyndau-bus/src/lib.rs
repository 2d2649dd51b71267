//! The bus: NATS JetStream as transport, never as the system of record (PostgreSQL is).
//!
//! One stream holds every event (`{prefix}.es.>`), file storage, deduplication window of five
//! minutes. Publishers set `Nats-Msg-Id`, so a republished batch is dropped by the server inside
//! the window; consumers are idempotent for everything outside it.

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, consumer, stream};
use backon::{ExponentialBuilder, Retryable};
use bytes::Bytes;
use tyndau_config::NatsSettings;
use tyndau_events::BusMessage;
use tyndau_events::subjects::Subjects;
use tyndau_telemetry::metrics::NATS_CONNECTION_EVENTS;

pub use async_nats;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("could not connect to NATS")]
    Connect(#[source] async_nats::ConnectError),
    #[error("could not create or read the event stream")]
    Stream(#[source] async_nats::Error),
    #[error("could not publish to the event stream")]
    Publish(#[source] async_nats::Error),
    #[error("could not create the consumer")]
    Consumer(#[source] async_nats::Error),
    #[error("could not fetch from the consumer")]
    Fetch(#[source] async_nats::Error),
    #[error("a message body is not a valid event batch")]
    Decode(#[source] serde_json::Error),
}

/// How long a service starting beside a NATS cluster waits for JetStream: a fresh or recovering
/// cluster answers stream and consumer requests only once its meta leader is elected (seconds),
/// and a service that gave up at once would need a person to start it again.
fn while_jetstream_starts() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(200))
        .with_max_delay(Duration::from_secs(2))
        .with_total_delay(Some(Duration::from_secs(60)))
        .without_max_times()
}

/// A connected JetStream context with the deployment's names.
#[derive(Clone)]
pub struct Bus {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    subjects: Subjects,
    replicas: usize,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bus")
            .field("subjects", &self.subjects)
            .finish_non_exhaustive()
    }
}

/// Header names, documented in `proto-docs/events/README.md`.
pub mod headers {
    pub const MSG_ID: &str = "Nats-Msg-Id";
    pub const FIRST_TX: &str = "Es-Tx";
    pub const FIRST_POSITION: &str = "Es-Pos";
    pub const COUNT: &str = "Es-Count";
}

/// At most this many publish acknowledgements are awaited at once: async-nats can stall with
/// thousands unawaited.
const MAX_ACKS_IN_FLIGHT: usize = 512;

pub struct OutgoingMessage {
    pub subject: String,
    pub msg_id: String,
    pub first_tx: u64,
    pub first_position: i64,
    pub message: BusMessage,
}

impl Bus {
    pub async fn connect(settings: &NatsSettings) -> Result<Self, BusError> {
        let client = async_nats::ConnectOptions::new()
            .name("tyndau")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .event_callback(|event| async move {
                let name = match event {
                    async_nats::Event::Connected => "connected",
                    async_nats::Event::Disconnected => "disconnected",
                    _ => return,
                };
                metrics::counter!(NATS_CONNECTION_EVENTS, "event" => name).increment(1);
            })
            // One URL, or a cluster's seed servers separated by commas.
            .connect(settings.url.split(',').map(str::trim).collect::<Vec<_>>())
            .await
            .map_err(BusError::Connect)?;
        let jetstream = jetstream::new(client.clone());
        Ok(Self {
            client,
            jetstream,
            subjects: Subjects::new(settings.prefix.clone()),
            replicas: settings.replicas,
        })
    }

    pub fn subjects(&self) -> &Subjects {
        &self.subjects
    }

    pub fn client(&self) -> &async_nats::Client {
        &self.client
    }

    pub fn jetstream(&self) -> &jetstream::Context {
        &self.jetstream
    }

    /// Readiness: the client is connected to the server (it reconnects by itself).
    pub async fn ping(self) -> Result<(), String> {
        match self.client.connection_state() {
            async_nats::connection::State::Connected => Ok(()),
            other => Err(format!("NATS is {other:?}")),
        }
    }

    /// Creates the event stream if it does not exist yet (idempotent).
    pub async fn ensure_stream(&self) -> Result<stream::Stream, BusError> {
        let config = stream::Config {
            name: self.subjects.stream_name(),
            subjects: vec![self.subjects.all_events()],
            storage: stream::StorageType::File,
            num_replicas: self.replicas,
            duplicate_window: Duration::from_secs(300),
            // PostgreSQL keeps everything; the stream only has to cover consumer outages and
            // rebuild hand-overs.
            max_age: Duration::from_secs(30 * 24 * 3600),
            max_message_size: 4 * 1024 * 1024,
            deny_delete: true,
            deny_purge: false,
            description: Some("Tyndau committed events, published by the event relay".to_owned()),
            ..Default::default()
        };
        (|| self.jetstream.get_or_create_stream(config.clone()))
            .retry(while_jetstream_starts())
            .notify(|e, after| tracing::warn!(error = %e, retry_in = ?after, "the event stream is not available yet"))
            .await
            .map_err(|e| BusError::Stream(e.into()))
    }

    /// Publishes the messages and waits for every acknowledgement: only then may the caller
    /// advance its checkpoint.
    pub async fn publish_all(&self, messages: &[OutgoingMessage]) -> Result<(), BusError> {
        let mut pending = Vec::with_capacity(messages.len().min(MAX_ACKS_IN_FLIGHT));
        for outgoing in messages {
            let body = serde_json::to_vec(&outgoing.message).map_err(BusError::Decode)?;
            let mut headers = HeaderMap::new();
            headers.insert(headers::MSG_ID, outgoing.msg_id.as_str());
            headers.insert(headers::FIRST_TX, outgoing.first_tx.to_string().as_str());
            headers.insert(
                headers::FIRST_POSITION,
                outgoing.first_position.to_string().as_str(),
            );
            headers.insert(headers::COUNT, outgoing.message.events.len().to_string().as_str());
            let ack = self
                .jetstream
                .publish_with_headers(outgoing.subject.clone(), headers, Bytes::from(body))
                .await
                .map_err(|e| BusError::Publish(e.into()))?;
            pending.push(ack);
            if pending.len() >= MAX_ACKS_IN_FLIGHT {
                await_acks(&mut pending).await?;
            }
        }
        await_acks(&mut pending).await
    }

    /// A durable pull consumer: its acknowledged position survives restarts of the projector.
    pub async fn durable_consumer(
        &self,
        durable_name: &str,
        filter_subjects: Vec<String>,
    ) -> Result<consumer::PullConsumer, BusError> {
        let stream = self.ensure_stream().await?;
        let config = consumer::pull::Config {
            durable_name: Some(durable_name.to_owned()),
            filter_subjects,
            ack_policy: consumer::AckPolicy::Explicit,
            // Short: after a consumer crash, unacknowledged messages come back this soon.
            ack_wait: Duration::from_secs(10),
            max_ack_pending: 50_000,
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        };
        // Create or update: a consumer made by an older build with other filter subjects takes
        // the current ones instead of delivering what this build no longer reads.
        (|| stream.create_consumer(config.clone()))
            .retry(while_jetstream_starts())
            .notify(|e, after| tracing::warn!(error = %e, retry_in = ?after, "the consumer cannot be created yet"))
            .await
            .map_err(|e| BusError::Consumer(e.into()))
    }

    /// The commit positions `(tx_id, global_position)` of the events the stream holds after
    /// `after`, read backwards from its last message until a message with nothing after `after`
    /// (or `limit` messages). One relay publishes at a time and saves its checkpoint after the
    /// acknowledgements, so what a leader published and could not checkpoint (it died, or
    /// PostgreSQL failed over under it) is exactly the stream's tail beyond the checkpoint.
    pub async fn published_after(
        &self,
        after: (u64, i64),
        limit: usize,
    ) -> Result<Vec<(u64, i64)>, BusError> {
        let stream = self.ensure_stream().await?;
        let mut info = stream.clone();
        let last = info
            .info()
            .await
            .map_err(|e| BusError::Stream(e.into()))?
            .state
            .last_sequence;
        let mut positions = Vec::new();
        for sequence in (1..=last).rev().take(limit) {
            let message = match stream.get_raw_message(sequence).await {
                Ok(message) => message,
                // Removed by the age limit: nothing older can be after a live checkpoint.
                Err(e) if e.kind() == stream::RawMessageErrorKind::NoMessageFound => break,
                Err(e) => return Err(BusError::Stream(e.into())),
            };
            let batch = decode(&message.payload)?;
            let before = positions.len();
            positions.extend(
                batch
                    .events
                    .iter()
                    .map(|e| (e.tx_id, e.global_position))
                    .filter(|p| *p > after),
            );
            if positions.len() == before {
                break;
            }
        }
        Ok(positions)
    }

    /// Deletes the stream: for test clean-up only.
    pub async fn delete_stream(&self) -> Result<(), BusError> {
        self.jetstream
            .delete_stream(self.subjects.stream_name())
            .await
            .map(|_| ())
            .map_err(|e| BusError::Stream(e.into()))
    }
}

async fn await_acks(pending: &mut Vec<jetstream::context::PublishAckFuture>) -> Result<(), BusError> {
    for ack in pending.drain(..) {
        ack.await.map_err(|e| BusError::Publish(e.into()))?;
    }
    Ok(())
}

/// Decodes a message body into its batch of events.
pub fn decode(payload: &[u8]) -> Result<BusMessage, BusError> {
    serde_json::from_slice(payload).map_err(BusError::Decode)
}
