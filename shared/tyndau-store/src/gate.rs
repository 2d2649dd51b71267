//! The signature gate: the write-side row per published petition that signature batches lock.
//!
//! Opening happens in the publishing transaction (a trigger, see migration 0001). Closing goes
//! through [`GateLock`]: lock the row, which waits for in-flight signature batches and blocks new
//! ones; read the exact count; decide; close. After the lock is released no signature for that
//! petition can commit, so the count carried by the closing event is final.

use sqlx::{PgPool, Postgres, Row, Transaction};
use time::OffsetDateTime;
use tyndau_domain::SigningTerms;
use tyndau_ids::{PetitionId, Region};

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
        let row =
            sqlx::query("SELECT open, closes_at, scope_region FROM signature_gate WHERE petition_id = $1")
                .bind(petition_id.as_uuid())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            let scope: Option<String> = row.try_get("scope_region")?;
            Ok(SigningTerms {
                petition_id,
                open: row.try_get("open")?,
                closes_at: row.try_get::<OffsetDateTime, _>("closes_at")?,
                scope: scope.and_then(|code| code.parse::<Region>().ok()),
            })
        })
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
