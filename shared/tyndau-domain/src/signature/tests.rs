//! Given/when/then tests for every signing rule, and a model-based property test.

use std::collections::HashMap;

use cqrs_es::Aggregate;
use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use tyndau_events::SignatureEvent;
use tyndau_events::signature::{
    InvalidationReason, SignatureInvalidated, SignatureRecorded, SignatureWithdrawn,
};
use tyndau_ids::{InvalidationId, PetitionId, Region, SignerKey};

use super::decide::age_on;
use super::*;
use crate::rejection::RejectionKind;

const SIGNER: SignerKey = SignerKey::from_bytes([7; 32]);
const SIGNED_AT: OffsetDateTime = datetime!(2025-05-05 10:00 +5);
const WITHDRAWN_AT: OffsetDateTime = datetime!(2025-05-06 10:00 +5);
const CLOSES_AT: OffsetDateTime = datetime!(2025-10-01 12:00 +5);
const ADULT: Date = date!(1990 - 01 - 15);

fn petition_id() -> PetitionId {
    "01960000-0000-7000-8000-000000000001".parse().expect("valid id")
}

fn terms() -> SigningTerms {
    SigningTerms {
        petition_id: petition_id(),
        open: true,
        closes_at: CLOSES_AT,
        scope: None,
    }
}

fn sign(terms: SigningTerms, birth_date: Date, residence: Region, at: OffsetDateTime) -> SignatureCommand {
    SignatureCommand::Sign {
        terms,
        signer: SIGNER,
        birth_date,
        residence,
        at,
        display_name: None,
    }
}

fn withdraw(terms: SigningTerms, at: OffsetDateTime) -> SignatureCommand {
    SignatureCommand::Withdraw {
        terms,
        signer: SIGNER,
        at,
    }
}

fn recorded(region: Region, at: OffsetDateTime) -> SignatureEvent {
    SignatureRecorded {
        petition_id: petition_id(),
        signer: SIGNER,
        region,
        signed_at: at,
        display_name: None,
    }
    .into()
}

fn withdrawn() -> SignatureEvent {
    SignatureWithdrawn {
        petition_id: petition_id(),
        signer: SIGNER,
        withdrawn_at: WITHDRAWN_AT,
    }
    .into()
}

fn given(events: Vec<SignatureEvent>) -> AggregateTestExecutor<Signature> {
    TestFramework::<Signature>::with(SignatureServices::default()).given(events)
}

// ---- Sign ----

#[test]
fn signing_an_open_petition_records_the_signers_region() {
    given(vec![])
        .when(sign(terms(), ADULT, Region::Pavlodar, SIGNED_AT))
        .then_expect_events(vec![recorded(Region::Pavlodar, SIGNED_AT)]);
}

#[test]
fn signing_twice_is_refused() {
    given(vec![recorded(Region::Pavlodar, SIGNED_AT)])
        .when(sign(terms(), ADULT, Region::Pavlodar, WITHDRAWN_AT))
        .then_expect_error(SignatureError::AlreadySigned);
}

#[test]
fn signing_again_after_withdrawing_is_refused() {
    given(vec![recorded(Region::Pavlodar, SIGNED_AT), withdrawn()])
        .when(sign(
            terms(),
            ADULT,
            Region::Pavlodar,
            datetime!(2025-05-07 10:00 +5),
        ))
        .then_expect_error(SignatureError::WithdrawnEarlier);
}

#[test]
fn signing_a_petition_that_is_not_open_is_refused() {
    given(vec![])
        .when(sign(
            SigningTerms {
                open: false,
                ..terms()
            },
            ADULT,
            Region::Pavlodar,
            SIGNED_AT,
        ))
        .then_expect_error(SignatureError::PetitionClosed);
}

#[test]
fn signing_at_the_end_of_the_collection_period_is_refused_before_close_runs() {
    given(vec![])
        .when(sign(terms(), ADULT, Region::Pavlodar, CLOSES_AT))
        .then_expect_error(SignatureError::PetitionClosed);
}

#[test]
fn signing_the_day_before_the_eighteenth_birthday_is_refused() {
    given(vec![])
        .when(sign(terms(), date!(2007 - 05 - 06), Region::Pavlodar, SIGNED_AT))
        .then_expect_error(SignatureError::TooYoung { min_age: 18 });
}

#[test]
fn signing_on_the_eighteenth_birthday_in_kazakhstan_time_is_accepted() {
    // 19:30 UTC on 4 May is already 5 May in Kazakhstan: the signer turned 18 that day.
    let at = datetime!(2025-05-04 19:30 UTC);
    given(vec![])
        .when(sign(terms(), date!(2007 - 05 - 05), Region::Pavlodar, at))
        .then_expect_events(vec![recorded(Region::Pavlodar, at)]);
}

#[test]
fn a_leap_day_birthday_comes_of_age_on_the_first_of_march() {
    assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 02 - 28)), 17);
    assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 03 - 01)), 18);
    assert_eq!(age_on(date!(2008 - 02 - 29), date!(2028 - 02 - 29)), 20);
}

#[test]
fn a_local_petition_refuses_signers_from_another_region() {
    given(vec![])
        .when(sign(
            SigningTerms {
                scope: Some(Region::Shymkent),
                ..terms()
            },
            ADULT,
            Region::Turkestan,
            SIGNED_AT,
        ))
        .then_expect_error(SignatureError::NotResident);
}

#[test]
fn a_local_petition_accepts_its_residents() {
    given(vec![])
        .when(sign(
            SigningTerms {
                scope: Some(Region::Shymkent),
                ..terms()
            },
            ADULT,
            Region::Shymkent,
            SIGNED_AT,
        ))
        .then_expect_events(vec![recorded(Region::Shymkent, SIGNED_AT)]);
}

// ---- Withdraw ----

#[test]
fn withdrawing_a_signature_while_the_petition_is_open() {
    given(vec![recorded(Region::Pavlodar, SIGNED_AT)])
        .when(withdraw(terms(), WITHDRAWN_AT))
        .then_expect_events(vec![withdrawn()]);
}

#[test]
fn withdrawing_without_having_signed_is_refused() {
    given(vec![])
        .when(withdraw(terms(), WITHDRAWN_AT))
        .then_expect_error(SignatureError::NotSigned);
}

#[test]
fn withdrawing_twice_is_refused() {
    given(vec![recorded(Region::Pavlodar, SIGNED_AT), withdrawn()])
        .when(withdraw(terms(), datetime!(2025-05-07 10:00 +5)))
        .then_expect_error(SignatureError::AlreadyWithdrawn);
}

#[test]
fn withdrawing_after_the_petition_closed_is_refused() {
    given(vec![recorded(Region::Pavlodar, SIGNED_AT)])
        .when(withdraw(
            SigningTerms {
                open: false,
                ..terms()
            },
            WITHDRAWN_AT,
        ))
        .then_expect_error(SignatureError::PetitionClosed);
    given(vec![recorded(Region::Pavlodar, SIGNED_AT)])
        .when(withdraw(terms(), CLOSES_AT))
        .then_expect_error(SignatureError::PetitionClosed);
}

// ---- State and codes ----

#[test]
fn the_status_follows_the_events() {
    let mut signature = Signature::default();
    assert_eq!(signature.status(), SignatureStatus::Unsigned);
    signature.apply(recorded(Region::Abai, SIGNED_AT));
    assert_eq!(signature.status(), SignatureStatus::Signed);
    assert_eq!(
        (signature.petition_id(), signature.signer(), signature.region()),
        (Some(petition_id()), Some(SIGNER), Some(Region::Abai))
    );
    signature.apply(withdrawn());
    assert_eq!(signature.status(), SignatureStatus::Withdrawn);
    assert_eq!(
        (signature.signed_at(), signature.withdrawn_at()),
        (Some(SIGNED_AT), Some(WITHDRAWN_AT))
    );
    assert_eq!(<Signature as Aggregate>::TYPE, "signature");
}

#[test]
fn every_signature_rejection_has_a_stable_code_and_kind() {
    use SignatureError as E;
    let expected = [
        (E::PetitionClosed, "petition_closed", RejectionKind::Gone),
        (E::TooYoung { min_age: 18 }, "too_young", RejectionKind::Forbidden),
        (E::NotResident, "not_resident", RejectionKind::Forbidden),
        (E::AlreadySigned, "already_signed", RejectionKind::Conflict),
        (E::WithdrawnEarlier, "withdrawn_earlier", RejectionKind::Conflict),
        (E::NotSigned, "not_signed", RejectionKind::NotFound),
        (E::AlreadyWithdrawn, "already_withdrawn", RejectionKind::Conflict),
        (E::Invalidated, "signature_invalidated", RejectionKind::Gone),
        (
            E::AlreadyInvalidated,
            "already_invalidated",
            RejectionKind::Conflict,
        ),
    ];
    for (error, code, kind) in expected {
        assert_eq!((error.code(), error.kind()), (code, kind), "{error:?}");
    }
}

fn invalidation_id() -> InvalidationId {
    "0196a000-0000-7000-8000-000000000ee1".parse().expect("a uuid")
}

#[test]
fn a_moderator_invalidates_a_standing_signature_even_after_closing() {
    given(vec![recorded(Region::Astana, SIGNED_AT)])
        .when(SignatureCommand::Invalidate {
            invalidation: invalidation_id(),
            reason: InvalidationReason::Bought,
            at: SIGNED_AT,
        })
        .then_expect_events(vec![
            SignatureInvalidated {
                petition_id: petition_id(),
                signer: SIGNER,
                invalidation: invalidation_id(),
                reason: InvalidationReason::Bought,
                invalidated_at: SIGNED_AT,
            }
            .into(),
        ]);
}

#[test]
fn an_invalidated_signature_cannot_be_given_again_withdrawn_or_invalidated_twice() {
    let invalidated: SignatureEvent = SignatureInvalidated {
        petition_id: petition_id(),
        signer: SIGNER,
        invalidation: invalidation_id(),
        reason: InvalidationReason::Automated,
        invalidated_at: SIGNED_AT,
    }
    .into();
    let signer = SIGNER;
    given(vec![recorded(Region::Astana, SIGNED_AT), invalidated.clone()])
        .when(SignatureCommand::Sign {
            terms: terms(),
            signer,
            birth_date: ADULT,
            residence: Region::Astana,
            at: SIGNED_AT,
            display_name: None,
        })
        .then_expect_error(SignatureError::Invalidated);
    given(vec![recorded(Region::Astana, SIGNED_AT), invalidated.clone()])
        .when(SignatureCommand::Withdraw {
            terms: terms(),
            signer,
            at: SIGNED_AT,
        })
        .then_expect_error(SignatureError::Invalidated);
    given(vec![recorded(Region::Astana, SIGNED_AT), invalidated])
        .when(SignatureCommand::Invalidate {
            invalidation: invalidation_id(),
            reason: InvalidationReason::Automated,
            at: SIGNED_AT,
        })
        .then_expect_error(SignatureError::AlreadyInvalidated);
    given(vec![])
        .when(SignatureCommand::Invalidate {
            invalidation: invalidation_id(),
            reason: InvalidationReason::Automated,
            at: SIGNED_AT,
        })
        .then_expect_error(SignatureError::NotSigned);
}

// ---- Model-based property ----

#[derive(Clone, Copy, Debug)]
enum Op {
    Sign,
    Withdraw,
    Invalidate,
}

/// What the model expects for one command: the accepted event's shape, or the rejection code.
fn model_step(
    model: &mut HashMap<u8, SignatureStatus>,
    signer: u8,
    op: Op,
    open: bool,
) -> Result<Op, &'static str> {
    let status = model.get(&signer).copied().unwrap_or_default();
    let outcome = match (op, status) {
        (Op::Sign, SignatureStatus::Signed) => Err("already_signed"),
        (Op::Sign, SignatureStatus::Withdrawn) => Err("withdrawn_earlier"),
        (Op::Sign | Op::Withdraw, SignatureStatus::Invalidated) => Err("signature_invalidated"),
        (Op::Withdraw | Op::Invalidate, SignatureStatus::Unsigned) => Err("not_signed"),
        (Op::Withdraw | Op::Invalidate, SignatureStatus::Withdrawn) => Err("already_withdrawn"),
        (Op::Invalidate, SignatureStatus::Invalidated) => Err("already_invalidated"),
        // A moderator's invalidation is not bound to the collection period.
        (Op::Invalidate, SignatureStatus::Signed) => Ok(SignatureStatus::Invalidated),
        _ if !open => Err("petition_closed"),
        (Op::Sign, SignatureStatus::Unsigned) => Ok(SignatureStatus::Signed),
        (Op::Withdraw, SignatureStatus::Signed) => Ok(SignatureStatus::Withdrawn),
    };
    outcome.map(|next| {
        model.insert(signer, next);
        op
    })
}

proptest! {
    #[test]
    fn random_sign_and_withdraw_sequences_match_a_simple_model(
        steps in prop::collection::vec((0u8..4, 0u8..5, prop::bool::weighted(0.85)), 1..40)
    ) {
        let mut model: HashMap<u8, SignatureStatus> = HashMap::new();
        let mut streams: HashMap<u8, Vec<SignatureEvent>> = HashMap::new();
        for (minute, (signer_number, which, open)) in steps.into_iter().enumerate() {
            let signer = SignerKey::from_bytes([signer_number; 32]);
            let at = SIGNED_AT + time::Duration::minutes(i64::try_from(minute).expect("small"));
            let terms = SigningTerms { open, ..terms() };
            let (op, command) = match which {
                0 | 1 => (Op::Sign, SignatureCommand::Sign { terms, signer, birth_date: ADULT, residence: Region::Astana, at, display_name: None }),
                2 | 3 => (Op::Withdraw, SignatureCommand::Withdraw { terms, signer, at }),
                _ => (Op::Invalidate, SignatureCommand::Invalidate { invalidation: invalidation_id(), reason: InvalidationReason::Automated, at }),
            };
            let history = streams.entry(signer_number).or_default();
            let result = given(history.clone()).when(command).inspect_result();
            match (model_step(&mut model, signer_number, op, open), result) {
                (Ok(Op::Sign), Ok(events)) => {
                    let expected: SignatureEvent = SignatureRecorded {
                        petition_id: petition_id(), signer, region: Region::Astana, signed_at: at, display_name: None }.into();
                    prop_assert_eq!(&events, &vec![expected]);
                    history.extend(events);
                }
                (Ok(Op::Withdraw), Ok(events)) => {
                    let expected: SignatureEvent =
                        SignatureWithdrawn { petition_id: petition_id(), signer, withdrawn_at: at }.into();
                    prop_assert_eq!(&events, &vec![expected]);
                    history.extend(events);
                }
                (Ok(Op::Invalidate), Ok(events)) => {
                    let expected: SignatureEvent = SignatureInvalidated {
                        petition_id: petition_id(), signer, invalidation: invalidation_id(),
                        reason: InvalidationReason::Automated, invalidated_at: at,
                    }.into();
                    prop_assert_eq!(&events, &vec![expected]);
                    history.extend(events);
                }
                (Err(code), Err(error)) => prop_assert_eq!(code, error.code()),
                (expected, actual) => prop_assert!(false, "model said {:?}, aggregate said {:?}", expected, actual),
            }
        }
        for (signer_number, history) in streams {
            let mut signature = Signature::default();
            for event in history {
                signature.apply(event);
            }
            prop_assert_eq!(signature.status(), model.get(&signer_number).copied().unwrap_or_default());
        }
    }
}
