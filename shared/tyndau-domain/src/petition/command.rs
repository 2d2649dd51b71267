//! What can be asked of a petition. Every command carries its instant (`at`): the domain never
//! reads a clock, so replaying a command gives the same answer.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use tyndau_events::petition::{
    Decision, InvalidationRule, Language, PetitionText, RejectionReason, StopReason,
};
use tyndau_events::signature::InvalidationReason;
use tyndau_ids::{BodyId, InvalidationId, PetitionId, SignerKey};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PetitionCommand {
    /// A citizen writes a petition to a body in the directory.
    Draft {
        petition_id: PetitionId,
        author: SignerKey,
        addressee: BodyId,
        /// Kazakh or Russian at least; English optional.
        content: BTreeMap<Language, PetitionText>,
        at: OffsetDateTime,
    },
    /// The author sends the draft to moderation.
    Submit { by: SignerKey, at: OffsetDateTime },
    /// A moderator opens the petition for signing.
    Publish { at: OffsetDateTime },
    /// A moderator refuses publication, with a published reason and an explanation.
    Reject {
        reason: RejectionReason,
        explanation: String,
        at: OffsetDateTime,
    },
    /// Process manager: the start-up gate is met, the petition becomes publicly listed.
    MarkListed { signatures: u32, at: OffsetDateTime },
    /// Process manager: the threshold is met; the addressee's answer clock starts.
    MarkThresholdReached { signatures: u32, at: OffsetDateTime },
    /// Process manager: the collection period is over, or the start-up gate was missed.
    Close { final_count: u32, at: OffsetDateTime },
    /// A moderator ends collection early.
    Stop {
        reason: StopReason,
        explanation: String,
        final_count: u32,
        at: OffsetDateTime,
    },
    /// Process manager: the addressee missed its answer deadline.
    MarkAnswerOverdue { at: OffsetDateTime },
    /// The addressed body answers.
    Answer {
        by: BodyId,
        decision: Decision,
        text: BTreeMap<Language, String>,
        at: OffsetDateTime,
    },
    /// Process manager: the petition has been final long enough to leave the active lists.
    Archive { at: OffsetDateTime },
    /// Process manager: the retention period is over; the store has deleted the signers' subject
    /// keys (`keys_deleted` of them) and this records it.
    Anonymise { keys_deleted: u32, at: OffsetDateTime },
    /// A moderator's bulk invalidation: the public record of how many signatures were removed,
    /// why and by which rule. `count` is what the store removed in the same transaction.
    RecordInvalidation {
        invalidation: InvalidationId,
        reason: InvalidationReason,
        explanation: String,
        rule: InvalidationRule,
        count: u32,
        at: OffsetDateTime,
    },
}

impl PetitionCommand {
    /// The command's name, for logs and metrics.
    pub const fn name(&self) -> &'static str {
        match self {
            PetitionCommand::Draft { .. } => "draft",
            PetitionCommand::Submit { .. } => "submit",
            PetitionCommand::Publish { .. } => "publish",
            PetitionCommand::Reject { .. } => "reject",
            PetitionCommand::MarkListed { .. } => "mark_listed",
            PetitionCommand::MarkThresholdReached { .. } => "mark_threshold_reached",
            PetitionCommand::Close { .. } => "close",
            PetitionCommand::Stop { .. } => "stop",
            PetitionCommand::MarkAnswerOverdue { .. } => "mark_answer_overdue",
            PetitionCommand::Answer { .. } => "answer",
            PetitionCommand::Archive { .. } => "archive",
            PetitionCommand::RecordInvalidation { .. } => "record_invalidation",
            PetitionCommand::Anonymise { .. } => "anonymise",
        }
    }
}
