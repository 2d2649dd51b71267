//! Given/when/then tests: every consultation command's success and every rejection. Dates are
//! real 2025 Kazakhstan dates, so the expected deadlines were counted by hand on the 2025 calendar.

use std::collections::BTreeMap;

use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tyndau_events::ConsultationEvent;
use tyndau_events::consultation::{
    ChangeNote, ClosedBy, ConsultationClosed, ConsultationDrafted, ConsultationOpened, ConsultationText,
    DraftVersionPublished, Localized, OutcomeReportPublished, Provision,
};
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, ConsultationId, ProvisionPath};

use super::*;
use crate::text::TextField;

const DRAFTED_AT: OffsetDateTime = datetime!(2025-04-01 09:00 +5);
/// Monday 14 April 2025.
const OPENED_AT: OffsetDateTime = datetime!(2025-04-14 10:00 +5);
/// The end of the 10th working day after Monday 14 April 2025 (Monday 28 April; no holidays).
const EARLIEST_CLOSE: OffsetDateTime = datetime!(2025-04-29 00:00 +5);
/// Monday 2 June 2025.
const CLOSES_AT: OffsetDateTime = datetime!(2025-06-02 00:00 +5);
/// The end of the 10th working day after 2 June 2025, skipping Kurban Ait (Friday 6 June).
const ANSWERS_DUE: OffsetDateTime = datetime!(2025-06-18 00:00 +5);
const VERSION_AT: OffsetDateTime = datetime!(2025-05-05 12:00 +5);
const CLOSED_AT: OffsetDateTime = datetime!(2025-06-02 00:05 +5);
const REPORTED_AT: OffsetDateTime = datetime!(2025-06-16 12:00 +5);

fn consultation_id() -> ConsultationId {
    "01960000-0000-7000-8000-0000000000c1".parse().expect("valid id")
}

fn body(id: &str) -> BodyId {
    id.parse().expect("valid body id")
}

/// The developing body: a city akimat from the embedded directory.
fn akimat() -> BodyId {
    body("akimat-astana")
}

/// Another body in the directory, not responsible for this draft.
fn maslikhat() -> BodyId {
    body("maslikhat-astana")
}

fn path(s: &str) -> ProvisionPath {
    s.parse().expect("valid provision path")
}

fn localized(pairs: &[(Language, &str)]) -> Localized {
    pairs.iter().map(|(l, t)| (*l, (*t).to_owned())).collect()
}

fn p(at: &str, kk: &str, ru: &str) -> Provision {
    let mut text = BTreeMap::new();
    if !kk.is_empty() {
        text.insert(Language::Kk, kk.to_owned());
    }
    if !ru.is_empty() {
        text.insert(Language::Ru, ru.to_owned());
    }
    Provision {
        path: path(at),
        heading: BTreeMap::new(),
        text,
    }
}

fn v1() -> Vec<Provision> {
    vec![
        Provision {
            heading: localized(&[
                (Language::Kk, "Жалпы ережелер"),
                (Language::Ru, "Общие положения"),
            ]),
            ..p(
                "a1",
                "Осы қағида салық мөлшерлемесін белгілейді.",
                "Настоящие правила устанавливают ставку.",
            )
        },
        p("a1.p1", "Мөлшерлеме 12 пайыз.", "Ставка составляет 12 процентов."),
        p(
            "a2",
            "Қағида 2026 жылдан қолданылады.",
            "Правила применяются с 2026 года.",
        ),
    ]
}

fn v2() -> Vec<Provision> {
    let mut provisions = v1();
    provisions[1] = p("a1.p1", "Мөлшерлеме 10 пайыз.", "Ставка составляет 10 процентов.");
    provisions
}

fn v3() -> Vec<Provision> {
    let mut provisions = v2();
    provisions.push(p("a3", "Жаңа бап.", "Новая статья."));
    provisions
}

fn text(title: &str) -> ConsultationText {
    ConsultationText {
        title: title.to_owned(),
        summary: "Мөлшерлемені өзгерту / Изменение ставки.".to_owned(),
        explanatory_note: "Түсіндірме жазба / Пояснительная записка.".to_owned(),
    }
}

fn content() -> BTreeMap<Language, ConsultationText> {
    BTreeMap::from([
        (Language::Kk, text("Салық мөлшерлемесі туралы")),
        (Language::Ru, text("О ставке налога")),
    ])
}

fn draft_command(
    by: BodyId,
    content: BTreeMap<Language, ConsultationText>,
    provisions: Vec<Provision>,
) -> ConsultationCommand {
    ConsultationCommand::Draft {
        consultation_id: consultation_id(),
        by,
        content,
        provisions,
        at: DRAFTED_AT,
    }
}

fn drafted_with(
    content: BTreeMap<Language, ConsultationText>,
    provisions: Vec<Provision>,
) -> ConsultationEvent {
    ConsultationDrafted {
        consultation_id: consultation_id(),
        body: akimat(),
        content,
        provisions,
        drafted_at: DRAFTED_AT,
    }
    .into()
}

fn drafted() -> ConsultationEvent {
    drafted_with(content(), v1())
}

fn opened() -> ConsultationEvent {
    ConsultationOpened {
        opened_at: OPENED_AT,
        closes_at: CLOSES_AT,
        answers_due: ANSWERS_DUE,
    }
    .into()
}

fn version(number: u32, provisions: Vec<Provision>, changes: Vec<ChangeNote>) -> ConsultationEvent {
    DraftVersionPublished {
        version: number,
        provisions,
        changes,
        published_at: VERSION_AT,
    }
    .into()
}

fn closed(closed_by: ClosedBy, at: OffsetDateTime) -> ConsultationEvent {
    ConsultationClosed {
        closed_by,
        closed_at: at,
    }
    .into()
}

fn summary() -> Localized {
    localized(&[
        (Language::Kk, "Ұсыныстар қаралды."),
        (Language::Ru, "Предложения рассмотрены."),
    ])
}

fn report(final_version: u32) -> ConsultationEvent {
    OutcomeReportPublished {
        summary: summary(),
        final_version,
        published_at: REPORTED_AT,
    }
    .into()
}

fn open_command(by: BodyId, closes_at: OffsetDateTime) -> ConsultationCommand {
    ConsultationCommand::Open {
        by,
        closes_at,
        at: OPENED_AT,
    }
}

fn publish_version(by: BodyId, provisions: Vec<Provision>, changes: Vec<ChangeNote>) -> ConsultationCommand {
    ConsultationCommand::PublishVersion {
        by,
        provisions,
        changes,
        at: VERSION_AT,
    }
}

fn close(by: Closer, at: OffsetDateTime) -> ConsultationCommand {
    ConsultationCommand::Close { by, at }
}

fn publish_report(by: BodyId, unanswered: u32, summary: Localized) -> ConsultationCommand {
    ConsultationCommand::PublishReport {
        by,
        unanswered,
        summary,
        at: REPORTED_AT,
    }
}

fn note(at: &str, why: &str) -> ChangeNote {
    ChangeNote {
        path: path(at),
        why: localized(&[(Language::Ru, why)]),
    }
}

fn open() -> Vec<ConsultationEvent> {
    vec![drafted(), opened()]
}

fn closed_by_deadline() -> Vec<ConsultationEvent> {
    vec![drafted(), opened(), closed(ClosedBy::Deadline, CLOSED_AT)]
}

fn with_services(
    services: ConsultationServices,
    events: Vec<ConsultationEvent>,
) -> AggregateTestExecutor<Consultation> {
    TestFramework::<Consultation>::with(services).given(events)
}

fn given(events: Vec<ConsultationEvent>) -> AggregateTestExecutor<Consultation> {
    with_services(ConsultationServices::default(), events)
}

// ---- Draft ----

#[test]
fn drafting_records_the_body_the_trimmed_texts_and_version_one() {
    let mut untrimmed = content();
    for text in untrimmed.values_mut() {
        text.title = format!("  {}\n", text.title);
        text.summary = format!(" {} ", text.summary);
    }
    assert!(BodyDirectory::embedded().get(&akimat()).is_some());
    given(vec![])
        .when(draft_command(akimat(), untrimmed, v1()))
        .then_expect_events(vec![drafted()]);
}

#[test]
fn a_draft_may_lack_translations_until_it_opens() {
    let russian = BTreeMap::from([(Language::Ru, text("О ставке налога"))]);
    let provisions = vec![p("a1", "", "Ставка составляет 12 процентов.")];
    given(vec![])
        .when(draft_command(akimat(), russian.clone(), provisions.clone()))
        .then_expect_events(vec![drafted_with(russian, provisions)]);
}

#[test]
fn drafting_an_existing_consultation_is_refused() {
    given(vec![drafted()])
        .when(draft_command(akimat(), content(), v1()))
        .then_expect_error(ConsultationError::AlreadyExists);
}

#[test]
fn drafting_for_a_body_outside_the_directory_is_refused() {
    let unknown = body("ministry-of-magic");
    assert!(BodyDirectory::embedded().get(&unknown).is_none());
    given(vec![])
        .when(draft_command(unknown, content(), v1()))
        .then_expect_error(ConsultationError::UnknownBody);
}

#[test]
fn a_consultation_cannot_be_drafted_without_kazakh_or_russian_text() {
    let english = BTreeMap::from([(Language::En, text("On the tax rate"))]);
    given(vec![])
        .when(draft_command(akimat(), english, v1()))
        .then_expect_error(ConsultationError::KazakhOrRussianRequired);
}

#[test]
fn an_article_made_only_of_paragraphs_is_a_heading_without_wording() {
    let mut provisions = v1();
    provisions[0].text = BTreeMap::new();
    given(vec![])
        .when(draft_command(akimat(), content(), provisions.clone()))
        .then_expect_events(vec![drafted_with(content(), provisions)]);
}

#[test]
fn a_provision_with_neither_wording_nor_heading_in_kazakh_or_russian_is_refused() {
    let mut provisions = v1();
    provisions[0].text = BTreeMap::new();
    provisions[0].heading = localized(&[(Language::En, "General provisions")]);
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::KazakhOrRussianRequired);
}

#[test]
fn a_provision_worded_only_in_english_is_refused() {
    let mut provisions = v1();
    provisions[2].text = localized(&[(Language::En, "The rules apply from 2026.")]);
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::KazakhOrRussianRequired);
}

#[test]
fn drafting_with_a_blank_summary_is_refused() {
    let mut blank = content();
    if let Some(ru) = blank.get_mut(&Language::Ru) {
        ru.summary = " \n ".to_owned();
    }
    given(vec![])
        .when(draft_command(akimat(), blank, v1()))
        .then_expect_error(ConsultationError::EmptyText {
            language: Some(Language::Ru),
            field: TextField::Summary,
        });
}

#[test]
fn drafting_with_a_blank_explanatory_note_is_refused() {
    let mut blank = content();
    if let Some(kk) = blank.get_mut(&Language::Kk) {
        kk.explanatory_note = String::new();
    }
    given(vec![])
        .when(draft_command(akimat(), blank, v1()))
        .then_expect_error(ConsultationError::EmptyText {
            language: Some(Language::Kk),
            field: TextField::ExplanatoryNote,
        });
}

#[test]
fn drafting_with_a_title_over_the_limit_is_refused() {
    let mut long = content();
    long.insert(Language::Kk, text(&"ө".repeat(301)));
    given(vec![])
        .when(draft_command(akimat(), long, v1()))
        .then_expect_error(ConsultationError::TextTooLong {
            language: Some(Language::Kk),
            field: TextField::Title,
            max: 300,
        });
}

#[test]
fn drafting_with_a_blank_provision_wording_is_refused() {
    let mut provisions = v1();
    provisions[1] = p("a1.p1", "Мөлшерлеме 12 пайыз.", "   ");
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::EmptyText {
            language: Some(Language::Ru),
            field: TextField::Provision,
        });
}

#[test]
fn drafting_with_a_provision_over_the_limit_is_refused() {
    let mut provisions = v1();
    provisions[2] = p("a2", &"ә".repeat(20_001), "Правила применяются с 2026 года.");
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::TextTooLong {
            language: Some(Language::Kk),
            field: TextField::Provision,
            max: 20_000,
        });
}

#[test]
fn drafting_with_a_heading_over_the_limit_is_refused() {
    let mut provisions = v1();
    provisions[0].heading.insert(Language::Ru, "я".repeat(301));
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::TextTooLong {
            language: Some(Language::Ru),
            field: TextField::Heading,
            max: 300,
        });
}

#[test]
fn a_draft_without_provisions_is_refused() {
    given(vec![])
        .when(draft_command(akimat(), content(), vec![]))
        .then_expect_error(ConsultationError::EmptyDraft);
}

#[test]
fn a_draft_with_more_provisions_than_the_policy_allows_is_refused() {
    let services = ConsultationServices {
        policy: ConsultationPolicy {
            max_provisions: 2,
            ..ConsultationPolicy::default()
        },
        ..ConsultationServices::default()
    };
    with_services(services, vec![])
        .when(draft_command(akimat(), content(), v1()))
        .then_expect_error(ConsultationError::TooManyProvisions { max: 2 });
}

#[test]
fn a_draft_with_a_provision_twice_is_refused() {
    let mut provisions = v1();
    provisions.push(p("a2", "Қайталау.", "Повтор."));
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::DuplicateProvision(path("a2")));
}

#[test]
fn a_draft_with_a_paragraph_before_its_article_is_refused() {
    let provisions = vec![
        p("a1", "Бірінші бап.", "Первая статья."),
        p("a2.p1", "Тармақ.", "Пункт."),
        p("a2", "Екінші бап.", "Вторая статья."),
    ];
    given(vec![])
        .when(draft_command(akimat(), content(), provisions))
        .then_expect_error(ConsultationError::MissingParentProvision(path("a2.p1")));
}

#[test]
fn any_other_command_on_a_missing_consultation_is_refused_as_not_found() {
    given(vec![])
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::NotFound);
    given(vec![])
        .when(publish_version(akimat(), v2(), vec![]))
        .then_expect_error(ConsultationError::NotFound);
    given(vec![])
        .when(close(Closer::Deadline, CLOSED_AT))
        .then_expect_error(ConsultationError::NotFound);
    given(vec![])
        .when(close(Closer::Body(akimat()), CLOSED_AT))
        .then_expect_error(ConsultationError::NotFound);
    given(vec![])
        .when(publish_report(akimat(), 0, summary()))
        .then_expect_error(ConsultationError::NotFound);
}

// ---- Open ----

#[test]
fn opening_sets_the_period_and_the_answer_deadline_in_working_days() {
    let calendar = WorkingCalendar::embedded();
    let answers_due = calendar.add_working_days(CLOSES_AT, ConsultationPolicy::default().answer_working_days);
    assert_eq!(answers_due, ANSWERS_DUE);
    given(vec![drafted()])
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_events(vec![
            ConsultationOpened {
                opened_at: OPENED_AT,
                closes_at: CLOSES_AT,
                answers_due,
            }
            .into(),
        ]);
}

#[test]
fn a_period_of_exactly_ten_working_days_is_accepted() {
    let calendar = WorkingCalendar::embedded();
    assert_eq!(calendar.add_working_days(OPENED_AT, 10), EARLIEST_CLOSE);
    given(vec![drafted()])
        .when(open_command(akimat(), EARLIEST_CLOSE))
        .then_expect_events(vec![
            ConsultationOpened {
                opened_at: OPENED_AT,
                closes_at: EARLIEST_CLOSE,
                answers_due: calendar.add_working_days(EARLIEST_CLOSE, 10),
            }
            .into(),
        ]);
}

#[test]
fn a_period_shorter_than_ten_working_days_is_refused() {
    given(vec![drafted()])
        .when(open_command(akimat(), EARLIEST_CLOSE - Duration::minutes(1)))
        .then_expect_error(ConsultationError::PeriodTooShort {
            earliest: EARLIEST_CLOSE,
        });
}

#[test]
fn only_the_developing_body_may_open_the_consultation() {
    given(vec![drafted()])
        .when(open_command(maslikhat(), CLOSES_AT))
        .then_expect_error(ConsultationError::NotResponsibleBody);
}

#[test]
fn opening_twice_is_refused() {
    given(open())
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::NotDrafted);
}

#[test]
fn opening_a_closed_consultation_is_refused() {
    given(closed_by_deadline())
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::NotDrafted);
}

#[test]
fn a_consultation_cannot_open_without_russian_text() {
    let kazakh_only = BTreeMap::from([(Language::Kk, text("Салық мөлшерлемесі туралы"))]);
    given(vec![drafted_with(kazakh_only, v1())])
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::TranslationsMissing {
            count: 1,
            first: "title".to_owned(),
            language: Language::Ru,
        });
}

#[test]
fn a_consultation_cannot_open_with_provisions_lacking_kazakh_wording() {
    let mut provisions = v1();
    provisions[1] = p("a1.p1", "", "Ставка составляет 12 процентов.");
    provisions[2] = p("a2", "", "Правила применяются с 2026 года.");
    given(vec![drafted_with(content(), provisions)])
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::TranslationsMissing {
            count: 2,
            first: "a1.p1".to_owned(),
            language: Language::Kk,
        });
}

#[test]
fn a_consultation_cannot_open_with_an_untranslated_heading() {
    let mut provisions = v1();
    provisions[0].heading.remove(&Language::Ru);
    given(vec![drafted_with(content(), provisions)])
        .when(open_command(akimat(), CLOSES_AT))
        .then_expect_error(ConsultationError::TranslationsMissing {
            count: 1,
            first: "a1".to_owned(),
            language: Language::Ru,
        });
}

// ---- PublishVersion ----

#[test]
fn publishing_a_version_while_open_makes_version_two_with_trimmed_notes() {
    let untrimmed = note("a1.p1", "  По предложениям граждан.\n");
    given(open())
        .when(publish_version(akimat(), v2(), vec![untrimmed]))
        .then_expect_events(vec![version(
            2,
            v2(),
            vec![note("a1.p1", "По предложениям граждан.")],
        )]);
}

#[test]
fn publishing_a_version_after_closing_continues_the_numbering() {
    let mut events = open();
    events.extend([version(2, v2(), vec![]), closed(ClosedBy::Deadline, CLOSED_AT)]);
    given(events)
        .when(publish_version(
            akimat(),
            v3(),
            vec![note("a3", "Добавлена статья.")],
        ))
        .then_expect_events(vec![version(3, v3(), vec![note("a3", "Добавлена статья.")])]);
}

#[test]
fn a_change_note_may_name_a_provision_the_new_version_removed() {
    let without_a2: Vec<Provision> = v1().into_iter().filter(|p| p.path != path("a2")).collect();
    given(open())
        .when(publish_version(
            akimat(),
            without_a2.clone(),
            vec![note("a2", "Исключена.")],
        ))
        .then_expect_events(vec![version(2, without_a2, vec![note("a2", "Исключена.")])]);
}

#[test]
fn a_version_identical_to_the_current_one_is_refused() {
    let mut events = open();
    events.push(version(2, v2(), vec![]));
    given(events)
        .when(publish_version(akimat(), v2(), vec![]))
        .then_expect_error(ConsultationError::NoChanges);
}

#[test]
fn a_change_note_on_a_provision_in_neither_version_is_refused() {
    given(open())
        .when(publish_version(
            akimat(),
            v2(),
            vec![note("a9", "Нет такой статьи.")],
        ))
        .then_expect_error(ConsultationError::UnknownChangedProvision(path("a9")));
}

#[test]
fn a_new_version_must_keep_both_languages() {
    let mut provisions = v2();
    provisions.push(p("a3", "", "Новая статья."));
    given(open())
        .when(publish_version(akimat(), provisions, vec![]))
        .then_expect_error(ConsultationError::TranslationsMissing {
            count: 1,
            first: "a3".to_owned(),
            language: Language::Kk,
        });
}

#[test]
fn a_new_version_follows_the_tree_rules() {
    given(open())
        .when(publish_version(akimat(), vec![], vec![]))
        .then_expect_error(ConsultationError::EmptyDraft);
}

#[test]
fn only_the_developing_body_may_publish_a_version() {
    given(open())
        .when(publish_version(maslikhat(), v2(), vec![]))
        .then_expect_error(ConsultationError::NotResponsibleBody);
}

#[test]
fn a_version_cannot_be_published_after_the_report() {
    let mut events = closed_by_deadline();
    events.push(report(1));
    given(events)
        .when(publish_version(akimat(), v2(), vec![]))
        .then_expect_error(ConsultationError::ReportPublished);
}

#[test]
fn a_version_cannot_be_published_before_opening() {
    given(vec![drafted()])
        .when(publish_version(akimat(), v2(), vec![]))
        .then_expect_error(ConsultationError::NotOpen);
}

// ---- Close ----

#[test]
fn the_deadline_cannot_close_the_consultation_before_it_is_due() {
    given(open())
        .when(close(Closer::Deadline, CLOSES_AT - Duration::seconds(1)))
        .then_expect_error(ConsultationError::NotDue);
}

#[test]
fn the_deadline_closes_the_consultation_once_the_period_has_run_out() {
    given(open())
        .when(close(Closer::Deadline, CLOSES_AT))
        .then_expect_events(vec![closed(ClosedBy::Deadline, CLOSES_AT)]);
}

#[test]
fn the_body_may_close_the_consultation_early() {
    let early = datetime!(2025-05-20 12:00 +5);
    given(open())
        .when(close(Closer::Body(akimat()), early))
        .then_expect_events(vec![closed(ClosedBy::Body, early)]);
}

#[test]
fn the_body_cannot_close_the_consultation_before_the_legal_minimum() {
    given(open())
        .when(close(Closer::Body(akimat()), OPENED_AT + Duration::days(1)))
        .then_expect_error(ConsultationError::PeriodTooShort {
            earliest: EARLIEST_CLOSE,
        });
}

#[test]
fn another_body_cannot_close_the_consultation() {
    given(open())
        .when(close(Closer::Body(maslikhat()), CLOSED_AT))
        .then_expect_error(ConsultationError::NotResponsibleBody);
}

#[test]
fn closing_a_consultation_that_is_not_open_is_refused() {
    given(vec![drafted()])
        .when(close(Closer::Body(akimat()), CLOSED_AT))
        .then_expect_error(ConsultationError::NotOpen);
    given(closed_by_deadline())
        .when(close(Closer::Deadline, CLOSED_AT))
        .then_expect_error(ConsultationError::NotOpen);
}

// ---- PublishReport ----

#[test]
fn the_report_waits_for_every_proposal_to_be_answered() {
    given(closed_by_deadline())
        .when(publish_report(akimat(), 3, summary()))
        .then_expect_error(ConsultationError::UnansweredProposals { count: 3 });
}

#[test]
fn the_report_waits_for_the_consultation_to_close() {
    given(open())
        .when(publish_report(akimat(), 0, summary()))
        .then_expect_error(ConsultationError::NotClosed);
    given(vec![drafted()])
        .when(publish_report(akimat(), 0, summary()))
        .then_expect_error(ConsultationError::NotClosed);
}

#[test]
fn publishing_the_report_names_the_final_version_and_trims_the_summary() {
    let mut events = open();
    events.extend([version(2, v2(), vec![]), closed(ClosedBy::Body, CLOSED_AT)]);
    let untrimmed = summary()
        .into_iter()
        .map(|(l, t)| (l, format!(" {t}\n")))
        .collect();
    given(events)
        .when(publish_report(akimat(), 0, untrimmed))
        .then_expect_events(vec![report(2)]);
}

#[test]
fn the_report_is_published_once() {
    let mut events = closed_by_deadline();
    events.push(report(1));
    given(events)
        .when(publish_report(akimat(), 0, summary()))
        .then_expect_error(ConsultationError::ReportPublished);
}

#[test]
fn only_the_developing_body_may_publish_the_report() {
    given(closed_by_deadline())
        .when(publish_report(maslikhat(), 0, summary()))
        .then_expect_error(ConsultationError::NotResponsibleBody);
}

#[test]
fn the_report_needs_a_kazakh_or_russian_summary() {
    given(closed_by_deadline())
        .when(publish_report(
            akimat(),
            0,
            localized(&[(Language::En, "Proposals considered.")]),
        ))
        .then_expect_error(ConsultationError::KazakhOrRussianRequired);
}

#[test]
fn the_report_summary_has_the_summary_length_limit() {
    given(closed_by_deadline())
        .when(publish_report(
            akimat(),
            0,
            localized(&[(Language::Ru, &"я".repeat(2_001))]),
        ))
        .then_expect_error(ConsultationError::TextTooLong {
            language: Some(Language::Ru),
            field: TextField::Summary,
            max: 2_000,
        });
}
