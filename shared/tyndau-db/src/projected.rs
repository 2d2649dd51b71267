//! An event as a projection reads it: from the bus when live, from the log when rebuilding.
//! Both sources are already current (the relay publishes what the codec decoded), so a
//! projection never upcasts.

use crate::eventlog::{LogPosition, StoredEvent};
use serde_json::Value;
use time::OffsetDateTime;
use tyndau_events::{BusEnvelope, Sequence};

#[derive(Debug, Clone)]
pub struct ProjectedEvent {
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: Sequence,
    pub event_type: String,
    pub payload: Value,
    pub occurred_at: OffsetDateTime,
    /// The client network of the command, when it came from outside.
    pub origin: Option<String>,
    pub position: LogPosition,
}

impl ProjectedEvent {
    pub fn from_bus(envelope: BusEnvelope) -> Self {
        Self {
            sequence: envelope.sequence,
            occurred_at: envelope.metadata.occurred_at,
            origin: envelope.metadata.origin,
            position: LogPosition {
                tx_id: envelope.tx_id,
                global_position: envelope.global_position,
            },
            aggregate_type: envelope.aggregate_type,
            aggregate_id: envelope.aggregate_id,
            event_type: envelope.event_type,
            payload: envelope.payload,
        }
    }

    pub fn from_store(event: StoredEvent) -> Self {
        Self {
            aggregate_type: event.aggregate_type,
            aggregate_id: event.aggregate_id,
            sequence: event.sequence,
            event_type: event.event_type,
            payload: event.payload,
            occurred_at: event.metadata.occurred_at,
            origin: event.metadata.origin,
            position: event.position,
        }
    }

    /// The payload as an aggregate's event enum.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}
