//! An event as a projection reads it: from the bus when live, from the log when rebuilding.

use std::collections::HashMap;

use crate::eventlog::{LogPosition, StoredEvent};
use serde_json::Value;
use time::OffsetDateTime;
use tyndau_events::{BusEnvelope, EventMetadata};

/// An event as a projection needs it, from the bus or from the store (rebuilds).
#[derive(Debug, Clone)]
pub struct ProjectedEvent {
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
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
            sequence: i64::try_from(envelope.sequence).unwrap_or(i64::MAX),
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
        let metadata = serde_json::from_value::<HashMap<String, String>>(event.metadata)
            .ok()
            .and_then(|map| EventMetadata::from_map(&map).ok());
        let occurred_at = metadata
            .as_ref()
            .map_or(OffsetDateTime::UNIX_EPOCH, |m| m.occurred_at);
        let origin = metadata.and_then(|m| m.origin);
        let (_, payload) = tyndau_events::upcast::upcast(
            &event.aggregate_type,
            &event.event_type,
            &event.event_version,
            event.payload,
        );
        Self {
            aggregate_type: event.aggregate_type,
            aggregate_id: event.aggregate_id,
            sequence: event.sequence,
            event_type: event.event_type,
            payload,
            occurred_at,
            origin,
            position: event.position,
        }
    }

    /// The payload as an aggregate's event enum.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}
