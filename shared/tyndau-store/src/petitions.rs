//! Petitions: loaded through postgres-es, committed through the event log together with their
//! signature gate. Publishing opens the gate and closing or stopping shuts it in the same
//! transaction as the event, with terms taken from the typed petition state (the domain's
//! `Petition::signing_terms`), so the gate and the petition never disagree and no rule reads the
//! events' JSON past the upcasters.

use std::collections::HashMap;
use std::sync::Arc;

use cqrs_es::persist::EventStoreAggregateContext;
use cqrs_es::{Aggregate, AggregateError, CqrsFramework, EventEnvelope, EventStore};
use sqlx::PgPool;
use tyndau_db::eventlog::{self, NewEvent, OnConflict};
use tyndau_domain::{Petition, PetitionError, PetitionServices};
use tyndau_events::aggregate_types::PETITION;
use tyndau_events::{EventMetadata, PetitionEvent, Sequence};
use tyndau_ids::PetitionId;

use crate::aggregates::{Repository, Store, event_store};
use crate::gate;

pub type PetitionCqrs = CqrsFramework<Petition, PetitionStore>;

pub fn petition_cqrs(pool: PgPool, services: PetitionServices) -> Arc<PetitionCqrs> {
    Arc::new(CqrsFramework::new(PetitionStore::new(pool), Vec::new(), services))
}

#[derive(Clone)]
pub struct PetitionStore {
    pool: PgPool,
    loads: Arc<Store<Petition>>,
}

impl PetitionStore {
    pub fn new(pool: PgPool) -> Self {
        Self {
            loads: Arc::new(event_store(pool.clone())),
            pool,
        }
    }
}

type StoreResult<T> = Result<T, AggregateError<PetitionError>>;

/// What a commit does to the petition's signature gate.
enum GateChange {
    Open(tyndau_domain::SigningTerms),
    Shut(PetitionId),
}

fn gate_changes(events: &[PetitionEvent], after: &Petition) -> Vec<GateChange> {
    events
        .iter()
        .filter_map(|event| match event {
            PetitionEvent::PetitionPublished(_) => after.signing_terms().map(GateChange::Open),
            PetitionEvent::PetitionClosed(_) | PetitionEvent::PetitionStopped(_) => {
                after.id().map(GateChange::Shut)
            }
            _ => None,
        })
        .collect()
}

impl EventStore<Petition> for PetitionStore {
    type AC = EventStoreAggregateContext<Petition>;

    async fn load_events(&self, aggregate_id: &str) -> StoreResult<Vec<EventEnvelope<Petition>>> {
        self.loads.load_events(aggregate_id).await
    }

    async fn load_aggregate(&self, aggregate_id: &str) -> StoreResult<Self::AC> {
        self.loads.load_aggregate(aggregate_id).await
    }

    async fn commit(
        &self,
        events: Vec<PetitionEvent>,
        context: Self::AC,
        metadata: HashMap<String, String>,
    ) -> StoreResult<Vec<EventEnvelope<Petition>>> {
        let typed_metadata = EventMetadata::from_map(&metadata).map_err(unexpected)?;
        let last = Sequence::try_from(context.current_sequence).map_err(unexpected)?;
        let mut after = context.aggregate;
        let mut rows = Vec::with_capacity(events.len());
        let mut envelopes = Vec::with_capacity(events.len());
        for (offset, event) in events.iter().enumerate() {
            let sequence = last.nth_after(offset).map_err(unexpected)?;
            rows.push(
                NewEvent::of(context.aggregate_id.clone(), sequence, event, &typed_metadata)
                    .map_err(unexpected)?,
            );
            after.apply(event.clone());
            envelopes.push(EventEnvelope {
                aggregate_id: context.aggregate_id.clone(),
                sequence: usize::try_from(sequence).map_err(unexpected)?,
                payload: event.clone(),
                metadata: metadata.clone(),
            });
        }
        let mut tx = self.pool.begin().await.map_err(database)?;
        eventlog::append(&mut tx, PETITION, &rows, OnConflict::Fail)
            .await
            .map_err(crate::conflict_or_database)?;
        for change in gate_changes(&events, &after) {
            match change {
                GateChange::Open(terms) => gate::open(&mut tx, &terms).await,
                GateChange::Shut(petition_id) => gate::shut(&mut tx, petition_id).await,
            }
            .map_err(database)?;
        }
        tx.commit().await.map_err(database)?;
        Ok(envelopes)
    }
}

fn unexpected(error: impl std::error::Error + Send + Sync + 'static) -> AggregateError<PetitionError> {
    AggregateError::UnexpectedError(Box::new(error))
}

fn database(error: sqlx::Error) -> AggregateError<PetitionError> {
    AggregateError::DatabaseConnectionError(Box::new(error))
}

/// Loads a petition's current state, for checks that must precede a command (the gate).
#[derive(Clone)]
pub struct PetitionRepository(Repository<Petition>);

impl PetitionRepository {
    pub fn new(pool: PgPool) -> Self {
        Self(Repository::new(pool))
    }

    pub async fn load(&self, id: PetitionId) -> StoreResult<Petition> {
        self.0.load(&id.to_string()).await
    }
}
