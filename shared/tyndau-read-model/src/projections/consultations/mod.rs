//! The consultations projection: the public catalogue of consultations and their draft versions
//! (`consultation`), comment threads with answers and their history (`comment`), and agreement
//! and flag counts (`comment_reaction`). The outcome report is read from these tables.
//!
//! Each row carries the last applied sequence of its aggregate: an event applies only when it is
//! the next one, repeats are skipped and gaps are deferred, so redelivery and replays are
//! harmless. New comments, by far the most frequent event, are inserted in bulk per batch.

mod catalogue;
mod comments;
mod reactions;
mod sequence;

use sqlx::PgConnection;
use tyndau_db::projected::ProjectedEvent;
use tyndau_events::aggregate_types::{COMMENT, CONSULTATION, REACTION};
use tyndau_events::comment::CommentPosted;
use tyndau_events::{CommentEvent, ConsultationEvent, ReactionEvent};

use super::Applied;

/// The aggregates whose events this projection reads.
pub const AGGREGATES: &[&str] = &[CONSULTATION, COMMENT, REACTION];
/// Its tables, emptied before a rebuild.
pub const TABLES: &str = "consultation_view, consultation_versions, consultation_provisions,
    consultation_comments, consultation_provision_counts, comment_answers, comment_edits,
    comment_anchorings, comment_reactions";

/// Applies a batch inside the caller's transaction.
pub async fn apply(tx: &mut PgConnection, events: &[ProjectedEvent]) -> Result<Applied, sqlx::Error> {
    let mut outcome = Applied::default();
    // New comments wait here and go in together, until an event that may depend on them.
    let mut posted: Vec<(i64, CommentPosted)> = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let applied = match event.aggregate_type.as_str() {
            CONSULTATION => match event.decode::<ConsultationEvent>() {
                Ok(decoded) => {
                    comments::insert_posted(tx, std::mem::take(&mut posted)).await?;
                    catalogue::apply(tx, event, decoded).await?
                }
                Err(e) => skip_unreadable(event, &e),
            },
            COMMENT => match event.decode::<CommentEvent>() {
                Ok(CommentEvent::CommentPosted(e)) => {
                    posted.push((i64::from(event.sequence), e));
                    true
                }
                Ok(decoded) => {
                    comments::insert_posted(tx, std::mem::take(&mut posted)).await?;
                    comments::apply(tx, event, decoded).await?
                }
                Err(e) => skip_unreadable(event, &e),
            },
            REACTION => match event.decode::<ReactionEvent>() {
                Ok(decoded) => {
                    comments::insert_posted(tx, std::mem::take(&mut posted)).await?;
                    reactions::apply(tx, event, decoded).await?
                }
                Err(e) => skip_unreadable(event, &e),
            },
            _ => true,
        };
        if !applied {
            outcome.defer(index);
        }
    }
    comments::insert_posted(tx, posted).await?;
    Ok(outcome)
}

/// A payload that does not decode will not get better on retry: log it and move on.
fn skip_unreadable(event: &ProjectedEvent, error: &serde_json::Error) -> bool {
    tracing::error!(%error, id = %event.aggregate_id, event = %event.event_type, "unreadable event skipped");
    true
}
