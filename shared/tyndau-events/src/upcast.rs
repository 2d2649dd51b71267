//! Upcasting: lifting an event stored in an older version to the current one. Rows in the store
//! are never rewritten; every reader (aggregate loads, the relay, rebuilds) goes through here.
//!
//! No event has changed shape yet, so the registry is empty; a change adds an entry
//! `(aggregate_type, event_type, from_version) -> (to_version, function)`.

use serde_json::Value;

type Lift = fn(Value) -> Value;

const UPCASTERS: &[(&str, &str, &str, &str, Lift)] = &[];

/// Returns the current version and payload of a stored event.
pub fn upcast(aggregate_type: &str, event_type: &str, version: &str, payload: Value) -> (String, Value) {
    let mut version = version.to_owned();
    let mut payload = payload;
    while let Some((_, _, _, to, lift)) = UPCASTERS
        .iter()
        .find(|(a, e, from, _, _)| *a == aggregate_type && *e == event_type && *from == version)
    {
        payload = lift(payload);
        version = (*to).to_owned();
    }
    (version, payload)
}
