use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a provision sits in a draft act, stable across versions: segments of section (`s`),
/// article (`a`), paragraph (`p`) and sub-paragraph (`sp`), outermost first, joined by dots,
/// e.g. `a12.p3.sp2` or `s2.a7`. A number may carry an insertion suffix (`a3-1`, "статья 3-1"),
/// as amending laws insert articles without renumbering.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvisionPath(String);

#[derive(Debug, thiserror::Error)]
#[error(
    "a provision path is up to four dot-separated segments s<n>, a<n>, p<n>, sp<n> (n may be 3 or 3-1), outermost first"
)]
pub struct InvalidProvisionPath;

/// The kinds of segment, outermost first.
const KINDS: [&str; 4] = ["s", "a", "p", "sp"];
const MAX_LEN: usize = 64;

impl ProvisionPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The enclosing provision, if this one is nested.
    pub fn parent(&self) -> Option<ProvisionPath> {
        self.0.rsplit_once('.').map(|(parent, _)| Self(parent.to_owned()))
    }

    pub fn depth(&self) -> usize {
        self.0.split('.').count()
    }
}

fn kind_rank(segment: &str) -> Option<usize> {
    let digits_at = segment.find(|c: char| c.is_ascii_digit())?;
    let (kind, number) = segment.split_at(digits_at);
    let rank = KINDS.iter().position(|k| *k == kind)?;
    let mut parts = number.split('-');
    let valid_number = |part: Option<&str>| {
        part.is_some_and(|p| {
            (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('0')
        })
    };
    let main_ok = valid_number(parts.next());
    let suffix_ok = parts.next().is_none_or(|s| valid_number(Some(s)));
    (main_ok && suffix_ok && parts.next().is_none()).then_some(rank)
}

impl FromStr for ProvisionPath {
    type Err = InvalidProvisionPath;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || s.len() > MAX_LEN {
            return Err(InvalidProvisionPath);
        }
        let mut previous: Option<usize> = None;
        for segment in s.split('.') {
            let rank = kind_rank(segment).ok_or(InvalidProvisionPath)?;
            if previous.is_some_and(|p| rank <= p) {
                return Err(InvalidProvisionPath);
            }
            previous = Some(rank);
        }
        Ok(Self(s.to_owned()))
    }
}

impl TryFrom<String> for ProvisionPath {
    type Error = InvalidProvisionPath;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ProvisionPath> for String {
    fn from(value: ProvisionPath) -> Self {
        value.0
    }
}

impl fmt::Debug for ProvisionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "provision:{}", self.0)
    }
}

impl fmt::Display for ProvisionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl schemars::JsonSchema for ProvisionPath {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProvisionPath".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "maxLength": MAX_LEN,
            "pattern": "^[a-z0-9.-]+$",
            "description": "Section / article / paragraph / sub-paragraph, outermost first, e.g. `a12.p3.sp2`.",
            "examples": ["a3.p2"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_outermost_first() {
        for good in ["a1", "s2.a7", "a12.p3.sp2", "a3-1.p1", "s1.a1.p1.sp1", "p4"] {
            assert!(good.parse::<ProvisionPath>().is_ok(), "{good}");
        }
        for bad in [
            "", "a0", "a01", "p1.a1", "a1.a2", "x1", "a", "a1.", ".a1", "a1-", "a1-2-3", "A1", "a12345",
        ] {
            assert!(bad.parse::<ProvisionPath>().is_err(), "{bad}");
        }
        let path: ProvisionPath = "a12.p3.sp2".parse().unwrap();
        assert_eq!(path.parent().map(|p| p.to_string()).as_deref(), Some("a12.p3"));
        assert_eq!(path.depth(), 3);
        assert_eq!("a1".parse::<ProvisionPath>().unwrap().parent(), None);
    }
}
