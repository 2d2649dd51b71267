//! Bulk invalidation of signatures: a moderator removes every standing signature matching a rule
//! (time window, client network), with a published reason, in one transaction.
//!
//! Candidates come from the tally projection (which carries each signature's network); the
//! decision is the domain's, per signature, on its own events read inside the transaction. Under
//! the petition's gate lock no signature can be added or withdrawn meanwhile, so the signature
//! events, the gate's count and the petition's public record (`SignaturesInvalidated`) agree.
//! Signatures newer than the projection are not candidates; running the rule again catches them.

use std::collections::HashMap;

use cqrs_es::AggregateError;
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
use tyndau_events::{EventMetadata, Sequence, SignatureEvent};
use tyndau_ids::{InvalidationId, PetitionId, SignatureId};

use crate::aggregates::Repository;
use crate::{conflict_or_database, gate};

pub struct Invalidation {
    pub petition_id: PetitionId,
    pub invalidation: InvalidationId,
    pub reason: InvalidationReason,
    pub explanation: String,
    pub rule: InvalidationRule,
    pub at: OffsetDateTime,
    /// The events' metadata (actor, origin, correlation).
    pub metadata: EventMetadata,
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
    run(pool, services, request, Mode::Commit).await
}

/// How many signatures [`invalidate`] would remove now, refused the same way; nothing is
/// written (the same transaction, rolled back).
pub async fn preview(
    pool: &PgPool,
    services: &PetitionServices,
    request: Invalidation,
) -> Result<u32, Failure> {
    run(pool, services, request, Mode::Preview).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Commit,
    Preview,
}

async fn run(
    pool: &PgPool,
    services: &PetitionServices,
    request: Invalidation,
    mode: Mode,
) -> Result<u32, Failure> {
    let petitions = Repository::<Petition>::new(pool.clone());
    let (petition, petition_sequence) = petitions
        .load_with_sequence(&request.petition_id.to_string())
        .await?;
    let mut tx = pool.begin().await.map_err(database)?;
    // Serialises with signature batches and with closing.
    gate::lock_terms(&mut tx, &[request.petition_id])
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
        .map(|signer| SignatureId::new(request.petition_id, *signer).to_string())
        .collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let stored = eventlog::load_streams(&mut *tx, SIGNATURE, &id_refs)
        .await
        .map_err(database)?;
    let mut states: HashMap<String, (Signature, Sequence)> = HashMap::new();
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
                let sequence = sequence.nth_after(offset).map_err(unexpected)?;
                removed
                    .push(NewEvent::of(id.clone(), sequence, &event, &request.metadata).map_err(unexpected)?);
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
    if mode == Mode::Preview {
        tx.rollback().await.map_err(database)?;
        return Ok(count);
    }
    let record = record
        .iter()
        .enumerate()
        .map(|(offset, event)| {
            let sequence = petition_sequence.nth_after(offset).map_err(unexpected)?;
            NewEvent::of(
                request.petition_id.to_string(),
                sequence,
                event,
                &request.metadata,
            )
            .map_err(unexpected)
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    eventlog::append(&mut tx, SIGNATURE, &removed, OnConflict::Fail)
        .await
        .map_err(conflict_or_database)?;
    eventlog::append(&mut tx, PETITION, &record, OnConflict::Fail)
        .await
        .map_err(conflict_or_database)?;
    gate::count(
        &mut tx,
        &HashMap::from([(request.petition_id, -i64::from(count))]),
    )
    .await
    .map_err(database)?;
    tx.commit().await.map_err(database)?;
    Ok(count)
}
