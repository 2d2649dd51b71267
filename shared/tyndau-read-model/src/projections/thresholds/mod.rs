//! The thresholds projection: per petition, its public lifecycle (catalogue entry and timeline)
//! and its signature counts — total, by region, by hour. Counting is idempotent by natural key
//! (one tally row per petition and signer), so redelivery, reordering and replays never count
//! twice; counters move once per batch. Petition events apply in sequence order per petition; a
//! gap is deferred and retried.

mod names;

use std::collections::HashMap;

use serde_json::{Value, json};
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;
use tyndau_events::SignatureEvent;
use tyndau_events::aggregate_types::{PETITION, PRIVACY, SIGNATURE};
use tyndau_events::petition::PetitionEvent;
use tyndau_ids::SignatureId;
use uuid::Uuid;

use tyndau_db::projected::ProjectedEvent;

use super::Applied;

#[derive(Default)]
struct Tally {
    total: HashMap<Uuid, i64>,
    by_region: HashMap<(Uuid, String), i64>,
    by_hour: HashMap<(Uuid, OffsetDateTime), i64>,
}

impl Tally {
    fn add(&mut self, petition: Uuid, region: Option<String>, hour: Option<OffsetDateTime>, n: i64) {
        *self.total.entry(petition).or_default() += n;
        if let Some(region) = region {
            *self.by_region.entry((petition, region)).or_default() += n;
        }
        if let Some(hour) = hour {
            *self.by_hour.entry((petition, hour)).or_default() += n;
        }
    }
}

/// The aggregates whose events this projection reads.
pub const AGGREGATES: &[&str] = &[PETITION, SIGNATURE, PRIVACY];
/// Its tables, emptied before a rebuild.
pub const TABLES: &str = "petition_view, petition_timeline, signature_tally, petition_counts,
                          petition_region_counts, petition_hourly, signature_names";

/// Applies a batch inside the caller's transaction.
pub async fn apply(tx: &mut PgConnection, events: &[ProjectedEvent]) -> Result<Applied, sqlx::Error> {
    apply_events(tx, events).await
}

/// Applies the events; idempotent, so a batch may be applied any number of times.
async fn apply_events(tx: &mut PgConnection, events: &[ProjectedEvent]) -> Result<Applied, sqlx::Error> {
    let mut outcome = Applied::default();
    let mut recorded = Vec::new();
    let mut withdrawn = Vec::new();
    let mut names = names::Names::default();
    for (index, event) in events.iter().enumerate() {
        match event.aggregate_type.as_str() {
            PETITION => {
                let applied = apply_petition_event(tx, event).await?;
                if !applied {
                    outcome.deferred.push(index);
                } else if event.event_type == "PetitionAnonymised" {
                    names.expire_petition(&event.aggregate_id);
                }
            }
            SIGNATURE => match event.decode::<SignatureEvent>() {
                Ok(SignatureEvent::SignatureRecorded(e)) => {
                    names.shown(&e);
                    recorded.push((e, event.origin.clone()));
                }
                Ok(SignatureEvent::SignatureWithdrawn(e)) => {
                    let id = SignatureId::new(e.petition_id, e.signer);
                    names.gone(id);
                    withdrawn.push((id, e.withdrawn_at));
                }
                // For the counts a removed signature is a withdrawn one; the reason and the rule
                // are on the petition's public record (`SignaturesInvalidated`).
                Ok(SignatureEvent::SignatureInvalidated(e)) => {
                    let id = SignatureId::new(e.petition_id, e.signer);
                    names.gone(id);
                    withdrawn.push((id, e.invalidated_at));
                }
                Err(e) => {
                    tracing::error!(error = %e, id = %event.aggregate_id, "unreadable signature event skipped")
                }
            },
            PRIVACY => match event.decode::<tyndau_events::PrivacyEvent>() {
                Ok(tyndau_events::PrivacyEvent::PersonalDataErased(e)) => names.erase_citizen(e.citizen),
                Err(e) => {
                    tracing::error!(error = %e, id = %event.aggregate_id, "unreadable privacy event skipped")
                }
            },
            _ => {}
        }
    }
    names.write(tx).await?;
    let mut tally = Tally::default();
    count_recorded(tx, &recorded, &mut tally).await?;
    count_withdrawn(tx, &withdrawn, &mut tally).await?;
    write_tally(tx, tally).await?;
    Ok(outcome)
}

async fn count_recorded(
    tx: &mut PgConnection,
    recorded: &[(tyndau_events::signature::SignatureRecorded, Option<String>)],
    tally: &mut Tally,
) -> Result<(), sqlx::Error> {
    if recorded.is_empty() {
        return Ok(());
    }
    let petitions: Vec<Uuid> = recorded.iter().map(|(e, _)| *e.petition_id.as_uuid()).collect();
    let signers: Vec<String> = recorded.iter().map(|(e, _)| e.signer.to_hex()).collect();
    let regions: Vec<String> = recorded.iter().map(|(e, _)| e.region.code().to_owned()).collect();
    let times: Vec<OffsetDateTime> = recorded.iter().map(|(e, _)| e.signed_at).collect();
    let origins: Vec<Option<String>> = recorded.iter().map(|(_, origin)| origin.clone()).collect();
    let rows = sqlx::query(
        "WITH ins AS (
            INSERT INTO signature_tally (petition_id, signer, region, signed_at, recorded, origin)
            SELECT p, s, r, t, true, o
              FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(p, s, r, t, o)
            ON CONFLICT (petition_id, signer) DO NOTHING
            RETURNING petition_id, region, signed_at)
         SELECT petition_id, region, date_trunc('hour', signed_at, 'UTC') AS hour, count(*) AS n
           FROM ins GROUP BY 1, 2, 3",
    )
    .bind(&petitions)
    .bind(&signers)
    .bind(&regions)
    .bind(&times)
    .bind(&origins)
    .fetch_all(&mut *tx)
    .await?;
    for row in rows {
        tally.add(
            row.try_get("petition_id")?,
            row.try_get("region")?,
            row.try_get("hour")?,
            row.try_get("n")?,
        );
    }
    Ok(())
}

async fn count_withdrawn(
    tx: &mut PgConnection,
    withdrawn: &[(SignatureId, OffsetDateTime)],
    tally: &mut Tally,
) -> Result<(), sqlx::Error> {
    if withdrawn.is_empty() {
        return Ok(());
    }
    let petitions: Vec<Uuid> = withdrawn.iter().map(|(id, _)| *id.petition.as_uuid()).collect();
    let signers: Vec<String> = withdrawn.iter().map(|(id, _)| id.signer.to_hex()).collect();
    let times: Vec<OffsetDateTime> = withdrawn.iter().map(|(_, at)| *at).collect();
    let rows = sqlx::query(
        "WITH w AS (SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::timestamptz[]) AS w(petition_id, signer, at)),
              upd AS (
                UPDATE signature_tally t SET withdrawn_at = w.at FROM w
                 WHERE t.petition_id = w.petition_id AND t.signer = w.signer AND t.withdrawn_at IS NULL
                RETURNING t.petition_id, t.region, t.signed_at, t.recorded)
         SELECT petition_id, region, date_trunc('hour', signed_at, 'UTC') AS hour, count(*) AS n
           FROM upd WHERE recorded GROUP BY 1, 2, 3",
    )
    .bind(&petitions)
    .bind(&signers)
    .bind(&times)
    .fetch_all(&mut *tx)
    .await?;
    for row in rows {
        let n: i64 = row.try_get("n")?;
        tally.add(
            row.try_get("petition_id")?,
            row.try_get("region")?,
            row.try_get("hour")?,
            -n,
        );
    }
    // A withdrawal that overtook its signature leaves a tombstone, so the late signature is not
    // counted when it arrives.
    sqlx::query(
        "INSERT INTO signature_tally (petition_id, signer, recorded, withdrawn_at)
         SELECT p, s, false, t FROM UNNEST($1::uuid[], $2::text[], $3::timestamptz[]) AS u(p, s, t)
         ON CONFLICT (petition_id, signer) DO NOTHING",
    )
    .bind(&petitions)
    .bind(&signers)
    .bind(&times)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Moves the counters by the batch's net amounts. A counter that comes back to zero is deleted,
/// so the live tables hold the same rows as a rebuild, however the events were batched: a
/// replay that sees a signature and its withdrawal in one batch never writes a row for them.
async fn write_tally(tx: &mut PgConnection, tally: Tally) -> Result<(), sqlx::Error> {
    let (ids, amounts): (Vec<Uuid>, Vec<i64>) = tally.total.into_iter().filter(|(_, n)| *n != 0).unzip();
    let decreased = amounts.iter().any(|n| *n < 0);
    if !ids.is_empty() {
        sqlx::query(
            "INSERT INTO petition_counts (petition_id, signatures)
             SELECT * FROM UNNEST($1::uuid[], $2::bigint[])
             ON CONFLICT (petition_id) DO UPDATE
                SET signatures = petition_counts.signatures + excluded.signatures",
        )
        .bind(&ids)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    }
    if decreased {
        sqlx::query("DELETE FROM petition_counts WHERE petition_id = ANY($1) AND signatures = 0")
            .bind(&ids)
            .execute(&mut *tx)
            .await?;
    }
    let mut ids = Vec::new();
    let mut regions = Vec::new();
    let mut amounts = Vec::new();
    for ((id, region), n) in tally.by_region.into_iter().filter(|(_, n)| *n != 0) {
        ids.push(id);
        regions.push(region);
        amounts.push(n);
    }
    if !ids.is_empty() {
        sqlx::query(
            "INSERT INTO petition_region_counts (petition_id, region, signatures)
             SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::bigint[])
             ON CONFLICT (petition_id, region) DO UPDATE
                SET signatures = petition_region_counts.signatures + excluded.signatures",
        )
        .bind(&ids)
        .bind(&regions)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    }
    if amounts.iter().any(|n| *n < 0) {
        sqlx::query(
            "DELETE FROM petition_region_counts r USING UNNEST($1::uuid[], $2::text[]) AS k(p, region)
              WHERE r.petition_id = k.p AND r.region = k.region AND r.signatures = 0",
        )
        .bind(&ids)
        .bind(&regions)
        .execute(&mut *tx)
        .await?;
    }
    let mut ids = Vec::new();
    let mut hours = Vec::new();
    let mut amounts = Vec::new();
    for ((id, hour), n) in tally.by_hour.into_iter().filter(|(_, n)| *n != 0) {
        ids.push(id);
        hours.push(hour);
        amounts.push(n);
    }
    if !ids.is_empty() {
        sqlx::query(
            "INSERT INTO petition_hourly (petition_id, hour, signatures)
             SELECT * FROM UNNEST($1::uuid[], $2::timestamptz[], $3::bigint[])
             ON CONFLICT (petition_id, hour) DO UPDATE
                SET signatures = petition_hourly.signatures + excluded.signatures",
        )
        .bind(&ids)
        .bind(&hours)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    }
    if amounts.iter().any(|n| *n < 0) {
        sqlx::query(
            "DELETE FROM petition_hourly h USING UNNEST($1::uuid[], $2::timestamptz[]) AS k(p, hour)
              WHERE h.petition_id = k.p AND h.hour = k.hour AND h.signatures = 0",
        )
        .bind(&ids)
        .bind(&hours)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Applies one petition event if it is the next in its stream; returns false for a gap.
async fn apply_petition_event(tx: &mut PgConnection, event: &ProjectedEvent) -> Result<bool, sqlx::Error> {
    let petition_id: Uuid = match event.aggregate_id.parse() {
        Ok(id) => id,
        Err(_) => return Ok(true),
    };
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_sequence FROM petition_view WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *tx)
            .await?;
    let last = last.unwrap_or(0);
    let sequence = i64::from(event.sequence);
    if sequence <= last {
        return Ok(true); // Already applied.
    }
    if sequence != last + 1 {
        return Ok(false);
    }
    let decoded: PetitionEvent = match event.decode() {
        Ok(decoded) => decoded,
        Err(e) => {
            tracing::error!(error = %e, id = %event.aggregate_id, "unreadable petition event skipped");
            return Ok(true);
        }
    };
    let seq = sequence;
    match &decoded {
        PetitionEvent::PetitionDrafted(e) => {
            let searchable: String = e
                .content
                .values()
                .map(|t| format!("{} {} {}", t.title, t.text, t.request))
                .collect::<Vec<_>>()
                .join(" ");
            sqlx::query(
                "INSERT INTO petition_view (petition_id, last_sequence, status, author, addressee_body, level,
                                            region, content, search, drafted_at, updated_at)
                 VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, to_tsvector('simple', $8), $9, $10)
                 ON CONFLICT (petition_id) DO NOTHING",
            )
            .bind(petition_id)
            .bind(seq)
            .bind(e.author.to_hex())
            .bind(e.addressee.body.as_str())
            .bind(e.addressee.level.code())
            .bind(e.addressee.region.map(|r| r.code()))
            .bind(serde_json::to_value(&e.content).unwrap_or(Value::Null))
            .bind(searchable)
            .bind(e.drafted_at)
            .bind(event.occurred_at)
            .execute(&mut *tx)
            .await?;
        }
        other => {
            let (assignments, mut values) = petition_update(other);
            // The time of the event, not of projecting it: a rebuild writes the same.
            values.push(Column::Time(event.occurred_at));
            let sql = format!(
                "UPDATE petition_view SET last_sequence = $2{assignments}, updated_at = ${}
                  WHERE petition_id = $1 AND last_sequence = $2 - 1",
                values.len() + 2
            );
            let mut query = sqlx::query(&sql).bind(petition_id).bind(seq);
            for value in values {
                query = match value {
                    Column::Text(v) => query.bind(v),
                    Column::Time(v) => query.bind(v),
                    Column::Int(v) => query.bind(v),
                    Column::Json(v) => query.bind(v),
                };
            }
            query.execute(&mut *tx).await?;
        }
    }
    let mut details = event
        .payload
        .get(&event.event_type)
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(object) = details.as_object_mut() {
        // Who drafted a petition is not public; what it says is in the catalogue entry.
        object.remove("author");
        object.remove("content");
        // An invalidation's rule is public except the network, which could single out a household.
        if let Some(rule) = object.get_mut("rule").and_then(Value::as_object_mut)
            && let Some(network) = rule.remove("network")
        {
            rule.insert("by_network".to_owned(), Value::Bool(!network.is_null()));
        }
    }
    sqlx::query(
        "INSERT INTO petition_timeline (petition_id, sequence, event_type, occurred_at, details)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(petition_id)
    .bind(seq)
    .bind(&event.event_type)
    .bind(event.occurred_at)
    .bind(details)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

fn rfc3339(at: OffsetDateTime) -> Option<String> {
    at.format(&time::format_description::well_known::Rfc3339).ok()
}

enum Column {
    Text(String),
    Time(OffsetDateTime),
    Int(i64),
    Json(Value),
}

/// The columns an event sets, as `, col = $n` assignments (parameters from $3) and their values.
fn petition_update(event: &PetitionEvent) -> (String, Vec<Column>) {
    use Column::{Int, Json, Text, Time};
    let columns: Vec<(&str, Column)> = match event {
        // Drafting inserts the row; an invalidation only adds to the public timeline.
        PetitionEvent::PetitionDrafted(_) | PetitionEvent::SignaturesInvalidated(_) => Vec::new(),
        PetitionEvent::PetitionAnonymised(e) => vec![("anonymised_at", Time(e.anonymised_at))],
        PetitionEvent::PetitionSubmitted(e) => vec![
            ("status", Text("submitted".into())),
            ("submitted_at", Time(e.submitted_at)),
            ("moderation_due", Time(e.moderation_due)),
        ],
        PetitionEvent::PetitionRejected(e) => vec![
            ("status", Text("rejected".into())),
            (
                "rejection",
                Json(json!({"reason": e.reason, "explanation": e.explanation, "at": rfc3339(e.rejected_at)})),
            ),
        ],
        PetitionEvent::PetitionPublished(e) => vec![
            ("status", Text("open".into())),
            ("published_at", Time(e.published_at)),
            ("closes_at", Time(e.closes_at)),
            ("threshold", Int(i64::from(e.threshold))),
            ("startup_signatures", Int(i64::from(e.startup_signatures))),
            ("startup_due", Time(e.startup_due)),
        ],
        PetitionEvent::PetitionListed(e) => vec![("listed_at", Time(e.listed_at))],
        PetitionEvent::PetitionThresholdReached(e) => {
            vec![
                ("threshold_reached_at", Time(e.reached_at)),
                ("answer_due", Time(e.answer_due)),
            ]
        }
        PetitionEvent::PetitionClosed(e) => vec![
            ("status", Text("closed".into())),
            ("closed_at", Time(e.closed_at)),
            ("final_count", Int(i64::from(e.final_count))),
            ("closing_outcome", Json(json!(e.outcome))),
        ],
        PetitionEvent::PetitionStopped(e) => vec![
            ("status", Text("stopped".into())),
            ("closed_at", Time(e.stopped_at)),
            ("final_count", Int(i64::from(e.final_count))),
            (
                "stop",
                Json(json!({"reason": e.reason, "explanation": e.explanation})),
            ),
        ],
        PetitionEvent::PetitionAnswerOverdue(e) => vec![("answer_overdue_at", Time(e.marked_at))],
        PetitionEvent::PetitionAnswered(e) => vec![
            ("answered_at", Time(e.answered_at)),
            (
                "answer",
                Json(
                    json!({"decision": e.decision, "text": e.text, "answered_by": e.answered_by, "on_time": e.on_time}),
                ),
            ),
        ],
        PetitionEvent::PetitionArchived(e) => {
            vec![
                ("status", Text("archived".into())),
                ("archived_at", Time(e.archived_at)),
            ]
        }
    };
    let mut assignments = String::new();
    let mut values = Vec::new();
    for (index, (column, value)) in columns.into_iter().enumerate() {
        // closing_outcome is text: store the JSON string's content.
        let value = match (column, value) {
            ("closing_outcome", Json(Value::String(s))) => Text(s),
            (_, v) => v,
        };
        assignments.push_str(&format!(", {column} = ${}", index + 3));
        values.push(value);
    }
    (assignments, values)
}
