//! The Consultation aggregate: one draft act opened for public comment, its versions, and its
//! outcome report. Comments are their own aggregates; they read this one's state as data.

mod command;
mod decide;
mod error;
mod policy;
#[cfg(test)]
mod properties;
mod state;
#[cfg(test)]
mod tests;

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

aggregate_by_decide!(
    Consultation,
    aggregate_types::CONSULTATION,
    ConsultationCommand,
    ConsultationEvent,
    ConsultationError,
    ConsultationServices
);
