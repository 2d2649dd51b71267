//! Reading the event log in commit order, gap-safely.
//!
//! `global_position` alone is not a safe cursor: positions are taken at insert time, so a
//! transaction can commit after a later position is already visible. Rows are therefore read only
//! from transactions older than the oldest one still running (`pg_snapshot_xmin`), ordered by
//! `(tx_id, global_position)`.

use std::collections::HashMap;

use cqrs_es::DomainEvent;
use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor, Row};
use tyndau_events::{EventMetadata, Sequence};

/// A position in commit order. `(0, 0)` is before everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogPosition {
    pub tx_id: u64,
    pub global_position: i64,
}

/// A committed event as every reader sees it: brought to its current version by the upcasters,
/// with typed metadata and sequence. Rows become `StoredEvent`s in one place (`decode_row`), so
/// the relay, the projections' rebuilds, the signature store and invalidation read alike.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub position: LogPosition,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: Sequence,
    pub event_type: String,
    /// The current version (the row may hold an older one).
    pub event_version: String,
    /// The payload in its current version, externally tagged: `{"<EventType>": {...}}`.
    pub payload: Value,
    pub metadata: EventMetadata,
}

impl StoredEvent {
    /// The payload as an aggregate's event enum.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}

/// Up to `limit` events after `after`, from finished transactions only.
pub async fn read_after<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(executor, after, limit, Visibility::FinishedTransactions, None).await
}

/// Like [`read_after`], but only the events of `aggregate_types`.
pub async fn read_of_after<'e>(
    executor: impl PgExecutor<'e>,
    aggregate_types: &[&str],
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(
        executor,
        after,
        limit,
        Visibility::FinishedTransactions,
        Some(aggregate_types),
    )
    .await
}

/// Up to `limit` events after `after` that the caller's snapshot sees, without the in-flight
/// guard: for a REPEATABLE READ transaction (a rebuild), whose snapshot is consistent by itself.
pub async fn read_snapshot_after<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(executor, after, limit, Visibility::CallersSnapshot, None).await
}

/// Like [`read_snapshot_after`], but only the events of `aggregate_types`: the others are passed
/// over in the database, never sent or decoded.
pub async fn read_snapshot_of_after<'e>(
    executor: impl PgExecutor<'e>,
    aggregate_types: &[&str],
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(
        executor,
        after,
        limit,
        Visibility::CallersSnapshot,
        Some(aggregate_types),
    )
    .await
}

#[derive(Clone, Copy)]
enum Visibility {
    FinishedTransactions,
    CallersSnapshot,
}

async fn read<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
    visibility: Visibility,
    aggregate_types: Option<&[&str]>,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let guard = match visibility {
        Visibility::FinishedTransactions => "AND tx_id < pg_snapshot_xmin(pg_current_snapshot())",
        Visibility::CallersSnapshot => "",
    };
    // Ordered by the xid8 column itself: a bare `tx_id` here would name the text alias, and as
    // text xid 1000 sorts before 999, which replayed and published events out of commit order.
    let sql = format!(
        "SELECT tx_id::text AS tx_text, global_position, aggregate_type, aggregate_id, sequence,
                event_type, event_version, payload, metadata
           FROM events
          WHERE (tx_id, global_position) > ($1::text::xid8, $2) {guard}
            AND ($4::text[] IS NULL OR aggregate_type = ANY($4))
          ORDER BY events.tx_id, events.global_position
          LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(after.tx_id.to_string())
        .bind(after.global_position)
        .bind(limit)
        .bind(aggregate_types)
        .fetch_all(executor)
        .await?;
    rows.into_iter().map(decode_row).collect()
}

fn decode_row(row: sqlx::postgres::PgRow) -> Result<StoredEvent, sqlx::Error> {
    let undecodable = |e: Box<dyn std::error::Error + Send + Sync>| sqlx::Error::Decode(e);
    let tx_text: String = row.try_get("tx_text")?;
    let aggregate_type: String = row.try_get("aggregate_type")?;
    let aggregate_id: String = row.try_get("aggregate_id")?;
    let event_type: String = row.try_get("event_type")?;
    let sequence: i64 = row.try_get("sequence")?;
    let (event_version, payload) = tyndau_events::upcast::upcast(
        &aggregate_type,
        &aggregate_id,
        &event_type,
        row.try_get("event_version")?,
        row.try_get("payload")?,
    );
    // Tyndau writes metadata as a flat map of strings: read it as one, without a JSON tree (the
    // relay and the notifier read every event); anything else goes the general way.
    let metadata = match row.try_get::<sqlx::types::Json<HashMap<String, String>>, _>("metadata") {
        Ok(sqlx::types::Json(map)) => EventMetadata::from_map(&map),
        Err(_) => EventMetadata::from_json(&row.try_get::<Value, _>("metadata")?),
    };
    let metadata = metadata.unwrap_or_else(|error| {
        tracing::error!(%aggregate_type, %aggregate_id, sequence, %error, "stored event has unreadable metadata");
        EventMetadata::unreadable()
    });
    Ok(StoredEvent {
        position: LogPosition {
            tx_id: tx_text.parse().map_err(|e| undecodable(Box::new(e)))?,
            global_position: row.try_get("global_position")?,
        },
        sequence: Sequence::try_from(sequence).map_err(|e| undecodable(Box::new(e)))?,
        aggregate_type,
        aggregate_id,
        event_type,
        event_version,
        payload,
        metadata,
    })
}

/// One event to append: its stream, place in it, type, version, and payload and metadata as
/// JSON text (what the batched insert binds).
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub aggregate_id: String,
    pub sequence: Sequence,
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
    pub metadata: String,
}

impl NewEvent {
    /// The row for `event`, written in its current version with typed metadata.
    pub fn of<E: DomainEvent + Serialize>(
        aggregate_id: String,
        sequence: Sequence,
        event: &E,
        metadata: &EventMetadata,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self {
            aggregate_id,
            sequence,
            event_type: event.event_type(),
            event_version: event.event_version(),
            payload: serde_json::to_string(event)?,
            metadata: metadata.to_json().to_string(),
        })
    }
}

/// What to do when a `(stream, sequence)` is already taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnConflict {
    /// Fail the statement (a unique violation, `23505`): the caller retries or reports a conflict.
    Fail,
    /// Skip the row; the caller learns which rows went in.
    Skip,
}

/// Appends `events` of one aggregate type in one statement, inside the caller's transaction.
/// Returns the `(aggregate_id, sequence)` of the rows written.
pub async fn append(
    tx: &mut PgConnection,
    aggregate_type: &str,
    events: &[NewEvent],
    on_conflict: OnConflict,
) -> Result<Vec<(String, Sequence)>, sqlx::Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let column = |f: fn(&NewEvent) -> &String| events.iter().map(f).collect::<Vec<_>>();
    let sequences: Vec<i64> = events.iter().map(|e| i64::from(e.sequence)).collect();
    let conflict = match on_conflict {
        OnConflict::Fail => "",
        OnConflict::Skip => "ON CONFLICT DO NOTHING",
    };
    let written: Vec<(String, i64)> = sqlx::query_as(&format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
         SELECT $1, t.aggregate_id, t.sequence, t.event_type, t.event_version, t.payload::json, t.metadata::json
           FROM UNNEST($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS t(aggregate_id, sequence, event_type, event_version, payload, metadata)
         {conflict}
         RETURNING aggregate_id, sequence"
    ))
    .bind(aggregate_type)
    .bind(column(|e| &e.aggregate_id))
    .bind(&sequences)
    .bind(column(|e| &e.event_type))
    .bind(column(|e| &e.event_version))
    .bind(column(|e| &e.payload))
    .bind(column(|e| &e.metadata))
    .fetch_all(&mut *tx)
    .await?;
    written
        .into_iter()
        .map(|(id, sequence)| {
            let sequence = Sequence::try_from(sequence).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok((id, sequence))
        })
        .collect()
}

/// Every event of the streams `aggregate_ids` (one stream when given one id), in stream order.
pub async fn load_streams<'e>(
    executor: impl PgExecutor<'e>,
    aggregate_type: &str,
    aggregate_ids: &[&str],
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT tx_id::text AS tx_text, global_position, aggregate_type, aggregate_id, sequence,
                event_type, event_version, payload, metadata
           FROM events
          WHERE aggregate_type = $1 AND aggregate_id = ANY($2)
          ORDER BY aggregate_id, sequence",
    )
    .bind(aggregate_type)
    .bind(aggregate_ids)
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(decode_row).collect()
}

/// The events of `event_types` in the streams whose id starts with `prefix` (the comments of
/// one consultation: `{consultation}:{comment}`), in stream order.
pub async fn load_streams_with_prefix<'e>(
    executor: impl PgExecutor<'e>,
    aggregate_type: &str,
    prefix: &str,
    event_types: &[&str],
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT tx_id::text AS tx_text, global_position, aggregate_type, aggregate_id, sequence,
                event_type, event_version, payload, metadata
           FROM events
          WHERE aggregate_type = $1 AND left(aggregate_id, length($2)) = $2 AND event_type = ANY($3)
          ORDER BY aggregate_id, sequence",
    )
    .bind(aggregate_type)
    .bind(prefix)
    .bind(event_types)
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(decode_row).collect()
}

/// The last sequence of a stream; [`Sequence::ZERO`] when it has no event.
pub async fn last_sequence<'e>(
    executor: impl PgExecutor<'e>,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Sequence, sqlx::Error> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT max(sequence) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2",
    )
    .bind(aggregate_type)
    .bind(aggregate_id)
    .fetch_one(executor)
    .await?;
    last.map_or(Ok(Sequence::ZERO), |n| {
        Sequence::try_from(n).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
}

/// The newest position handed out by the log (0 before the first event), committed or not: how
/// far behind a reader is, in events, without scanning the log.
pub async fn newest_position<'e>(executor: impl PgExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('events', 'global_position')::regclass), 0)",
    )
    .fetch_one(executor)
    .await
}

/// A named checkpoint (the relay's, a projector's) from a `(name, tx_id, global_position)` table.
pub async fn load_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    table: CheckpointTable,
    name: &str,
) -> Result<LogPosition, sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as(&format!(
        "SELECT tx_id::text, global_position FROM {} WHERE {} = $1",
        table.table(),
        table.key()
    ))
    .bind(name)
    .fetch_optional(executor)
    .await?;
    match row {
        None => Ok(LogPosition::default()),
        Some((tx, global_position)) => Ok(LogPosition {
            tx_id: tx.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            global_position,
        }),
    }
}

pub async fn save_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    table: CheckpointTable,
    name: &str,
    position: LogPosition,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO {table} ({key}, tx_id, global_position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
         ON CONFLICT ({key}) DO UPDATE
            SET tx_id = excluded.tx_id, global_position = excluded.global_position, updated_at = now()
          WHERE ({table}.tx_id, {table}.global_position) < (excluded.tx_id, excluded.global_position)",
        table = table.table(),
        key = table.key()
    ))
    .bind(name)
    .bind(position.tx_id.to_string())
    .bind(position.global_position)
    .execute(executor)
    .await?;
    Ok(())
}

/// Records that relay `name` is about to publish the events up to `through` (migration 0016).
pub async fn save_relay_intent<'e>(
    executor: impl PgExecutor<'e>,
    name: &str,
    through: LogPosition,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO relay_checkpoint (relay, tx_id, global_position, publishing_tx_id, publishing_position)
         VALUES ($1, '0'::xid8, 0, $2::text::xid8, $3)
         ON CONFLICT (relay) DO UPDATE
            SET publishing_tx_id = excluded.publishing_tx_id, publishing_position = excluded.publishing_position",
    )
    .bind(name)
    .bind(through.tx_id.to_string())
    .bind(through.global_position)
    .execute(executor)
    .await?;
    Ok(())
}

/// The last batch relay `name` announced with [`save_relay_intent`], if any.
pub async fn load_relay_intent<'e>(
    executor: impl PgExecutor<'e>,
    name: &str,
) -> Result<Option<LogPosition>, sqlx::Error> {
    let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT publishing_tx_id::text, publishing_position FROM relay_checkpoint WHERE relay = $1",
    )
    .bind(name)
    .fetch_optional(executor)
    .await?;
    match row {
        Some((Some(tx), Some(global_position))) => Ok(Some(LogPosition {
            tx_id: tx.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            global_position,
        })),
        _ => Ok(None),
    }
}

/// Forgets a named checkpoint (a rebuild starts its projection from the beginning).
pub async fn delete_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    table: CheckpointTable,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "DELETE FROM {} WHERE {} = $1",
        table.table(),
        table.key()
    ))
    .bind(name)
    .execute(executor)
    .await?;
    Ok(())
}

#[derive(Clone, Copy, Debug)]
pub enum CheckpointTable {
    Relay,
    Projector,
}

impl CheckpointTable {
    fn table(self) -> &'static str {
        match self {
            CheckpointTable::Relay => "relay_checkpoint",
            CheckpointTable::Projector => "projector_checkpoint",
        }
    }

    fn key(self) -> &'static str {
        match self {
            CheckpointTable::Relay => "relay",
            CheckpointTable::Projector => "projector",
        }
    }
}
