//! What travels on NATS JetStream: a message carries one or more committed events of one
//! aggregate type and partition, in commit order.
//!
//! Packing several events into one message keeps the bus far below the fsync rate of a
//! `sync_interval: always` JetStream, while each event keeps its own identity
//! (`aggregate_type`, `aggregate_id`, `sequence`) for idempotent consumers.

use serde::{Deserialize, Serialize};

use crate::{EventMetadata, Sequence};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BusEnvelope {
    /// `petition` or `signature`.
    pub aggregate_type: String,
    /// The aggregate's id: a petition id, or `{petition_id}:{signer}` for a signature.
    pub aggregate_id: String,
    /// Per-aggregate sequence, from 1.
    pub sequence: Sequence,
    /// The event's name, e.g. `SignatureRecorded`.
    pub event_type: String,
    /// Always the current version: the relay upcasts older rows before publishing.
    pub event_version: String,
    /// Commit-order position in the store: `(tx_id, global_position)` is the relay's cursor.
    pub tx_id: u64,
    /// Insert-order position; with `tx_id` it orders events as committed.
    pub global_position: i64,
    /// The event, in the externally tagged form `{"<EventType>": {...}}` that the store keeps.
    pub payload: serde_json::Value,
    /// Who acted, when, and the correlation id of the request.
    pub metadata: EventMetadata,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BusMessage {
    pub events: Vec<BusEnvelope>,
}

impl BusEnvelope {
    /// Decodes the payload into an aggregate's event enum.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}
