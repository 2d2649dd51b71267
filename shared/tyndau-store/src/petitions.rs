//! Petitions on cqrs-es + postgres-es.

use std::sync::Arc;

use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{AggregateError, CqrsFramework, EventStore};
use postgres_es::PostgresEventRepository;
use sqlx::PgPool;
use tyndau_domain::{Petition, PetitionError, PetitionServices};
use tyndau_ids::PetitionId;

pub type PetitionEventStore = PersistedEventStore<PostgresEventRepository, Petition>;
pub type PetitionCqrs = CqrsFramework<Petition, PetitionEventStore>;

fn event_store(pool: PgPool) -> PetitionEventStore {
    // Event-store mode: every load replays the (short) lifecycle; no snapshots.
    PersistedEventStore::new_event_store(PostgresEventRepository::new(pool))
}

/// The framework that executes petition commands. No queries are attached: read models are fed
/// by the relay from the committed log, never from the command path.
pub fn petition_cqrs(pool: PgPool, services: PetitionServices) -> Arc<PetitionCqrs> {
    Arc::new(CqrsFramework::new(event_store(pool), Vec::new(), services))
}

/// Loads a petition's current state, for checks that must precede a command (the gate).
#[derive(Clone)]
pub struct PetitionRepository {
    store: Arc<PetitionEventStore>,
}

impl PetitionRepository {
    pub fn new(pool: PgPool) -> Self {
        Self {
            store: Arc::new(event_store(pool)),
        }
    }

    pub async fn load(&self, id: PetitionId) -> Result<Petition, AggregateError<PetitionError>> {
        let context = self.store.load_aggregate(&id.to_string()).await?;
        Ok(context.aggregate)
    }
}
