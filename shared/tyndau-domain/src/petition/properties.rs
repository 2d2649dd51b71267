//! Property tests: random command sequences against the lifecycle's invariants.
//!
//! The model is the lifecycle graph itself: which status may follow which, which statuses are
//! final, and what an accepted closing or answer must carry. Whatever the sequence, the aggregate
//! must stay inside that graph and replaying its events must rebuild the same state.

use std::collections::BTreeMap;

use cqrs_es::Aggregate;
use cqrs_es::test::TestFramework;
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tyndau_events::PetitionEvent;
use tyndau_events::petition::{
    ClosingOutcome, Decision, Language, PetitionText, RejectionReason, StopReason,
};
use tyndau_ids::{BodyId, PetitionId, SignerKey};

use super::{Petition, PetitionCommand, PetitionServices, PetitionStatus};

const AUTHOR: SignerKey = SignerKey::from_bytes([7; 32]);
const STRANGER: SignerKey = SignerKey::from_bytes([8; 32]);
const START: OffsetDateTime = datetime!(2025-03-03 09:00 +5);

#[derive(Clone, Debug)]
enum Op {
    Submit { by_author: bool },
    Publish,
    Reject,
    MarkListed { signatures: u32 },
    MarkThresholdReached { signatures: u32 },
    Close { final_count: u32 },
    Stop { final_count: u32 },
    MarkAnswerOverdue,
    Answer { by_addressee: bool },
    Archive,
}

fn op() -> impl Strategy<Value = Op> {
    let count = prop_oneof![0u32..100, 2_400u32..2_600, 49u32..52];
    prop_oneof![
        any::<bool>().prop_map(|by_author| Op::Submit { by_author }),
        Just(Op::Publish),
        Just(Op::Reject),
        count.clone().prop_map(|signatures| Op::MarkListed { signatures }),
        count
            .clone()
            .prop_map(|signatures| Op::MarkThresholdReached { signatures }),
        count.clone().prop_map(|final_count| Op::Close { final_count }),
        count.prop_map(|final_count| Op::Stop { final_count }),
        Just(Op::MarkAnswerOverdue),
        any::<bool>().prop_map(|by_addressee| Op::Answer { by_addressee }),
        Just(Op::Archive),
    ]
}

fn body(id: &str) -> BodyId {
    id.parse().expect("valid body id")
}

fn command(op: &Op, at: OffsetDateTime) -> PetitionCommand {
    match op.clone() {
        Op::Submit { by_author } => PetitionCommand::Submit {
            by: if by_author { AUTHOR } else { STRANGER },
            at,
        },
        Op::Publish => PetitionCommand::Publish { at },
        Op::Reject => PetitionCommand::Reject {
            reason: RejectionReason::Duplicate,
            explanation: "Бұл өтініш бұрын берілген.".to_owned(),
            at,
        },
        Op::MarkListed { signatures } => PetitionCommand::MarkListed { signatures, at },
        Op::MarkThresholdReached { signatures } => PetitionCommand::MarkThresholdReached { signatures, at },
        Op::Close { final_count } => PetitionCommand::Close { final_count, at },
        Op::Stop { final_count } => PetitionCommand::Stop {
            reason: StopReason::RulesBreach,
            explanation: "Ережелер бұзылды.".to_owned(),
            final_count,
            at,
        },
        Op::MarkAnswerOverdue => PetitionCommand::MarkAnswerOverdue { at },
        Op::Answer { by_addressee } => PetitionCommand::Answer {
            by: body(if by_addressee {
                "akimat-almaty"
            } else {
                "akimat-astana"
            }),
            decision: Decision::PartiallySatisfied,
            text: BTreeMap::from([(Language::Kk, "Жауап.".to_owned())]),
            at,
        },
        Op::Archive => PetitionCommand::Archive { at },
    }
}

/// The edges of the lifecycle graph (a status may also stay as it is).
fn allowed(from: PetitionStatus, to: PetitionStatus) -> bool {
    use PetitionStatus::*;
    from == to
        || matches!(
            (from, to),
            (New, Draft)
                | (Draft, Submitted)
                | (Submitted, Open | Rejected)
                | (Open, Closed | Stopped)
                | (Closed | Stopped | Rejected, Archived)
        )
}

fn decide(history: &[PetitionEvent], command: PetitionCommand) -> Option<Vec<PetitionEvent>> {
    TestFramework::<Petition>::with(PetitionServices::default())
        .given(history.to_vec())
        .when(command)
        .inspect_result()
        .ok()
}

fn replay(history: &[PetitionEvent]) -> Petition {
    let mut petition = Petition::default();
    for event in history {
        petition.apply(event.clone());
    }
    petition
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_command_sequence_stays_inside_the_lifecycle(
        steps in proptest::collection::vec((op(), 1i64..2_000), 1..40)
    ) {
        let draft = PetitionCommand::Draft {
            petition_id: PetitionId::new(),
            author: AUTHOR,
            addressee: body("akimat-almaty"),
            content: BTreeMap::from([(Language::Ru, PetitionText {
                title: "Велодорожки".to_owned(),
                text: "Безопасность.".to_owned(),
                request: "Построить.".to_owned(),
            })]),
            at: START,
        };
        let mut history = decide(&[], draft).expect("a valid draft is accepted");
        let mut at = START;
        for (op, hours) in steps {
            at += Duration::hours(hours);
            let before = replay(&history);
            let Some(events) = decide(&history, command(&op, at)) else { continue };
            history.extend(events.iter().cloned());
            let after = replay(&history);

            prop_assert!(allowed(before.status(), after.status()),
                "{:?} -> {:?} by {op:?}", before.status(), after.status());
            prop_assert!(!matches!(before.status(), PetitionStatus::Archived | PetitionStatus::Rejected)
                || matches!(op, Op::Archive) && before.status() == PetitionStatus::Rejected,
                "a final petition accepted {op:?}");
            for event in &events {
                match event {
                    PetitionEvent::PetitionClosed(closed) => {
                        let Op::Close { final_count } = op else { unreachable!("closed by {op:?}") };
                        prop_assert_eq!(closed.final_count, final_count);
                        prop_assert_eq!(
                            closed.outcome == ClosingOutcome::ThresholdReached,
                            before.threshold_reached()
                        );
                    }
                    PetitionEvent::PetitionAnswered(_) => {
                        prop_assert!(before.threshold_reached(), "answered below the threshold");
                        prop_assert!(matches!(op, Op::Answer { by_addressee: true }), "answered by {op:?}");
                    }
                    PetitionEvent::PetitionThresholdReached(reached) => {
                        let threshold = before.threshold().expect("an open petition has a threshold");
                        prop_assert!(reached.signatures >= threshold);
                    }
                    _ => {}
                }
            }
        }
        // Replaying the whole history from nothing gives the same state, step by step or at once.
        let mut incremental = Petition::default();
        for event in &history {
            incremental.apply(event.clone());
        }
        prop_assert_eq!(incremental, replay(&history));
    }
}
