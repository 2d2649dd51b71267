//! A comment's state, and a reaction's.

use serde::{Deserialize, Serialize};
use tyndau_events::CommentEvent;
use tyndau_events::comment::{
    Anchor, AnchorMethod, CommentAuthor, Disposition, ProvisionRef, ReactionEvent, Stance,
};
use tyndau_events::consultation::Localized;
use tyndau_ids::{CommentId, ConsultationId, ProvisionPath};

/// The answer that currently stands, for detecting a repeated one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentAnswer {
    pub disposition: Disposition,
    pub reason: Localized,
    pub changed: Option<ProvisionRef>,
    pub duplicate_of: Option<CommentId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub(super) id: Option<CommentId>,
    pub(super) consultation_id: Option<ConsultationId>,
    pub(super) thread: Option<CommentId>,
    pub(super) depth: u8,
    pub(super) author: Option<CommentAuthor>,
    pub(super) anchor: Option<Anchor>,
    /// The last provision the comment was attached to: an orphaned comment keeps looking for it.
    pub(super) home: Option<ProvisionPath>,
    pub(super) hidden: bool,
    /// The most flags a moderator has reviewed and left the comment shown.
    pub(super) flags_dismissed: u32,
    pub(super) replied: bool,
    pub(super) answer: Option<CurrentAnswer>,
}

impl Comment {
    pub(super) fn evolve(&mut self, event: CommentEvent) {
        match event {
            CommentEvent::CommentPosted(e) => {
                self.id = Some(e.comment_id);
                self.consultation_id = Some(e.consultation_id);
                self.thread = Some(e.thread);
                self.depth = e.depth;
                self.author = Some(e.author);
                self.home = e.anchor.path.clone();
                self.anchor = Some(e.anchor);
            }
            CommentEvent::CommentEdited(_) => {}
            CommentEvent::CommentRepliedTo(_) => self.replied = true,
            CommentEvent::CommentHidden(_) => self.hidden = true,
            CommentEvent::CommentFlagsDismissed(e) => {
                self.flags_dismissed = self.flags_dismissed.max(e.flags_seen);
            }
            CommentEvent::ProposalAnswered(e) => {
                self.answer = Some(CurrentAnswer {
                    disposition: e.disposition,
                    reason: e.reason,
                    changed: e.changed,
                    duplicate_of: e.duplicate_of,
                });
            }
            CommentEvent::CommentReanchored(e) => {
                if e.method != AnchorMethod::Orphaned {
                    self.home.clone_from(&e.to.path);
                }
                self.anchor = Some(e.to);
            }
        }
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn id(&self) -> Option<CommentId> {
        self.id
    }

    pub fn consultation_id(&self) -> Option<ConsultationId> {
        self.consultation_id
    }

    pub fn is_proposal(&self) -> bool {
        self.exists() && self.depth == 0
    }

    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    pub fn has_replies(&self) -> bool {
        self.replied
    }

    pub fn author(&self) -> Option<&CommentAuthor> {
        self.author.as_ref()
    }

    pub fn anchor(&self) -> Option<&Anchor> {
        self.anchor.as_ref()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub(super) stance: Option<Stance>,
    pub(super) flagged: bool,
}

impl Reaction {
    pub(super) fn evolve(&mut self, event: ReactionEvent) {
        match event {
            ReactionEvent::StanceTaken(e) => self.stance = Some(e.stance),
            ReactionEvent::CommentFlagged(_) => self.flagged = true,
        }
    }

    pub fn stance(&self) -> Stance {
        self.stance.unwrap_or(Stance::None)
    }
}
