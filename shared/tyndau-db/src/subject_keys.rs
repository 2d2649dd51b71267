//! Per-subject keys for personal data inside events (crypto-shredding). One key per signature
//! (petition, signer): erasing a citizen deletes their keys on every petition; the retention
//! policy deletes a petition's keys. The keys live apart from `events`, which are never edited.

use std::collections::HashMap;

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

/// The key of (petition, signer), inserting `fresh` if there is none yet.
pub async fn key_for(
    pool: &PgPool,
    petition: Uuid,
    signer: &str,
    fresh: &[u8],
) -> Result<Vec<u8>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO subject_keys (petition_id, signer, key) VALUES ($1, $2, $3)
         ON CONFLICT (petition_id, signer) DO NOTHING",
    )
    .bind(petition)
    .bind(signer)
    .bind(fresh)
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT key FROM subject_keys WHERE petition_id = $1 AND signer = $2")
        .bind(petition)
        .bind(signer)
        .fetch_one(pool)
        .await
}

/// The keys that still exist among `subjects`.
pub async fn keys_of(
    executor: impl PgExecutor<'_>,
    subjects: &[(Uuid, String)],
) -> Result<HashMap<(Uuid, String), Vec<u8>>, sqlx::Error> {
    let petitions: Vec<Uuid> = subjects.iter().map(|(p, _)| *p).collect();
    let signers: Vec<&str> = subjects.iter().map(|(_, s)| s.as_str()).collect();
    let rows: Vec<(Uuid, String, Vec<u8>)> = sqlx::query_as(
        "SELECT k.petition_id, k.signer, k.key FROM subject_keys k
           JOIN UNNEST($1::uuid[], $2::text[]) AS w(petition_id, signer)
             ON k.petition_id = w.petition_id AND k.signer = w.signer",
    )
    .bind(&petitions)
    .bind(&signers)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|(p, s, k)| ((p, s), k)).collect())
}

/// Erasure: every key of one citizen, their own (the nil petition: their email address) with
/// the rest. Returns how many signature keys (names shown on signatures) were deleted.
pub async fn delete_for_signer(pool: &PgPool, signer: &str) -> Result<u64, sqlx::Error> {
    let names: i64 = sqlx::query_scalar(
        "WITH gone AS (DELETE FROM subject_keys WHERE signer = $1 RETURNING petition_id)
         SELECT count(*) FROM gone WHERE petition_id <> $2",
    )
    .bind(signer)
    .bind(Uuid::nil())
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(names).unwrap_or(0))
}

/// Retention: every key of one petition's signers.
pub async fn delete_for_petition(pool: &PgPool, petition: Uuid) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM subject_keys WHERE petition_id = $1")
        .bind(petition)
        .execute(pool)
        .await?
        .rows_affected())
}
