use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A state body (the Government, an akimat, a maslikhat, a ministry) by its stable slug,
/// e.g. `government` or `akimat-almaty-city`. Slugs come from the directory of bodies.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct BodyId(String);

#[derive(Debug, thiserror::Error)]
#[error("a body id is 2 to 64 characters of a-z, 0-9 and '-'")]
pub struct InvalidBodyId;

impl BodyId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for BodyId {
    type Err = InvalidBodyId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = (2..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidBodyId)
        }
    }
}

impl TryFrom<String> for BodyId {
    type Error = InvalidBodyId;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<BodyId> for String {
    fn from(value: BodyId) -> Self {
        value.0
    }
}

impl fmt::Debug for BodyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "body:{}", self.0)
    }
}

impl fmt::Display for BodyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_and_refuses_everything_else() {
        assert!("government".parse::<BodyId>().is_ok());
        assert!("akimat-almaty-city".parse::<BodyId>().is_ok());
        for bad in ["", "a", "Gov", "gov ernment", "-gov", "gov-", "gov/../x", "гос"] {
            assert!(bad.parse::<BodyId>().is_err(), "{bad:?} should be refused");
        }
    }
}
