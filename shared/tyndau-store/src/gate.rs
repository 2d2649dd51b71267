//! The signature gate: the write-side row per published petition that signature batches lock.
//!
//! It holds the petition's [`SigningTerms`] and the exact count of standing signatures. The
//! petition store opens it in the transaction that publishes the petition and shuts it in the one
//! that closes or stops it ([`crate::petitions`]); whether a signature is accepted is the domain's
//! `SigningTerms::accepts_at`, evaluated on the locked row. Closing goes through [`GateLock`]:
//! lock the row, which waits for in-flight signature batches and blocks new ones; read the exact
//! count; decide; close. After the lock is released no signature for that petition can commit,
//! so the count carried by the closing event is final.

use std::collections::HashMap;

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};
use time::OffsetDateTime;
use tyndau_domain::SigningTerms;
use tyndau_ids::{PetitionId, Region};
use uuid::Uuid;

fn terms_of(row: &PgRow) -> Result<SigningTerms, sqlx::Error> {
    let scope: Option<String> = row.try_get("scope_region")?;
    Ok(SigningTerms {
        petition_id: PetitionId::from_uuid(row.try_get("petition_id")?),
        open: row.try_get("open")?,
        closes_at: row.try_get::<OffsetDateTime, _>("closes_at")?,
        scope: scope.and_then(|code| code.parse::<Region>().ok()),
    })
}

/// Locks the gates of `petitions` (sorted, so concurrent batches cannot deadlock) until the
/// transaction ends, and returns their terms. A petition never published has no gate.
pub(crate) async fn lock_terms(
    tx: &mut PgConnection,
    petitions: &[PetitionId],
) -> Result<Vec<SigningTerms>, sqlx::Error> {
    let ids: Vec<Uuid> = petitions.iter().map(|id| *id.as_uuid()).collect();
    sqlx::query(
        "SELECT petition_id, open, closes_at, scope_region FROM signature_gate
          WHERE petition_id = ANY($1) ORDER BY petition_id FOR UPDATE",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(terms_of)
    .collect()
}

/// Moves each gate's count by the signatures really appended (+1) or taken back (-1).
pub(crate) async fn count(
    tx: &mut PgConnection,
    deltas: &HashMap<PetitionId, i64>,
) -> Result<(), sqlx::Error> {
    let (ids, amounts): (Vec<Uuid>, Vec<i64>) = deltas
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .map(|(id, delta)| (*id.as_uuid(), *delta))
        .unzip();
    if !ids.is_empty() {
        sqlx::query(
            "UPDATE signature_gate g SET signatures = g.signatures + d.delta, updated_at = now()
               FROM UNNEST($1::uuid[], $2::bigint[]) AS d(petition_id, delta)
              WHERE g.petition_id = d.petition_id",
        )
        .bind(&ids)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Opens the gate of a petition being published, inside its publishing transaction.
pub(crate) async fn open(tx: &mut PgConnection, terms: &SigningTerms) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO signature_gate (petition_id, open, closes_at, scope_region)
         VALUES ($1, $2, $3, $4) ON CONFLICT (petition_id) DO NOTHING",
    )
    .bind(terms.petition_id.as_uuid())
    .bind(terms.open)
    .bind(terms.closes_at)
    .bind(terms.scope.map(Region::code))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Shuts the gate of a petition being closed or stopped, inside that transaction.
pub(crate) async fn shut(tx: &mut PgConnection, petition_id: PetitionId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signature_gate SET open = false, updated_at = now() WHERE petition_id = $1 AND open")
        .bind(petition_id.as_uuid())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct SignatureGate {
    pool: PgPool,
}

impl SignatureGate {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The terms a signature is checked against, or `None` for a petition that was never
    /// published.
    pub async fn terms(&self, petition_id: PetitionId) -> Result<Option<SigningTerms>, sqlx::Error> {
        sqlx::query(
            "SELECT petition_id, open, closes_at, scope_region FROM signature_gate WHERE petition_id = $1",
        )
        .bind(petition_id.as_uuid())
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(terms_of)
        .transpose()
    }

    /// The current count of standing signatures (exact as of this read).
    pub async fn count(&self, petition_id: PetitionId) -> Result<Option<u32>, sqlx::Error> {
        let count: Option<i64> =
            sqlx::query_scalar("SELECT signatures FROM signature_gate WHERE petition_id = $1")
                .bind(petition_id.as_uuid())
                .fetch_optional(&self.pool)
                .await?;
        Ok(count.map(|c| u32::try_from(c).unwrap_or(u32::MAX)))
    }

    /// Locks the gate row until the returned lock is closed or dropped.
    pub async fn lock(&self, petition_id: PetitionId) -> Result<Option<GateLock>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let row =
            sqlx::query("SELECT open, signatures FROM signature_gate WHERE petition_id = $1 FOR UPDATE")
                .bind(petition_id.as_uuid())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let signatures: i64 = row.try_get("signatures")?;
        Ok(Some(GateLock {
            tx,
            petition_id,
            open: row.try_get("open")?,
            signatures: u32::try_from(signatures).unwrap_or(u32::MAX),
        }))
    }
}

/// A locked gate: no signature for this petition commits while it is held.
pub struct GateLock {
    tx: Transaction<'static, Postgres>,
    petition_id: PetitionId,
    pub open: bool,
    /// The exact number of standing signatures.
    pub signatures: u32,
}

impl GateLock {
    /// Opens the gate again and releases the lock: only for undoing a close whose event failed.
    pub async fn reopen(mut self) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE signature_gate SET open = true, updated_at = now() WHERE petition_id = $1")
            .bind(self.petition_id.as_uuid())
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await
    }

    /// Shuts the gate for good and releases the lock.
    pub async fn close(mut self) -> Result<u32, sqlx::Error> {
        sqlx::query("UPDATE signature_gate SET open = false, updated_at = now() WHERE petition_id = $1")
            .bind(self.petition_id.as_uuid())
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(self.signatures)
    }
}
