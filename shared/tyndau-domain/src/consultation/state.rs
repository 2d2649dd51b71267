//! The consultation's state: what the rules of this aggregate and of comments need.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::ConsultationEvent;
use tyndau_events::consultation::{ConsultationText, Provision};
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, ConsultationId};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationStatus {
    /// No events yet.
    #[default]
    New,
    Drafted,
    Open,
    Closed,
    ReportPublished,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub(super) id: Option<ConsultationId>,
    pub(super) body: Option<BodyId>,
    pub(super) status: ConsultationStatus,
    pub(super) content: BTreeMap<Language, ConsultationText>,
    /// `versions[n - 1]` is version `n`.
    pub(super) versions: Vec<Vec<Provision>>,
    pub(super) opened_at: Option<OffsetDateTime>,
    pub(super) closes_at: Option<OffsetDateTime>,
    pub(super) answers_due: Option<OffsetDateTime>,
}

impl Consultation {
    pub(super) fn evolve(&mut self, event: ConsultationEvent) {
        match event {
            ConsultationEvent::ConsultationDrafted(e) => {
                self.id = Some(e.consultation_id);
                self.body = Some(e.body);
                self.content = e.content;
                self.versions = vec![e.provisions];
                self.status = ConsultationStatus::Drafted;
            }
            ConsultationEvent::ConsultationOpened(e) => {
                self.status = ConsultationStatus::Open;
                self.opened_at = Some(e.opened_at);
                self.closes_at = Some(e.closes_at);
                self.answers_due = Some(e.answers_due);
            }
            ConsultationEvent::DraftVersionPublished(e) => self.versions.push(e.provisions),
            ConsultationEvent::ConsultationClosed(_) => self.status = ConsultationStatus::Closed,
            ConsultationEvent::OutcomeReportPublished(_) => self.status = ConsultationStatus::ReportPublished,
        }
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn id(&self) -> Option<ConsultationId> {
        self.id
    }

    pub fn body(&self) -> Option<&BodyId> {
        self.body.as_ref()
    }

    pub fn status(&self) -> ConsultationStatus {
        self.status
    }

    pub fn closes_at(&self) -> Option<OffsetDateTime> {
        self.closes_at
    }

    /// Whether a comment made at `at` is in time: open, and before the end of the period.
    pub fn accepts_comments(&self, at: OffsetDateTime) -> bool {
        self.status == ConsultationStatus::Open && self.closes_at.is_some_and(|closes| at < closes)
    }

    /// The latest version's number (1 for a fresh draft, 0 when nothing exists).
    pub fn current_version(&self) -> u32 {
        u32::try_from(self.versions.len()).unwrap_or(u32::MAX)
    }

    pub fn provisions(&self, version: u32) -> Option<&[Provision]> {
        let index = usize::try_from(version).ok()?.checked_sub(1)?;
        self.versions.get(index).map(Vec::as_slice)
    }

    pub fn current_provisions(&self) -> &[Provision] {
        self.versions.last().map_or(&[], Vec::as_slice)
    }
}
