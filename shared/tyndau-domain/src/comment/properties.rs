//! Property tests: random command sequences against the Comment and Reaction rules.
//!
//! Commands run through `handle` on live aggregates, as the command side runs them, so a
//! rejection is checked to leave the very state it was given untouched. The consultation a
//! command carries is a live Consultation aggregate moved by its own commands, so the comment
//! only ever sees states the consultation rules can reach. Beside them a small model keeps what
//! the rules promise.

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::Aggregate;

use crate::test_support::handle;
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tyndau_events::comment::{
    Channel, CommentAuthor, CommentHidden, Disposition, FlagReason, HideReason, ProvisionRef, Stance,
};
use tyndau_events::consultation::{ConsultationText, Localized, Provision};
use tyndau_events::petition::Language;
use tyndau_events::{CommentEvent, ReactionEvent};
use tyndau_ids::{BodyId, CommentId, ConsultationId, ProvisionPath, Region, SignerKey};

use super::{Comment, CommentCommand, CurrentAnswer, Reaction, ReactionCommand};
use crate::consultation::{
    Closer, Consultation, ConsultationCommand, ConsultationPolicy, ConsultationServices, ConsultationStatus,
};

const AUTHOR: SignerKey = SignerKey::from_bytes([3; 32]);
const READER: SignerKey = SignerKey::from_bytes([4; 32]);
const NEIGHBOUR: SignerKey = SignerKey::from_bytes([5; 32]);
const DRAFTED_AT: OffsetDateTime = datetime!(2025-04-01 09:00 +5);
const OPENED_AT: OffsetDateTime = datetime!(2025-04-14 10:00 +5);
/// Six weeks after opening: sequences run past it, so edits meet the end of the period.
const CLOSES_AT: OffsetDateTime = datetime!(2025-05-26 00:00 +5);
const POSTED_AT: OffsetDateTime = datetime!(2025-04-20 10:00 +5);

// ---- Shared fixtures ----

fn replay<A: Aggregate>(history: &[A::Event]) -> A {
    let mut aggregate = A::default();
    for event in history {
        aggregate.apply(event.clone());
    }
    aggregate
}

fn body(slug: &str) -> BodyId {
    slug.parse().expect("valid body id")
}

/// The body developing the draft.
fn akimat() -> BodyId {
    body("akimat-astana")
}

fn maslikhat() -> BodyId {
    body("maslikhat-astana")
}

fn path(s: &str) -> ProvisionPath {
    s.parse().expect("valid provision path")
}

fn ru(text: &str) -> Localized {
    BTreeMap::from([(Language::Ru, text.to_owned())])
}

fn p(at: &str, kk: &str, ru: &str) -> Provision {
    Provision {
        path: path(at),
        heading: BTreeMap::new(),
        text: BTreeMap::from([(Language::Kk, kk.to_owned()), (Language::Ru, ru.to_owned())]),
    }
}

/// Version 1, then each later version the body may publish (the last one drops a1).
fn versions() -> [Vec<Provision>; 3] {
    let start = p("a2", "2026 жылдан.", "Правила применяются с 2026 года.");
    [
        vec![
            p(
                "a1",
                "Мөлшерлеме 12 пайыз.",
                "Ставка налога составляет 12 процентов.",
            ),
            start.clone(),
        ],
        vec![
            p(
                "a1",
                "Мөлшерлеме 10 пайыз.",
                "Ставка налога составляет 10 процентов.",
            ),
            start.clone(),
        ],
        vec![start],
    ]
}

/// A live consultation, opened by its own commands; comments read a snapshot of it.
fn open_consultation() -> Consultation {
    let services = ConsultationServices::default();
    let text = ConsultationText {
        title: "О ставке налога".to_owned(),
        summary: "Изменение ставки.".to_owned(),
        explanatory_note: "Пояснительная записка.".to_owned(),
    };
    let mut consultation = Consultation::default();
    for command in [
        ConsultationCommand::Draft {
            consultation_id: ConsultationId::new(),
            by: akimat(),
            content: BTreeMap::from([(Language::Kk, text.clone()), (Language::Ru, text)]),
            provisions: versions()[0].clone(),
            at: DRAFTED_AT,
        },
        ConsultationCommand::Open {
            by: akimat(),
            closes_at: CLOSES_AT,
            at: OPENED_AT,
        },
    ] {
        let (result, _) = handle(&mut consultation, command, &services);
        result.expect("the fixture consultation opens");
    }
    consultation
}

/// What happens to the consultation meanwhile; refused commands simply change nothing.
#[derive(Clone, Copy, Debug)]
enum World {
    /// The body closes early, or the deadline passes.
    Close,
    /// The body publishes the next version (while open or closed).
    PublishVersion,
    /// The body publishes the report; the store's unanswered count is passed in.
    PublishReport,
}

fn world() -> impl Strategy<Value = World> {
    prop_oneof![
        Just(World::Close),
        Just(World::PublishVersion),
        Just(World::PublishReport)
    ]
}

fn move_world(consultation: &mut Consultation, change: World, unanswered: u32, at: OffsetDateTime) {
    let command = match change {
        World::Close if consultation.closes_at().is_some_and(|closes| at >= closes) => {
            ConsultationCommand::Close {
                by: Closer::Deadline,
                at,
            }
        }
        World::Close => ConsultationCommand::Close {
            by: Closer::Body(akimat()),
            at,
        },
        World::PublishVersion => {
            let next = usize::try_from(consultation.current_version()).unwrap_or(usize::MAX);
            let Some(provisions) = versions().get(next).cloned() else {
                return;
            };
            ConsultationCommand::PublishVersion {
                by: akimat(),
                provisions,
                changes: vec![],
                at,
            }
        }
        World::PublishReport => ConsultationCommand::PublishReport {
            by: akimat(),
            unanswered,
            summary: ru("Предложения рассмотрены."),
            at,
        },
    };
    let _ = handle(consultation, command, &ConsultationServices::default());
}

fn post(
    comment_id: CommentId,
    consultation: &Consultation,
    reply_to: Option<Arc<Comment>>,
    at: OffsetDateTime,
) -> CommentCommand {
    CommentCommand::Post {
        comment_id,
        consultation: Arc::new(consultation.clone()),
        // A proposal quotes provision a1, so publishing later versions makes it move.
        path: reply_to.is_none().then(|| path("a1")),
        quote: reply_to.is_none().then(|| "ставка налога".to_owned()),
        reply_to,
        author: CommentAuthor::Citizen { key: AUTHOR },
        channel: Channel::Citizen,
        region: Some(Region::Astana),
        language: Language::Ru,
        text: "Предлагаю снизить ставку.".to_owned(),
        at,
    }
}

/// A posted proposal, as a reaction or a reply reads it.
fn posted_proposal(consultation: &Consultation) -> Comment {
    let mut proposal = Comment::default();
    let (result, _) = handle(
        &mut proposal,
        post(CommentId::new(), consultation, None, POSTED_AT),
        &ConsultationPolicy::default(),
    );
    result.expect("the fixture proposal is posted");
    proposal
}

// ---- Comment ----

#[derive(Clone, Debug)]
enum Op {
    /// Again: the comment exists already.
    Repost,
    Edit {
        by_author: bool,
        blank: bool,
    },
    /// Process manager: a reply arrived.
    NoteReply,
    Hide,
    /// `answer` indexes [`answers`].
    Answer {
        by_body: bool,
        answer: usize,
    },
    /// Process manager: a new version is out.
    Reanchor,
    World(World),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Repost),
        4 => (any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(by_author, blank)| Op::Edit { by_author, blank }),
        1 => Just(Op::NoteReply),
        1 => Just(Op::Hide),
        3 => (any::<bool>(), 0..answers().len()).prop_map(|(by_body, answer)| Op::Answer { by_body, answer }),
        1 => Just(Op::Reanchor),
        3 => world().prop_map(Op::World),
    ]
}

/// Answers the body may give; the same one twice is refused, a different one is appended.
fn answers() -> [CurrentAnswer; 3] {
    let answer = |disposition, reason: &str, changed| CurrentAnswer {
        disposition,
        reason: ru(reason),
        changed,
        duplicate_of: None,
    };
    [
        answer(Disposition::Rejected, "Ставка установлена законом.", None),
        answer(Disposition::Noted, "Учтено при доработке.", None),
        answer(
            Disposition::Accepted,
            "Ставка снижена.",
            Some(ProvisionRef {
                version: 1,
                path: path("a1"),
            }),
        ),
    ]
}

fn comment_command(op: &Op, consultation: &Arc<Consultation>, at: OffsetDateTime) -> CommentCommand {
    match op {
        Op::Repost => post(CommentId::new(), consultation, None, at),
        Op::Edit { by_author, blank } => CommentCommand::Edit {
            by: CommentAuthor::Citizen {
                key: if *by_author { AUTHOR } else { READER },
            },
            consultation: consultation.clone(),
            text: if *blank {
                " \n"
            } else {
                "Предлагаю ставку 8 процентов."
            }
            .to_owned(),
            at,
        },
        Op::NoteReply => CommentCommand::NoteReply {
            reply: CommentId::new(),
            at,
        },
        Op::Hide => CommentCommand::Hide {
            reason: HideReason::PersonalData,
            explanation: "Персональные данные.".to_owned(),
            at,
        },
        Op::Answer { by_body, answer } => {
            let answer = answers()[*answer].clone();
            CommentCommand::Answer {
                by: if *by_body { akimat() } else { maslikhat() },
                consultation: consultation.clone(),
                disposition: answer.disposition,
                reason: answer.reason,
                changed: answer.changed,
                duplicate_of: None,
                at,
            }
        }
        Op::Reanchor => CommentCommand::Reanchor {
            consultation: consultation.clone(),
            at,
        },
        Op::World(_) => unreachable!("not a comment command"),
    }
}

/// What the comment rules promise, kept outside the aggregate.
#[derive(Debug, Default)]
struct CommentModel {
    proposal: bool,
    /// A reply has arrived: the text is frozen from then on.
    replied: bool,
    /// The moderator's reason; the text is withheld from then on, the comment stays.
    hidden: Option<HideReason>,
    edits: usize,
    /// Every answer given, in order: a changed answer is added, never overwritten.
    answers: Vec<CurrentAnswer>,
    anchored_to: u32,
}

fn check_comment(reply: bool, steps: Vec<(Op, i64)>) -> Result<(), TestCaseError> {
    let policy = ConsultationPolicy::default();
    let mut consultation = open_consultation();
    let parent = if reply {
        Some(Arc::new(posted_proposal(&consultation)))
    } else {
        None
    };
    let mut live = Comment::default();
    let (result, mut history) = handle(
        &mut live,
        post(CommentId::new(), &consultation, parent, POSTED_AT),
        &policy,
    );
    prop_assert!(result.is_ok(), "the comment is posted: {result:?}");
    let mut model = CommentModel {
        proposal: !reply,
        anchored_to: 1,
        ..CommentModel::default()
    };
    let mut at = POSTED_AT;
    for (op, hours) in steps {
        at += Duration::hours(hours);
        if let Op::World(change) = op {
            // The store counts proposals neither answered nor hidden.
            let unanswered = u32::from(model.proposal && model.answers.is_empty() && model.hidden.is_none());
            move_world(&mut consultation, change, unanswered, at);
            continue;
        }
        let snapshot = Arc::new(consultation.clone());
        let before = live.clone();
        let (result, events) = handle(&mut live, comment_command(&op, &snapshot, at), &policy);
        if let Err(error) = &result {
            prop_assert!(events.is_empty(), "{op:?} refused ({error}) but wrote {events:?}");
            prop_assert_eq!(
                &live,
                &before,
                "{:?} refused ({}) but changed the state",
                op,
                error
            );
        }
        // The model's verdict on each command, and what an accepted one must write.
        match &op {
            Op::Repost => prop_assert!(result.is_err(), "posted twice"),
            Op::Edit { by_author, blank } => {
                let allowed = *by_author
                    && !blank
                    && !model.replied
                    && model.hidden.is_none()
                    && model.answers.is_empty()
                    && snapshot.accepts_comments(at);
                prop_assert_eq!(
                    result.is_ok(),
                    allowed,
                    "edit {:?} with {:?}: {:?}",
                    op,
                    model,
                    result
                );
                model.edits += usize::from(allowed);
            }
            Op::NoteReply => {
                prop_assert!(result.is_ok());
                // Only the first reply is an event: the flag cannot be set twice.
                prop_assert_eq!(events.len(), usize::from(!model.replied));
                model.replied = true;
            }
            Op::Hide => {
                prop_assert_eq!(result.is_ok(), model.hidden.is_none(), "hide with {:?}", model);
                model.hidden.get_or_insert(HideReason::PersonalData);
            }
            Op::Answer { by_body, answer } => {
                let answer = &answers()[*answer];
                let allowed = model.proposal
                    && *by_body
                    && snapshot.status() != ConsultationStatus::ReportPublished
                    && model.answers.last() != Some(answer);
                prop_assert_eq!(
                    result.is_ok(),
                    allowed,
                    "answer {:?} with {:?}: {:?}",
                    op,
                    model,
                    result
                );
                if allowed {
                    model.answers.push(answer.clone());
                }
            }
            Op::Reanchor => {
                let allowed = model.proposal && model.anchored_to < snapshot.current_version();
                prop_assert_eq!(result.is_ok(), allowed, "reanchor with {:?}: {:?}", model, result);
                if allowed {
                    model.anchored_to = snapshot.current_version();
                }
            }
            Op::World(_) => unreachable!("handled above"),
        }
        // One event per accepted command; a repeated reply note is the only silent success.
        if result.is_ok() && !matches!(op, Op::NoteReply) {
            prop_assert_eq!(events.len(), 1, "{:?} wrote {:?}", op, events);
        }
        history.extend(events);

        // Never deleted; hidden stays hidden, with its reason on record.
        prop_assert!(live.exists() && live.id() == before.id());
        prop_assert_eq!(live.is_hidden(), model.hidden.is_some());
        prop_assert_eq!(live.has_replies(), model.replied);
        let (mut hidings, mut edits, mut answered) = (Vec::new(), 0, Vec::new());
        for event in &history {
            match event {
                CommentEvent::CommentHidden(CommentHidden {
                    reason, explanation, ..
                }) => {
                    prop_assert!(!explanation.trim().is_empty(), "hidden without a public reason");
                    hidings.push(*reason);
                }
                CommentEvent::CommentEdited(_) => edits += 1,
                CommentEvent::ProposalAnswered(a) => {
                    prop_assert_eq!(&a.by, &akimat());
                    answered.push(CurrentAnswer {
                        disposition: a.disposition,
                        reason: a.reason.clone(),
                        changed: a.changed.clone(),
                        duplicate_of: a.duplicate_of,
                    });
                }
                _ => {}
            }
        }
        // Hidden once, for the reason on record.
        prop_assert_eq!(hidings, model.hidden.into_iter().collect::<Vec<_>>());
        // The edit history is one event per accepted edit.
        prop_assert_eq!(edits, model.edits);
        // Answers are appended: the log holds every one, the state the latest.
        prop_assert_eq!(&answered, &model.answers);
        prop_assert_eq!(live.answer.as_ref(), model.answers.last());
        prop_assert_eq!(live.anchor().map(|a| a.version), Some(model.anchored_to));
        // The events alone, replayed from nothing, rebuild the live state.
        prop_assert_eq!(&replay::<Comment>(&history), &live);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_command_sequence_keeps_a_proposals_rules(
        steps in proptest::collection::vec((op(), 1i64..96), 1..50)
    ) {
        check_comment(false, steps)?;
    }

    #[test]
    fn any_command_sequence_keeps_a_replys_rules(
        steps in proptest::collection::vec((op(), 1i64..96), 1..50)
    ) {
        check_comment(true, steps)?;
    }
}

// ---- Reaction ----

/// AUTHOR wrote the comment: their own reactions are refused.
const CITIZENS: [SignerKey; 3] = [AUTHOR, READER, NEIGHBOUR];

#[derive(Clone, Debug)]
enum ReactionOp {
    TakeStance {
        citizen: usize,
        stance: Stance,
    },
    Flag {
        citizen: usize,
    },
    /// A moderator hides the comment.
    HideComment,
    /// The body answers the proposal (so the report can follow).
    AnswerComment,
    World(World),
}

fn reaction_op() -> impl Strategy<Value = ReactionOp> {
    let citizen = 0..CITIZENS.len();
    let stance = prop_oneof![Just(Stance::Agree), Just(Stance::Disagree), Just(Stance::None)];
    prop_oneof![
        8 => (citizen.clone(), stance).prop_map(|(citizen, stance)| ReactionOp::TakeStance { citizen, stance }),
        3 => citizen.prop_map(|citizen| ReactionOp::Flag { citizen }),
        1 => Just(ReactionOp::HideComment),
        1 => Just(ReactionOp::AnswerComment),
        2 => world().prop_map(ReactionOp::World),
    ]
}

/// One citizen's Reaction stream (keyed by comment and citizen in the store) and its model.
struct Stream {
    live: Reaction,
    history: Vec<ReactionEvent>,
    stance: Stance,
    flagged: bool,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_reaction_sequence_keeps_one_stance_and_one_flag_per_citizen(
        steps in proptest::collection::vec((reaction_op(), 1i64..96), 1..60)
    ) {
        let mut consultation = open_consultation();
        let mut comment = posted_proposal(&consultation);
        let comment_id = comment.id();
        let mut streams = CITIZENS.map(|_| Stream {
            live: Reaction::default(),
            history: Vec::new(),
            stance: Stance::None,
            flagged: false,
        });
        // Every reaction event in commit order, as a projector would see them.
        let mut log: Vec<ReactionEvent> = Vec::new();
        let mut at = POSTED_AT;
        for (op, hours) in steps {
            at += Duration::hours(hours);
            let (citizen, command) = match op {
                // The comment and the consultation move by their own rules.
                ReactionOp::HideComment | ReactionOp::AnswerComment => {
                    let command = if matches!(op, ReactionOp::HideComment) {
                        CommentCommand::Hide {
                            reason: HideReason::Spam,
                            explanation: "Спам.".to_owned(),
                            at,
                        }
                    } else {
                        comment_command(&Op::Answer { by_body: true, answer: 0 }, &Arc::new(consultation.clone()), at)
                    };
                    let _ = handle(&mut comment, command, &ConsultationPolicy::default());
                    continue;
                }
                ReactionOp::World(change) => {
                    let unanswered = u32::from(comment.answer.is_none() && !comment.is_hidden());
                    move_world(&mut consultation, change, unanswered, at);
                    continue;
                }
                ReactionOp::TakeStance { citizen, stance } => (citizen, ReactionCommand::TakeStance {
                    citizen: CITIZENS[citizen],
                    comment: Arc::new(comment.clone()),
                    consultation: Arc::new(consultation.clone()),
                    stance,
                    at,
                }),
                ReactionOp::Flag { citizen } => (citizen, ReactionCommand::Flag {
                    citizen: CITIZENS[citizen],
                    comment: Arc::new(comment.clone()),
                    reason: FlagReason::Spam,
                    at,
                }),
            };
            let own = CITIZENS[citizen] == AUTHOR;
            let stream = &mut streams[citizen];
            let before = stream.live.clone();
            let (result, events) = handle(&mut stream.live, command, &());
            if let Err(error) = &result {
                prop_assert!(events.is_empty(), "{op:?} refused ({error}) but wrote {events:?}");
                prop_assert_eq!(&stream.live, &before, "{:?} refused ({}) but changed the state", op, error);
            }
            match op {
                ReactionOp::TakeStance { stance, .. } => {
                    let allowed = !own
                        && !comment.is_hidden()
                        && consultation.status() != ConsultationStatus::ReportPublished;
                    prop_assert_eq!(result.is_ok(), allowed, "stance {:?}: {:?}", op, result);
                    // Saying the same again is accepted and writes nothing.
                    prop_assert_eq!(events.len(), usize::from(allowed && stance != stream.stance));
                    if allowed {
                        stream.stance = stance;
                    }
                }
                ReactionOp::Flag { .. } => {
                    let allowed = !own && !stream.flagged;
                    prop_assert_eq!(result.is_ok(), allowed, "flag {:?}: {:?}", op, result);
                    prop_assert_eq!(events.len(), usize::from(allowed));
                    stream.flagged |= allowed;
                }
                ReactionOp::HideComment | ReactionOp::AnswerComment | ReactionOp::World(_) => {
                    unreachable!("handled above")
                }
            }
            // Every event names the stream's own comment and citizen.
            for event in &events {
                let (comment_of, citizen_of) = match event {
                    ReactionEvent::StanceTaken(e) => (e.comment_id, e.citizen),
                    ReactionEvent::CommentFlagged(e) => (e.comment_id, e.citizen),
                };
                prop_assert_eq!(Some(comment_of), comment_id);
                prop_assert_eq!(citizen_of, CITIZENS[citizen]);
            }
            stream.history.extend(events.iter().cloned());
            log.extend(events);
            prop_assert_eq!(stream.live.stance(), stream.stance);
            prop_assert_eq!(&replay::<Reaction>(&stream.history), &stream.live);
        }
        // Totals derived from the events alone (last stance per citizen) equal the model's.
        let mut last: BTreeMap<SignerKey, Stance> = BTreeMap::new();
        let mut flags: BTreeMap<SignerKey, usize> = BTreeMap::new();
        for event in &log {
            match event {
                ReactionEvent::StanceTaken(e) => {
                    last.insert(e.citizen, e.stance);
                }
                ReactionEvent::CommentFlagged(e) => *flags.entry(e.citizen).or_default() += 1,
            }
        }
        let total = |events: &BTreeMap<SignerKey, Stance>, stance| events.values().filter(|s| **s == stance).count();
        let modelled: BTreeMap<SignerKey, Stance> =
            CITIZENS.iter().zip(&streams).map(|(c, s)| (*c, s.stance)).collect();
        for stance in [Stance::Agree, Stance::Disagree] {
            prop_assert_eq!(total(&last, stance), total(&modelled, stance), "{:?} total", stance);
        }
        prop_assert!(flags.values().all(|n| *n == 1), "a citizen flagged twice: {flags:?}");
        prop_assert_eq!(flags.len(), streams.iter().filter(|s| s.flagged).count());
        prop_assert!(!flags.contains_key(&AUTHOR) && !last.contains_key(&AUTHOR), "the author reacted");
    }
}
