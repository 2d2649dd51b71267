//! What comment commands read about their consultation, and the exact count of unanswered
//! proposals the outcome report needs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use cqrs_es::AggregateError;
use sqlx::PgPool;
use tyndau_domain::{Consultation, ConsultationError};
use tyndau_events::aggregate_types::{COMMENT, CONSULTATION};
use tyndau_events::{CommentEvent, Sequence};
use tyndau_ids::ConsultationId;

use crate::aggregates::Repository;

/// Consultation states for comment commands. A consultation carries its whole draft, so it is
/// cached; every use first asks the store for the stream's last sequence (one primary-key probe)
/// and reloads only when it moved, so a comment is never judged against a stale state.
#[derive(Clone)]
pub struct ConsultationStates {
    pool: PgPool,
    repository: Repository<Consultation>,
    cache: moka::sync::Cache<ConsultationId, (Sequence, Arc<Consultation>)>,
}

impl ConsultationStates {
    pub fn new(pool: PgPool) -> Self {
        Self {
            repository: Repository::new(pool.clone()),
            cache: moka::sync::Cache::builder()
                .max_capacity(1_000)
                .time_to_idle(Duration::from_secs(600))
                .build(),
            pool,
        }
    }

    pub async fn get(
        &self,
        id: ConsultationId,
    ) -> Result<Arc<Consultation>, AggregateError<ConsultationError>> {
        let key = id.to_string();
        let last = tyndau_db::eventlog::last_sequence(&self.pool, CONSULTATION, &key)
            .await
            .map_err(|e| AggregateError::DatabaseConnectionError(Box::new(e)))?;
        if last == Sequence::ZERO {
            return Ok(Arc::new(Consultation::default()));
        }
        if let Some((sequence, state)) = self.cache.get(&id)
            && sequence == last
        {
            return Ok(state);
        }
        let (state, sequence) = self.repository.load_with_sequence(&key).await?;
        let state = Arc::new(state);
        self.cache.insert(id, (sequence, state.clone()));
        Ok(state)
    }
}

/// Proposals of the consultation with neither an answer nor a moderator's hiding, counted in the
/// event store (each comment's events decoded through the upcasters). After closing no proposal
/// can be added and none can lose its answer, so the count only falls and a zero stays zero.
pub async fn unanswered_proposals(pool: &PgPool, id: ConsultationId) -> Result<u32, sqlx::Error> {
    let events = tyndau_db::eventlog::load_streams_with_prefix(
        pool,
        COMMENT,
        &format!("{id}:"),
        &["CommentPosted", "ProposalAnswered", "CommentHidden"],
    )
    .await?;
    let mut proposals: HashMap<&str, bool> = HashMap::new();
    for event in &events {
        match event.decode::<CommentEvent>() {
            Ok(CommentEvent::CommentPosted(posted)) if posted.depth == 0 => {
                proposals.entry(&event.aggregate_id).or_insert(false);
            }
            Ok(CommentEvent::ProposalAnswered(_) | CommentEvent::CommentHidden(_)) => {
                proposals.insert(&event.aggregate_id, true);
            }
            Ok(_) => {}
            Err(error) => return Err(sqlx::Error::Decode(Box::new(error))),
        }
    }
    let open = proposals.values().filter(|settled| !**settled).count();
    Ok(u32::try_from(open).unwrap_or(u32::MAX))
}
