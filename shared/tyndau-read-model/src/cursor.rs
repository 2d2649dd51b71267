//! Opaque keyset cursors: base64url of the sort, the last row's sort key and its id.
//!
//! Keyset paging (rather than OFFSET) keeps deep pages as cheap as the first and does not skip
//! or repeat rows when petitions are added meanwhile. The sort travels in the cursor so a cursor
//! from one ordering is refused by another instead of silently paging wrongly.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::ReadError;
use crate::petitions::Sort;

/// Longer input cannot be a cursor this crate issued; refused before decoding.
const MAX_ENCODED_LEN: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor<S = Sort> {
    /// The ordering (or listing) the cursor belongs to.
    #[serde(rename = "s")]
    pub sort: S,
    /// The sort key: a count, or a time in Unix microseconds (PostgreSQL's precision).
    #[serde(rename = "k")]
    pub key: i64,
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl<S: Serialize + DeserializeOwned + PartialEq> Cursor<S> {
    pub fn encode(&self) -> String {
        // Serialising three plain fields cannot fail; an empty cursor would only end paging early.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Decodes a cursor issued for `sort`.
    pub fn decode(encoded: &str, sort: S) -> Result<Self, ReadError> {
        if encoded.len() > MAX_ENCODED_LEN {
            return Err(ReadError::InvalidCursor);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| ReadError::InvalidCursor)?;
        let cursor: Cursor<S> = serde_json::from_slice(&bytes).map_err(|_| ReadError::InvalidCursor)?;
        if cursor.sort != sort {
            return Err(ReadError::InvalidCursor);
        }
        Ok(cursor)
    }

    /// The key as an instant; keys outside the years PostgreSQL stores (4713 BC to 294276 AD,
    /// narrowed here to 1 to 9999) cannot come from a page we served.
    pub fn key_as_time(&self) -> Result<OffsetDateTime, ReadError> {
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.key) * 1_000)
            .map_err(|_| ReadError::InvalidCursor)?;
        if (1..=9999).contains(&at.year()) {
            Ok(at)
        } else {
            Err(ReadError::InvalidCursor)
        }
    }
}

/// A time as a cursor key, in Unix microseconds (PostgreSQL's precision).
pub(crate) fn time_key(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn round_trips_and_refuses_foreign_input() {
        let at = datetime!(2025-03-01 12:00:00.123456 UTC);
        let cursor = Cursor {
            sort: Sort::Newest,
            key: time_key(at),
            id: Uuid::now_v7(),
        };
        let decoded = Cursor::decode(&cursor.encode(), Sort::Newest).unwrap();
        assert!(Cursor::decode(&cursor.encode(), 7u8).is_err());
        assert_eq!(decoded, cursor);
        assert_eq!(decoded.key_as_time().unwrap(), at);
        assert!(matches!(
            Cursor::decode(&cursor.encode(), Sort::MostSigned),
            Err(ReadError::InvalidCursor)
        ));
        for bad in ["", "not base64!", "e30", &"A".repeat(1_000)] {
            assert!(
                matches!(Cursor::decode(bad, Sort::Newest), Err(ReadError::InvalidCursor)),
                "{bad:?}"
            );
        }
    }
}
