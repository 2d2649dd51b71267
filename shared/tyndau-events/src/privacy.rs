//! A citizen's privacy requests, as an aggregate keyed by their pseudonym: the erasure of their
//! personal data is an event, so every read model drops what it held.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::SignerKey;

use crate::versioned_events;

/// The citizen's keys were deleted: names they chose to show are unreadable everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PersonalDataErased {
    pub citizen: SignerKey,
    /// How many subject keys (one per petition signed) were deleted.
    pub keys_deleted: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub erased_at: OffsetDateTime,
}

versioned_events! {
    pub enum PrivacyEvent {
        PersonalDataErased("1.0"),
    }
}
