//! An event's place in its aggregate's stream. The store keeps it as `bigint`, cqrs-es counts in
//! `usize` and the bus carries `u64`: one type crosses all three, and every conversion is checked
//! instead of defaulting.

use serde::{Deserialize, Serialize};

/// 1 for a stream's first event; [`Sequence::ZERO`] is "no event yet". Never above `i64::MAX`,
/// so it always fits the store's column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct Sequence(u64);

#[derive(Debug, thiserror::Error)]
#[error("an event sequence is between 0 and 2^63 - 1")]
pub struct SequenceOutOfRange;

impl Sequence {
    pub const ZERO: Sequence = Sequence(0);
    pub const FIRST: Sequence = Sequence(1);

    /// The sequence `offset + 1` places after this one: where the events of one commit go.
    pub fn nth_after(self, offset: usize) -> Result<Sequence, SequenceOutOfRange> {
        let offset = u64::try_from(offset).map_err(|_| SequenceOutOfRange)?;
        self.0
            .checked_add(offset)
            .and_then(|n| n.checked_add(1))
            .ok_or(SequenceOutOfRange)
            .and_then(Sequence::try_from)
    }

    pub fn next(self) -> Result<Sequence, SequenceOutOfRange> {
        self.nth_after(0)
    }
}

impl TryFrom<u64> for Sequence {
    type Error = SequenceOutOfRange;

    fn try_from(value: u64) -> Result<Self, Self::Error> {
        i64::try_from(value)
            .map(|_| Sequence(value))
            .map_err(|_| SequenceOutOfRange)
    }
}

impl TryFrom<i64> for Sequence {
    type Error = SequenceOutOfRange;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        u64::try_from(value).map(Sequence).map_err(|_| SequenceOutOfRange)
    }
}

impl TryFrom<usize> for Sequence {
    type Error = SequenceOutOfRange;

    fn try_from(value: usize) -> Result<Self, Self::Error> {
        u64::try_from(value).map_err(|_| SequenceOutOfRange)?.try_into()
    }
}

impl From<Sequence> for u64 {
    fn from(value: Sequence) -> Self {
        value.0
    }
}

impl From<Sequence> for i64 {
    fn from(value: Sequence) -> Self {
        // In range by construction.
        i64::try_from(value.0).unwrap_or(i64::MAX)
    }
}

impl TryFrom<Sequence> for usize {
    type Error = SequenceOutOfRange;

    fn try_from(value: Sequence) -> Result<Self, Self::Error> {
        usize::try_from(value.0).map_err(|_| SequenceOutOfRange)
    }
}

impl std::fmt::Display for Sequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl schemars::JsonSchema for Sequence {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "uint64".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        u64::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequence_converts_only_within_the_stores_range() {
        assert_eq!(
            Sequence::try_from(3_i64).unwrap(),
            Sequence::try_from(3_u64).unwrap()
        );
        assert!(Sequence::try_from(-1_i64).is_err());
        assert!(Sequence::try_from(u64::MAX).is_err());
        let last = Sequence::try_from(i64::MAX).unwrap();
        assert!(last.next().is_err());
        assert_eq!(i64::from(Sequence::ZERO.nth_after(2).unwrap()), 3);
        assert_eq!(Sequence::ZERO.next().unwrap(), Sequence::FIRST);
        assert!(serde_json::from_str::<Sequence>("9223372036854775808").is_err());
        assert_eq!(serde_json::to_string(&Sequence::FIRST).unwrap(), "1");
    }
}
