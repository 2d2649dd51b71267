//! Bulk invalidation of signatures: a moderator removes every standing signature matching a rule
//! (time window, client network), with a published reason, in one transaction.
//!
//! Candidates come from the tally projection (which carries each signature's network); the
//! decision is the domain's, per signature, on its own events read inside the transaction. Under
//! the petition's gate lock no signature can be added or withdrawn meanwhile, so the signature
//! events, the gate's count and the petition's public record (`SignaturesInvalidated`) agree.
//! Signatures newer than the projection are not candidates; running the rule again catches them.

use std::collections::HashMap;

use cqrs_es::{AggregateError, DomainEvent};
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_db::eventlog::{self, NewEvent, OnConflict};
use tyndau_domain::{
    Petition, PetitionCommand, PetitionError, PetitionServices, Signature, SignatureCommand,
    SignatureServices,
};
use tyndau_events::aggregate_types::{PETITION, SIGNATURE};
use tyndau_events::petition::InvalidationRule;
use tyndau_events::signature::InvalidationReason;
use tyndau_events::{PetitionEvent, SignatureEvent};
use tyndau_ids::{InvalidationId, PetitionId};

use crate::aggregates::Repository;

pub struct Invalidation {
    pub petition_id: PetitionId,
    pub invalidation: InvalidationId,
    pub reason: InvalidationReason,
    pub explanation: String,
    pub rule: InvalidationRule,
    pub at: OffsetDateTime,
    /// The events' metadata (actor, origin, correlation).
    pub metadata: HashMap<String, String>,
}

type Failure = AggregateError<PetitionError>;

fn database(error: sqlx::Error) -> Failure {
    AggregateError::DatabaseConnectionError(Box::new(error))
}

fn unexpected(error: impl std::error::Error + Send + Sync + 'static) -> Failure {
    AggregateError::UnexpectedError(Box::new(error))
}

/// Removes the matching signatures; returns how many. Refused (typed) when the petition is not
/// published, is archived, or nothing matches.
pub async fn invalidate(
    pool: &PgPool,
    services: &PetitionServices,
    request: Invalidation,
) -> Result<u32, Failure> {
    let petitions = Repository::<Petition>::new(pool.clone());
    let (petition, petition_sequence) = petitions
        .load_with_sequence(&request.petition_id.to_string())
        .await?;
    let mut tx = pool.begin().await.map_err(database)?;
    // Serialises with signature batches and with closing.
    sqlx::query("SELECT 1 FROM signature_gate WHERE petition_id = $1 FOR UPDATE")
        .bind(request.petition_id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(database)?;
    let signers = tyndau_read_model::invalidation_candidates(
        &mut tx,
        request.petition_id,
        request.rule.signed_from,
        request.rule.signed_until,
        request.rule.network.as_deref(),
    )
    .await
    .map_err(database)?;
    let ids: Vec<String> = signers
        .iter()
        .map(|s| format!("{}:{s}", request.petition_id))
        .collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let stored = eventlog::load_streams(&mut *tx, SIGNATURE, &id_refs)
        .await
        .map_err(database)?;
    let mut states: HashMap<String, (Signature, i64)> = HashMap::new();
    for event in stored {
        let decoded: SignatureEvent = event.decode().map_err(unexpected)?;
        let entry = states.entry(event.aggregate_id).or_default();
        cqrs_es::Aggregate::apply(&mut entry.0, decoded);
        entry.1 = event.sequence;
    }
    let signature_services = SignatureServices::from_policy(&services.policy);
    let mut removed = Vec::new();
    for (id, (signature, sequence)) in &states {
        let command = SignatureCommand::Invalidate {
            invalidation: request.invalidation,
            reason: request.reason,
            at: request.at,
        };
        // Withdrawn or already removed since the projection saw it: not this rule's business.
        if let Ok(events) = signature.decide_now(command, &signature_services) {
            for (offset, event) in events.into_iter().enumerate() {
                removed.push((
                    id.clone(),
                    sequence + 1 + i64::try_from(offset).unwrap_or(0),
                    event,
                ));
            }
        }
    }
    let count = u32::try_from(removed.len()).unwrap_or(u32::MAX);
    let record = petition
        .decide_now(
            PetitionCommand::RecordInvalidation {
                invalidation: request.invalidation,
                reason: request.reason,
                explanation: request.explanation,
                rule: request.rule,
                count,
                at: request.at,
            },
            services,
        )
        .map_err(AggregateError::UserError)?;
    let metadata = serde_json::to_string(&request.metadata).map_err(unexpected)?;
    insert_signature_events(&mut tx, &removed, &metadata).await?;
    for (offset, event) in record.into_iter().enumerate() {
        insert_petition_event(
            &mut tx,
            request.petition_id,
            i64::try_from(petition_sequence + 1 + offset).unwrap_or(i64::MAX),
            &event,
            &metadata,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE signature_gate SET signatures = signatures - $2, updated_at = now() WHERE petition_id = $1",
    )
    .bind(request.petition_id.as_uuid())
    .bind(i64::from(count))
    .execute(&mut *tx)
    .await
    .map_err(database)?;
    tx.commit().await.map_err(database)?;
    Ok(count)
}

async fn insert_signature_events(
    tx: &mut sqlx::PgConnection,
    removed: &[(String, i64, SignatureEvent)],
    metadata: &str,
) -> Result<(), Failure> {
    let events = removed
        .iter()
        .map(|(id, sequence, event)| {
            Ok(NewEvent {
                aggregate_id: id.clone(),
                sequence: *sequence,
                event_type: event.event_type(),
                event_version: event.event_version(),
                payload: serde_json::to_string(event)?,
                metadata: metadata.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(unexpected)?;
    eventlog::append(tx, SIGNATURE, &events, OnConflict::Fail)
        .await
        .map_err(conflict_or_database)?;
    Ok(())
}

async fn insert_petition_event(
    tx: &mut sqlx::PgConnection,
    petition_id: PetitionId,
    sequence: i64,
    event: &PetitionEvent,
    metadata: &str,
) -> Result<(), Failure> {
    let row = NewEvent {
        aggregate_id: petition_id.to_string(),
        sequence,
        event_type: event.event_type(),
        event_version: event.event_version(),
        payload: serde_json::to_string(event).map_err(unexpected)?,
        metadata: metadata.to_owned(),
    };
    eventlog::append(tx, PETITION, &[row], OnConflict::Fail)
        .await
        .map_err(conflict_or_database)?;
    Ok(())
}

/// A primary-key clash means another command wrote one of these streams first: retry.
fn conflict_or_database(error: sqlx::Error) -> Failure {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") => {
            AggregateError::AggregateConflict
        }
        _ => database(error),
    }
}
