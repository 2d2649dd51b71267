//! Comment events: threads, answers and their history, edits, hiding and re-anchoring.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{PgConnection, Row};
use tyndau_db::projected::ProjectedEvent;
use tyndau_events::CommentEvent;
use tyndau_events::comment::{AnchorMethod, CommentAuthor, CommentPosted, Disposition, HideReason};
use uuid::Uuid;

use super::sequence::{Turn, turn};

const WHOLE_DRAFT: &str = "";

fn method_code(method: AnchorMethod) -> &'static str {
    match method {
        AnchorMethod::SamePath => "same_path",
        AnchorMethod::Moved => "moved",
        AnchorMethod::BestMatch => "best_match",
        AnchorMethod::Orphaned => "orphaned",
        AnchorMethod::WholeDraft => "whole_draft",
    }
}

fn hide_code(reason: HideReason) -> &'static str {
    match reason {
        HideReason::Abusive => "abusive",
        HideReason::Spam => "spam",
        HideReason::PersonalData => "personal_data",
        HideReason::Unlawful => "unlawful",
        HideReason::OffTopic => "off_topic",
    }
}

fn disposition_code(disposition: Disposition) -> &'static str {
    disposition.code()
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Inserts new comments in one statement and moves the counters once per batch. Idempotent:
/// only rows actually inserted are counted.
pub(super) async fn insert_posted(
    tx: &mut PgConnection,
    posted: Vec<(i64, CommentPosted)>,
) -> Result<(), sqlx::Error> {
    if posted.is_empty() {
        return Ok(());
    }
    let n = posted.len();
    let mut ids = Vec::with_capacity(n);
    let mut consultations = Vec::with_capacity(n);
    let mut sequences = Vec::with_capacity(n);
    let mut parents: Vec<Option<Uuid>> = Vec::with_capacity(n);
    let mut threads = Vec::with_capacity(n);
    let mut depths = Vec::with_capacity(n);
    let mut author_kinds = Vec::with_capacity(n);
    let mut author_keys: Vec<Option<String>> = Vec::with_capacity(n);
    let mut organisations: Vec<Option<String>> = Vec::with_capacity(n);
    let mut channels = Vec::with_capacity(n);
    let mut regions: Vec<Option<&'static str>> = Vec::with_capacity(n);
    let mut languages = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    let mut versions = Vec::with_capacity(n);
    let mut paths: Vec<Option<String>> = Vec::with_capacity(n);
    let mut quotes: Vec<Option<String>> = Vec::with_capacity(n);
    let mut methods = Vec::with_capacity(n);
    for (sequence, e) in posted {
        ids.push(*e.comment_id.as_uuid());
        consultations.push(*e.consultation_id.as_uuid());
        sequences.push(sequence);
        parents.push(e.parent.map(|p| *p.as_uuid()));
        threads.push(*e.thread.as_uuid());
        depths.push(i16::from(e.depth));
        match e.author {
            CommentAuthor::Citizen { key } => {
                author_kinds.push("citizen");
                author_keys.push(Some(key.to_hex()));
                organisations.push(None);
            }
            CommentAuthor::Organisation { organisation } => {
                author_kinds.push("organisation");
                author_keys.push(None);
                organisations.push(Some(organisation.to_string()));
            }
        }
        channels.push(e.channel.code());
        regions.push(e.region.map(|r| r.code()));
        languages.push(
            serde_json::to_value(e.language)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
        texts.push(e.text);
        times.push(e.posted_at);
        versions.push(int(e.anchor.version));
        methods.push(if e.anchor.path.is_some() {
            "posted"
        } else {
            "whole_draft"
        });
        paths.push(e.anchor.path.map(|p| p.to_string()));
        quotes.push(e.anchor.quote);
    }
    let inserted = sqlx::query(
        "INSERT INTO consultation_comments (comment_id, consultation_id, last_sequence, parent_id, thread_id, depth,
                author_kind, author_key, organisation, channel, region, language, text, posted_at,
                anchor_version, anchor_path, quote, anchor_method, anchor_confidence)
         SELECT u.*, 100 FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::uuid[], $6::smallint[],
                $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                $14::timestamptz[], $15::int[], $16::text[], $17::text[], $18::text[]) AS u
         ON CONFLICT (comment_id) DO NOTHING
         RETURNING consultation_id, thread_id, depth, anchor_path",
    )
    .bind(&ids)
    .bind(&consultations)
    .bind(&sequences)
    .bind(&parents)
    .bind(&threads)
    .bind(&depths)
    .bind(&author_kinds)
    .bind(&author_keys)
    .bind(&organisations)
    .bind(&channels)
    .bind(&regions)
    .bind(&languages)
    .bind(&texts)
    .bind(&times)
    .bind(&versions)
    .bind(&paths)
    .bind(&quotes)
    .bind(&methods)
    .fetch_all(&mut *tx)
    .await?;
    let mut per_consultation: HashMap<Uuid, (i64, i64)> = HashMap::new();
    let mut per_thread: HashMap<Uuid, i32> = HashMap::new();
    let mut per_path: HashMap<(Uuid, String), i64> = HashMap::new();
    for row in inserted {
        let consultation: Uuid = row.try_get("consultation_id")?;
        let depth: i16 = row.try_get("depth")?;
        let totals = per_consultation.entry(consultation).or_default();
        totals.0 += 1;
        if depth == 0 {
            totals.1 += 1;
            let path: Option<String> = row.try_get("anchor_path")?;
            *per_path
                .entry((consultation, path.unwrap_or_else(|| WHOLE_DRAFT.to_owned())))
                .or_default() += 1;
        } else {
            *per_thread.entry(row.try_get("thread_id")?).or_default() += 1;
        }
    }
    let (ids, (comments, proposals)): (Vec<Uuid>, (Vec<i64>, Vec<i64>)) =
        per_consultation.into_iter().unzip();
    sqlx::query(
        "UPDATE consultation_view v SET comments = v.comments + u.c, proposals = v.proposals + u.p
           FROM UNNEST($1::uuid[], $2::bigint[], $3::bigint[]) AS u(id, c, p) WHERE v.consultation_id = u.id",
    )
    .bind(&ids)
    .bind(&comments)
    .bind(&proposals)
    .execute(&mut *tx)
    .await?;
    let (ids, replies): (Vec<Uuid>, Vec<i32>) = per_thread.into_iter().unzip();
    sqlx::query(
        "UPDATE consultation_comments c SET replies = c.replies + u.n
           FROM UNNEST($1::uuid[], $2::int[]) AS u(id, n) WHERE c.comment_id = u.id",
    )
    .bind(&ids)
    .bind(&replies)
    .execute(&mut *tx)
    .await?;
    let mut consultation_ids = Vec::new();
    let mut path_keys = Vec::new();
    let mut counts = Vec::new();
    for ((consultation, path), count) in per_path {
        consultation_ids.push(consultation);
        path_keys.push(path);
        counts.push(count);
    }
    move_provision_counts(tx, &consultation_ids, &path_keys, &counts).await
}

async fn move_provision_counts(
    tx: &mut PgConnection,
    consultations: &[Uuid],
    paths: &[String],
    deltas: &[i64],
) -> Result<(), sqlx::Error> {
    if consultations.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO consultation_provision_counts (consultation_id, path, proposals)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::bigint[])
         ON CONFLICT (consultation_id, path) DO UPDATE
            SET proposals = consultation_provision_counts.proposals + excluded.proposals",
    )
    .bind(consultations)
    .bind(paths)
    .bind(deltas)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Applies one comment event other than `CommentPosted`, if it is the next in its stream.
pub(super) async fn apply(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: CommentEvent,
) -> Result<bool, sqlx::Error> {
    let Some((_, comment_id)) = tyndau_events::comment::parse_comment_aggregate_id(&event.aggregate_id)
    else {
        return Ok(true);
    };
    let id = *comment_id.as_uuid();
    let seq = i64::from(event.sequence);
    match turn(tx, "consultation_comments", "comment_id", id, seq).await? {
        Turn::Done => return Ok(true),
        Turn::Early => return Ok(false),
        Turn::Next => {}
    }
    let update = |sql: &'static str| sqlx::query(sql).bind(id).bind(seq);
    match decoded {
        CommentEvent::CommentPosted(_) | CommentEvent::CommentRepliedTo(_) => {
            update("UPDATE consultation_comments SET last_sequence = $2 WHERE comment_id = $1")
                .execute(&mut *tx)
                .await?;
        }
        CommentEvent::CommentEdited(e) => {
            sqlx::query(
                "INSERT INTO comment_edits (comment_id, sequence, previous_text, edited_at)
                 SELECT comment_id, $2, text, $3 FROM consultation_comments WHERE comment_id = $1",
            )
            .bind(id)
            .bind(seq)
            .bind(e.edited_at)
            .execute(&mut *tx)
            .await?;
            update(
                "UPDATE consultation_comments SET last_sequence = $2, text = $3, edited_at = $4, edits = edits + 1
                  WHERE comment_id = $1",
            )
            .bind(e.text)
            .bind(e.edited_at)
            .execute(&mut *tx)
            .await?;
        }
        CommentEvent::CommentHidden(e) => {
            update(
                "UPDATE consultation_comments SET last_sequence = $2, hidden_at = $3, hide_reason = $4,
                        hide_explanation = $5 WHERE comment_id = $1",
            )
            .bind(e.hidden_at)
            .bind(hide_code(e.reason))
            .bind(e.explanation)
            .execute(&mut *tx)
            .await?;
        }
        CommentEvent::CommentFlagsDismissed(e) => {
            update(
                "UPDATE consultation_comments SET last_sequence = $2,
                        flags_dismissed = GREATEST(flags_dismissed, $3) WHERE comment_id = $1",
            )
            .bind(i32::try_from(e.flags_seen).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await?;
        }
        CommentEvent::ProposalAnswered(e) => {
            let reason = serde_json::to_value(&e.reason).unwrap_or(Value::Null);
            let changed_version = e.changed.as_ref().map(|c| int(c.version));
            let changed_path = e.changed.as_ref().map(|c| c.path.to_string());
            let duplicate_of = e.duplicate_of.map(|d| *d.as_uuid());
            sqlx::query(
                "INSERT INTO comment_answers (comment_id, sequence, by_body, disposition, reason, changed_version,
                                              changed_path, duplicate_of, answered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(seq)
            .bind(e.by.as_str())
            .bind(disposition_code(e.disposition))
            .bind(&reason)
            .bind(changed_version)
            .bind(&changed_path)
            .bind(duplicate_of)
            .bind(e.answered_at)
            .execute(&mut *tx)
            .await?;
            update(
                "UPDATE consultation_comments SET last_sequence = $2, disposition = $3, answer_reason = $4,
                        changed_version = $5, changed_path = $6, duplicate_of = $7, answered_at = $8,
                        answers = answers + 1
                  WHERE comment_id = $1",
            )
            .bind(disposition_code(e.disposition))
            .bind(reason)
            .bind(changed_version)
            .bind(changed_path)
            .bind(duplicate_of)
            .bind(e.answered_at)
            .execute(&mut *tx)
            .await?;
        }
        CommentEvent::CommentReanchored(e) => {
            let previous = sqlx::query(
                "SELECT consultation_id, anchor_path, anchor_method FROM consultation_comments WHERE comment_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let consultation: Uuid = previous.try_get("consultation_id")?;
            let old_path: Option<String> = previous.try_get("anchor_path")?;
            let old_method: String = previous.try_get("anchor_method")?;
            let counted_key = |path: Option<String>, orphaned: bool| match (path, orphaned) {
                (_, true) => None,
                (Some(path), false) => Some(path),
                (None, false) => Some(WHOLE_DRAFT.to_owned()),
            };
            let old_key = counted_key(old_path, old_method == "orphaned");
            let new_path = e.to.path.as_ref().map(ToString::to_string);
            let new_key = counted_key(new_path.clone(), e.method == AnchorMethod::Orphaned);
            if old_key != new_key {
                let mut paths = Vec::new();
                let mut deltas = Vec::new();
                if let Some(old) = old_key {
                    paths.push(old);
                    deltas.push(-1);
                }
                if let Some(new) = new_key {
                    paths.push(new);
                    deltas.push(1);
                }
                let consultations = vec![consultation; paths.len()];
                move_provision_counts(tx, &consultations, &paths, &deltas).await?;
            }
            sqlx::query(
                "INSERT INTO comment_anchorings (comment_id, sequence, from_version, from_path, to_version, to_path,
                                                 method, confidence, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(seq)
            .bind(int(e.from.version))
            .bind(e.from.path.as_ref().map(ToString::to_string))
            .bind(int(e.to.version))
            .bind(&new_path)
            .bind(method_code(e.method))
            .bind(i16::from(e.confidence))
            .bind(e.reanchored_at)
            .execute(&mut *tx)
            .await?;
            update(
                "UPDATE consultation_comments SET last_sequence = $2, anchor_version = $3, anchor_path = $4,
                        anchor_method = $5, anchor_confidence = $6 WHERE comment_id = $1",
            )
            .bind(int(e.to.version))
            .bind(new_path)
            .bind(method_code(e.method))
            .bind(i16::from(e.confidence))
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(true)
}
