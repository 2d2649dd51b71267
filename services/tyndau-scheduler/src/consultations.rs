//! The consultation process manager: it closes comment periods that have run out, and after a
//! new version it re-anchors every proposal still anchored to an older one. Candidates come from
//! the read model; the aggregates decide, so a stale candidate is only a refused command.

use std::sync::Arc;

use futures::StreamExt;
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_domain::{
    Closer, Comment, CommentCommand, Consultation, ConsultationCommand, ConsultationPolicy,
    ConsultationServices,
};
use tyndau_events::comment::comment_aggregate_id;
use tyndau_ids::{CommentId, ConsultationId};
use tyndau_store::{ConsultationStates, Cqrs, cqrs};
use uuid::Uuid;

use crate::{metadata, outcome};

/// Re-anchoring commands in flight at once, and per tick.
const REANCHOR_CONCURRENCY: usize = 16;
const REANCHOR_BATCH: i64 = 5_000;

#[derive(Clone)]
pub(crate) struct ConsultationProcess {
    pool: PgPool,
    consultations: Arc<Cqrs<Consultation>>,
    states: ConsultationStates,
    comments: Arc<Cqrs<Comment>>,
}

impl ConsultationProcess {
    pub(crate) fn new(pool: PgPool, policy: ConsultationPolicy) -> Self {
        let services = ConsultationServices {
            policy: policy.clone(),
            ..ConsultationServices::default()
        };
        Self {
            consultations: cqrs(pool.clone(), services),
            states: ConsultationStates::new(pool.clone()),
            comments: cqrs(pool.clone(), policy),
            pool,
        }
    }

    /// Closes the consultations whose period has ended; returns how many.
    pub(crate) async fn close_due(&self, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
        let due = tyndau_read_model::due::consultations_due_to_close(&self.pool, now).await?;
        let mut closed = 0;
        for id in due {
            let result = self
                .consultations
                .execute_with_metadata(
                    &id.to_string(),
                    ConsultationCommand::Close {
                        by: Closer::Deadline,
                        at: now,
                    },
                    metadata(now),
                )
                .await;
            closed += outcome(id, "close_consultation", result);
        }
        Ok(closed)
    }

    /// Re-anchors proposals that lag behind their consultation's latest version; returns how many.
    pub(crate) async fn reanchor(&self, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
        let lagging = tyndau_read_model::due::proposals_to_reanchor(&self.pool, REANCHOR_BATCH).await?;
        let done = futures::stream::iter(lagging)
            .map(|(consultation, comment)| self.reanchor_one(consultation, comment, now))
            .buffer_unordered(REANCHOR_CONCURRENCY)
            .fold(0, |sum, n| async move { sum + n })
            .await;
        Ok(done)
    }

    async fn reanchor_one(&self, consultation: Uuid, comment: Uuid, now: OffsetDateTime) -> usize {
        let consultation_id = ConsultationId::from_uuid(consultation);
        let state = match self.states.get(consultation_id).await {
            Ok(state) => state,
            Err(error) => {
                tyndau_telemetry::log_error_chain("loading a consultation to re-anchor failed", &error);
                return 0;
            }
        };
        let result = self
            .comments
            .execute_with_metadata(
                &comment_aggregate_id(consultation_id, CommentId::from_uuid(comment)),
                CommentCommand::Reanchor {
                    consultation: state,
                    at: now,
                },
                metadata(now),
            )
            .await;
        outcome(comment, "reanchor", result)
    }
}
