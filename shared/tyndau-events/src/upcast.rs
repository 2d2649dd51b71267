//! Upcasting: lifting an event stored in an older version to the current one. Rows in the store
//! are never rewritten; every reader goes through here — the stored-event codec in `tyndau-db`
//! (the relay, rebuilds, the signature store, invalidation) and, through [`Upcasters`],
//! the postgres-es stores that load the other aggregates.
//!
//! A change adds an entry `(aggregate_type, event_type, from_version) -> (to_version, function)`.
//! A lift sees the aggregate id, so a field that was only in the id can move into the event.

use cqrs_es::persist::{EventUpcaster, SerializedEvent};
use serde_json::Value;
use tyndau_ids::SignatureId;

use crate::aggregate_types::SIGNATURE;

type Lift = fn(&str, Value) -> Value;

const UPCASTERS: &[(&str, &str, &str, &str, Lift)] = &[
    (
        SIGNATURE,
        "SignatureRecorded",
        "1.0",
        "1.1",
        signature_recorded_1_0_to_1_1,
    ),
    (SIGNATURE, "SignatureWithdrawn", "1.0", "1.1", with_signer_from_id),
    (
        SIGNATURE,
        "SignatureInvalidated",
        "1.0",
        "1.1",
        with_signer_from_id,
    ),
];

/// 1.1 added the optional sealed `display_name`; a 1.0 signature showed no name.
fn signature_recorded_1_0_to_1_1(_: &str, payload: Value) -> Value {
    payload
}

/// 1.1 names the signer, which 1.0 left to the aggregate id `{petition}:{signer}`. An id that
/// does not parse leaves the payload as it was, so decoding fails with the missing field.
fn with_signer_from_id(aggregate_id: &str, mut payload: Value) -> Value {
    if let Ok(id) = aggregate_id.parse::<SignatureId>()
        && let Some(event) = payload.as_object_mut().and_then(|o| o.values_mut().next())
        && let Some(fields) = event.as_object_mut()
    {
        fields.insert("signer".to_owned(), Value::String(id.signer.to_hex()));
    }
    payload
}

/// The current version and payload of a stored event.
pub fn upcast(
    aggregate_type: &str,
    aggregate_id: &str,
    event_type: &str,
    version: &str,
    payload: Value,
) -> (String, Value) {
    let mut version = version.to_owned();
    let mut payload = payload;
    while let Some((_, _, _, to, lift)) = UPCASTERS
        .iter()
        .find(|(a, e, from, _, _)| *a == aggregate_type && *e == event_type && *from == version)
    {
        payload = lift(aggregate_id, payload);
        version = (*to).to_owned();
    }
    (version, payload)
}

/// The same table as cqrs-es's upcaster, for the postgres-es stores.
#[derive(Clone, Copy, Debug, Default)]
pub struct Upcasters;

impl EventUpcaster for Upcasters {
    fn can_upcast(&self, event_type: &str, event_version: &str) -> bool {
        UPCASTERS
            .iter()
            .any(|(_, e, from, _, _)| *e == event_type && *from == event_version)
    }

    fn upcast(&self, event: SerializedEvent) -> SerializedEvent {
        let (event_version, payload) = upcast(
            &event.aggregate_type,
            &event.aggregate_id,
            &event.event_type,
            &event.event_version,
            event.payload,
        );
        SerializedEvent {
            event_version,
            payload,
            ..event
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::SignatureEvent;

    const PETITION: &str = "0196a000-0000-7000-8000-0000000000d1";

    fn signer() -> String {
        "07".repeat(32)
    }

    fn signature_id() -> String {
        format!("{PETITION}:{}", signer())
    }

    #[test]
    fn every_retired_version_is_lifted_to_the_current_one() {
        let catalogue = crate::schema::catalogue();
        for (aggregate, retired) in crate::schema::retired() {
            let current = catalogue
                .iter()
                .find(|(a, _)| *a == aggregate)
                .and_then(|(_, events)| events.iter().find(|e| e.event_type == retired.event_type))
                .map(|e| e.event_version)
                .unwrap();
            let (version, _) = upcast(
                aggregate,
                &signature_id(),
                retired.event_type,
                retired.event_version,
                Value::Null,
            );
            assert_eq!(version, current, "{aggregate}/{}", retired.event_type);
        }
    }

    #[test]
    fn a_signature_from_before_display_names_reads_as_the_current_version() {
        let stored = json!({"SignatureRecorded": {
            "petition_id": PETITION,
            "signer": signer(),
            "region": "almaty",
            "signed_at": "2025-05-05T10:00:00+05:00"
        }});
        let (version, payload) = upcast(SIGNATURE, &signature_id(), "SignatureRecorded", "1.0", stored);
        assert_eq!(version, "1.1");
        let SignatureEvent::SignatureRecorded(recorded) = serde_json::from_value(payload).unwrap() else {
            panic!("not a recorded signature")
        };
        assert_eq!(recorded.display_name, None);
    }

    #[test]
    fn a_withdrawal_or_removal_from_before_1_1_takes_its_signer_from_the_aggregate_id() {
        let withdrawn = json!({"SignatureWithdrawn": {
            "petition_id": PETITION, "withdrawn_at": "2025-05-05T10:00:00+05:00"
        }});
        let invalidated = json!({"SignatureInvalidated": {
            "petition_id": PETITION,
            "invalidation": "0196a000-0000-7000-8000-0000000000e1",
            "reason": "automated",
            "invalidated_at": "2025-05-06T10:00:00+05:00"
        }});
        for (event_type, stored) in [
            ("SignatureWithdrawn", withdrawn),
            ("SignatureInvalidated", invalidated),
        ] {
            let (version, payload) = upcast(SIGNATURE, &signature_id(), event_type, "1.0", stored.clone());
            assert_eq!(version, "1.1");
            let event: SignatureEvent = serde_json::from_value(payload).unwrap();
            assert_eq!(event.signature_id().to_string(), signature_id(), "{event_type}");

            // A stream id that names no signer cannot be lifted: decoding fails loudly.
            let (_, payload) = upcast(SIGNATURE, PETITION, event_type, "1.0", stored);
            assert!(serde_json::from_value::<SignatureEvent>(payload).is_err());
        }
    }

    #[test]
    fn the_postgres_es_adapter_lifts_the_same_way() {
        let stored = SerializedEvent::new(
            signature_id(),
            2,
            SIGNATURE.to_owned(),
            "SignatureWithdrawn".to_owned(),
            "1.0".to_owned(),
            json!({"SignatureWithdrawn": {"petition_id": PETITION, "withdrawn_at": "2025-05-05T10:00:00+05:00"}}),
            json!({}),
        );
        assert!(Upcasters.can_upcast("SignatureWithdrawn", "1.0"));
        assert!(!Upcasters.can_upcast("SignatureWithdrawn", "1.1"));
        let lifted = Upcasters.upcast(stored);
        assert_eq!(lifted.event_version, "1.1");
        assert_eq!(lifted.payload["SignatureWithdrawn"]["signer"], json!(signer()));
    }
}
