//! Packing stored events into bus messages.

use std::collections::HashMap;

use tyndau_bus::OutgoingMessage;
use tyndau_db::eventlog::StoredEvent;
use tyndau_events::subjects::Subjects;
use tyndau_events::{BusEnvelope, BusMessage};

/// Groups events by (aggregate type, partition, event type), keeping commit order inside each
/// group and ordering groups by their first event, then splits groups into messages of at most
/// `per_message` events. One aggregate's events keep their relative order across messages.
pub fn pack(events: Vec<StoredEvent>, subjects: &Subjects, per_message: usize) -> Vec<OutgoingMessage> {
    let per_message = per_message.max(1);
    let mut order: Vec<(String, Vec<BusEnvelope>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for event in events {
        let subject = subjects.event(
            &event.aggregate_type,
            Subjects::partition_of(&event.aggregate_id),
            &event.event_type,
        );
        let envelope = to_envelope(event);
        let slot = *index.entry(subject.clone()).or_insert_with(|| {
            order.push((subject, Vec::new()));
            order.len() - 1
        });
        order[slot].1.push(envelope);
    }
    order
        .into_iter()
        .flat_map(|(subject, envelopes)| {
            envelopes
                .chunks(per_message)
                .map(|chunk| message(subject.clone(), chunk.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn message(subject: String, events: Vec<BusEnvelope>) -> OutgoingMessage {
    let first = &events[0];
    let last = &events[events.len() - 1];
    // Deterministic: re-publishing the same events after a crash yields the same id, which the
    // server drops inside its duplicate window.
    let msg_id = format!(
        "{}.{}.{}.{}",
        first.tx_id,
        first.global_position,
        last.global_position,
        events.len()
    );
    OutgoingMessage {
        subject,
        msg_id,
        first_tx: first.tx_id,
        first_position: first.global_position,
        message: BusMessage { events },
    }
}

fn to_envelope(event: StoredEvent) -> BusEnvelope {
    BusEnvelope {
        aggregate_type: event.aggregate_type,
        aggregate_id: event.aggregate_id,
        sequence: event.sequence,
        event_type: event.event_type,
        event_version: event.event_version,
        tx_id: event.position.tx_id,
        global_position: event.position.global_position,
        payload: event.payload,
        metadata: event.metadata,
    }
}
