//! The Signature aggregate's events. One aggregate per (petition, signer): the event store's
//! primary key `(aggregate_type, aggregate_id, sequence)` makes a second signature impossible.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::{InvalidationId, PetitionId, Region, SignatureId, SignerKey};

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
    /// Since 1.1: "first name + initial", only when the signer chose to show it; sealed under the
    /// signature's subject key, so erasure and retention can shred it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<crate::sealed::SealedText>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureWithdrawn {
    pub petition_id: PetitionId,
    /// Since 1.1: whose signature, so a reader needs no aggregate id to know.
    pub signer: SignerKey,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub withdrawn_at: OffsetDateTime,
}

/// Why a moderator removed signatures: a published list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvalidationReason {
    /// Signatures made by automation (scripted bursts, bots).
    Automated,
    /// Identities used without their owners' consent.
    StolenIdentities,
    /// Signatures bought or coerced.
    Bought,
    /// An identity-provider incident made the tokens untrustworthy.
    IdentityProviderIncident,
}

/// A signature removed by a moderator as part of one invalidation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureInvalidated {
    pub petition_id: PetitionId,
    /// Since 1.1: whose signature, so a reader needs no aggregate id to know.
    pub signer: SignerKey,
    /// The invalidation (see `SignaturesInvalidated` on the petition) this belongs to.
    pub invalidation: InvalidationId,
    pub reason: InvalidationReason,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub invalidated_at: OffsetDateTime,
}

versioned_events! {
    pub enum SignatureEvent {
        SignatureRecorded("1.1"),
        SignatureWithdrawn("1.1"),
        SignatureInvalidated("1.1"),
    }
}

impl SignatureEvent {
    /// The signature this event belongs to: every version carries both halves of its id.
    pub fn signature_id(&self) -> SignatureId {
        let (petition, signer) = match self {
            SignatureEvent::SignatureRecorded(e) => (e.petition_id, e.signer),
            SignatureEvent::SignatureWithdrawn(e) => (e.petition_id, e.signer),
            SignatureEvent::SignatureInvalidated(e) => (e.petition_id, e.signer),
        };
        SignatureId::new(petition, signer)
    }
}

/// Shapes that are no longer written but are still in the store, kept as contracts: readers lift
/// them with the upcasters in [`crate::upcast`].
pub mod retired {
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;
    use tyndau_ids::{InvalidationId, PetitionId, Region, SignerKey};

    use super::InvalidationReason;

    /// `SignatureRecorded` 1.0 (before display names); lifted to 1.1 unchanged.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    pub struct SignatureRecordedV1_0 {
        pub petition_id: PetitionId,
        pub signer: SignerKey,
        pub region: Region,
        #[serde(with = "time::serde::rfc3339")]
        #[schemars(with = "String")]
        pub signed_at: OffsetDateTime,
    }

    // `SignatureWithdrawn` 1.0 (before it named the signer); lifted to 1.1 with the signer taken
    // from the aggregate id. Its schema keeps the title it was published under.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    #[schemars(title = "SignatureWithdrawn")]
    pub struct SignatureWithdrawnV1_0 {
        pub petition_id: PetitionId,
        #[serde(with = "time::serde::rfc3339")]
        #[schemars(with = "String")]
        pub withdrawn_at: OffsetDateTime,
    }

    // `SignatureInvalidated` 1.0 (before it named the signer); lifted like `SignatureWithdrawn`.
    // Its schema keeps the title and description it was published under.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    #[schemars(
        title = "SignatureInvalidated",
        description = "A signature removed by a moderator as part of one invalidation."
    )]
    pub struct SignatureInvalidatedV1_0 {
        pub petition_id: PetitionId,
        /// The invalidation (see `SignaturesInvalidated` on the petition) this belongs to.
        pub invalidation: InvalidationId,
        pub reason: InvalidationReason,
        #[serde(with = "time::serde::rfc3339")]
        #[schemars(with = "String")]
        pub invalidated_at: OffsetDateTime,
    }
}

#[cfg(test)]
mod tests {
    use super::SignatureEvent;

    #[test]
    fn a_variants_current_version_is_found_by_its_name() {
        assert_eq!(SignatureEvent::version_of("SignatureRecorded"), Some("1.1"));
        assert_eq!(SignatureEvent::version_of("SignatureWithdrawn"), Some("1.1"));
        assert_eq!(SignatureEvent::version_of("PetitionPublished"), None);
    }
}
