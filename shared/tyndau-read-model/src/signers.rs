//! The public list of signers: only those who chose to show "first name + initial", newest
//! first. Everyone else is only counted.

use serde::Serialize;
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_ids::PetitionId;
use utoipa::ToSchema;

use crate::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ReadError};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ShownSigner {
    pub display_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ShownSigners {
    /// Standing signatures, named or not.
    pub signatures: i64,
    /// Of which shown by name.
    pub shown: i64,
    pub items: Vec<ShownSigner>,
    /// Pass as `before` for the next page; `null` at the end.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_before: Option<OffsetDateTime>,
}

pub(crate) async fn shown_signers(
    pool: &PgPool,
    id: PetitionId,
    before: Option<OffsetDateTime>,
    limit: Option<u32>,
) -> Result<Option<ShownSigners>, ReadError> {
    let Some(count) = crate::petitions::count(pool, id).await? else {
        return Ok(None);
    };
    let size = i64::from(limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE));
    let shown: i64 = sqlx::query_scalar("SELECT count(*) FROM signature_names WHERE petition_id = $1")
        .bind(id.as_uuid())
        .fetch_one(pool)
        .await?;
    let rows: Vec<(String, OffsetDateTime)> = sqlx::query_as(
        "SELECT display_name, signed_at FROM signature_names
          WHERE petition_id = $1 AND ($2::timestamptz IS NULL OR signed_at < $2)
          ORDER BY signed_at DESC LIMIT $3",
    )
    .bind(id.as_uuid())
    .bind(before)
    .bind(size + 1)
    .fetch_all(pool)
    .await?;
    let mut items: Vec<ShownSigner> = rows
        .into_iter()
        .map(|(display_name, signed_at)| ShownSigner {
            display_name,
            signed_at,
        })
        .collect();
    let next_before = if items.len() > usize::try_from(size).unwrap_or(usize::MAX) {
        items.pop();
        items.last().map(|i| i.signed_at)
    } else {
        None
    };
    Ok(Some(ShownSigners {
        signatures: count.signatures,
        shown,
        items,
        next_before,
    }))
}
