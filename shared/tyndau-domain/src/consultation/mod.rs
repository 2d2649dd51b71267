//! The Consultation aggregate: one draft act opened for public comment, its versions, and its
//! outcome report. Comments are their own aggregates; they read this one's state as data.

mod command;
mod decide;
mod error;
mod policy;
mod state;
#[cfg(test)]
mod tests;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use tyndau_events::{ConsultationEvent, aggregate_types};

pub use command::{Closer, ConsultationCommand};
pub use error::ConsultationError;
pub use policy::{ConsultationLimits, ConsultationPolicy};
pub use state::{Consultation, ConsultationStatus};

use crate::calendar::WorkingCalendar;
use crate::directory::BodyDirectory;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsultationServices {
    pub policy: ConsultationPolicy,
    pub calendar: WorkingCalendar,
    pub bodies: BodyDirectory,
}

impl Aggregate for Consultation {
    const TYPE: &'static str = aggregate_types::CONSULTATION;
    type Command = ConsultationCommand;
    type Event = ConsultationEvent;
    type Error = ConsultationError;
    type Services = ConsultationServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
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
