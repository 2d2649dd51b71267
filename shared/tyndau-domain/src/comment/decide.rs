//! The rules of comments and reactions.

use time::OffsetDateTime;
use tyndau_events::comment::{
    Anchor, Channel, CommentAuthor, CommentEdited, CommentFlagged, CommentFlagsDismissed, CommentHidden,
    CommentPosted, CommentReanchored, CommentRepliedTo, Disposition, FlagReason, HideReason,
    ProposalAnswered, Stance, StanceTaken,
};
use tyndau_events::consultation::Localized;
use tyndau_events::petition::Language;
use tyndau_events::{CommentEvent, ReactionEvent};
use tyndau_ids::{BodyId, CommentId, ProvisionPath, Region, SignerKey};

use super::{Comment, CommentCommand, CommentError, CurrentAnswer, Reaction, ReactionCommand};
use crate::consultation::{Consultation, ConsultationPolicy, ConsultationStatus};
use crate::text::{self, TextField, TextProblem};

type Decided = Result<Vec<CommentEvent>, CommentError>;

fn check(text: &str, max: usize, field: TextField, language: Option<Language>) -> Result<(), CommentError> {
    text::check(text, max).map_err(|problem| match problem {
        TextProblem::Empty => CommentError::EmptyText { language, field },
        TextProblem::TooLong { max } => CommentError::TextTooLong { language, field, max },
    })
}

/// What a new comment says, beyond where it goes.
pub(super) struct Draft {
    pub author: CommentAuthor,
    pub channel: Channel,
    pub region: Option<Region>,
    pub language: Language,
    pub text: String,
}

impl Comment {
    pub(super) fn decide(&self, command: CommentCommand, policy: &ConsultationPolicy) -> Decided {
        if !self.exists() && !matches!(command, CommentCommand::Post { .. }) {
            return Err(CommentError::NotFound);
        }
        match command {
            CommentCommand::Post {
                comment_id,
                consultation,
                reply_to,
                author,
                channel,
                region,
                path,
                quote,
                language,
                text,
                at,
            } => {
                let draft = Draft {
                    author,
                    channel,
                    region,
                    language,
                    text,
                };
                self.post(
                    comment_id,
                    &consultation,
                    reply_to.as_deref(),
                    path,
                    quote,
                    draft,
                    at,
                    policy,
                )
            }
            CommentCommand::Edit {
                by,
                consultation,
                text,
                at,
            } => self.edit(&by, &consultation, text, at, policy),
            CommentCommand::NoteReply { reply, at } => Ok(self.note_reply(reply, at)),
            CommentCommand::Hide {
                reason,
                explanation,
                at,
            } => self.hide(reason, &explanation, at, policy),
            CommentCommand::DismissFlags { seen, at } => self.dismiss_flags(seen, at),
            CommentCommand::Answer {
                by,
                consultation,
                disposition,
                reason,
                changed,
                duplicate_of,
                at,
            } => self.answer(
                &by,
                &consultation,
                CurrentAnswer {
                    disposition,
                    reason,
                    changed,
                    duplicate_of: duplicate_of.as_ref().and_then(|d| d.id()),
                },
                duplicate_of.as_deref(),
                at,
                policy,
            ),
            CommentCommand::Reanchor { consultation, at } => self.reanchor(&consultation, at),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn post(
        &self,
        comment_id: CommentId,
        consultation: &Consultation,
        reply_to: Option<&Comment>,
        path: Option<ProvisionPath>,
        quote: Option<String>,
        draft: Draft,
        at: OffsetDateTime,
        policy: &ConsultationPolicy,
    ) -> Decided {
        if self.exists() {
            return Err(CommentError::AlreadyExists);
        }
        let Some(consultation_id) = consultation.id() else {
            return Err(CommentError::ConsultationNotFound);
        };
        match consultation.status() {
            ConsultationStatus::New => return Err(CommentError::ConsultationNotFound),
            ConsultationStatus::Drafted => return Err(CommentError::NotOpenYet),
            _ if !consultation.accepts_comments(at) => return Err(CommentError::CommentingClosed),
            _ => {}
        }
        match &draft.author {
            CommentAuthor::Organisation { organisation } if consultation.body() == Some(organisation) => {
                return Err(CommentError::OwnConsultation);
            }
            CommentAuthor::Citizen { .. } if draft.channel != Channel::Citizen => {
                return Err(CommentError::WrongChannel);
            }
            CommentAuthor::Organisation { .. } if draft.channel == Channel::Citizen => {
                return Err(CommentError::WrongChannel);
            }
            _ => {}
        }
        check(&draft.text, policy.limits.comment, TextField::Comment, None)?;
        let (parent, thread, depth, anchor) = match reply_to {
            Some(parent) => {
                if !parent.exists() || parent.consultation_id() != Some(consultation_id) {
                    return Err(CommentError::ParentNotFound);
                }
                if parent.is_hidden() {
                    return Err(CommentError::Hidden);
                }
                if path.is_some() || quote.is_some() {
                    return Err(CommentError::AnchorOnReply);
                }
                let depth = parent.depth.saturating_add(1);
                if depth > policy.max_reply_depth {
                    return Err(CommentError::TooDeep {
                        max: policy.max_reply_depth,
                    });
                }
                let anchor = parent.anchor.clone().ok_or(CommentError::ParentNotFound)?;
                (parent.id, parent.thread.unwrap_or(comment_id), depth, anchor)
            }
            None => (None, comment_id, 0, anchor_in(consultation, path, quote, policy)?),
        };
        Ok(vec![
            CommentPosted {
                comment_id,
                consultation_id,
                parent,
                thread,
                depth,
                anchor,
                author: draft.author,
                channel: draft.channel,
                region: draft.region,
                language: draft.language,
                text: draft.text.trim().to_owned(),
                posted_at: at,
            }
            .into(),
        ])
    }

    fn edit(
        &self,
        by: &CommentAuthor,
        consultation: &Consultation,
        text: String,
        at: OffsetDateTime,
        policy: &ConsultationPolicy,
    ) -> Decided {
        if self.author.as_ref() != Some(by) {
            return Err(CommentError::NotAuthor);
        }
        if self.hidden {
            return Err(CommentError::Hidden);
        }
        if self.replied {
            return Err(CommentError::HasReplies);
        }
        if self.answer.is_some() {
            return Err(CommentError::Answered);
        }
        if !consultation.accepts_comments(at) {
            return Err(CommentError::CommentingClosed);
        }
        check(&text, policy.limits.comment, TextField::Comment, None)?;
        Ok(vec![
            CommentEdited {
                text: text.trim().to_owned(),
                edited_at: at,
            }
            .into(),
        ])
    }

    fn note_reply(&self, reply: CommentId, at: OffsetDateTime) -> Vec<CommentEvent> {
        if self.replied {
            return Vec::new();
        }
        vec![
            CommentRepliedTo {
                first_reply: reply,
                replied_at: at,
            }
            .into(),
        ]
    }

    fn hide(
        &self,
        reason: HideReason,
        explanation: &str,
        at: OffsetDateTime,
        policy: &ConsultationPolicy,
    ) -> Decided {
        if self.hidden {
            return Err(CommentError::AlreadyHidden);
        }
        check(
            explanation,
            policy.limits.explanation,
            TextField::Explanation,
            None,
        )?;
        Ok(vec![
            CommentHidden {
                reason,
                explanation: explanation.trim().to_owned(),
                hidden_at: at,
            }
            .into(),
        ])
    }

    fn dismiss_flags(&self, seen: u32, at: OffsetDateTime) -> Decided {
        if self.hidden {
            return Err(CommentError::AlreadyHidden);
        }
        if seen <= self.flags_dismissed {
            return Err(CommentError::NoNewFlags);
        }
        Ok(vec![
            CommentFlagsDismissed {
                flags_seen: seen,
                dismissed_at: at,
            }
            .into(),
        ])
    }

    fn answer(
        &self,
        by: &BodyId,
        consultation: &Consultation,
        answer: CurrentAnswer,
        duplicate_target: Option<&Comment>,
        at: OffsetDateTime,
        policy: &ConsultationPolicy,
    ) -> Decided {
        if !self.is_proposal() {
            return Err(CommentError::NotAProposal);
        }
        if consultation.body() != Some(by) {
            return Err(CommentError::NotResponsibleBody);
        }
        if consultation.status() == ConsultationStatus::ReportPublished {
            return Err(CommentError::ReportPublished);
        }
        if !answer.reason.contains_key(&Language::Kk) && !answer.reason.contains_key(&Language::Ru) {
            return Err(CommentError::ReasonRequired);
        }
        for (language, reason) in &answer.reason {
            check(reason, policy.limits.reason, TextField::Reason, Some(*language))?;
        }
        match (answer.disposition, duplicate_target) {
            (Disposition::Duplicate, None) => return Err(CommentError::DuplicateTargetRequired),
            (Disposition::Duplicate, Some(target)) => {
                let valid = target.is_proposal()
                    && target.consultation_id == self.consultation_id
                    && target.id != self.id;
                if !valid {
                    return Err(CommentError::InvalidDuplicate);
                }
            }
            (_, Some(_)) => return Err(CommentError::DuplicateOnlyForDuplicates),
            (_, None) => {}
        }
        if let Some(changed) = &answer.changed {
            if !answer.disposition.changes_the_draft() {
                return Err(CommentError::ChangeNeedsAcceptance);
            }
            let exists = consultation
                .provisions(changed.version)
                .is_some_and(|provisions| tyndau_drafts::provision(provisions, &changed.path).is_some());
            if !exists {
                return Err(CommentError::UnknownChangedProvision);
            }
        }
        let reason: Localized = answer
            .reason
            .into_iter()
            .map(|(l, t)| (l, t.trim().to_owned()))
            .collect();
        let answer = CurrentAnswer { reason, ..answer };
        if self.answer.as_ref() == Some(&answer) {
            return Err(CommentError::SameAnswer);
        }
        Ok(vec![
            ProposalAnswered {
                by: by.clone(),
                disposition: answer.disposition,
                reason: answer.reason,
                changed: answer.changed,
                duplicate_of: answer.duplicate_of,
                answered_at: at,
            }
            .into(),
        ])
    }

    fn reanchor(&self, consultation: &Consultation, at: OffsetDateTime) -> Decided {
        if !self.is_proposal() {
            return Err(CommentError::NotAProposal);
        }
        let Some(from) = self.anchor.clone() else {
            return Err(CommentError::NotFound);
        };
        let version = consultation.current_version();
        if from.version >= version {
            return Err(CommentError::AlreadyAnchored);
        }
        let located = tyndau_drafts::locate(
            self.home.as_ref(),
            from.quote.as_deref(),
            consultation.current_provisions(),
        );
        let to = Anchor {
            version,
            path: located.path,
            quote: from.quote.clone(),
        };
        Ok(vec![
            CommentReanchored {
                from,
                to,
                method: located.method,
                confidence: located.confidence,
                reanchored_at: at,
            }
            .into(),
        ])
    }
}

/// Where a new proposal goes in the current version: the whole draft, or a provision (and the
/// quoted words must be in it).
fn anchor_in(
    consultation: &Consultation,
    path: Option<ProvisionPath>,
    quote: Option<String>,
    policy: &ConsultationPolicy,
) -> Result<Anchor, CommentError> {
    let version = consultation.current_version();
    let quote = quote.map(|q| q.trim().to_owned());
    let Some(path) = path else {
        if quote.is_some() {
            return Err(CommentError::QuoteWithoutProvision);
        }
        return Ok(Anchor {
            version,
            path: None,
            quote: None,
        });
    };
    let provision = tyndau_drafts::provision(consultation.current_provisions(), &path)
        .ok_or(CommentError::UnknownProvision)?;
    if let Some(quote) = &quote {
        check(quote, policy.limits.quote, TextField::Quote, None)?;
        if !tyndau_drafts::quotes(provision, quote) {
            return Err(CommentError::QuoteNotFound);
        }
    }
    Ok(Anchor {
        version,
        path: Some(path),
        quote,
    })
}

impl Reaction {
    pub(super) fn decide(
        &self,
        command: ReactionCommand,
        _: &(),
    ) -> Result<Vec<ReactionEvent>, CommentError> {
        match command {
            ReactionCommand::TakeStance {
                citizen,
                comment,
                consultation,
                stance,
                at,
            } => self.take_stance(citizen, &comment, &consultation, stance, at),
            ReactionCommand::Flag {
                citizen,
                comment,
                reason,
                at,
            } => self.flag(citizen, &comment, reason, at),
        }
    }

    fn target(
        citizen: SignerKey,
        comment: &Comment,
    ) -> Result<(tyndau_ids::ConsultationId, CommentId), CommentError> {
        let (Some(consultation_id), Some(comment_id)) = (comment.consultation_id, comment.id) else {
            return Err(CommentError::NotFound);
        };
        if comment.author == Some(CommentAuthor::Citizen { key: citizen }) {
            return Err(CommentError::OwnComment);
        }
        Ok((consultation_id, comment_id))
    }

    fn take_stance(
        &self,
        citizen: SignerKey,
        comment: &Comment,
        consultation: &Consultation,
        stance: Stance,
        at: OffsetDateTime,
    ) -> Result<Vec<ReactionEvent>, CommentError> {
        let (consultation_id, comment_id) = Self::target(citizen, comment)?;
        if comment.hidden {
            return Err(CommentError::Hidden);
        }
        if consultation.status() == ConsultationStatus::ReportPublished {
            return Err(CommentError::ReportPublished);
        }
        if self.stance() == stance {
            // Saying it again changes nothing: the request is idempotent.
            return Ok(Vec::new());
        }
        Ok(vec![
            StanceTaken {
                consultation_id,
                comment_id,
                citizen,
                stance,
                at,
            }
            .into(),
        ])
    }

    fn flag(
        &self,
        citizen: SignerKey,
        comment: &Comment,
        reason: FlagReason,
        at: OffsetDateTime,
    ) -> Result<Vec<ReactionEvent>, CommentError> {
        let (consultation_id, comment_id) = Self::target(citizen, comment)?;
        if self.flagged {
            return Err(CommentError::AlreadyFlagged);
        }
        Ok(vec![
            CommentFlagged {
                consultation_id,
                comment_id,
                citizen,
                reason,
                at,
            }
            .into(),
        ])
    }
}
