//! Reaction events: agreement and flag counts on comments, exact under redelivery and reorder.
//! A reaction row keeps the last applied stance and its sequence; a later stance replaces it and
//! moves the counters by the difference, an earlier one is ignored (the latest stance is what
//! stands). A flag counts once, whenever it arrives.

use sqlx::{PgConnection, Row};
use tyndau_db::projected::ProjectedEvent;
use tyndau_events::ReactionEvent;
use tyndau_events::comment::Stance;

fn stance_code(stance: Stance) -> &'static str {
    match stance {
        Stance::Agree => "agree",
        Stance::Disagree => "disagree",
        Stance::None => "none",
    }
}

fn counts(stance: &str) -> (i32, i32) {
    match stance {
        "agree" => (1, 0),
        "disagree" => (0, 1),
        _ => (0, 0),
    }
}

pub(super) async fn apply(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: ReactionEvent,
) -> Result<bool, sqlx::Error> {
    let seq = i64::from(event.sequence);
    let (comment_id, new_stance, flag) = match &decoded {
        ReactionEvent::StanceTaken(e) => (*e.comment_id.as_uuid(), Some(stance_code(e.stance)), false),
        ReactionEvent::CommentFlagged(e) => (*e.comment_id.as_uuid(), None, true),
    };
    let current =
        sqlx::query("SELECT last_sequence, stance, flagged FROM comment_reactions WHERE reaction_id = $1")
            .bind(&event.aggregate_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (last, old_stance, flagged) = match current {
        Some(row) => (
            row.try_get::<i64, _>("last_sequence")?,
            row.try_get::<String, _>("stance")?,
            row.try_get::<bool, _>("flagged")?,
        ),
        None => (0, "none".to_owned(), false),
    };
    // Flags count once whatever the order; a stance applies only if newer than the one held.
    let stance_applies = new_stance.is_some() && seq > last;
    let flag_applies = flag && !flagged;
    if !stance_applies && !flag_applies {
        return Ok(true);
    }
    let stance = match new_stance {
        Some(new) if stance_applies => new.to_owned(),
        _ => old_stance.clone(),
    };
    let (old_agree, old_disagree) = counts(&old_stance);
    let (agree, disagree) = counts(&stance);
    let moved = sqlx::query(
        "UPDATE consultation_comments SET agree = agree + $2, disagree = disagree + $3, flags = flags + $4
          WHERE comment_id = $1",
    )
    .bind(comment_id)
    .bind(agree - old_agree)
    .bind(disagree - old_disagree)
    .bind(i32::from(flag_applies))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved == 0 {
        // The comment itself has not been projected yet.
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO comment_reactions (reaction_id, comment_id, last_sequence, stance, flagged)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (reaction_id) DO UPDATE
            SET last_sequence = excluded.last_sequence,
                stance = excluded.stance, flagged = excluded.flagged",
    )
    .bind(&event.aggregate_id)
    .bind(comment_id)
    .bind(if stance_applies { seq } else { last })
    .bind(&stance)
    .bind(flagged || flag_applies)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
