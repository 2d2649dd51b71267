//! The public report of signatures a moderator removed from a petition: how many, why, when,
//! by which rule (the network withheld). Read from the petition's public timeline.

use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_ids::PetitionId;
use utoipa::ToSchema;

use crate::ReadError;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RemovedSignatures {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    /// All signatures removed so far.
    pub total: i64,
    pub invalidations: Vec<InvalidationEntry>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InvalidationEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub count: i64,
    /// `automated`, `stolen_identities`, `bought`, `identity_provider_incident`.
    pub reason: String,
    pub explanation: String,
    /// The time window, and whether a client network was part of the rule.
    #[schema(value_type = Object)]
    pub rule: Value,
}

pub(crate) async fn removed_signatures(
    pool: &PgPool,
    id: PetitionId,
) -> Result<Option<RemovedSignatures>, ReadError> {
    let Some(timeline) = crate::petitions::timeline(pool, id).await? else {
        return Ok(None);
    };
    let invalidations: Vec<InvalidationEntry> = timeline
        .entries
        .into_iter()
        .filter(|e| e.event_type == "SignaturesInvalidated")
        .map(|e| InvalidationEntry {
            at: e.occurred_at,
            count: e.details.get("count").and_then(Value::as_i64).unwrap_or(0),
            reason: e
                .details
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            explanation: e
                .details
                .get("explanation")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            rule: e.details.get("rule").cloned().unwrap_or(Value::Null),
        })
        .collect();
    Ok(Some(RemovedSignatures {
        petition_id: id,
        total: invalidations.iter().map(|i| i.count).sum(),
        invalidations,
    }))
}

/// The standing signatures of `petition` a bulk invalidation rule matches (signed in
/// `[from, until)`, from `network`), as signer pseudonyms, read inside the caller's
/// transaction. The tally projection is the one place that keeps each signature's network.
pub async fn invalidation_candidates(
    tx: &mut sqlx::PgConnection,
    petition: tyndau_ids::PetitionId,
    from: Option<time::OffsetDateTime>,
    until: Option<time::OffsetDateTime>,
    network: Option<&str>,
) -> Result<Vec<tyndau_ids::SignerKey>, sqlx::Error> {
    let signers: Vec<String> = sqlx::query_scalar(
        "SELECT signer FROM signature_tally
          WHERE petition_id = $1 AND recorded AND withdrawn_at IS NULL
            AND ($2::timestamptz IS NULL OR signed_at >= $2)
            AND ($3::timestamptz IS NULL OR signed_at < $3)
            AND ($4::text IS NULL OR origin = $4)",
    )
    .bind(petition.as_uuid())
    .bind(from)
    .bind(until)
    .bind(network)
    .fetch_all(&mut *tx)
    .await?;
    signers
        .iter()
        .map(|signer| signer.parse().map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .collect()
}
