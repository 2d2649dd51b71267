//! What can be asked of a comment, and of a citizen's reaction to one. Commands carry the state
//! of the aggregates the rules read (the consultation, the parent comment) as plain data, so
//! handling stays pure.

use std::sync::Arc;

use time::OffsetDateTime;
use tyndau_events::comment::{
    Channel, CommentAuthor, Disposition, FlagReason, HideReason, ProvisionRef, Stance,
};
use tyndau_events::consultation::Localized;
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, CommentId, ProvisionPath, Region, SignerKey};

use super::Comment;
use crate::consultation::Consultation;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommentCommand {
    /// A proposal (no `reply_to`) or a reply.
    Post {
        comment_id: CommentId,
        consultation: Arc<Consultation>,
        reply_to: Option<Arc<Comment>>,
        author: CommentAuthor,
        channel: Channel,
        region: Option<Region>,
        path: Option<ProvisionPath>,
        quote: Option<String>,
        language: Language,
        text: String,
        at: OffsetDateTime,
    },
    Edit {
        by: CommentAuthor,
        consultation: Arc<Consultation>,
        text: String,
        at: OffsetDateTime,
    },
    /// Records that a reply arrived (only the first one makes an event).
    NoteReply { reply: CommentId, at: OffsetDateTime },
    /// A moderator hides the text; the fact and the reason stay public.
    Hide {
        reason: HideReason,
        explanation: String,
        at: OffsetDateTime,
    },
    /// A moderator leaves the comment shown: the `seen` flags are dealt with.
    DismissFlags { seen: u32, at: OffsetDateTime },
    Answer {
        by: BodyId,
        consultation: Arc<Consultation>,
        disposition: Disposition,
        reason: Localized,
        changed: Option<ProvisionRef>,
        duplicate_of: Option<Arc<Comment>>,
        at: OffsetDateTime,
    },
    /// Process manager: a new version was published; find this proposal's place in it.
    Reanchor {
        consultation: Arc<Consultation>,
        at: OffsetDateTime,
    },
}

impl CommentCommand {
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Post { .. } => "post",
            Self::Edit { .. } => "edit",
            Self::NoteReply { .. } => "note_reply",
            Self::Hide { .. } => "hide",
            Self::DismissFlags { .. } => "dismiss_flags",
            Self::Answer { .. } => "answer",
            Self::Reanchor { .. } => "reanchor",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReactionCommand {
    /// Agree, disagree, or withdraw (`Stance::None`); changeable.
    TakeStance {
        citizen: SignerKey,
        comment: Arc<Comment>,
        consultation: Arc<Consultation>,
        stance: Stance,
        at: OffsetDateTime,
    },
    Flag {
        citizen: SignerKey,
        comment: Arc<Comment>,
        reason: FlagReason,
        at: OffsetDateTime,
    },
}
