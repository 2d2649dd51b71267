//! Consultation events: the catalogue entry, versions and provisions.

use serde_json::{Value, json};
use sqlx::PgConnection;
use tyndau_db::projected::ProjectedEvent;
use tyndau_events::ConsultationEvent;
use tyndau_events::consultation::{ClosedBy, Provision};
use uuid::Uuid;

use super::sequence::{Turn, turn};

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn insert_version(
    tx: &mut PgConnection,
    consultation_id: Uuid,
    version: u32,
    published_at: time::OffsetDateTime,
    changes: Value,
    provisions: &[Provision],
) -> Result<(), sqlx::Error> {
    let version = i32::try_from(version).unwrap_or(i32::MAX);
    sqlx::query(
        "INSERT INTO consultation_versions (consultation_id, version, published_at, changes)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(consultation_id)
    .bind(version)
    .bind(published_at)
    .bind(changes)
    .execute(&mut *tx)
    .await?;
    let ordinals: Vec<i32> = (1..=i32::try_from(provisions.len()).unwrap_or(i32::MAX)).collect();
    let paths: Vec<String> = provisions.iter().map(|p| p.path.to_string()).collect();
    let headings: Vec<Value> = provisions.iter().map(|p| to_json(&p.heading)).collect();
    let texts: Vec<Value> = provisions.iter().map(|p| to_json(&p.text)).collect();
    sqlx::query(
        "INSERT INTO consultation_provisions (consultation_id, version, ordinal, path, heading, text)
         SELECT $1, $2, o, p, h, t FROM UNNEST($3::int[], $4::text[], $5::jsonb[], $6::jsonb[]) AS u(o, p, h, t)
         ON CONFLICT DO NOTHING",
    )
    .bind(consultation_id)
    .bind(version)
    .bind(&ordinals)
    .bind(&paths)
    .bind(&headings)
    .bind(&texts)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Applies one consultation event if it is the next in its stream; false for a gap.
pub(super) async fn apply(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: ConsultationEvent,
) -> Result<bool, sqlx::Error> {
    let Ok(id) = event.aggregate_id.parse::<Uuid>() else {
        return Ok(true);
    };
    let seq = i64::from(event.sequence);
    if let ConsultationEvent::ConsultationDrafted(e) = &decoded {
        let searchable: String = e
            .content
            .values()
            .map(|t| format!("{} {}", t.title, t.summary))
            .collect::<Vec<_>>()
            .join(" ");
        let inserted = sqlx::query(
            "INSERT INTO consultation_view (consultation_id, last_sequence, status, body, content, search,
                                            current_version, drafted_at)
             VALUES ($1, $2, 'drafted', $3, $4, to_tsvector('simple', $5), 1, $6)
             ON CONFLICT (consultation_id) DO NOTHING",
        )
        .bind(id)
        .bind(seq)
        .bind(e.body.as_str())
        .bind(to_json(&e.content))
        .bind(searchable)
        .bind(e.drafted_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            insert_version(tx, id, 1, e.drafted_at, json!([]), &e.provisions).await?;
        }
        return Ok(true);
    }
    match turn(tx, "consultation_view", "consultation_id", id, seq).await? {
        Turn::Done => return Ok(true),
        Turn::Early => return Ok(false),
        Turn::Next => {}
    }
    let update = |sql: &'static str| sqlx::query(sql).bind(id).bind(seq);
    match decoded {
        ConsultationEvent::ConsultationDrafted(_) => {}
        ConsultationEvent::ConsultationOpened(e) => {
            update(
                "UPDATE consultation_view SET last_sequence = $2, status = 'open',
                        opened_at = $3, closes_at = $4, answers_due = $5 WHERE consultation_id = $1",
            )
            .bind(e.opened_at)
            .bind(e.closes_at)
            .bind(e.answers_due)
            .execute(&mut *tx)
            .await?;
        }
        ConsultationEvent::DraftVersionPublished(e) => {
            insert_version(
                tx,
                id,
                e.version,
                e.published_at,
                to_json(&e.changes),
                &e.provisions,
            )
            .await?;
            update(
                "UPDATE consultation_view SET last_sequence = $2, current_version = $3
                  WHERE consultation_id = $1",
            )
            .bind(i32::try_from(e.version).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await?;
        }
        ConsultationEvent::ConsultationClosed(e) => {
            let closed_by = match e.closed_by {
                ClosedBy::Deadline => "deadline",
                ClosedBy::Body => "body",
            };
            update(
                "UPDATE consultation_view SET last_sequence = $2, status = 'closed',
                        closed_at = $3, closed_by = $4 WHERE consultation_id = $1",
            )
            .bind(e.closed_at)
            .bind(closed_by)
            .execute(&mut *tx)
            .await?;
        }
        ConsultationEvent::OutcomeReportPublished(e) => {
            update(
                "UPDATE consultation_view SET last_sequence = $2, status = 'report_published',
                        report_published_at = $3, report_summary = $4, final_version = $5
                  WHERE consultation_id = $1",
            )
            .bind(e.published_at)
            .bind(to_json(&e.summary))
            .bind(i32::try_from(e.final_version).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(true)
}
