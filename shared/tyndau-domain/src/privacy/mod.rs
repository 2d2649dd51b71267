//! The Privacy aggregate: one per citizen (by pseudonym), recording erasure requests. The keys
//! are deleted by the store first; the event tells every read model to drop what it showed.

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::privacy::PersonalDataErased;
use tyndau_events::{PrivacyEvent, aggregate_types};
use tyndau_ids::SignerKey;

use crate::rejection::{DomainRejection, RejectionKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrivacyCommand {
    /// The citizen asked for erasure; `keys_deleted` subject keys are already gone.
    RecordErasure {
        citizen: SignerKey,
        keys_deleted: u32,
        at: OffsetDateTime,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrivacyError {
    /// Erasure is always possible and idempotent; this type exists for the framework.
    #[error("unreachable")]
    Never,
}

impl DomainRejection for PrivacyError {
    fn code(&self) -> &'static str {
        "never"
    }

    fn kind(&self) -> RejectionKind {
        RejectionKind::Conflict
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    erasures: u32,
}

impl Privacy {
    pub fn erasures(&self) -> u32 {
        self.erasures
    }
}

impl Aggregate for Privacy {
    const TYPE: &'static str = aggregate_types::PRIVACY;
    type Command = PrivacyCommand;
    type Event = PrivacyEvent;
    type Error = PrivacyError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // Every request is recorded, even a repeated one: the citizen's history of requests is
        // part of the accountability record.
        let PrivacyCommand::RecordErasure {
            citizen,
            keys_deleted,
            at,
        } = command;
        sink.write(
            PersonalDataErased {
                citizen,
                keys_deleted,
                erased_at: at,
            }
            .into(),
            self,
        )
        .await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            PrivacyEvent::PersonalDataErased(_) => self.erasures += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;
    use time::macros::datetime;

    use super::*;

    #[test]
    fn every_erasure_request_is_recorded() {
        let citizen = SignerKey::from_bytes([3; 32]);
        let at = datetime!(2026-01-10 10:00 +5);
        let erased = |n| -> PrivacyEvent {
            PersonalDataErased {
                citizen,
                keys_deleted: n,
                erased_at: at,
            }
            .into()
        };
        TestFramework::<Privacy>::with(())
            .given(vec![erased(4)])
            .when(PrivacyCommand::RecordErasure {
                citizen,
                keys_deleted: 0,
                at,
            })
            .then_expect_events(vec![erased(0)]);
    }
}
