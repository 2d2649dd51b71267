//! The petition's state: only what the rules need, rebuilt from events. `apply` assigns; it never
//! decides and never fails, so any stored history replays.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::PetitionEvent;
use tyndau_events::petition::{Addressee, ClosingOutcome};
use tyndau_ids::{PetitionId, SignerKey};

/// Where a petition is in its lifecycle. Listing, the threshold, the answer and its lateness are
/// sub-states of `Open`/`Closed`, read through their own queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionStatus {
    /// No events yet: the petition does not exist.
    #[default]
    New,
    Draft,
    Submitted,
    Rejected,
    Open,
    Closed,
    Stopped,
    Archived,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub(super) id: Option<PetitionId>,
    pub(super) author: Option<SignerKey>,
    pub(super) addressee: Option<Addressee>,
    pub(super) status: PetitionStatus,
    pub(super) moderation_due: Option<OffsetDateTime>,
    pub(super) rejected_at: Option<OffsetDateTime>,
    pub(super) published_at: Option<OffsetDateTime>,
    pub(super) closes_at: Option<OffsetDateTime>,
    pub(super) threshold: Option<u32>,
    pub(super) startup_signatures: u32,
    pub(super) startup_due: Option<OffsetDateTime>,
    pub(super) answer_working_days: u16,
    pub(super) listed_at: Option<OffsetDateTime>,
    pub(super) threshold_reached_at: Option<OffsetDateTime>,
    pub(super) answer_due: Option<OffsetDateTime>,
    pub(super) closed_at: Option<OffsetDateTime>,
    pub(super) outcome: Option<ClosingOutcome>,
    pub(super) stopped_at: Option<OffsetDateTime>,
    pub(super) answer_overdue_at: Option<OffsetDateTime>,
    pub(super) answered_at: Option<OffsetDateTime>,
    pub(super) archived_at: Option<OffsetDateTime>,
    pub(super) anonymised_at: Option<OffsetDateTime>,
    /// When the petition became final, kept once it is archived (retention counts from it).
    pub(super) final_before_archiving: Option<OffsetDateTime>,
}

impl Petition {
    pub(super) fn evolve(&mut self, event: PetitionEvent) {
        match event {
            PetitionEvent::PetitionDrafted(e) => {
                self.id = Some(e.petition_id);
                self.author = Some(e.author);
                self.addressee = Some(e.addressee);
                self.status = PetitionStatus::Draft;
            }
            PetitionEvent::PetitionSubmitted(e) => {
                self.status = PetitionStatus::Submitted;
                self.moderation_due = Some(e.moderation_due);
            }
            PetitionEvent::PetitionRejected(e) => {
                self.status = PetitionStatus::Rejected;
                self.rejected_at = Some(e.rejected_at);
            }
            PetitionEvent::PetitionPublished(e) => {
                self.status = PetitionStatus::Open;
                self.published_at = Some(e.published_at);
                self.closes_at = Some(e.closes_at);
                self.threshold = Some(e.threshold);
                self.startup_signatures = e.startup_signatures;
                self.startup_due = Some(e.startup_due);
                self.answer_working_days = e.answer_working_days;
            }
            PetitionEvent::PetitionListed(e) => self.listed_at = Some(e.listed_at),
            PetitionEvent::PetitionThresholdReached(e) => {
                self.threshold_reached_at = Some(e.reached_at);
                self.answer_due = Some(e.answer_due);
            }
            PetitionEvent::PetitionClosed(e) => {
                self.status = PetitionStatus::Closed;
                self.closed_at = Some(e.closed_at);
                self.outcome = Some(e.outcome);
            }
            PetitionEvent::PetitionStopped(e) => {
                self.status = PetitionStatus::Stopped;
                self.stopped_at = Some(e.stopped_at);
            }
            PetitionEvent::PetitionAnswerOverdue(e) => self.answer_overdue_at = Some(e.marked_at),
            PetitionEvent::PetitionAnswered(e) => self.answered_at = Some(e.answered_at),
            PetitionEvent::PetitionArchived(e) => {
                self.final_before_archiving = self.final_at();
                self.status = PetitionStatus::Archived;
                self.archived_at = Some(e.archived_at);
            }
            // The count lives in the signature gate; the record is for the public.
            PetitionEvent::SignaturesInvalidated(_) => {}
            PetitionEvent::PetitionAnonymised(e) => self.anonymised_at = Some(e.anonymised_at),
        }
    }

    pub fn status(&self) -> PetitionStatus {
        self.status
    }

    /// Whether any event exists for this petition.
    pub fn exists(&self) -> bool {
        self.status != PetitionStatus::New
    }

    pub fn id(&self) -> Option<PetitionId> {
        self.id
    }

    pub fn author(&self) -> Option<SignerKey> {
        self.author
    }

    pub fn addressee(&self) -> Option<&Addressee> {
        self.addressee.as_ref()
    }

    /// Open for signing (published, not closed, stopped or archived). The collection period may
    /// have run out without the Close command yet: signing also checks [`Self::closes_at`].
    pub fn is_open(&self) -> bool {
        self.status == PetitionStatus::Open
    }

    /// What signatures are checked against, from publication on: the terms the signature gate
    /// keeps for the signing transaction. `None` before publication.
    pub fn signing_terms(&self) -> Option<crate::SigningTerms> {
        Some(crate::SigningTerms {
            petition_id: self.id?,
            open: self.is_open(),
            closes_at: self.closes_at?,
            scope: self.addressee.as_ref().and_then(|addressee| addressee.region),
        })
    }

    /// Signatures needed, fixed at publication.
    pub fn threshold(&self) -> Option<u32> {
        self.threshold
    }

    pub fn moderation_due(&self) -> Option<OffsetDateTime> {
        self.moderation_due
    }

    pub fn published_at(&self) -> Option<OffsetDateTime> {
        self.published_at
    }

    pub fn closes_at(&self) -> Option<OffsetDateTime> {
        self.closes_at
    }

    /// Signatures needed before listing, fixed at publication.
    pub fn startup_signatures(&self) -> u32 {
        self.startup_signatures
    }

    pub fn startup_due(&self) -> Option<OffsetDateTime> {
        self.startup_due
    }

    pub fn answer_working_days(&self) -> u16 {
        self.answer_working_days
    }

    pub fn is_listed(&self) -> bool {
        self.listed_at.is_some()
    }

    pub fn threshold_reached(&self) -> bool {
        self.threshold_reached_at.is_some()
    }

    pub fn answer_due(&self) -> Option<OffsetDateTime> {
        self.answer_due
    }

    pub fn is_answer_overdue(&self) -> bool {
        self.answer_overdue_at.is_some()
    }

    pub fn is_answered(&self) -> bool {
        self.answered_at.is_some()
    }

    pub fn closing_outcome(&self) -> Option<ClosingOutcome> {
        self.outcome
    }

    /// When the petition reached a final state (nothing more can happen to it but archiving):
    /// rejected, stopped, closed without an answer to wait for, or closed and answered (the
    /// later of the two). `None` while anything is pending, and once archived.
    pub fn final_at(&self) -> Option<OffsetDateTime> {
        match self.status {
            PetitionStatus::Rejected => self.rejected_at,
            PetitionStatus::Stopped => self.stopped_at,
            PetitionStatus::Closed => match (self.outcome, self.answered_at) {
                (Some(ClosingOutcome::ThresholdReached), Some(answered)) => {
                    self.closed_at.map(|c| c.max(answered))
                }
                (Some(ClosingOutcome::ThresholdReached), None) | (None, _) => None,
                (Some(ClosingOutcome::StartupGateMissed | ClosingOutcome::ThresholdNotReached), _) => {
                    self.closed_at
                }
            },
            PetitionStatus::New
            | PetitionStatus::Draft
            | PetitionStatus::Submitted
            | PetitionStatus::Open
            | PetitionStatus::Archived => None,
        }
    }
}
