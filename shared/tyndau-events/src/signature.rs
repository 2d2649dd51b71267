//! The Signature aggregate's events. One aggregate per (petition, signer): the event store's
//! primary key `(aggregate_type, aggregate_id, sequence)` makes a second signature impossible.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::{PetitionId, Region, SignerKey};

use crate::versioned_events;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureRecorded {
    pub petition_id: PetitionId,
    pub signer: SignerKey,
    /// The signer's region of residence, from the verified token: it drives regional counts.
    pub region: Region,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub signed_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureWithdrawn {
    pub petition_id: PetitionId,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub withdrawn_at: OffsetDateTime,
}

versioned_events! {
    pub enum SignatureEvent {
        SignatureRecorded("1.0"),
        SignatureWithdrawn("1.0"),
    }
}

/// The aggregate id of a signature: `{petition_id}:{signer}`. Keyed by petition first, so one
/// petition's signatures are one contiguous primary-key range.
pub fn signature_aggregate_id(petition_id: PetitionId, signer: SignerKey) -> String {
    format!("{petition_id}:{signer}")
}
