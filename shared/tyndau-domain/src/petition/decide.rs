//! The petition's business rules: given the state and a command, the events or a rejection.
//! Synchronous and pure, so `handle` is only "decide, then write".

use std::collections::BTreeMap;

use time::OffsetDateTime;
use tyndau_events::PetitionEvent;
use tyndau_events::petition::{
    ClosingOutcome, Decision, InvalidationRule, Language, PetitionAnswerOverdue, PetitionAnswered,
    PetitionArchived, PetitionClosed, PetitionDrafted, PetitionListed, PetitionPublished, PetitionRejected,
    PetitionStopped, PetitionSubmitted, PetitionText, PetitionThresholdReached, RejectionReason,
    SignaturesInvalidated, StopReason,
};
use tyndau_events::signature::InvalidationReason;
use tyndau_ids::{BodyId, InvalidationId, PetitionId, SignerKey};

use super::{Petition, PetitionCommand, PetitionError, PetitionServices, PetitionStatus};
use crate::text::{self, TextField, TextProblem};

type Decided = Result<Vec<PetitionEvent>, PetitionError>;

impl Petition {
    pub(super) fn decide(&self, command: PetitionCommand, services: &PetitionServices) -> Decided {
        if !self.exists() && !matches!(command, PetitionCommand::Draft { .. }) {
            return Err(PetitionError::NotFound);
        }
        match command {
            PetitionCommand::Draft {
                petition_id,
                author,
                addressee,
                content,
                at,
            } => self.draft(petition_id, author, &addressee, content, at, services),
            PetitionCommand::Submit { by, at } => self.submit(by, at, services),
            PetitionCommand::Publish { at } => self.publish(at, services),
            PetitionCommand::Reject {
                reason,
                explanation,
                at,
            } => self.reject(reason, &explanation, at, services),
            PetitionCommand::MarkListed { signatures, at } => self.mark_listed(signatures, at),
            PetitionCommand::MarkThresholdReached { signatures, at } => {
                self.mark_threshold_reached(signatures, at, services)
            }
            PetitionCommand::Close { final_count, at } => self.close(final_count, at),
            PetitionCommand::Stop {
                reason,
                explanation,
                final_count,
                at,
            } => self.stop(reason, &explanation, final_count, at, services),
            PetitionCommand::MarkAnswerOverdue { at } => self.mark_answer_overdue(at),
            PetitionCommand::Answer {
                by,
                decision,
                text,
                at,
            } => self.answer(&by, decision, text, at, services),
            PetitionCommand::Archive { at } => self.archive(at, services),
            PetitionCommand::Anonymise { keys_deleted, at } => self.anonymise(keys_deleted, at, services),
            PetitionCommand::RecordInvalidation {
                invalidation,
                reason,
                explanation,
                rule,
                count,
                at,
            } => self.record_invalidation(invalidation, reason, &explanation, rule, count, at, services),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record_invalidation(
        &self,
        invalidation: InvalidationId,
        reason: InvalidationReason,
        explanation: &str,
        rule: InvalidationRule,
        count: u32,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        match self.status {
            PetitionStatus::Open | PetitionStatus::Closed | PetitionStatus::Stopped => {}
            PetitionStatus::Archived => return Err(PetitionError::AlreadyArchived),
            _ => return Err(PetitionError::NotOpen),
        }
        if count == 0 {
            return Err(PetitionError::NothingToInvalidate);
        }
        let limits = &services.policy.limits;
        check(None, TextField::Explanation, explanation, limits.explanation)?;
        Ok(vec![
            SignaturesInvalidated {
                invalidation,
                reason,
                explanation: explanation.trim().to_owned(),
                rule,
                count,
                invalidated_at: at,
            }
            .into(),
        ])
    }

    fn draft(
        &self,
        petition_id: PetitionId,
        author: SignerKey,
        addressee: &BodyId,
        content: BTreeMap<Language, PetitionText>,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        if self.exists() {
            return Err(PetitionError::AlreadyExists);
        }
        let body = services.bodies.get(addressee).ok_or(PetitionError::UnknownBody)?;
        if !content.contains_key(&Language::Kk) && !content.contains_key(&Language::Ru) {
            return Err(PetitionError::KazakhOrRussianRequired);
        }
        let limits = &services.policy.limits;
        let mut trimmed = BTreeMap::new();
        for (language, text) in content {
            check(Some(language), TextField::Title, &text.title, limits.title)?;
            check(Some(language), TextField::Text, &text.text, limits.text)?;
            check(Some(language), TextField::Request, &text.request, limits.request)?;
            let clean = PetitionText {
                title: text.title.trim().to_owned(),
                text: text.text.trim().to_owned(),
                request: text.request.trim().to_owned(),
            };
            trimmed.insert(language, clean);
        }
        Ok(vec![
            PetitionDrafted {
                petition_id,
                author,
                addressee: body.addressee(),
                content: trimmed,
                drafted_at: at,
            }
            .into(),
        ])
    }

    fn submit(&self, by: SignerKey, at: OffsetDateTime, services: &PetitionServices) -> Decided {
        if self.author != Some(by) {
            return Err(PetitionError::NotAuthor);
        }
        if self.status != PetitionStatus::Draft {
            return Err(PetitionError::NotDraft);
        }
        let moderation_due = services
            .calendar
            .add_working_days(at, services.policy.moderation_working_days);
        Ok(vec![
            PetitionSubmitted {
                submitted_at: at,
                moderation_due,
            }
            .into(),
        ])
    }

    fn publish(&self, at: OffsetDateTime, services: &PetitionServices) -> Decided {
        let addressee = match (&self.addressee, self.status) {
            (Some(addressee), PetitionStatus::Submitted) => addressee,
            _ => return Err(PetitionError::NotSubmitted),
        };
        let policy = &services.policy;
        Ok(vec![
            PetitionPublished {
                published_at: at,
                closes_at: policy.collection_closes_at(at),
                threshold: policy.threshold_for(addressee, &services.bodies),
                startup_signatures: policy.startup_signatures,
                startup_due: services
                    .calendar
                    .add_working_days(at, policy.startup_working_days),
                answer_working_days: policy.answer_working_days,
            }
            .into(),
        ])
    }

    fn reject(
        &self,
        reason: RejectionReason,
        explanation: &str,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        if self.status != PetitionStatus::Submitted {
            return Err(PetitionError::NotSubmitted);
        }
        check(
            None,
            TextField::Explanation,
            explanation,
            services.policy.limits.explanation,
        )?;
        Ok(vec![
            PetitionRejected {
                reason,
                explanation: explanation.trim().to_owned(),
                rejected_at: at,
            }
            .into(),
        ])
    }

    fn mark_listed(&self, signatures: u32, at: OffsetDateTime) -> Decided {
        if self.is_listed() {
            return Err(PetitionError::AlreadyListed);
        }
        if !self.is_open() {
            return Err(PetitionError::NotOpen);
        }
        enough(signatures, self.startup_signatures)?;
        Ok(vec![
            PetitionListed {
                listed_at: at,
                signatures,
            }
            .into(),
        ])
    }

    fn mark_threshold_reached(
        &self,
        signatures: u32,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        if self.threshold_reached() {
            return Err(PetitionError::ThresholdAlreadyReached);
        }
        let threshold = match (self.status, self.threshold) {
            (PetitionStatus::Open, Some(threshold)) => threshold,
            _ => return Err(PetitionError::NotOpen),
        };
        enough(signatures, threshold)?;
        let answer_due = services.calendar.add_working_days(at, self.answer_working_days);
        Ok(vec![
            PetitionThresholdReached {
                reached_at: at,
                signatures,
                answer_due,
            }
            .into(),
        ])
    }

    /// Closing has two triggers: the start-up gate missed (not listed, its deadline passed, still
    /// too few signatures) and the end of the collection period.
    fn close(&self, final_count: u32, at: OffsetDateTime) -> Decided {
        let (Some(closes_at), Some(startup_due), Some(threshold)) =
            (self.closes_at, self.startup_due, self.threshold)
        else {
            return Err(PetitionError::NotOpen);
        };
        if !self.is_open() {
            return Err(PetitionError::NotOpen);
        }
        // The start-up gate only ends petitions that never gathered support: once the threshold
        // was reached the addressee owes an answer, whatever the count later became.
        let outcome = if !self.is_listed()
            && !self.threshold_reached()
            && at >= startup_due
            && final_count < self.startup_signatures
        {
            ClosingOutcome::StartupGateMissed
        } else if at < closes_at {
            return Err(PetitionError::NotDue);
        } else if self.threshold_reached() {
            ClosingOutcome::ThresholdReached
        } else if final_count >= threshold {
            // The answer clock must start from a ThresholdReached event, never be lost.
            return Err(PetitionError::ThresholdNotMarked);
        } else {
            ClosingOutcome::ThresholdNotReached
        };
        Ok(vec![
            PetitionClosed {
                closed_at: at,
                final_count,
                outcome,
            }
            .into(),
        ])
    }

    fn stop(
        &self,
        reason: StopReason,
        explanation: &str,
        final_count: u32,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        if !self.is_open() {
            return Err(PetitionError::NotOpen);
        }
        check(
            None,
            TextField::Explanation,
            explanation,
            services.policy.limits.explanation,
        )?;
        Ok(vec![
            PetitionStopped {
                reason,
                explanation: explanation.trim().to_owned(),
                final_count,
                stopped_at: at,
            }
            .into(),
        ])
    }

    fn mark_answer_overdue(&self, at: OffsetDateTime) -> Decided {
        let answer_due = self.awaiting_answer()?;
        if self.is_answer_overdue() {
            return Err(PetitionError::AnswerAlreadyMarkedOverdue);
        }
        if at <= answer_due {
            return Err(PetitionError::NotDue);
        }
        Ok(vec![
            PetitionAnswerOverdue {
                answer_due,
                marked_at: at,
            }
            .into(),
        ])
    }

    fn answer(
        &self,
        by: &BodyId,
        decision: Decision,
        text: BTreeMap<Language, String>,
        at: OffsetDateTime,
        services: &PetitionServices,
    ) -> Decided {
        if self
            .addressee
            .as_ref()
            .is_none_or(|addressee| addressee.body != *by)
        {
            return Err(PetitionError::NotAddressee);
        }
        let answer_due = self.awaiting_answer()?;
        if !text.contains_key(&Language::Kk) && !text.contains_key(&Language::Ru) {
            return Err(PetitionError::KazakhOrRussianRequired);
        }
        let max = services.policy.limits.answer;
        let mut trimmed = BTreeMap::new();
        for (language, answer) in text {
            check(Some(language), TextField::Answer, &answer, max)?;
            trimmed.insert(language, answer.trim().to_owned());
        }
        Ok(vec![
            PetitionAnswered {
                decision,
                text: trimmed,
                answered_by: by.clone(),
                answered_at: at,
                on_time: at <= answer_due,
            }
            .into(),
        ])
    }

    fn archive(&self, at: OffsetDateTime, services: &PetitionServices) -> Decided {
        if self.status == PetitionStatus::Archived {
            return Err(PetitionError::AlreadyArchived);
        }
        let final_at = self.final_at().ok_or(PetitionError::NotFinal)?;
        if at < services.policy.archive_due(final_at) {
            return Err(PetitionError::NotDue);
        }
        Ok(vec![PetitionArchived { archived_at: at }.into()])
    }

    fn anonymise(&self, keys_deleted: u32, at: OffsetDateTime, services: &PetitionServices) -> Decided {
        if self.anonymised_at.is_some() {
            return Err(PetitionError::AlreadyAnonymised);
        }
        let final_at = self
            .final_at()
            .or(self.final_before_archiving)
            .ok_or(PetitionError::NotFinal)?;
        if at < services.policy.anonymise_due(final_at) {
            return Err(PetitionError::NotDue);
        }
        Ok(vec![
            tyndau_events::petition::PetitionAnonymised {
                keys_deleted,
                anonymised_at: at,
            }
            .into(),
        ])
    }

    /// The answer deadline, if an answer is still awaited: the threshold was reached, no answer
    /// has come, and the petition was not stopped or archived.
    fn awaiting_answer(&self) -> Result<OffsetDateTime, PetitionError> {
        if self.is_answered() {
            return Err(PetitionError::AlreadyAnswered);
        }
        let answer_due = self.answer_due.ok_or(PetitionError::ThresholdNotReached)?;
        match self.status {
            PetitionStatus::Open | PetitionStatus::Closed => Ok(answer_due),
            _ => Err(PetitionError::NotAwaitingAnswer),
        }
    }
}

fn check(language: Option<Language>, field: TextField, value: &str, max: usize) -> Result<(), PetitionError> {
    text::check(value, max).map_err(|problem| match problem {
        TextProblem::Empty => PetitionError::EmptyText { language, field },
        TextProblem::TooLong { max } => PetitionError::TextTooLong { language, field, max },
    })
}

fn enough(signatures: u32, required: u32) -> Result<(), PetitionError> {
    if signatures >= required {
        Ok(())
    } else {
        Err(PetitionError::NotEnoughSignatures { signatures, required })
    }
}
