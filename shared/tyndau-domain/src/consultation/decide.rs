//! The consultation's rules: given the state and a command, the events or a rejection.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use tyndau_drafts::TreeProblem;
use tyndau_events::ConsultationEvent;
use tyndau_events::consultation::{
    ChangeNote, ClosedBy, ConsultationClosed, ConsultationDrafted, ConsultationOpened, ConsultationText,
    DraftVersionPublished, Localized, OutcomeReportPublished, Provision,
};
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, ConsultationId};

use super::{
    Closer, Consultation, ConsultationCommand, ConsultationError, ConsultationServices, ConsultationStatus,
};
use crate::text::{self, TextField, TextProblem};

type Decided = Result<Vec<ConsultationEvent>, ConsultationError>;

/// Both state languages must be complete before the public sees a text.
const PARITY: [Language; 2] = [Language::Kk, Language::Ru];

fn text_error(problem: TextProblem, field: TextField, language: Option<Language>) -> ConsultationError {
    match problem {
        TextProblem::Empty => ConsultationError::EmptyText { language, field },
        TextProblem::TooLong { max } => ConsultationError::TextTooLong { language, field, max },
    }
}

fn check(
    text: &str,
    max: usize,
    field: TextField,
    language: Option<Language>,
) -> Result<(), ConsultationError> {
    text::check(text, max).map_err(|p| text_error(p, field, language))
}

/// Length rules for every text that is present; an optional empty heading is allowed.
fn check_provisions(
    provisions: &[Provision],
    services: &ConsultationServices,
) -> Result<(), ConsultationError> {
    let limits = &services.policy.limits;
    if provisions.len() > services.policy.max_provisions {
        return Err(ConsultationError::TooManyProvisions {
            max: services.policy.max_provisions,
        });
    }
    tyndau_drafts::check_tree(provisions).map_err(|problem| match problem {
        TreeProblem::Empty => ConsultationError::EmptyDraft,
        TreeProblem::DuplicatePath(path) => ConsultationError::DuplicateProvision(path),
        TreeProblem::MissingParent(path) => ConsultationError::MissingParentProvision(path),
    })?;
    for provision in provisions {
        // A heading alone is a provision too: an article made only of paragraphs.
        let in_kk_or_ru =
            |texts: &Localized| texts.contains_key(&Language::Kk) || texts.contains_key(&Language::Ru);
        if !in_kk_or_ru(&provision.text) && !in_kk_or_ru(&provision.heading) {
            return Err(ConsultationError::KazakhOrRussianRequired);
        }
        for (language, wording) in &provision.text {
            check(wording, limits.provision, TextField::Provision, Some(*language))?;
        }
        for (language, heading) in &provision.heading {
            check(heading, limits.heading, TextField::Heading, Some(*language))?;
        }
    }
    Ok(())
}

fn check_parity(
    content: &BTreeMap<Language, ConsultationText>,
    provisions: &[Provision],
) -> Result<(), ConsultationError> {
    let mut missing: Vec<(String, Language)> = PARITY
        .iter()
        .filter(|language| !content.contains_key(language))
        .map(|language| ("title".to_owned(), *language))
        .collect();
    missing.extend(
        tyndau_drafts::missing_translations(provisions, &PARITY)
            .into_iter()
            .map(|(path, language)| (path.to_string(), language)),
    );
    match missing.first() {
        None => Ok(()),
        Some((first, language)) => Err(ConsultationError::TranslationsMissing {
            count: missing.len(),
            first: first.clone(),
            language: *language,
        }),
    }
}

fn trimmed(texts: Localized) -> Localized {
    texts.into_iter().map(|(l, t)| (l, t.trim().to_owned())).collect()
}

impl Consultation {
    pub(super) fn decide(&self, command: ConsultationCommand, services: &ConsultationServices) -> Decided {
        if !self.exists() && !matches!(command, ConsultationCommand::Draft { .. }) {
            return Err(ConsultationError::NotFound);
        }
        match command {
            ConsultationCommand::Draft {
                consultation_id,
                by,
                content,
                provisions,
                at,
            } => self.draft(consultation_id, by, content, provisions, at, services),
            ConsultationCommand::Open { by, closes_at, at } => self.open(&by, closes_at, at, services),
            ConsultationCommand::PublishVersion {
                by,
                provisions,
                changes,
                at,
            } => self.publish_version(&by, provisions, changes, at, services),
            ConsultationCommand::Close { by, at } => self.close(&by, at, services),
            ConsultationCommand::PublishReport {
                by,
                unanswered,
                summary,
                at,
            } => self.publish_report(&by, unanswered, summary, at, services),
        }
    }

    fn responsible(&self, by: &BodyId) -> Result<(), ConsultationError> {
        if self.body.as_ref() == Some(by) {
            Ok(())
        } else {
            Err(ConsultationError::NotResponsibleBody)
        }
    }

    fn draft(
        &self,
        consultation_id: ConsultationId,
        by: BodyId,
        content: BTreeMap<Language, ConsultationText>,
        provisions: Vec<Provision>,
        at: OffsetDateTime,
        services: &ConsultationServices,
    ) -> Decided {
        if self.exists() {
            return Err(ConsultationError::AlreadyExists);
        }
        if services.bodies.get(&by).is_none() {
            return Err(ConsultationError::UnknownBody);
        }
        if !content.contains_key(&Language::Kk) && !content.contains_key(&Language::Ru) {
            return Err(ConsultationError::KazakhOrRussianRequired);
        }
        let limits = &services.policy.limits;
        let mut texts = BTreeMap::new();
        for (language, text) in content {
            let l = Some(language);
            check(&text.title, limits.title, TextField::Title, l)?;
            check(&text.summary, limits.summary, TextField::Summary, l)?;
            check(
                &text.explanatory_note,
                limits.explanatory_note,
                TextField::ExplanatoryNote,
                l,
            )?;
            texts.insert(
                language,
                ConsultationText {
                    title: text.title.trim().to_owned(),
                    summary: text.summary.trim().to_owned(),
                    explanatory_note: text.explanatory_note.trim().to_owned(),
                },
            );
        }
        check_provisions(&provisions, services)?;
        Ok(vec![
            ConsultationDrafted {
                consultation_id,
                body: by,
                content: texts,
                provisions,
                drafted_at: at,
            }
            .into(),
        ])
    }

    fn open(
        &self,
        by: &BodyId,
        closes_at: OffsetDateTime,
        at: OffsetDateTime,
        services: &ConsultationServices,
    ) -> Decided {
        self.responsible(by)?;
        if self.status != ConsultationStatus::Drafted {
            return Err(ConsultationError::NotDrafted);
        }
        check_parity(&self.content, self.current_provisions())?;
        let earliest = services
            .calendar
            .add_working_days(at, services.policy.min_comment_working_days);
        if closes_at < earliest {
            return Err(ConsultationError::PeriodTooShort { earliest });
        }
        Ok(vec![
            ConsultationOpened {
                opened_at: at,
                closes_at,
                answers_due: services
                    .calendar
                    .add_working_days(closes_at, services.policy.answer_working_days),
            }
            .into(),
        ])
    }

    fn publish_version(
        &self,
        by: &BodyId,
        provisions: Vec<Provision>,
        changes: Vec<ChangeNote>,
        at: OffsetDateTime,
        services: &ConsultationServices,
    ) -> Decided {
        self.responsible(by)?;
        match self.status {
            ConsultationStatus::Open | ConsultationStatus::Closed => {}
            ConsultationStatus::ReportPublished => return Err(ConsultationError::ReportPublished),
            ConsultationStatus::New | ConsultationStatus::Drafted => return Err(ConsultationError::NotOpen),
        }
        check_provisions(&provisions, services)?;
        check_parity(&self.content, &provisions)?;
        let current = self.current_provisions();
        if provisions == current {
            return Err(ConsultationError::NoChanges);
        }
        let limits = &services.policy.limits;
        let mut notes = Vec::with_capacity(changes.len());
        for note in changes {
            let known = tyndau_drafts::provision(&provisions, &note.path).is_some()
                || tyndau_drafts::provision(current, &note.path).is_some();
            if !known {
                return Err(ConsultationError::UnknownChangedProvision(note.path));
            }
            for (language, why) in &note.why {
                check(why, limits.reason, TextField::Reason, Some(*language))?;
            }
            notes.push(ChangeNote {
                path: note.path,
                why: trimmed(note.why),
            });
        }
        Ok(vec![
            DraftVersionPublished {
                version: self.current_version() + 1,
                provisions,
                changes: notes,
                published_at: at,
            }
            .into(),
        ])
    }

    fn close(&self, by: &Closer, at: OffsetDateTime, services: &ConsultationServices) -> Decided {
        if let Closer::Body(body) = by {
            self.responsible(body)?;
        }
        if self.status != ConsultationStatus::Open {
            return Err(ConsultationError::NotOpen);
        }
        let closed_by = match by {
            Closer::Deadline if self.closes_at.is_some_and(|closes| at < closes) => {
                return Err(ConsultationError::NotDue);
            }
            Closer::Deadline => ClosedBy::Deadline,
            Closer::Body(_) => {
                // Closing early may not cut the legal minimum short.
                if let Some(opened_at) = self.opened_at {
                    let earliest = services
                        .calendar
                        .add_working_days(opened_at, services.policy.min_comment_working_days);
                    if at < earliest {
                        return Err(ConsultationError::PeriodTooShort { earliest });
                    }
                }
                ClosedBy::Body
            }
        };
        Ok(vec![
            ConsultationClosed {
                closed_by,
                closed_at: at,
            }
            .into(),
        ])
    }

    fn publish_report(
        &self,
        by: &BodyId,
        unanswered: u32,
        summary: Localized,
        at: OffsetDateTime,
        services: &ConsultationServices,
    ) -> Decided {
        self.responsible(by)?;
        match self.status {
            ConsultationStatus::Closed => {}
            ConsultationStatus::ReportPublished => return Err(ConsultationError::ReportPublished),
            _ => return Err(ConsultationError::NotClosed),
        }
        if unanswered > 0 {
            return Err(ConsultationError::UnansweredProposals { count: unanswered });
        }
        if !summary.contains_key(&Language::Kk) && !summary.contains_key(&Language::Ru) {
            return Err(ConsultationError::KazakhOrRussianRequired);
        }
        for (language, text) in &summary {
            check(
                text,
                services.policy.limits.summary,
                TextField::Summary,
                Some(*language),
            )?;
        }
        Ok(vec![
            OutcomeReportPublished {
                summary: trimmed(summary),
                final_version: self.current_version(),
                published_at: at,
            }
            .into(),
        ])
    }
}
