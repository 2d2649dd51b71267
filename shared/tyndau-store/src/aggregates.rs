//! Any aggregate on cqrs-es + postgres-es, in event-store mode (every load replays; no
//! snapshots: in cqrs-es 0.5.0 they apply events twice). Loads lift older event versions through
//! the same upcasters as every other reader of the log.

use std::sync::Arc;

use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{Aggregate, AggregateError, CqrsFramework, EventStore};
use postgres_es::PostgresEventRepository;
use sqlx::PgPool;
use tyndau_events::Sequence;

pub type Store<A> = PersistedEventStore<PostgresEventRepository, A>;
pub type Cqrs<A> = CqrsFramework<A, Store<A>>;

pub(crate) fn event_store<A: Aggregate>(pool: PgPool) -> Store<A> {
    PersistedEventStore::new_event_store(PostgresEventRepository::new(pool))
        .with_upcasters(vec![Box::new(tyndau_events::upcast::Upcasters)])
}

/// The framework that executes an aggregate's commands. No queries are attached: read models are
/// fed by the relay from the committed log, never from the command path.
pub fn cqrs<A: Aggregate>(pool: PgPool, services: A::Services) -> Arc<Cqrs<A>> {
    Arc::new(CqrsFramework::new(event_store(pool), Vec::new(), services))
}

/// Loads an aggregate's current state, for checks and for commands that read another aggregate.
pub struct Repository<A: Aggregate> {
    store: Arc<Store<A>>,
}

impl<A: Aggregate> Clone for Repository<A> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
        }
    }
}

impl<A: Aggregate> Repository<A> {
    pub fn new(pool: PgPool) -> Self {
        Self {
            store: Arc::new(event_store(pool)),
        }
    }

    pub async fn load(&self, id: &str) -> Result<A, AggregateError<A::Error>> {
        Ok(self.load_with_sequence(id).await?.0)
    }

    /// The state and the sequence of its last event ([`Sequence::ZERO`]: no events).
    pub async fn load_with_sequence(&self, id: &str) -> Result<(A, Sequence), AggregateError<A::Error>> {
        let context = self.store.load_aggregate(id).await?;
        let sequence = Sequence::try_from(context.current_sequence)
            .map_err(|e| AggregateError::UnexpectedError(Box::new(e)))?;
        Ok((context.aggregate, sequence))
    }
}
