//! Per-aggregate ordering: an event applies only as the next in its stream.

use sqlx::PgConnection;
use uuid::Uuid;

/// Where an event stands against the row's last applied sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Turn {
    /// The next one: apply it.
    Next,
    /// Already applied (a redelivery or a replay).
    Done,
    /// A predecessor is missing (or the row itself): retry later.
    Early,
}

/// `table` and `key` are fixed identifiers from this crate, never input.
pub(super) async fn turn(
    tx: &mut PgConnection,
    table: &str,
    key: &str,
    id: Uuid,
    sequence: i64,
) -> Result<Turn, sqlx::Error> {
    let last: Option<i64> =
        sqlx::query_scalar(&format!("SELECT last_sequence FROM {table} WHERE {key} = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(match last {
        Some(last) if sequence <= last => Turn::Done,
        Some(last) if sequence == last + 1 => Turn::Next,
        _ => Turn::Early,
    })
}
