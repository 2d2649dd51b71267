//! The Signature aggregate: one per (petition, signer), so "one signature per citizen" is the
//! event store's primary key and a viral petition is many small streams, not one hot one.

mod command;
mod decide;
mod error;
mod state;
#[cfg(test)]
mod tests;

use tyndau_events::{SignatureEvent, aggregate_types};

pub use command::{SignatureCommand, SigningTerms};
pub use error::SignatureError;
pub use state::{Signature, SignatureStatus};

use crate::policy::PetitionPolicy;

/// The signing rules' data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureServices {
    /// Minimum age in whole years on the Kazakhstan date of signing.
    pub min_age: i32,
}

impl Default for SignatureServices {
    fn default() -> Self {
        Self::from_policy(&PetitionPolicy::default())
    }
}

impl SignatureServices {
    pub fn from_policy(policy: &PetitionPolicy) -> Self {
        Self {
            min_age: policy.min_signer_age,
        }
    }
}

impl Signature {
    /// The rules without the framework: for the store's bulk invalidation, which decides many
    /// signatures inside one transaction.
    pub fn decide_now(
        &self,
        command: SignatureCommand,
        services: &SignatureServices,
    ) -> Result<Vec<SignatureEvent>, SignatureError> {
        self.decide(command, services)
    }
}

aggregate_by_decide!(
    Signature,
    aggregate_types::SIGNATURE,
    SignatureCommand,
    SignatureEvent,
    SignatureError,
    SignatureServices
);
