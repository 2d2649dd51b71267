//! Petitions on cqrs-es + postgres-es.

use std::sync::Arc;

use cqrs_es::AggregateError;
use sqlx::PgPool;
use tyndau_domain::{Petition, PetitionError, PetitionServices};
use tyndau_ids::PetitionId;

use crate::aggregates::{Cqrs, Repository, cqrs};

pub type PetitionCqrs = Cqrs<Petition>;

pub fn petition_cqrs(pool: PgPool, services: PetitionServices) -> Arc<PetitionCqrs> {
    cqrs(pool, services)
}

/// Loads a petition's current state, for checks that must precede a command (the gate).
#[derive(Clone)]
pub struct PetitionRepository(Repository<Petition>);

impl PetitionRepository {
    pub fn new(pool: PgPool) -> Self {
        Self(Repository::new(pool))
    }

    pub async fn load(&self, id: PetitionId) -> Result<Petition, AggregateError<PetitionError>> {
        self.0.load(&id.to_string()).await
    }
}
