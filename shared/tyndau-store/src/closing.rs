//! Ending a petition's collection with an exact count (closing at the deadline, stopping).
//!
//! The gate row is locked first, which waits for in-flight signature batches and blocks new
//! ones; the count read under that lock is final. The command is first tried on a copy of the
//! petition, so the gate is only shut when the petition will really end; then the gate is shut
//! and the command executed with that count. If execution fails after the gate is shut, a retry
//! finds the same count: the gate never reopens.

use std::collections::HashMap;

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, AggregateError};
use tyndau_domain::{Petition, PetitionCommand, PetitionError, PetitionServices};
use tyndau_ids::PetitionId;

use crate::gate::SignatureGate;
use crate::petitions::{PetitionCqrs, PetitionRepository};

pub async fn execute_with_final_count(
    petitions: &PetitionCqrs,
    repository: &PetitionRepository,
    gate: &SignatureGate,
    services: &PetitionServices,
    petition_id: PetitionId,
    command: impl Fn(u32) -> PetitionCommand,
    metadata: HashMap<String, String>,
) -> Result<u32, AggregateError<PetitionError>> {
    let lock = gate.lock(petition_id).await.map_err(database)?;
    let final_count = lock.as_ref().map_or(0, |lock| lock.signatures);
    let petition = repository.load(petition_id).await?;
    probe(petition, command(final_count), services)
        .await
        .map_err(AggregateError::UserError)?;
    if let Some(lock) = lock {
        lock.close().await.map_err(database)?;
    }
    let executed = petitions
        .execute_with_metadata(&petition_id.to_string(), command(final_count), metadata)
        .await;
    if let Err(error) = executed {
        // The gate is shut but the petition did not end: reopen it if the petition is still open,
        // or signers would be refused by a petition that shows as open.
        reopen_if_still_open(repository, gate, petition_id).await;
        return Err(error);
    }
    Ok(final_count)
}

/// Reopens the gate under its lock when the petition's events still say it is open. Any close
/// that commits concurrently needs the same row lock (its trigger updates the row), so it cannot
/// slip between the check and the reopening.
async fn reopen_if_still_open(
    repository: &PetitionRepository,
    gate: &SignatureGate,
    petition_id: PetitionId,
) {
    let reopened = async {
        let Some(lock) = gate.lock(petition_id).await? else {
            return Ok::<bool, Box<dyn std::error::Error + Send + Sync>>(false);
        };
        let petition = repository.load(petition_id).await.map_err(|e| e.to_string())?;
        if petition.is_open() {
            lock.reopen().await?;
            Ok(true)
        } else {
            Ok(false)
        }
    };
    match reopened.await {
        Ok(reopened) => {
            tracing::warn!(%petition_id, reopened, "closing command failed after the gate was shut")
        }
        Err(e) => {
            tracing::error!(%petition_id, error = %e, "closing failed and the gate could not be checked")
        }
    }
}

/// Runs the command's rules on a copy of the petition: no event is stored.
pub async fn probe(
    mut petition: Petition,
    command: PetitionCommand,
    services: &PetitionServices,
) -> Result<(), PetitionError> {
    let sink = EventSink::default();
    petition.handle(command, services, &sink).await
}

fn database(error: sqlx::Error) -> AggregateError<PetitionError> {
    AggregateError::DatabaseConnectionError(Box::new(error))
}
