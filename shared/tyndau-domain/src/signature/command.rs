//! What a citizen can do with their signature on one petition.

use time::{Date, OffsetDateTime};
use tyndau_events::sealed::SealedText;
use tyndau_events::signature::InvalidationReason;
use tyndau_ids::{InvalidationId, PetitionId, Region, SignerKey};

/// The petition's side of the signing rules, read by the application from the petition (or its
/// read model) just before the command: the signature aggregate never loads another aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningTerms {
    pub petition_id: PetitionId,
    /// The petition is published and neither closed, stopped nor archived.
    pub open: bool,
    /// End of the collection period; signing at or after it is refused even before Close runs.
    pub closes_at: OffsetDateTime,
    /// For a local petition, the region whose residents may sign; `None` for a national one.
    pub scope: Option<Region>,
}

impl SigningTerms {
    /// Whether signatures can still be given or taken back at `at`.
    pub fn accepts_at(&self, at: OffsetDateTime) -> bool {
        self.open && at < self.closes_at
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureCommand {
    /// Sign once. `birth_date` and `residence` come from the verified identity token.
    Sign {
        terms: SigningTerms,
        signer: SignerKey,
        birth_date: Date,
        residence: Region,
        /// "First name + initial", sealed under the signature's subject key, when the signer
        /// chose to show it.
        display_name: Option<SealedText>,
        at: OffsetDateTime,
    },
    /// Take the signature back while the petition is collecting. Final: the key is spent.
    /// `signer` names the stream (a `SignatureId`); the rules need only its state.
    Withdraw {
        terms: SigningTerms,
        signer: SignerKey,
        at: OffsetDateTime,
    },
    /// A moderator removes the signature as part of a bulk invalidation; also after closing, so
    /// fraud found late is still taken out of the count.
    Invalidate {
        invalidation: InvalidationId,
        reason: InvalidationReason,
        at: OffsetDateTime,
    },
}
