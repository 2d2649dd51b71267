//! The Petition aggregate: one petition's lifecycle from draft to archive. Signatures live in
//! their own aggregate; this one only hears counts from the process manager.

mod command;
mod decide;
mod error;
#[cfg(test)]
mod properties;
mod state;
#[cfg(test)]
mod tests;

use tyndau_events::{PetitionEvent, aggregate_types};

pub use command::PetitionCommand;
pub use error::PetitionError;
pub use state::{Petition, PetitionStatus};

use crate::calendar::WorkingCalendar;
use crate::directory::BodyDirectory;
use crate::policy::PetitionPolicy;

/// The data the petition rules read: plain values, no lookups, so handling stays deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PetitionServices {
    pub policy: PetitionPolicy,
    pub calendar: WorkingCalendar,
    pub bodies: BodyDirectory,
}

impl Petition {
    /// The rules without the framework: for store procedures that write several streams in one
    /// transaction (bulk invalidation).
    pub fn decide_now(
        &self,
        command: PetitionCommand,
        services: &PetitionServices,
    ) -> Result<Vec<PetitionEvent>, PetitionError> {
        self.decide(command, services)
    }
}

aggregate_by_decide!(
    Petition,
    aggregate_types::PETITION,
    PetitionCommand,
    PetitionEvent,
    PetitionError,
    PetitionServices
);
