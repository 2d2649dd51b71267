use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A signer's pseudonym: HMAC-SHA256 of the IIN under a secret pepper kept outside the database.
/// It is stable per citizen (so "one signature per citizen" holds) yet reveals nothing without
/// the pepper. The raw IIN never leaves the request that carried the token.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SignerKey([u8; 32]);

#[derive(Debug, thiserror::Error)]
#[error("a signer key is 64 lowercase hex digits")]
pub struct InvalidSignerKey;

impl SignerKey {
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl schemars::JsonSchema for SignerKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SignerKey".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "HMAC-SHA256 of the signer's IIN under a secret pepper (hex)."
        })
    }
}

impl FromStr for SignerKey {
    type Err = InvalidSignerKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(InvalidSignerKey);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(s, &mut bytes).map_err(|_| InvalidSignerKey)?;
        Ok(Self(bytes))
    }
}

impl TryFrom<String> for SignerKey {
    type Error = InvalidSignerKey;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<SignerKey> for String {
    fn from(value: SignerKey) -> Self {
        value.to_hex()
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A prefix is enough to tell signers apart in logs.
        write!(f, "signer:{}…", &self.to_hex()[..8])
    }
}

impl fmt::Display for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}
