//! The signing rules: given the state and a command, the events or a rejection. The aggregate's
//! own state is checked first, so a repeated command always gets the same "already" answer.

use time::{Date, OffsetDateTime};
use tyndau_events::SignatureEvent;
use tyndau_events::sealed::SealedText;
use tyndau_events::signature::{
    InvalidationReason, SignatureInvalidated, SignatureRecorded, SignatureWithdrawn,
};
use tyndau_ids::{InvalidationId, Region, SignerKey};

use super::{Signature, SignatureCommand, SignatureError, SignatureServices, SignatureStatus, SigningTerms};
use crate::calendar::kazakhstan_date;

type Decided = Result<Vec<SignatureEvent>, SignatureError>;

impl Signature {
    pub(super) fn decide(&self, command: SignatureCommand, services: &SignatureServices) -> Decided {
        match command {
            SignatureCommand::Sign {
                terms,
                signer,
                birth_date,
                residence,
                display_name,
                at,
            } => self.sign(&terms, signer, birth_date, residence, display_name, at, services),
            SignatureCommand::Withdraw { terms, signer: _, at } => self.withdraw(&terms, at),
            SignatureCommand::Invalidate {
                invalidation,
                reason,
                at,
            } => self.invalidate(invalidation, reason, at),
        }
    }

    fn invalidate(
        &self,
        invalidation: InvalidationId,
        reason: InvalidationReason,
        at: OffsetDateTime,
    ) -> Decided {
        let (petition_id, signer) = match (self.status, self.petition_id, self.signer) {
            (SignatureStatus::Signed, Some(petition_id), Some(signer)) => (petition_id, signer),
            (SignatureStatus::Withdrawn, ..) => return Err(SignatureError::AlreadyWithdrawn),
            (SignatureStatus::Invalidated, ..) => return Err(SignatureError::AlreadyInvalidated),
            _ => return Err(SignatureError::NotSigned),
        };
        Ok(vec![
            SignatureInvalidated {
                petition_id,
                signer,
                invalidation,
                reason,
                invalidated_at: at,
            }
            .into(),
        ])
    }

    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        terms: &SigningTerms,
        signer: SignerKey,
        birth_date: Date,
        residence: Region,
        display_name: Option<SealedText>,
        at: OffsetDateTime,
        services: &SignatureServices,
    ) -> Decided {
        match self.status {
            SignatureStatus::Signed => return Err(SignatureError::AlreadySigned),
            SignatureStatus::Withdrawn => return Err(SignatureError::WithdrawnEarlier),
            SignatureStatus::Invalidated => return Err(SignatureError::Invalidated),
            SignatureStatus::Unsigned => {}
        }
        if !terms.accepts_at(at) {
            return Err(SignatureError::PetitionClosed);
        }
        if age_on(birth_date, kazakhstan_date(at)) < services.min_age {
            return Err(SignatureError::TooYoung {
                min_age: services.min_age,
            });
        }
        if terms.scope.is_some_and(|scope| scope != residence) {
            return Err(SignatureError::NotResident);
        }
        Ok(vec![
            SignatureRecorded {
                petition_id: terms.petition_id,
                signer,
                region: residence,
                signed_at: at,
                display_name,
            }
            .into(),
        ])
    }

    fn withdraw(&self, terms: &SigningTerms, at: OffsetDateTime) -> Decided {
        let (petition_id, signer) = match (self.status, self.petition_id, self.signer) {
            (SignatureStatus::Signed, Some(petition_id), Some(signer)) => (petition_id, signer),
            (SignatureStatus::Withdrawn, ..) => return Err(SignatureError::AlreadyWithdrawn),
            (SignatureStatus::Invalidated, ..) => return Err(SignatureError::Invalidated),
            _ => return Err(SignatureError::NotSigned),
        };
        if !terms.accepts_at(at) {
            return Err(SignatureError::PetitionClosed);
        }
        Ok(vec![
            SignatureWithdrawn {
                petition_id,
                signer,
                withdrawn_at: at,
            }
            .into(),
        ])
    }
}

/// Age in whole years on `day`. Someone born on 29 February comes of age on 1 March in a
/// non-leap year.
pub(super) fn age_on(birth_date: Date, day: Date) -> i32 {
    let had_birthday = (u8::from(day.month()), day.day()) >= (u8::from(birth_date.month()), birth_date.day());
    day.year() - birth_date.year() - i32::from(!had_birthday)
}
