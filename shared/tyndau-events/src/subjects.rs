//! NATS subject and stream names. Every name has a prefix so that tests, and several
//! deployments on one cluster, never see each other's messages.
//!
//! Subjects: `{prefix}.es.{aggregate_type}.{partition}.{event_type}`, where the partition is the
//! petition id for both petition and signature events, and the consultation id for consultation,
//! comment and reaction events (bounded cardinality: nothing is partitioned by citizen).

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subjects {
    prefix: String,
}

impl Subjects {
    /// `prefix` is a NATS token: letters, digits, '-' and '_'.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The stream that holds every event.
    pub fn stream_name(&self) -> String {
        format!("{}_EVENTS", self.prefix.replace(['.', '-'], "_").to_uppercase())
    }

    pub fn all_events(&self) -> String {
        format!("{}.es.>", self.prefix)
    }

    pub fn aggregate_events(&self, aggregate_type: &str) -> String {
        format!("{}.es.{aggregate_type}.>", self.prefix)
    }

    pub fn event(&self, aggregate_type: &str, partition: &str, event_type: &str) -> String {
        format!("{}.es.{aggregate_type}.{partition}.{event_type}", self.prefix)
    }

    /// The partition of an aggregate: the petition or consultation id, which leads every signature,
    /// comment and reaction id.
    pub fn partition_of(aggregate_id: &str) -> &str {
        aggregate_id.split(':').next().unwrap_or(aggregate_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_prefixed() {
        let s = Subjects::new("tyndau");
        assert_eq!(s.stream_name(), "TYNDAU_EVENTS");
        assert_eq!(s.all_events(), "tyndau.es.>");
        assert_eq!(
            s.event("signature", "p1", "SignatureRecorded"),
            "tyndau.es.signature.p1.SignatureRecorded"
        );
        assert_eq!(Subjects::partition_of("p1:abcd"), "p1");
        assert_eq!(Subjects::partition_of("p1"), "p1");
    }
}
