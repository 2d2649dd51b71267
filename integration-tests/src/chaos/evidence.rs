//! What the store, the stream and the read models hold after the run, for the audit.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context;
use backon::{ExponentialBuilder, Retryable};
use futures::StreamExt;
use tyndau_bus::Bus;
use tyndau_db::sqlx::{self, PgPool};
use tyndau_ids::PetitionId;

use super::audit::EventKey;

/// Every event in the store.
pub async fn stored(pool: &PgPool) -> anyhow::Result<Vec<EventKey>> {
    Ok(
        sqlx::query_as("SELECT aggregate_type, aggregate_id, sequence FROM events")
            .fetch_all(pool)
            .await?,
    )
}

/// The aggregate of every signature recorded on `petitions` and every comment posted on
/// `consultation`, once per creating event.
pub async fn created(
    pool: &PgPool,
    petitions: &[PetitionId],
    consultation: &str,
) -> anyhow::Result<Vec<String>> {
    let patterns: Vec<String> = petitions.iter().map(|p| format!("{p}:%")).collect();
    Ok(sqlx::query_scalar(
        "SELECT aggregate_id FROM events
          WHERE aggregate_type = 'signature' AND event_type = 'SignatureRecorded'
            AND aggregate_id LIKE ANY($1)
         UNION ALL
         SELECT aggregate_id FROM events
          WHERE aggregate_type = 'comment' AND event_type = 'CommentPosted' AND aggregate_id LIKE $2",
    )
    .bind(&patterns)
    .bind(format!("{consultation}:%"))
    .fetch_all(pool)
    .await?)
}

/// How many signatures the store holds on `petition` (none are withdrawn in a chaos run).
pub async fn signatures_on(pool: &PgPool, petition: PetitionId) -> anyhow::Result<i64> {
    created_count(pool, "signature", "SignatureRecorded", &petition.to_string()).await
}

/// How many comments the store holds on `consultation`.
pub async fn comments_on(pool: &PgPool, consultation: &str) -> anyhow::Result<i64> {
    created_count(pool, "comment", "CommentPosted", consultation).await
}

/// Events of one type on aggregates whose ids start with `parent:`.
async fn created_count(
    pool: &PgPool,
    aggregate_type: &str,
    event_type: &str,
    parent: &str,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE aggregate_type = $1 AND event_type = $2 AND aggregate_id LIKE $3",
    )
    .bind(aggregate_type)
    .bind(event_type)
    .bind(format!("{parent}:%"))
    .fetch_one(pool)
    .await?)
}

/// One event as the stream holds it: in which message, under which `Nats-Msg-Id`, published when.
#[derive(Debug, Clone)]
pub struct Streamed {
    pub key: EventKey,
    pub stream_sequence: u64,
    pub msg_id: String,
    pub published: time::OffsetDateTime,
}

/// Every event in every message of the event stream, read from its first message to its last
/// with an ordered consumer. The read starts over while the cluster answers with timeouts: with a
/// node just killed, the stream's leader may still be in election.
pub async fn streamed(bus: &Bus) -> anyhow::Result<Vec<Streamed>> {
    let during_an_election = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(500))
        .with_max_delay(Duration::from_secs(5))
        .with_total_delay(Some(Duration::from_secs(60)))
        .without_max_times();
    (|| read_stream(bus))
        .retry(during_an_election)
        .notify(|e, after| eprintln!("reading the stream again in {after:?}: {e:#}"))
        .await
}

async fn read_stream(bus: &Bus) -> anyhow::Result<Vec<Streamed>> {
    let mut stream = bus
        .jetstream()
        .get_stream(bus.subjects().stream_name())
        .await
        .context("no event stream")?;
    let last = stream.info().await?.state.last_sequence;
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig::default())
        .await?;
    let mut messages = consumer.messages().await?;
    let mut events = Vec::new();
    while let Some(message) = tokio::time::timeout(Duration::from_secs(30), messages.next())
        .await
        .context("the stream stopped delivering before its last message")?
    {
        let message = message?;
        let info = message.info().map_err(|e| anyhow::anyhow!("{e}"))?;
        let (sequence, published) = (info.stream_sequence, info.published);
        let msg_id = message
            .headers
            .as_ref()
            .and_then(|h| h.get(tyndau_bus::headers::MSG_ID))
            .map(|v| v.to_string())
            .unwrap_or_default();
        let decoded = tyndau_bus::decode(&message.payload)?;
        events.extend(decoded.events.into_iter().map(|e| Streamed {
            key: (e.aggregate_type, e.aggregate_id, i64::from(e.sequence)),
            stream_sequence: sequence,
            msg_id: msg_id.clone(),
            published,
        }));
        if sequence >= last {
            break;
        }
    }
    Ok(events)
}

/// A digest of each table's whole content, independent of row order.
pub async fn digests(pool: &PgPool, tables: &[&str]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for table in tables {
        let digest: String = sqlx::query_scalar(&format!(
            "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"
        ))
        .fetch_one(pool)
        .await
        .with_context(|| format!("cannot digest {table}"))?;
        out.insert((*table).to_owned(), digest);
    }
    Ok(out)
}

/// The table names of a projection's comma-separated `TABLES`.
pub fn tables(list: &str) -> Vec<&str> {
    list.split(',').map(str::trim).filter(|t| !t.is_empty()).collect()
}

/// Copies `tables` into the schema `chaos_live` (replacing an earlier copy), so that after a
/// rebuild the rows that differ can be shown, not only that they differ.
pub async fn keep_live_copy(pool: &PgPool, tables: &[&str]) -> anyhow::Result<()> {
    sqlx::query("DROP SCHEMA IF EXISTS chaos_live CASCADE")
        .execute(pool)
        .await?;
    sqlx::query("CREATE SCHEMA chaos_live").execute(pool).await?;
    for table in tables {
        sqlx::query(&format!(
            "CREATE TABLE chaos_live.{table} AS SELECT * FROM {table}"
        ))
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Up to `limit` rows only the live copy has, and up to `limit` only the rebuilt table has.
pub async fn differences(
    pool: &PgPool,
    table: &str,
    limit: i64,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let rows = |from: &str, minus: &str| {
        format!(
            "SELECT t::text FROM (SELECT * FROM {from} EXCEPT ALL SELECT * FROM {minus}) t ORDER BY 1 LIMIT {limit}"
        )
    };
    let live_only = sqlx::query_scalar(&rows(&format!("chaos_live.{table}"), table))
        .fetch_all(pool)
        .await?;
    let rebuilt_only = sqlx::query_scalar(&rows(table, &format!("chaos_live.{table}")))
        .fetch_all(pool)
        .await?;
    Ok((live_only, rebuilt_only))
}
