//! Property tests: random command sequences against the consultation's invariants.
//!
//! Commands run through `handle` on one live aggregate, as the command side runs them, so a
//! rejection is checked to leave the very state it was given untouched. Beside it a small model
//! keeps what the rules promise: the status path (drafted → open → closed → report published),
//! the number of versions, and the world outside the aggregate that the report depends on: how
//! many proposals are unanswered, counted the way the store counts them for the command.

use std::collections::BTreeMap;

use cqrs_es::Aggregate;

use crate::test_support::handle;
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tyndau_events::ConsultationEvent;
use tyndau_events::consultation::{ChangeNote, ClosedBy, ConsultationText, Localized, Provision};
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, ConsultationId, ProvisionPath};

use super::{
    Closer, Consultation, ConsultationCommand, ConsultationError, ConsultationServices, ConsultationStatus,
};

const START: OffsetDateTime = datetime!(2025-04-01 09:00 +5);

#[derive(Clone, Copy, Debug)]
enum Closing {
    Deadline,
    Body,
    Stranger,
}

#[derive(Clone, Copy, Debug)]
enum Note {
    None,
    Known,
    /// Names a provision in neither version: refused.
    Unknown,
}

#[derive(Clone, Debug)]
enum Op {
    /// Again: the consultation exists already.
    Draft,
    Open {
        by_body: bool,
        days: i64,
    },
    /// `draft` indexes [`drafts`]; some are invalid, and the current one is "no changes".
    PublishVersion {
        by_body: bool,
        draft: usize,
        note: Note,
    },
    Close {
        by: Closing,
    },
    PublishReport {
        by_body: bool,
    },
    /// Outside the aggregate: a citizen posts a proposal (a Comment stream).
    Propose,
    /// Outside the aggregate: the body answers, or a moderator hides, an unanswered proposal.
    Settle,
}

fn op() -> impl Strategy<Value = Op> {
    let closing = prop_oneof![
        Just(Closing::Deadline),
        Just(Closing::Body),
        Just(Closing::Stranger)
    ];
    let note = prop_oneof![Just(Note::None), Just(Note::Known), Just(Note::Unknown)];
    prop_oneof![
        1 => Just(Op::Draft),
        3 => (any::<bool>(), 1i64..40).prop_map(|(by_body, days)| Op::Open { by_body, days }),
        3 => (any::<bool>(), 0..drafts().len(), note)
            .prop_map(|(by_body, draft, note)| Op::PublishVersion { by_body, draft, note }),
        3 => closing.prop_map(|by| Op::Close { by }),
        3 => any::<bool>().prop_map(|by_body| Op::PublishReport { by_body }),
        3 => Just(Op::Propose),
        3 => Just(Op::Settle),
    ]
}

fn body(id: &str) -> BodyId {
    id.parse().expect("valid body id")
}

/// The developing body.
fn akimat() -> BodyId {
    body("akimat-astana")
}

/// A body in the directory that does not develop this draft.
fn maslikhat() -> BodyId {
    body("maslikhat-astana")
}

fn path(s: &str) -> ProvisionPath {
    s.parse().expect("valid provision path")
}

fn p(at: &str, kk: &str, ru: &str) -> Provision {
    let mut text = BTreeMap::new();
    for (language, wording) in [(Language::Kk, kk), (Language::Ru, ru)] {
        if !wording.is_empty() {
            text.insert(language, wording.to_owned());
        }
    }
    Provision {
        path: path(at),
        heading: BTreeMap::new(),
        text,
    }
}

/// Versions a body might publish: three valid ones, an empty one and an untranslated one.
fn drafts() -> [Vec<Provision>; 5] {
    let v1 = vec![
        p("a1", "Мөлшерлеме белгіленеді.", "Ставка устанавливается."),
        p("a1.p1", "Мөлшерлеме 12 пайыз.", "Ставка 12 процентов."),
        p("a2", "2026 жылдан.", "С 2026 года."),
    ];
    let mut v2 = v1.clone();
    v2[1] = p("a1.p1", "Мөлшерлеме 10 пайыз.", "Ставка 10 процентов.");
    let mut v3 = v2.clone();
    v3.push(p("a3", "Жаңа бап.", "Новая статья."));
    let mut untranslated = v3.clone();
    untranslated[3] = p("a3", "", "Новая статья без перевода.");
    [v1, v2, v3, Vec::new(), untranslated]
}

fn ru(text: &str) -> Localized {
    BTreeMap::from([(Language::Ru, text.to_owned())])
}

fn command(op: &Op, at: OffsetDateTime, unanswered: u32) -> ConsultationCommand {
    let by = |responsible: bool| if responsible { akimat() } else { maslikhat() };
    match *op {
        Op::Draft => draft(at),
        Op::Open { by_body, days } => ConsultationCommand::Open {
            by: by(by_body),
            closes_at: at + Duration::days(days),
            at,
        },
        Op::PublishVersion { by_body, draft, note } => ConsultationCommand::PublishVersion {
            by: by(by_body),
            provisions: drafts()[draft].clone(),
            changes: match note {
                Note::None => vec![],
                Note::Known => vec![ChangeNote {
                    path: path("a1.p1"),
                    why: ru("Снижение ставки."),
                }],
                Note::Unknown => vec![ChangeNote {
                    path: path("a9"),
                    why: ru("Нет такой статьи."),
                }],
            },
            at,
        },
        Op::Close { by } => ConsultationCommand::Close {
            by: match by {
                Closing::Deadline => Closer::Deadline,
                Closing::Body => Closer::Body(akimat()),
                Closing::Stranger => Closer::Body(maslikhat()),
            },
            at,
        },
        // The command side counts unanswered proposals in the store and passes the number in.
        Op::PublishReport { by_body } => ConsultationCommand::PublishReport {
            by: by(by_body),
            unanswered,
            summary: ru("Предложения рассмотрены."),
            at,
        },
        Op::Propose | Op::Settle => unreachable!("not a consultation command"),
    }
}

fn draft(at: OffsetDateTime) -> ConsultationCommand {
    let text = ConsultationText {
        title: "О ставке".to_owned(),
        summary: "Изменение ставки.".to_owned(),
        explanatory_note: "Записка.".to_owned(),
    };
    ConsultationCommand::Draft {
        consultation_id: ConsultationId::new(),
        by: akimat(),
        content: BTreeMap::from([(Language::Kk, text.clone()), (Language::Ru, text)]),
        provisions: drafts()[0].clone(),
        at,
    }
}

/// The status path: each step moves at most one edge forward, never back.
fn allowed(from: ConsultationStatus, to: ConsultationStatus) -> bool {
    use ConsultationStatus::*;
    from == to
        || matches!(
            (from, to),
            (New, Drafted) | (Drafted, Open) | (Open, Closed) | (Closed, ReportPublished)
        )
}

/// What the rules promise, kept outside the aggregate.
#[derive(Debug)]
struct Model {
    status: ConsultationStatus,
    versions: u32,
    closes_at: Option<OffsetDateTime>,
    /// Proposals neither answered nor hidden: what the store counts for the report.
    unanswered: u32,
}

fn replay(history: &[ConsultationEvent]) -> Consultation {
    let mut consultation = Consultation::default();
    for event in history {
        consultation.apply(event.clone());
    }
    consultation
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_command_sequence_keeps_the_consultations_rules(
        steps in proptest::collection::vec((op(), 1i64..150), 1..50)
    ) {
        let services = ConsultationServices::default();
        let mut live = Consultation::default();
        let (result, mut history) = handle(&mut live, draft(START), &services);
        prop_assert!(result.is_ok(), "a valid draft is accepted: {result:?}");
        let mut model = Model {
            status: ConsultationStatus::Drafted,
            versions: 1,
            closes_at: None,
            unanswered: 0,
        };
        let mut at = START;
        for (op, hours) in steps {
            at += Duration::hours(hours);
            match op {
                // A proposal gets in only while the consultation takes comments (the comment rule).
                Op::Propose => {
                    if live.accepts_comments(at) {
                        model.unanswered += 1;
                    }
                    continue;
                }
                // Answers stop with the report; by then nothing is unanswered anyway.
                Op::Settle => {
                    model.unanswered = model.unanswered.saturating_sub(1);
                    continue;
                }
                _ => {}
            }
            let before = live.clone();
            let (result, events) = handle(&mut live, command(&op, at, model.unanswered), &services);
            if let Err(error) = result {
                prop_assert!(events.is_empty(), "{op:?} refused ({error}) but wrote {events:?}");
                prop_assert_eq!(&live, &before, "{:?} refused ({}) but changed the state", op, error);
                // Once the body asks for the report on a closed consultation, the unanswered
                // proposals are the only thing that may stand in its way.
                if matches!(op, Op::PublishReport { by_body: true })
                    && before.status() == ConsultationStatus::Closed
                {
                    prop_assert_eq!(error, ConsultationError::UnansweredProposals { count: model.unanswered });
                }
                continue;
            }
            prop_assert!(before.status() != ConsultationStatus::ReportPublished,
                "the published report is final, yet {op:?} was accepted");
            prop_assert_eq!(events.len(), 1, "{:?} wrote {:?}", op, events);
            match (&op, &events[0]) {
                (Op::Open { by_body, days }, ConsultationEvent::ConsultationOpened(e)) => {
                    prop_assert!(*by_body, "opened by another body");
                    prop_assert_eq!(before.status(), ConsultationStatus::Drafted);
                    prop_assert_eq!(e.closes_at, at + Duration::days(*days));
                    model.status = ConsultationStatus::Open;
                    model.closes_at = Some(e.closes_at);
                }
                (Op::PublishVersion { by_body, draft, .. }, ConsultationEvent::DraftVersionPublished(e)) => {
                    prop_assert!(*by_body, "version published by another body");
                    prop_assert!(matches!(model.status, ConsultationStatus::Open | ConsultationStatus::Closed),
                        "version published while {:?}", model.status);
                    // Numbered 1, 2, 3… without gaps, and never a copy of the current text.
                    prop_assert_eq!(e.version, model.versions + 1);
                    prop_assert_ne!(before.current_provisions(), &drafts()[*draft][..]);
                    model.versions += 1;
                }
                (Op::Close { by }, ConsultationEvent::ConsultationClosed(e)) => {
                    prop_assert_eq!(model.status, ConsultationStatus::Open);
                    match by {
                        Closing::Deadline => {
                            prop_assert_eq!(e.closed_by, ClosedBy::Deadline);
                            prop_assert!(model.closes_at.is_some_and(|closes| at >= closes), "closed before the deadline");
                        }
                        Closing::Body => prop_assert_eq!(e.closed_by, ClosedBy::Body),
                        Closing::Stranger => prop_assert!(false, "closed by another body"),
                    }
                    model.status = ConsultationStatus::Closed;
                }
                (Op::PublishReport { by_body }, ConsultationEvent::OutcomeReportPublished(e)) => {
                    prop_assert!(*by_body, "report published by another body");
                    prop_assert_eq!(model.status, ConsultationStatus::Closed);
                    prop_assert_eq!(model.unanswered, 0, "report published over unanswered proposals");
                    prop_assert_eq!(e.final_version, model.versions);
                    model.status = ConsultationStatus::ReportPublished;
                }
                (op, event) => prop_assert!(false, "{op:?} was accepted with {event:?}"),
            }
            history.extend(events);

            prop_assert!(allowed(before.status(), live.status()),
                "{:?} -> {:?} by {op:?}", before.status(), live.status());
            prop_assert_eq!(live.status(), model.status);
            prop_assert_eq!(live.current_version(), model.versions);
            // The events alone, replayed from nothing, rebuild the live state.
            prop_assert_eq!(&replay(&history), &live);
        }
    }
}
