//! One citizen's signature on one petition, rebuilt from events.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::SignatureEvent;
use tyndau_ids::{PetitionId, Region, SignerKey};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Never signed.
    #[default]
    Unsigned,
    Signed,
    /// Signed, then withdrawn: final.
    Withdrawn,
    /// Removed by a moderator in a bulk invalidation: final.
    Invalidated,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub(super) petition_id: Option<PetitionId>,
    pub(super) signer: Option<SignerKey>,
    pub(super) region: Option<Region>,
    pub(super) status: SignatureStatus,
    pub(super) signed_at: Option<OffsetDateTime>,
    pub(super) withdrawn_at: Option<OffsetDateTime>,
}

impl Signature {
    pub(super) fn evolve(&mut self, event: SignatureEvent) {
        match event {
            SignatureEvent::SignatureRecorded(e) => {
                self.petition_id = Some(e.petition_id);
                self.signer = Some(e.signer);
                self.region = Some(e.region);
                self.status = SignatureStatus::Signed;
                self.signed_at = Some(e.signed_at);
            }
            SignatureEvent::SignatureWithdrawn(e) => {
                self.status = SignatureStatus::Withdrawn;
                self.withdrawn_at = Some(e.withdrawn_at);
            }
            SignatureEvent::SignatureInvalidated(_) => self.status = SignatureStatus::Invalidated,
        }
    }

    pub fn status(&self) -> SignatureStatus {
        self.status
    }

    pub fn petition_id(&self) -> Option<PetitionId> {
        self.petition_id
    }

    pub fn signer(&self) -> Option<SignerKey> {
        self.signer
    }

    /// The signer's region of residence when signing.
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    pub fn signed_at(&self) -> Option<OffsetDateTime> {
        self.signed_at
    }

    pub fn withdrawn_at(&self) -> Option<OffsetDateTime> {
        self.withdrawn_at
    }
}
