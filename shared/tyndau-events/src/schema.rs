//! The schema catalogue that `proto-docs/events/` is generated from.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EventSchema {
    pub event_type: &'static str,
    pub event_version: &'static str,
    pub schema: serde_json::Value,
}

impl EventSchema {
    pub fn of<T: schemars::JsonSchema>(event_type: &'static str, event_version: &'static str) -> Self {
        let schema = schemars::schema_for!(T);
        Self {
            event_type,
            event_version,
            schema: schema.to_value(),
        }
    }
}

/// Every event of every aggregate, grouped by aggregate type (see `aggregates!` in the crate root).
pub fn catalogue() -> Vec<(&'static str, Vec<EventSchema>)> {
    crate::event_schemas()
}

/// Versions no longer written but still stored (and lifted by upcasters), by aggregate type.
pub fn retired() -> Vec<(&'static str, EventSchema)> {
    use crate::signature::retired;
    vec![
        (
            crate::aggregate_types::SIGNATURE,
            EventSchema::of::<retired::SignatureRecordedV1_0>("SignatureRecorded", "1.0"),
        ),
        (
            crate::aggregate_types::SIGNATURE,
            EventSchema::of::<retired::SignatureWithdrawnV1_0>("SignatureWithdrawn", "1.0"),
        ),
        (
            crate::aggregate_types::SIGNATURE,
            EventSchema::of::<retired::SignatureInvalidatedV1_0>("SignatureInvalidated", "1.0"),
        ),
    ]
}

/// Schemas of the bus envelope and the message that carries a batch of them.
pub fn envelope_schema() -> serde_json::Value {
    schemars::schema_for!(crate::BusMessage).to_value()
}
