//! A provision-by-provision diff between two versions of a draft, with the wording changes
//! within each provision word by word: the comparative table (old wording / new wording / why).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use tyndau_events::consultation::{ChangeNote, Localized, Provision};
use tyndau_events::petition::Language;
use tyndau_ids::ProvisionPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WordOp {
    Equal,
    Insert,
    Delete,
}

/// A run of words that is kept, inserted or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WordSpan {
    pub op: WordOp,
    pub text: String,
}

/// One row of the comparative table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProvisionChange {
    #[schemars(with = "String")]
    pub path: ProvisionPath,
    pub change: ChangeKind,
    pub old: Option<Localized>,
    pub new: Option<Localized>,
    /// The body's explanation, from the change notes of the versions in between.
    pub why: Option<Localized>,
    /// Word-level changes per language, for changed provisions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<Language, Vec<WordSpan>>,
}

fn word_spans(old: &str, new: &str) -> Vec<WordSpan> {
    let diff = TextDiff::from_words(old, new);
    let mut spans: Vec<WordSpan> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Equal,
            ChangeTag::Insert => WordOp::Insert,
            ChangeTag::Delete => WordOp::Delete,
        };
        match spans.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => spans.push(WordSpan {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    spans
}

/// Compares `old` with `new`. Rows follow the new version's reading order; removed provisions
/// come right after the provision that preceded them in the old version. `notes` are the change
/// notes of every version after `old` up to `new`, oldest first (a later note on the same path
/// wins).
pub fn diff(old: &[Provision], new: &[Provision], notes: &[&ChangeNote]) -> Vec<ProvisionChange> {
    let why: HashMap<&ProvisionPath, &Localized> = notes.iter().map(|n| (&n.path, &n.why)).collect();
    let old_by_path: HashMap<&ProvisionPath, &Provision> = old.iter().map(|p| (&p.path, p)).collect();
    let new_by_path: HashMap<&ProvisionPath, &Provision> = new.iter().map(|p| (&p.path, p)).collect();
    let row = |path: &ProvisionPath, before: Option<&Provision>, after: Option<&Provision>| {
        let change = match (before, after) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            (Some(b), Some(a)) if b.text == a.text && b.heading == a.heading => ChangeKind::Unchanged,
            _ => ChangeKind::Changed,
        };
        let mut words = BTreeMap::new();
        if let (ChangeKind::Changed, Some(b), Some(a)) = (change, before, after) {
            for (language, old_text) in &b.text {
                if let Some(new_text) = a.text.get(language) {
                    words.insert(*language, word_spans(old_text, new_text));
                }
            }
        }
        ProvisionChange {
            path: path.clone(),
            change,
            old: before.map(|p| p.text.clone()),
            new: after.map(|p| p.text.clone()),
            why: why.get(path).map(|w| (*w).clone()),
            words,
        }
    };
    // Removed provisions, keyed by the surviving provision they followed (None: the start).
    let mut removed_after: HashMap<Option<&ProvisionPath>, Vec<&Provision>> = HashMap::new();
    let mut last_survivor = None;
    for provision in old {
        if new_by_path.contains_key(&provision.path) {
            last_survivor = Some(&provision.path);
        } else {
            removed_after.entry(last_survivor).or_default().push(provision);
        }
    }
    let mut rows = Vec::with_capacity(new.len() + old.len());
    for gone in removed_after.remove(&None).unwrap_or_default() {
        rows.push(row(&gone.path, Some(gone), None));
    }
    for provision in new {
        rows.push(row(
            &provision.path,
            old_by_path.get(&provision.path).copied(),
            Some(provision),
        ));
        for gone in removed_after.remove(&Some(&provision.path)).unwrap_or_default() {
            rows.push(row(&gone.path, Some(gone), None));
        }
    }
    // Every key is a survivor (or the start), so every removal has been placed.
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::tests::p;

    fn note(path: &str, why: &str) -> ChangeNote {
        ChangeNote {
            path: path.parse().unwrap(),
            why: [(Language::Ru, why.to_owned())].into(),
        }
    }

    #[test]
    fn every_provision_gets_a_row_in_reading_order() {
        let v1 = [
            p("a1", "бір", "один"),
            p("a2", "екі", "два"),
            p("a3", "үш", "три"),
        ];
        let v2 = [
            p("a1", "бір", "один"),
            p("a3", "үш", "три и четыре"),
            p("a4", "төрт", "четыре"),
        ];
        let n = note("a3", "по предложению");
        let rows = diff(&v1, &v2, &[&n]);
        let kinds: Vec<_> = rows.iter().map(|r| (r.path.to_string(), r.change)).collect();
        assert_eq!(
            kinds,
            vec![
                ("a1".to_owned(), ChangeKind::Unchanged),
                ("a2".to_owned(), ChangeKind::Removed),
                ("a3".to_owned(), ChangeKind::Changed),
                ("a4".to_owned(), ChangeKind::Added),
            ]
        );
        let changed = &rows[2];
        assert_eq!(
            changed
                .why
                .as_ref()
                .and_then(|w| w.get(&Language::Ru))
                .map(String::as_str),
            Some("по предложению")
        );
        let ru = &changed.words[&Language::Ru];
        assert!(
            ru.iter()
                .any(|s| s.op == WordOp::Insert && s.text.contains("четыре"))
        );
        assert!(ru.iter().any(|s| s.op == WordOp::Equal && s.text.contains("три")));
        assert!(!changed.words.contains_key(&Language::En));
    }

    #[test]
    fn a_version_compared_with_itself_is_unchanged_throughout() {
        let v1 = [p("a1", "бір", "один"), p("a1.p1", "екі", "два")];
        assert!(
            diff(&v1, &v1, &[])
                .iter()
                .all(|r| r.change == ChangeKind::Unchanged && r.words.is_empty())
        );
    }
}
