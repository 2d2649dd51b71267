//! What can be asked of a consultation. Every command carries its instant (`at`).

use std::collections::BTreeMap;

use time::OffsetDateTime;
use tyndau_events::consultation::{ChangeNote, ConsultationText, Localized, Provision};
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, ConsultationId};

/// Who closes a consultation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closer {
    /// The process manager, once the comment period has run out.
    Deadline,
    /// An official of the developing body, early.
    Body(BodyId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsultationCommand {
    /// An official drafts a consultation for their own body.
    Draft {
        consultation_id: ConsultationId,
        by: BodyId,
        content: BTreeMap<Language, ConsultationText>,
        provisions: Vec<Provision>,
        at: OffsetDateTime,
    },
    /// The body opens the draft for comment until `closes_at`.
    Open {
        by: BodyId,
        closes_at: OffsetDateTime,
        at: OffsetDateTime,
    },
    /// The body publishes a revised draft, while open or after closing.
    PublishVersion {
        by: BodyId,
        provisions: Vec<Provision>,
        changes: Vec<ChangeNote>,
        at: OffsetDateTime,
    },
    Close {
        by: Closer,
        at: OffsetDateTime,
    },
    /// The body publishes the outcome report. `unanswered` is counted from the event store by the
    /// caller: after closing no proposal can appear, so the count can only fall.
    PublishReport {
        by: BodyId,
        unanswered: u32,
        summary: Localized,
        at: OffsetDateTime,
    },
}

impl ConsultationCommand {
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Draft { .. } => "draft",
            Self::Open { .. } => "open",
            Self::PublishVersion { .. } => "publish_version",
            Self::Close { .. } => "close",
            Self::PublishReport { .. } => "publish_report",
        }
    }
}
