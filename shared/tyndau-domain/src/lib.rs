//! The Tyndau domain: the Petition, Signature, Consultation, Comment and Reaction aggregates and the Kazakhstan rules they apply.
//!
//! Everything here is pure and deterministic: no IO, no clock, no randomness. Every instant
//! arrives inside a command (`at`), and the rules that vary by law or by year (thresholds,
//! periods, holidays, state bodies, populations) are data in [`PetitionServices`], so the same
//! events always replay to the same state and a test states its own world.

/// `impl Aggregate` for a state whose rules are a pure `decide(&self, command, services)`:
/// `handle` writes what `decide` returns, `apply` is the state's `evolve`. One place, so every
/// aggregate keeps "rules in handle, none in apply" the same way.
macro_rules! aggregate_by_decide {
    ($state:ty, $type:expr, $command:ty, $event:ty, $error:ty, $services:ty) => {
        impl cqrs_es::Aggregate for $state {
            const TYPE: &'static str = $type;
            type Command = $command;
            type Event = $event;
            type Error = $error;
            type Services = $services;

            async fn handle(
                &mut self,
                command: Self::Command,
                services: &Self::Services,
                sink: &cqrs_es::event_sink::EventSink<Self>,
            ) -> Result<(), Self::Error> {
                for event in self.decide(command, services)? {
                    sink.write(event, self).await;
                }
                Ok(())
            }

            fn apply(&mut self, event: Self::Event) {
                self.evolve(event);
            }
        }
    };
}

pub use tyndau_calendar as calendar;
pub mod comment;
pub mod consultation;
pub mod directory;
pub mod petition;
pub mod policy;
pub mod privacy;
mod rejection;
pub mod signature;
#[cfg(test)]
mod test_support;
mod text;

pub use calendar::{CalendarError, KAZAKHSTAN_TIME, WorkingCalendar};
pub use comment::{Comment, CommentCommand, CommentError, Reaction, ReactionCommand};
pub use consultation::{
    Closer, Consultation, ConsultationCommand, ConsultationError, ConsultationLimits, ConsultationPolicy,
    ConsultationServices, ConsultationStatus,
};
pub use directory::{Body, BodyDirectory, BodyNames, DirectoryError};
pub use petition::{Petition, PetitionCommand, PetitionError, PetitionServices, PetitionStatus};
pub use policy::{PetitionPolicy, TextLimits};
pub use privacy::{Privacy, PrivacyCommand, PrivacyError};
pub use rejection::{DomainRejection, RejectionKind};
pub use signature::{
    Signature, SignatureCommand, SignatureError, SignatureServices, SignatureStatus, SigningTerms,
};
pub use text::TextField;
