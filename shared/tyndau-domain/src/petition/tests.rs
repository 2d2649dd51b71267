//! Given/when/then tests: every command's success and every rejection. Dates are real 2025
//! Kazakhstan dates, so the expected deadlines were counted by hand on the 2025 calendar.

use std::collections::BTreeMap;

use cqrs_es::Aggregate;
use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use time::OffsetDateTime;
use time::macros::datetime;
use tyndau_events::PetitionEvent;
use tyndau_events::petition::{
    Addressee, ClosingOutcome, Decision, Language, Level, PetitionAnswerOverdue, PetitionAnswered,
    PetitionArchived, PetitionClosed, PetitionDrafted, PetitionListed, PetitionPublished, PetitionRejected,
    PetitionStopped, PetitionSubmitted, PetitionText, PetitionThresholdReached, RejectionReason, StopReason,
};
use tyndau_ids::{BodyId, PetitionId, Region, SignerKey};

use super::*;
use crate::rejection::RejectionKind;
use crate::text::TextField;

const AUTHOR: SignerKey = SignerKey::from_bytes([1; 32]);
const STRANGER: SignerKey = SignerKey::from_bytes([2; 32]);

const DRAFTED_AT: OffsetDateTime = datetime!(2025-03-03 09:00 +5);
const SUBMITTED_AT: OffsetDateTime = datetime!(2025-03-03 10:00 +5);
/// 20 working days after Monday 3 March 2025, skipping 10 March (for 8 March) and Nauryz 21–25.
const MODERATION_DUE: OffsetDateTime = datetime!(2025-04-05 00:00 +5);
const PUBLISHED_AT: OffsetDateTime = datetime!(2025-04-01 12:00 +5);
/// 10 working days after Tuesday 1 April 2025.
const STARTUP_DUE: OffsetDateTime = datetime!(2025-04-16 00:00 +5);
const CLOSES_AT: OffsetDateTime = datetime!(2025-10-01 12:00 +5);
const REACHED_AT: OffsetDateTime = datetime!(2025-06-02 10:00 +5);
/// 40 working days after Monday 2 June 2025, skipping Kurban Ait (6 June) and 7 July (for 6 July).
const ANSWER_DUE: OffsetDateTime = datetime!(2025-07-31 00:00 +5);

fn petition_id() -> PetitionId {
    "01960000-0000-7000-8000-000000000001".parse().expect("valid id")
}

fn body(id: &str) -> BodyId {
    id.parse().expect("valid body id")
}

fn government() -> Addressee {
    Addressee {
        body: body("government"),
        level: Level::Government,
        region: None,
    }
}

fn text() -> PetitionText {
    PetitionText {
        title: "Мектеп маңындағы жолдарға жаяу жүргінші өткелдері".to_owned(),
        text: "Балалардың қауіпсіздігі үшін.".to_owned(),
        request: "Әр мектептің жанына өткел салу.".to_owned(),
    }
}

fn content() -> BTreeMap<Language, PetitionText> {
    BTreeMap::from([(Language::Kk, text())])
}

fn answer_text() -> BTreeMap<Language, String> {
    BTreeMap::from([
        (Language::Kk, "Өтініш қаралды.".to_owned()),
        (Language::Ru, "Петиция рассмотрена.".to_owned()),
    ])
}

fn draft_command(addressee: &str, content: BTreeMap<Language, PetitionText>) -> PetitionCommand {
    PetitionCommand::Draft {
        petition_id: petition_id(),
        author: AUTHOR,
        addressee: body(addressee),
        content,
        at: DRAFTED_AT,
    }
}

fn drafted_to(addressee: Addressee) -> PetitionEvent {
    PetitionDrafted {
        petition_id: petition_id(),
        author: AUTHOR,
        addressee,
        content: content(),
        drafted_at: DRAFTED_AT,
    }
    .into()
}

fn drafted() -> PetitionEvent {
    drafted_to(government())
}

fn submitted() -> PetitionEvent {
    PetitionSubmitted {
        submitted_at: SUBMITTED_AT,
        moderation_due: MODERATION_DUE,
    }
    .into()
}

fn published_with(threshold: u32) -> PetitionEvent {
    PetitionPublished {
        published_at: PUBLISHED_AT,
        closes_at: CLOSES_AT,
        threshold,
        startup_signatures: 50,
        startup_due: STARTUP_DUE,
        answer_working_days: 40,
    }
    .into()
}

fn published() -> PetitionEvent {
    published_with(50_000)
}

fn listed() -> PetitionEvent {
    PetitionListed {
        listed_at: datetime!(2025-04-05 12:00 +5),
        signatures: 50,
    }
    .into()
}

fn threshold_reached() -> PetitionEvent {
    PetitionThresholdReached {
        reached_at: REACHED_AT,
        signatures: 50_000,
        answer_due: ANSWER_DUE,
    }
    .into()
}

fn closed(outcome: ClosingOutcome, final_count: u32) -> PetitionEvent {
    PetitionClosed {
        closed_at: CLOSES_AT,
        final_count,
        outcome,
    }
    .into()
}

fn stopped() -> PetitionEvent {
    PetitionStopped {
        reason: StopReason::Fraud,
        explanation: "Bulk fraud".to_owned(),
        final_count: 60_000,
        stopped_at: datetime!(2025-06-10 12:00 +5),
    }
    .into()
}

fn answered(at: OffsetDateTime) -> PetitionEvent {
    PetitionAnswered {
        decision: Decision::Refused,
        text: answer_text(),
        answered_by: body("government"),
        answered_at: at,
        on_time: at <= ANSWER_DUE,
    }
    .into()
}

fn rejected() -> PetitionEvent {
    PetitionRejected {
        reason: RejectionReason::ProhibitedSubject,
        explanation: "Defence is not a permissible subject.".to_owned(),
        rejected_at: datetime!(2025-03-10 12:00 +5),
    }
    .into()
}

fn open() -> Vec<PetitionEvent> {
    vec![drafted(), submitted(), published()]
}

fn listed_and_reached() -> Vec<PetitionEvent> {
    let mut events = open();
    events.extend([listed(), threshold_reached()]);
    events
}

fn with(mut events: Vec<PetitionEvent>, more: impl IntoIterator<Item = PetitionEvent>) -> Vec<PetitionEvent> {
    events.extend(more);
    events
}

fn given(events: Vec<PetitionEvent>) -> AggregateTestExecutor<Petition> {
    TestFramework::<Petition>::with(PetitionServices::default()).given(events)
}

fn state(events: Vec<PetitionEvent>) -> Petition {
    let mut petition = Petition::default();
    for event in events {
        petition.apply(event);
    }
    petition
}

// ---- Draft ----

#[test]
fn drafting_records_the_addressee_from_the_directory_and_trims_the_texts() {
    let untrimmed = PetitionText {
        title: format!("  {}  ", text().title),
        ..text()
    };
    let addressee = Addressee {
        body: body("akimat-turkestan"),
        level: Level::OblastAkimat,
        region: Some(Region::Turkestan),
    };
    given(vec![])
        .when(draft_command(
            "akimat-turkestan",
            BTreeMap::from([(Language::Kk, untrimmed)]),
        ))
        .then_expect_events(vec![drafted_to(addressee)]);
}

#[test]
fn drafting_in_russian_only_is_accepted() {
    let russian = BTreeMap::from([(Language::Ru, text())]);
    let events = given(vec![])
        .when(draft_command("government", russian))
        .inspect_result();
    assert!(matches!(
        events.as_deref(),
        Ok([PetitionEvent::PetitionDrafted(_)])
    ));
}

#[test]
fn drafting_an_existing_petition_is_refused() {
    given(vec![drafted()])
        .when(draft_command("government", content()))
        .then_expect_error(PetitionError::AlreadyExists);
}

#[test]
fn drafting_to_a_body_outside_the_directory_is_refused() {
    given(vec![])
        .when(draft_command("ministry-of-magic", content()))
        .then_expect_error(PetitionError::UnknownBody);
}

#[test]
fn drafting_without_kazakh_or_russian_text_is_refused() {
    given(vec![])
        .when(draft_command(
            "government",
            BTreeMap::from([(Language::En, text())]),
        ))
        .then_expect_error(PetitionError::KazakhOrRussianRequired);
}

#[test]
fn drafting_with_a_blank_request_is_refused() {
    let blank = PetitionText {
        request: " \n ".to_owned(),
        ..text()
    };
    given(vec![])
        .when(draft_command(
            "government",
            BTreeMap::from([(Language::Kk, text()), (Language::En, blank)]),
        ))
        .then_expect_error(PetitionError::EmptyText {
            language: Some(Language::En),
            field: TextField::Request,
        });
}

#[test]
fn drafting_with_a_title_over_the_limit_is_refused() {
    let long = PetitionText {
        title: "ө".repeat(151),
        ..text()
    };
    given(vec![])
        .when(draft_command(
            "government",
            BTreeMap::from([(Language::Kk, long)]),
        ))
        .then_expect_error(PetitionError::TextTooLong {
            language: Some(Language::Kk),
            field: TextField::Title,
            max: 150,
        });
}

#[test]
fn drafting_with_a_text_over_the_limit_is_refused() {
    let long = PetitionText {
        text: "a".repeat(10_001),
        ..text()
    };
    given(vec![])
        .when(draft_command(
            "government",
            BTreeMap::from([(Language::Ru, long)]),
        ))
        .then_expect_error(PetitionError::TextTooLong {
            language: Some(Language::Ru),
            field: TextField::Text,
            max: 10_000,
        });
}

#[test]
fn any_other_command_on_a_missing_petition_is_refused_as_not_found() {
    given(vec![])
        .when(PetitionCommand::Publish { at: PUBLISHED_AT })
        .then_expect_error(PetitionError::NotFound);
    given(vec![])
        .when(PetitionCommand::Archive { at: PUBLISHED_AT })
        .then_expect_error(PetitionError::NotFound);
}

// ---- Submit ----

#[test]
fn submitting_a_draft_sets_the_moderation_deadline_in_working_days() {
    given(vec![drafted()])
        .when(PetitionCommand::Submit {
            by: AUTHOR,
            at: SUBMITTED_AT,
        })
        .then_expect_events(vec![submitted()]);
}

#[test]
fn only_the_author_may_submit() {
    given(vec![drafted()])
        .when(PetitionCommand::Submit {
            by: STRANGER,
            at: SUBMITTED_AT,
        })
        .then_expect_error(PetitionError::NotAuthor);
}

#[test]
fn submitting_twice_is_refused() {
    given(vec![drafted(), submitted()])
        .when(PetitionCommand::Submit {
            by: AUTHOR,
            at: SUBMITTED_AT,
        })
        .then_expect_error(PetitionError::NotDraft);
}

// ---- Publish ----

#[test]
fn publishing_fixes_the_threshold_from_the_policy() {
    given(vec![drafted(), submitted()])
        .when(PetitionCommand::Publish { at: PUBLISHED_AT })
        .then_expect_events(vec![published()]);
}

#[test]
fn publishing_to_an_oblast_maslikhat_takes_two_percent_of_its_population() {
    let maslikhat = Addressee {
        body: body("maslikhat-ulytau"),
        level: Level::OblastMaslikhat,
        region: Some(Region::Ulytau),
    };
    given(vec![drafted_to(maslikhat), submitted()])
        .when(PetitionCommand::Publish { at: PUBLISHED_AT })
        .then_expect_events(vec![published_with(4_400)]);
}

#[test]
fn publishing_a_draft_that_was_not_submitted_is_refused() {
    given(vec![drafted()])
        .when(PetitionCommand::Publish { at: PUBLISHED_AT })
        .then_expect_error(PetitionError::NotSubmitted);
}

#[test]
fn publishing_twice_is_refused() {
    given(open())
        .when(PetitionCommand::Publish { at: PUBLISHED_AT })
        .then_expect_error(PetitionError::NotSubmitted);
}

// ---- Reject ----

fn reject_command(explanation: &str) -> PetitionCommand {
    PetitionCommand::Reject {
        reason: RejectionReason::ProhibitedSubject,
        explanation: explanation.to_owned(),
        at: datetime!(2025-03-10 12:00 +5),
    }
}

#[test]
fn rejecting_records_the_reason_and_the_explanation() {
    given(vec![drafted(), submitted()])
        .when(reject_command(" Defence is not a permissible subject. "))
        .then_expect_events(vec![rejected()]);
}

#[test]
fn rejecting_requires_an_explanation() {
    given(vec![drafted(), submitted()])
        .when(reject_command("   "))
        .then_expect_error(PetitionError::EmptyText {
            language: None,
            field: TextField::Explanation,
        });
}

#[test]
fn rejecting_with_an_explanation_over_the_limit_is_refused() {
    given(vec![drafted(), submitted()])
        .when(reject_command(&"x".repeat(2_001)))
        .then_expect_error(PetitionError::TextTooLong {
            language: None,
            field: TextField::Explanation,
            max: 2_000,
        });
}

#[test]
fn rejecting_a_published_petition_is_refused() {
    given(open())
        .when(reject_command("Too late"))
        .then_expect_error(PetitionError::NotSubmitted);
}

// ---- MarkListed ----

#[test]
fn listing_follows_the_startup_signatures() {
    given(open())
        .when(PetitionCommand::MarkListed {
            signatures: 50,
            at: datetime!(2025-04-05 12:00 +5),
        })
        .then_expect_events(vec![listed()]);
}

#[test]
fn listing_with_fewer_than_the_startup_signatures_is_refused() {
    given(open())
        .when(PetitionCommand::MarkListed {
            signatures: 49,
            at: datetime!(2025-04-05 12:00 +5),
        })
        .then_expect_error(PetitionError::NotEnoughSignatures {
            signatures: 49,
            required: 50,
        });
}

#[test]
fn listing_twice_is_refused_as_already_listed() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::MarkListed {
            signatures: 70,
            at: datetime!(2025-04-06 12:00 +5),
        })
        .then_expect_error(PetitionError::AlreadyListed);
}

#[test]
fn listing_a_petition_that_is_not_open_is_refused() {
    given(vec![drafted(), submitted()])
        .when(PetitionCommand::MarkListed {
            signatures: 50,
            at: PUBLISHED_AT,
        })
        .then_expect_error(PetitionError::NotOpen);
}

// ---- MarkThresholdReached ----

#[test]
fn reaching_the_threshold_starts_the_answer_clock_in_working_days() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::MarkThresholdReached {
            signatures: 50_000,
            at: REACHED_AT,
        })
        .then_expect_events(vec![threshold_reached()]);
}

#[test]
fn reaching_the_threshold_does_not_list_the_petition() {
    let events = given(open())
        .when(PetitionCommand::MarkThresholdReached {
            signatures: 50_000,
            at: REACHED_AT,
        })
        .inspect_result()
        .expect("accepted");
    let petition = state(with(open(), events));
    assert!(petition.threshold_reached() && !petition.is_listed());
}

#[test]
fn reaching_the_threshold_with_too_few_signatures_is_refused() {
    given(open())
        .when(PetitionCommand::MarkThresholdReached {
            signatures: 49_999,
            at: REACHED_AT,
        })
        .then_expect_error(PetitionError::NotEnoughSignatures {
            signatures: 49_999,
            required: 50_000,
        });
}

#[test]
fn reaching_the_threshold_twice_is_refused() {
    given(listed_and_reached())
        .when(PetitionCommand::MarkThresholdReached {
            signatures: 51_000,
            at: REACHED_AT,
        })
        .then_expect_error(PetitionError::ThresholdAlreadyReached);
}

#[test]
fn reaching_the_threshold_of_a_closed_petition_is_refused() {
    given(with(
        open(),
        [listed(), closed(ClosingOutcome::ThresholdNotReached, 100)],
    ))
    .when(PetitionCommand::MarkThresholdReached {
        signatures: 50_000,
        at: CLOSES_AT,
    })
    .then_expect_error(PetitionError::NotOpen);
}

// ---- Close ----

#[test]
fn closing_at_the_end_of_the_period_after_the_threshold_awaits_the_answer() {
    given(listed_and_reached())
        .when(PetitionCommand::Close {
            final_count: 61_000,
            at: CLOSES_AT,
        })
        .then_expect_events(vec![closed(ClosingOutcome::ThresholdReached, 61_000)]);
}

#[test]
fn closing_at_the_end_of_the_period_below_the_threshold() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::Close {
            final_count: 1_200,
            at: CLOSES_AT,
        })
        .then_expect_events(vec![closed(ClosingOutcome::ThresholdNotReached, 1_200)]);
}

#[test]
fn closing_an_unlisted_petition_after_the_startup_deadline_misses_the_gate() {
    given(open())
        .when(PetitionCommand::Close {
            final_count: 12,
            at: STARTUP_DUE,
        })
        .then_expect_events(vec![
            PetitionClosed {
                closed_at: STARTUP_DUE,
                final_count: 12,
                outcome: ClosingOutcome::StartupGateMissed,
            }
            .into(),
        ]);
}

#[test]
fn the_startup_gate_never_ends_a_petition_that_reached_its_threshold() {
    // Withdrawals may take the count below the start-up number, but the answer is still owed.
    given(with(open(), [threshold_reached()]))
        .when(PetitionCommand::Close {
            final_count: 12,
            at: STARTUP_DUE,
        })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn closing_before_the_startup_deadline_is_not_due() {
    given(open())
        .when(PetitionCommand::Close {
            final_count: 12,
            at: datetime!(2025-04-15 23:59 +5),
        })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn closing_an_unlisted_petition_that_has_its_startup_signatures_is_not_due() {
    given(open())
        .when(PetitionCommand::Close {
            final_count: 50,
            at: STARTUP_DUE,
        })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn closing_a_listed_petition_before_the_end_of_the_period_is_not_due() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::Close {
            final_count: 1_000,
            at: datetime!(2025-10-01 11:59 +5),
        })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn closing_with_a_final_count_over_an_unmarked_threshold_is_refused() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::Close {
            final_count: 50_000,
            at: CLOSES_AT,
        })
        .then_expect_error(PetitionError::ThresholdNotMarked);
}

#[test]
fn closing_twice_is_refused_as_not_open() {
    given(with(
        open(),
        [listed(), closed(ClosingOutcome::ThresholdNotReached, 1_200)],
    ))
    .when(PetitionCommand::Close {
        final_count: 1_200,
        at: CLOSES_AT,
    })
    .then_expect_error(PetitionError::NotOpen);
}

// ---- Stop ----

fn stop_command(explanation: &str) -> PetitionCommand {
    PetitionCommand::Stop {
        reason: StopReason::Fraud,
        explanation: explanation.to_owned(),
        final_count: 60_000,
        at: datetime!(2025-06-10 12:00 +5),
    }
}

#[test]
fn stopping_an_open_petition_records_the_final_count() {
    given(listed_and_reached())
        .when(stop_command("Bulk fraud"))
        .then_expect_events(vec![stopped()]);
}

#[test]
fn stopping_requires_an_explanation() {
    given(open())
        .when(stop_command(""))
        .then_expect_error(PetitionError::EmptyText {
            language: None,
            field: TextField::Explanation,
        });
}

#[test]
fn stopping_a_petition_that_is_not_open_is_refused() {
    given(vec![drafted(), submitted()])
        .when(stop_command("Bulk fraud"))
        .then_expect_error(PetitionError::NotOpen);
}

// ---- MarkAnswerOverdue ----

const OVERDUE_AT: OffsetDateTime = datetime!(2025-07-31 00:00:01 +5);

#[test]
fn marking_the_answer_overdue_after_the_deadline() {
    given(listed_and_reached())
        .when(PetitionCommand::MarkAnswerOverdue { at: OVERDUE_AT })
        .then_expect_events(vec![
            PetitionAnswerOverdue {
                answer_due: ANSWER_DUE,
                marked_at: OVERDUE_AT,
            }
            .into(),
        ]);
}

#[test]
fn marking_the_answer_overdue_at_the_deadline_is_not_due() {
    given(listed_and_reached())
        .when(PetitionCommand::MarkAnswerOverdue { at: ANSWER_DUE })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn marking_the_answer_overdue_twice_is_refused() {
    let overdue = PetitionAnswerOverdue {
        answer_due: ANSWER_DUE,
        marked_at: OVERDUE_AT,
    }
    .into();
    given(with(listed_and_reached(), [overdue]))
        .when(PetitionCommand::MarkAnswerOverdue {
            at: datetime!(2025-08-01 00:00 +5),
        })
        .then_expect_error(PetitionError::AnswerAlreadyMarkedOverdue);
}

#[test]
fn marking_the_answer_overdue_without_the_threshold_is_refused() {
    given(with(open(), [listed()]))
        .when(PetitionCommand::MarkAnswerOverdue { at: OVERDUE_AT })
        .then_expect_error(PetitionError::ThresholdNotReached);
}

#[test]
fn marking_an_answered_petition_overdue_is_refused() {
    given(with(
        listed_and_reached(),
        [answered(datetime!(2025-07-01 12:00 +5))],
    ))
    .when(PetitionCommand::MarkAnswerOverdue { at: OVERDUE_AT })
    .then_expect_error(PetitionError::AlreadyAnswered);
}

#[test]
fn marking_a_stopped_petition_overdue_is_refused() {
    given(with(listed_and_reached(), [stopped()]))
        .when(PetitionCommand::MarkAnswerOverdue { at: OVERDUE_AT })
        .then_expect_error(PetitionError::NotAwaitingAnswer);
}

// ---- Answer ----

fn answer_command(by: &str, text: BTreeMap<Language, String>, at: OffsetDateTime) -> PetitionCommand {
    PetitionCommand::Answer {
        by: body(by),
        decision: Decision::Refused,
        text,
        at,
    }
}

#[test]
fn the_addressee_answers_on_time() {
    let at = datetime!(2025-07-30 18:00 +5);
    given(listed_and_reached())
        .when(answer_command("government", answer_text(), at))
        .then_expect_events(vec![answered(at)]);
}

#[test]
fn an_answer_after_the_deadline_is_recorded_as_late() {
    let at = datetime!(2025-08-04 10:00 +5);
    let overdue = PetitionAnswerOverdue {
        answer_due: ANSWER_DUE,
        marked_at: OVERDUE_AT,
    }
    .into();
    let events = given(with(
        listed_and_reached(),
        [closed(ClosingOutcome::ThresholdReached, 61_000), overdue],
    ))
    .when(answer_command("government", answer_text(), at))
    .inspect_result();
    assert!(matches!(
        events.as_deref(),
        Ok([PetitionEvent::PetitionAnswered(PetitionAnswered {
            on_time: false,
            ..
        })])
    ));
}

#[test]
fn only_the_addressed_body_may_answer() {
    given(listed_and_reached())
        .when(answer_command("akimat-astana", answer_text(), REACHED_AT))
        .then_expect_error(PetitionError::NotAddressee);
}

#[test]
fn answering_twice_is_refused() {
    given(with(
        listed_and_reached(),
        [answered(datetime!(2025-07-01 12:00 +5))],
    ))
    .when(answer_command(
        "government",
        answer_text(),
        datetime!(2025-07-02 12:00 +5),
    ))
    .then_expect_error(PetitionError::AlreadyAnswered);
}

#[test]
fn answering_before_the_threshold_is_refused() {
    given(with(open(), [listed()]))
        .when(answer_command("government", answer_text(), REACHED_AT))
        .then_expect_error(PetitionError::ThresholdNotReached);
}

#[test]
fn answering_a_stopped_petition_is_refused() {
    given(with(listed_and_reached(), [stopped()]))
        .when(answer_command(
            "government",
            answer_text(),
            datetime!(2025-06-11 12:00 +5),
        ))
        .then_expect_error(PetitionError::NotAwaitingAnswer);
}

#[test]
fn an_answer_needs_a_kazakh_or_russian_text() {
    let english = BTreeMap::from([(Language::En, "Considered.".to_owned())]);
    given(listed_and_reached())
        .when(answer_command("government", english, REACHED_AT))
        .then_expect_error(PetitionError::KazakhOrRussianRequired);
}

#[test]
fn a_blank_answer_is_refused() {
    let blank = BTreeMap::from([(Language::Kk, "  ".to_owned())]);
    given(listed_and_reached())
        .when(answer_command("government", blank, REACHED_AT))
        .then_expect_error(PetitionError::EmptyText {
            language: Some(Language::Kk),
            field: TextField::Answer,
        });
}

#[test]
fn an_answer_over_the_limit_is_refused() {
    let long = BTreeMap::from([(Language::Ru, "я".repeat(20_001))]);
    given(listed_and_reached())
        .when(answer_command("government", long, REACHED_AT))
        .then_expect_error(PetitionError::TextTooLong {
            language: Some(Language::Ru),
            field: TextField::Answer,
            max: 20_000,
        });
}

// ---- Archive ----

#[test]
fn a_rejected_petition_is_archived_thirty_days_later() {
    let at = datetime!(2025-04-09 12:00 +5);
    given(vec![drafted(), submitted(), rejected()])
        .when(PetitionCommand::Archive { at })
        .then_expect_events(vec![PetitionArchived { archived_at: at }.into()]);
}

#[test]
fn an_answered_petition_is_archived_thirty_days_after_the_later_of_closing_and_answer() {
    let answered_at = datetime!(2025-10-10 12:00 +5);
    let events = with(
        listed_and_reached(),
        [
            closed(ClosingOutcome::ThresholdReached, 61_000),
            answered(answered_at),
        ],
    );
    given(events.clone())
        .when(PetitionCommand::Archive {
            at: datetime!(2025-11-09 11:59 +5),
        })
        .then_expect_error(PetitionError::NotDue);
    given(events)
        .when(PetitionCommand::Archive {
            at: datetime!(2025-11-09 12:00 +5),
        })
        .then_expect_events(vec![
            PetitionArchived {
                archived_at: datetime!(2025-11-09 12:00 +5),
            }
            .into(),
        ]);
}

#[test]
fn a_petition_answered_while_still_collecting_is_not_final() {
    given(with(
        listed_and_reached(),
        [answered(datetime!(2025-07-01 12:00 +5))],
    ))
    .when(PetitionCommand::Archive {
        at: datetime!(2025-09-01 12:00 +5),
    })
    .then_expect_error(PetitionError::NotFinal);
}

#[test]
fn a_closed_petition_awaiting_its_answer_is_not_final() {
    given(with(
        listed_and_reached(),
        [closed(ClosingOutcome::ThresholdReached, 61_000)],
    ))
    .when(PetitionCommand::Archive {
        at: datetime!(2026-01-01 12:00 +5),
    })
    .then_expect_error(PetitionError::NotFinal);
}

#[test]
fn archiving_a_petition_that_missed_the_gate_before_thirty_days_is_not_due() {
    given(with(open(), [closed(ClosingOutcome::StartupGateMissed, 12)]))
        .when(PetitionCommand::Archive {
            at: datetime!(2025-10-31 11:59 +5),
        })
        .then_expect_error(PetitionError::NotDue);
}

#[test]
fn archiving_twice_is_refused() {
    let archived = PetitionArchived {
        archived_at: datetime!(2025-07-11 12:00 +5),
    }
    .into();
    given(with(open(), [stopped(), archived]))
        .when(PetitionCommand::Archive {
            at: datetime!(2025-07-12 12:00 +5),
        })
        .then_expect_error(PetitionError::AlreadyArchived);
}

// ---- Queries and codes ----

#[test]
fn queries_report_what_the_events_fixed() {
    let petition = state(listed_and_reached());
    assert_eq!(petition.status(), PetitionStatus::Open);
    assert_eq!(petition.id(), Some(petition_id()));
    assert_eq!(petition.author(), Some(AUTHOR));
    assert_eq!(petition.addressee(), Some(&government()));
    assert!(
        petition.is_open() && petition.is_listed() && petition.threshold_reached() && !petition.is_answered()
    );
    assert_eq!(petition.threshold(), Some(50_000));
    assert_eq!(petition.closes_at(), Some(CLOSES_AT));
    assert_eq!(petition.startup_due(), Some(STARTUP_DUE));
    assert_eq!(petition.answer_due(), Some(ANSWER_DUE));
    assert_eq!(petition.final_at(), None);
    assert_eq!(Petition::default().status(), PetitionStatus::New);
    assert_eq!(
        state(vec![drafted(), submitted(), rejected()]).status(),
        PetitionStatus::Rejected
    );
}

#[test]
fn the_aggregate_state_round_trips_through_json() {
    let petition = state(listed_and_reached());
    let json = serde_json::to_string(&petition).expect("serializes");
    assert_eq!(
        serde_json::from_str::<Petition>(&json).expect("deserializes"),
        petition
    );
    assert_eq!(<Petition as Aggregate>::TYPE, "petition");
}

#[test]
fn every_rejection_has_a_stable_code_and_kind() {
    use PetitionError as E;
    let expected = [
        (E::NotFound, "petition_not_found", RejectionKind::NotFound),
        (
            E::AlreadyExists,
            "petition_already_exists",
            RejectionKind::Conflict,
        ),
        (E::UnknownBody, "unknown_body", RejectionKind::Invalid),
        (
            E::KazakhOrRussianRequired,
            "kazakh_or_russian_required",
            RejectionKind::Invalid,
        ),
        (
            E::EmptyText {
                language: None,
                field: TextField::Title,
            },
            "empty_text",
            RejectionKind::Invalid,
        ),
        (
            E::TextTooLong {
                language: None,
                field: TextField::Title,
                max: 1,
            },
            "text_too_long",
            RejectionKind::Invalid,
        ),
        (E::NotAuthor, "not_author", RejectionKind::Forbidden),
        (E::NotDraft, "not_draft", RejectionKind::Conflict),
        (E::NotSubmitted, "not_submitted", RejectionKind::Conflict),
        (E::NotOpen, "not_open", RejectionKind::Conflict),
        (E::AlreadyListed, "already_listed", RejectionKind::Conflict),
        (
            E::ThresholdAlreadyReached,
            "threshold_already_reached",
            RejectionKind::Conflict,
        ),
        (
            E::NotEnoughSignatures {
                signatures: 1,
                required: 2,
            },
            "not_enough_signatures",
            RejectionKind::Conflict,
        ),
        (E::NotDue, "not_due", RejectionKind::Conflict),
        (
            E::ThresholdNotMarked,
            "threshold_not_marked",
            RejectionKind::Conflict,
        ),
        (
            E::ThresholdNotReached,
            "threshold_not_reached",
            RejectionKind::Conflict,
        ),
        (
            E::NotAwaitingAnswer,
            "not_awaiting_answer",
            RejectionKind::Conflict,
        ),
        (
            E::AnswerAlreadyMarkedOverdue,
            "answer_already_marked_overdue",
            RejectionKind::Conflict,
        ),
        (E::NotAddressee, "not_addressee", RejectionKind::Forbidden),
        (E::AlreadyAnswered, "already_answered", RejectionKind::Conflict),
        (E::NotFinal, "not_final", RejectionKind::Conflict),
        (E::AlreadyArchived, "already_archived", RejectionKind::Conflict),
        (
            E::NothingToInvalidate,
            "nothing_to_invalidate",
            RejectionKind::Invalid,
        ),
    ];
    for (error, code, kind) in expected {
        assert_eq!((error.code(), error.kind()), (code, kind), "{error:?}");
        assert!(!error.to_string().is_empty());
    }
}

// ---- Bulk invalidation: the public record ----

fn invalidation(count: u32, explanation: &str) -> PetitionCommand {
    PetitionCommand::RecordInvalidation {
        invalidation: "0196a000-0000-7000-8000-000000000ee2".parse().expect("a uuid"),
        reason: tyndau_events::signature::InvalidationReason::Automated,
        explanation: explanation.to_owned(),
        rule: tyndau_events::petition::InvalidationRule {
            signed_from: Some(PUBLISHED_AT),
            signed_until: None,
            network: Some("203.0.113.0/24".to_owned()),
        },
        count,
        at: REACHED_AT,
    }
}

#[test]
fn an_invalidation_is_recorded_with_its_count_reason_and_rule() {
    given(open())
        .when(invalidation(12, "  Scripted burst.  "))
        .then_expect_events(vec![
            tyndau_events::petition::SignaturesInvalidated {
                invalidation: "0196a000-0000-7000-8000-000000000ee2".parse().expect("a uuid"),
                reason: tyndau_events::signature::InvalidationReason::Automated,
                explanation: "Scripted burst.".to_owned(),
                rule: tyndau_events::petition::InvalidationRule {
                    signed_from: Some(PUBLISHED_AT),
                    signed_until: None,
                    network: Some("203.0.113.0/24".to_owned()),
                },
                count: 12,
                invalidated_at: REACHED_AT,
            }
            .into(),
        ]);
}

#[test]
fn an_invalidation_of_nothing_or_without_explanation_is_refused() {
    given(open())
        .when(invalidation(0, "Scripted burst."))
        .then_expect_error(PetitionError::NothingToInvalidate);
    given(open())
        .when(invalidation(3, "   "))
        .then_expect_error(PetitionError::EmptyText {
            language: None,
            field: TextField::Explanation,
        });
}

#[test]
fn signatures_of_an_unpublished_or_archived_petition_cannot_be_invalidated() {
    given(vec![drafted(), submitted()])
        .when(invalidation(3, "x"))
        .then_expect_error(PetitionError::NotOpen);
    given(with(
        open(),
        [
            stopped(),
            PetitionEvent::PetitionArchived(tyndau_events::petition::PetitionArchived {
                archived_at: REACHED_AT,
            }),
        ],
    ))
    .when(invalidation(3, "x"))
    .then_expect_error(PetitionError::AlreadyArchived);
}

// ---- Signing terms ----

#[test]
fn a_petition_has_signing_terms_from_publication_and_they_close_with_it() {
    assert_eq!(state(vec![drafted(), submitted()]).signing_terms(), None);
    let terms = state(open()).signing_terms().expect("published");
    assert_eq!(
        terms,
        crate::SigningTerms {
            petition_id: petition_id(),
            open: true,
            closes_at: CLOSES_AT,
            scope: None,
        }
    );
    for ended in [closed(ClosingOutcome::ThresholdNotReached, 10), stopped()] {
        let terms = state(with(open(), [ended])).signing_terms().expect("published");
        assert!(!terms.open);
        assert!(!terms.accepts_at(PUBLISHED_AT));
    }
    let local = Addressee {
        body: body("akimat-almaty"),
        level: Level::OblastAkimat,
        region: Some(Region::Almaty),
    };
    let terms = state(vec![drafted_to(local), submitted(), published()])
        .signing_terms()
        .expect("published");
    assert_eq!(terms.scope, Some(Region::Almaty));
}
