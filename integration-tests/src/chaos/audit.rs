//! The chaos run's verdict, from what the clients were told and what the store, the stream and
//! the read models hold. Pure: the collecting is elsewhere, so every rule here has a unit test
//! that feeds it a loss, a duplicate or a divergence.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// One event's identity in the store and on the bus: aggregate type, aggregate id, sequence.
pub type EventKey = (String, String, i64);

/// Everything the audit compares.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Aggregates whose creation a client was told succeeded (a 201, or "already signed" on a
    /// retry), one entry per acknowledgement.
    pub acked: Vec<String>,
    /// Aggregates a client was definitely refused (a 4xx other than "already signed").
    pub refused: Vec<String>,
    /// The aggregate of every creating event in the store (`SignatureRecorded`,
    /// `CommentPosted`) for the run's petitions and consultation.
    pub created: Vec<String>,
    /// Every event in the store and every event the stream holds.
    pub stored: Vec<EventKey>,
    pub streamed: Vec<EventKey>,
    /// Each read-model table's digest as the live projectors left it, and after a rebuild.
    pub live: BTreeMap<String, String>,
    pub rebuilt: BTreeMap<String, String>,
    /// What the public API shows against what the store says: (what, shown, stored).
    pub counts: Vec<(String, i64, i64)>,
}

/// The verdict. `lost` and `duplicated` add up the store's and the stream's.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub acked: usize,
    /// Acknowledged aggregates missing from the store.
    pub lost_acked: Vec<String>,
    /// Aggregates created more than once in the store.
    pub duplicated_created: Vec<String>,
    /// Refused, yet stored.
    pub refused_stored: Vec<String>,
    /// Stored events the stream does not hold, and events it holds more than once.
    pub stream_missing: usize,
    pub stream_duplicated: usize,
    /// Events on the stream that the store does not have (it can only publish what committed).
    pub stream_unknown: usize,
    /// Tables whose live content differs from a rebuild (or exists on one side only).
    pub diverged_tables: Vec<String>,
    /// Public counts that differ from the store.
    pub wrong_counts: Vec<(String, i64, i64)>,
}

impl Verdict {
    pub fn lost(&self) -> usize {
        self.lost_acked.len() + self.stream_missing
    }

    pub fn duplicated(&self) -> usize {
        self.duplicated_created.len() + self.stream_duplicated
    }

    pub fn replay_equal(&self) -> bool {
        self.diverged_tables.is_empty()
    }

    /// Every target the issue sets on the data: nothing lost, nothing twice, nothing refused
    /// kept, read models equal to a rebuild, public counts equal to the store.
    pub fn passed(&self) -> bool {
        self.lost() == 0
            && self.duplicated() == 0
            && self.refused_stored.is_empty()
            && self.stream_unknown == 0
            && self.replay_equal()
            && self.wrong_counts.is_empty()
    }
}

pub fn audit(evidence: &Evidence) -> Verdict {
    let mut created: HashMap<&str, usize> = HashMap::new();
    for id in &evidence.created {
        *created.entry(id.as_str()).or_default() += 1;
    }
    let acked: HashSet<&str> = evidence.acked.iter().map(String::as_str).collect();
    let mut lost_acked: Vec<String> = acked
        .iter()
        .filter(|id| !created.contains_key(*id))
        .map(|id| (*id).to_owned())
        .collect();
    lost_acked.sort();
    let mut duplicated_created: Vec<String> = created
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| (*id).to_owned())
        .collect();
    duplicated_created.sort();
    let mut refused_stored: Vec<String> = evidence
        .refused
        .iter()
        .filter(|id| created.contains_key(id.as_str()))
        .cloned()
        .collect();
    refused_stored.sort();
    refused_stored.dedup();

    let mut on_stream: HashMap<&EventKey, usize> = HashMap::new();
    for key in &evidence.streamed {
        *on_stream.entry(key).or_default() += 1;
    }
    let stored: HashSet<&EventKey> = evidence.stored.iter().collect();
    let stream_missing = stored.iter().filter(|k| !on_stream.contains_key(*k)).count();
    let stream_duplicated = on_stream.values().map(|n| n.saturating_sub(1)).sum();
    let stream_unknown = on_stream.keys().filter(|k| !stored.contains(*k)).count();

    let mut diverged_tables: Vec<String> = evidence
        .live
        .keys()
        .chain(evidence.rebuilt.keys())
        .filter(|table| evidence.live.get(*table) != evidence.rebuilt.get(*table))
        .cloned()
        .collect();
    diverged_tables.sort();
    diverged_tables.dedup();

    let wrong_counts = evidence
        .counts
        .iter()
        .filter(|(_, shown, stored)| shown != stored)
        .cloned()
        .collect();

    Verdict {
        acked: evidence.acked.len(),
        lost_acked,
        duplicated_created,
        refused_stored,
        stream_missing,
        stream_duplicated,
        stream_unknown,
        diverged_tables,
        wrong_counts,
    }
}

/// The longest stretch in `[from, to]` with no acknowledgement: `acks` are the moments (offsets
/// from the run's start) at which one arrived, in any order.
pub fn longest_gap(acks: &[Duration], from: Duration, to: Duration) -> Duration {
    let mut inside: Vec<Duration> = acks.iter().copied().filter(|t| *t >= from && *t <= to).collect();
    inside.sort_unstable();
    let mut previous = from;
    let mut longest = Duration::ZERO;
    for t in inside.into_iter().chain(std::iter::once(to)) {
        longest = longest.max(t.saturating_sub(previous));
        previous = t;
    }
    longest
}

/// The `q` quantile (0..=1) of `values`, by the nearest-rank method; zero when empty.
pub fn quantile(values: &[Duration], q: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The machine-readable last line the issue names.
pub fn last_line(verdict: &Verdict, max_unavailable: Duration, p99: Duration) -> String {
    format!(
        "acked={} lost={} duplicated={} replay_equal={} max_unavailable_s={} p99_ms={}",
        verdict.acked,
        verdict.lost(),
        verdict.duplicated(),
        verdict.replay_equal(),
        max_unavailable.as_secs_f64().ceil() as u64,
        p99.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, sequence: i64) -> EventKey {
        ("signature".to_owned(), id.to_owned(), sequence)
    }

    /// Three signatures acknowledged, stored and streamed once each; read models equal.
    fn healthy() -> Evidence {
        let ids = ["p:a", "p:b", "p:c"].map(str::to_owned);
        let digests: BTreeMap<String, String> = [("petition_counts".to_owned(), "d1".to_owned())].into();
        Evidence {
            acked: ids.to_vec(),
            refused: vec!["p:x".to_owned()],
            created: ids.to_vec(),
            stored: ids.iter().map(|id| key(id, 1)).collect(),
            streamed: ids.iter().map(|id| key(id, 1)).collect(),
            live: digests.clone(),
            rebuilt: digests,
            counts: vec![("petition p".to_owned(), 3, 3)],
        }
    }

    #[test]
    fn a_clean_run_passes_with_the_exact_last_line() {
        let verdict = audit(&healthy());
        assert!(verdict.passed(), "{verdict:?}");
        assert_eq!(
            last_line(&verdict, Duration::from_millis(2_300), Duration::from_millis(41)),
            "acked=3 lost=0 duplicated=0 replay_equal=true max_unavailable_s=3 p99_ms=41"
        );
    }

    #[test]
    fn an_acknowledged_signature_missing_from_the_store_is_lost() {
        let mut evidence = healthy();
        evidence.created.retain(|id| id != "p:b");
        let verdict = audit(&evidence);
        assert_eq!(verdict.lost_acked, vec!["p:b".to_owned()]);
        assert_eq!(verdict.lost(), 1);
        assert!(!verdict.passed());
    }

    #[test]
    fn an_aggregate_created_twice_is_duplicated() {
        let mut evidence = healthy();
        evidence.created.push("p:c".to_owned());
        let verdict = audit(&evidence);
        assert_eq!(verdict.duplicated_created, vec!["p:c".to_owned()]);
        assert_eq!(verdict.duplicated(), 1);
        assert!(!verdict.passed());
    }

    #[test]
    fn an_event_the_stream_lacks_is_lost_and_one_it_holds_twice_is_duplicated() {
        let mut evidence = healthy();
        evidence.streamed.retain(|k| k.1 != "p:a");
        evidence.streamed.push(key("p:c", 1));
        let verdict = audit(&evidence);
        assert_eq!((verdict.stream_missing, verdict.stream_duplicated), (1, 1));
        assert_eq!((verdict.lost(), verdict.duplicated()), (1, 1));
        assert!(!verdict.passed());
    }

    #[test]
    fn a_streamed_event_the_store_never_committed_fails_the_run() {
        let mut evidence = healthy();
        evidence.streamed.push(key("p:ghost", 1));
        let verdict = audit(&evidence);
        assert_eq!(verdict.stream_unknown, 1);
        assert!(!verdict.passed());
    }

    #[test]
    fn a_refused_request_that_was_stored_fails_the_run() {
        let mut evidence = healthy();
        evidence.refused.push("p:a".to_owned());
        let verdict = audit(&evidence);
        assert_eq!(verdict.refused_stored, vec!["p:a".to_owned()]);
        assert!(!verdict.passed());
    }

    #[test]
    fn a_read_model_unlike_its_rebuild_is_not_replay_equal() {
        let mut evidence = healthy();
        evidence
            .rebuilt
            .insert("petition_counts".to_owned(), "d2".to_owned());
        evidence.live.insert("signature_tally".to_owned(), "t".to_owned());
        let verdict = audit(&evidence);
        assert_eq!(
            verdict.diverged_tables,
            vec!["petition_counts".to_owned(), "signature_tally".to_owned()]
        );
        assert!(verdict.last_line_says_unequal());
    }

    #[test]
    fn a_public_count_unlike_the_store_fails_the_run() {
        let mut evidence = healthy();
        evidence.counts.push(("petition q".to_owned(), 9, 10));
        let verdict = audit(&evidence);
        assert_eq!(verdict.wrong_counts, vec![("petition q".to_owned(), 9, 10)]);
        assert!(!verdict.passed());
    }

    #[test]
    fn the_longest_gap_counts_the_edges_of_the_window() {
        let s = Duration::from_secs;
        assert_eq!(longest_gap(&[s(2), s(3), s(9)], s(1), s(10)), s(6));
        assert_eq!(longest_gap(&[s(2), s(3)], s(1), s(10)), s(7));
        assert_eq!(longest_gap(&[], s(1), s(4)), s(3));
        // Acknowledgements outside the window do not shorten a gap inside it.
        assert_eq!(longest_gap(&[s(0), s(20)], s(5), s(8)), s(3));
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let ms = Duration::from_millis;
        let values: Vec<Duration> = (1..=100).map(ms).collect();
        assert_eq!(quantile(&values, 0.99), ms(99));
        assert_eq!(quantile(&values, 1.0), ms(100));
        assert_eq!(quantile(&[], 0.99), Duration::ZERO);
    }

    impl Verdict {
        fn last_line_says_unequal(&self) -> bool {
            last_line(self, Duration::ZERO, Duration::ZERO).contains("replay_equal=false")
        }
    }
}
