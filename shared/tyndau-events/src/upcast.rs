//! Upcasting: lifting an event stored in an older version to the current one. Rows in the store
//! are never rewritten; every reader (aggregate loads, the relay, rebuilds) goes through here.
//!
//! A change adds an entry `(aggregate_type, event_type, from_version) -> (to_version, function)`.

use serde_json::Value;

type Lift = fn(Value) -> Value;

const UPCASTERS: &[(&str, &str, &str, &str, Lift)] = &[(
    crate::aggregate_types::SIGNATURE,
    "SignatureRecorded",
    "1.0",
    "1.1",
    signature_recorded_1_0_to_1_1,
)];

/// 1.1 added the optional sealed `display_name`; a 1.0 signature showed no name.
fn signature_recorded_1_0_to_1_1(payload: Value) -> Value {
    payload
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
            let (version, _) = upcast(aggregate, retired.event_type, retired.event_version, Value::Null);
            assert_eq!(version, current, "{aggregate}/{}", retired.event_type);
        }
    }

    #[test]
    fn a_signature_from_before_display_names_reads_as_the_current_version() {
        let stored = serde_json::json!({"SignatureRecorded": {
            "petition_id": "0196a000-0000-7000-8000-0000000000d1",
            "signer": "07".repeat(32),
            "region": "almaty",
            "signed_at": "2025-05-05T10:00:00+05:00"
        }});
        let (version, payload) = upcast("signature", "SignatureRecorded", "1.0", stored);
        assert_eq!(version, "1.1");
        let event: crate::SignatureEvent = serde_json::from_value(payload).unwrap();
        let crate::SignatureEvent::SignatureRecorded(recorded) = event else {
            panic!("not a recorded signature")
        };
        assert_eq!(recorded.display_name, None);
        assert_eq!(
            upcast("signature", "SignatureWithdrawn", "1.0", Value::Null).0,
            "1.0"
        );
    }
}
