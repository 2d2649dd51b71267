//! The notifications projection: who follows what (`notification_subscriptions`) and what each
//! participant is told (`notifications`, the in-app inbox).
//!
//! Signing or starting a petition subscribes a citizen to it. A petition's signers are not rows
//! here: a fan-out reads them from the log, each signature aggregate's latest event up to the
//! notifying event's place in the log, so a withdrawal or an invalidation ends a signer's
//! subscription and a signature writes nothing in this projection (ADR 0014). Posting a proposal
//! subscribes its author to its answers and replies and to the consultation's new versions and
//! report. People also follow petitions, consultations and state bodies, and stop subscriptions
//! (`notification_choices`, theirs). Each notifying event fans out to the subject's subscribers
//! and followers in one statement, keyed by (recipient, event): a redelivery, a replay or a crash
//! mid-batch never notifies anyone twice, and 100,000 signers are one statement, not 100,000
//! round trips. The same statement queues the email of those who take it at once
//! (`notification_outbox`), and public events queue a delivery for each matching webhook endpoint
//! (ADR 0012). An erasure forgets the person's subscriptions, inbox and queued mail, and the
//! signatures they made before it stop reaching them (`notification_erased`).
//!
//! Unlike the other projections this one is not idempotent by natural key alone (a fan-out
//! reads the subscriptions as they are now), so it applies each event once and in commit order:
//! the bus only wakes it; the events come from the log after its checkpoint.
//!
//! Details carry codes and ids, never texts: the inbox is rendered in the reader's language
//! from the read models when it is read.

use serde_json::{Value, json};
use sqlx::PgConnection;
use tyndau_db::projected::ProjectedEvent;
use tyndau_events::aggregate_types::{COMMENT, CONSULTATION, PETITION, PRIVACY};
use tyndau_events::comment::{CommentAuthor, parse_comment_aggregate_id};
use tyndau_events::{CommentEvent, ConsultationEvent, PetitionEvent, PrivacyEvent};

use super::Applied;

/// The projection's name: its checkpoint, durable consumer and lock.
pub const NAME: &str = "notifications";
/// The aggregates whose events this projection reads. Not signatures: a fan-out reads a
/// petition's signers from the log when it needs them.
pub const AGGREGATES: &[&str] = &[PETITION, CONSULTATION, COMMENT, PRIVACY];
/// Its tables, emptied before a rebuild.
pub const TABLES: &str =
    "notification_subscriptions, notifications, notification_topics, notification_erased";
/// What it writes but a rebuild keeps: the email outbox and the webhook deliveries, what was
/// owed or already sent (a rebuild must not send anything again).
pub const KEPT: &str = "notification_outbox, webhook_deliveries";

/// The kinds that are public record, and so go to webhooks too (as `petition.answered`, …).
const PUBLIC_KINDS: &[&str] = &[
    "petition_published",
    "petition_rejected",
    "petition_threshold_reached",
    "petition_answered",
    "petition_answer_overdue",
    "petition_closed",
    "petition_stopped",
    "proposal_answered",
    "consultation_opened",
    "consultation_version",
    "consultation_report",
];

/// Emails and webhooks go out for events younger than this when projected: a rebuild, or a notifier
/// that was down for days, tells the inbox but does not mail about old news.
const SEND_WITHIN_HOURS: i32 = 48;

/// A subscription by default: an author's or a proposal's.
struct Subscribe {
    subject: String,
    recipient: String,
    reason: &'static str,
}

/// One notification to every subscriber of `subject` (but `except`, the one who caused it) and,
/// when `followers` says so, to whoever follows what it is about.
struct Notify<'a> {
    subject: String,
    kind: &'static str,
    about: String,
    details: Value,
    except: Option<String>,
    followers: Followers,
    event: &'a ProjectedEvent,
}

/// Who follows along besides the subscribers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Followers {
    /// Nobody: the event concerns its subscribers alone (an author, a proposal's author).
    None,
    /// Followers of the petition or consultation.
    Subject,
    /// Those, and followers of the state body it is addressed to.
    SubjectAndBody,
}

/// Applies a batch inside the caller's transaction.
pub async fn apply(tx: &mut PgConnection, events: &[ProjectedEvent]) -> Result<Applied, sqlx::Error> {
    for event in &in_log_order(tx, events).await? {
        match event.aggregate_type.as_str() {
            PETITION => match event.decode::<PetitionEvent>() {
                Ok(decoded) => petition(tx, event, decoded).await?,
                Err(error) => skip_unreadable(event, &error),
            },
            COMMENT => match event.decode::<CommentEvent>() {
                Ok(decoded) => comment(tx, event, decoded).await?,
                Err(error) => skip_unreadable(event, &error),
            },
            CONSULTATION => match event.decode::<ConsultationEvent>() {
                Ok(decoded) => consultation(tx, event, decoded).await?,
                Err(error) => skip_unreadable(event, &error),
            },
            PRIVACY => match event.decode::<PrivacyEvent>() {
                Ok(PrivacyEvent::PersonalDataErased(e)) => forget(tx, &e.citizen.to_string(), event).await?,
                Err(error) => skip_unreadable(event, &error),
            },
            _ => {}
        }
    }
    Ok(Applied::default())
}

/// The events up to the newest of `delivered`, read from the log after the checkpoint, in commit
/// order. Notifying is not idempotent by key alone (a fan-out reads the subscriptions as they
/// are now), and the bus redelivers an unacknowledged batch after later ones: so the delivered
/// messages only say how far the log is known to be complete, and the events themselves come
/// from the log, each once. (The relay publishes a position only once every transaction before
/// it has finished, so the log holds everything up to it.)
async fn in_log_order(
    tx: &mut PgConnection,
    delivered: &[ProjectedEvent],
) -> Result<Vec<ProjectedEvent>, sqlx::Error> {
    use tyndau_db::eventlog::{self, CheckpointTable};
    let Some(upto) = delivered.iter().map(|e| e.position).max() else {
        return Ok(Vec::new());
    };
    let mut cursor = eventlog::load_checkpoint(&mut *tx, CheckpointTable::Projector, NAME).await?;
    let mut events = Vec::new();
    while cursor < upto {
        let page = eventlog::read_snapshot_of_after(&mut *tx, AGGREGATES, cursor, 1_000).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        events.extend(
            page.into_iter()
                .filter(|e| e.position <= upto)
                .map(ProjectedEvent::from_store),
        );
        cursor = last;
    }
    Ok(events)
}

async fn petition(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: PetitionEvent,
) -> Result<(), sqlx::Error> {
    let subject = format!("petition:{}", event.aggregate_id);
    let notify = |kind: &'static str, details: Value| Notify {
        subject: subject.clone(),
        kind,
        about: subject.clone(),
        details,
        except: None,
        followers: Followers::Subject,
        event,
    };
    let notify_body = |kind: &'static str, details: Value| Notify {
        followers: Followers::SubjectAndBody,
        ..notify(kind, details)
    };
    match decoded {
        PetitionEvent::PetitionDrafted(e) => {
            topic(tx, &subject, &e.addressee.body.to_string()).await?;
            subscribe(
                tx,
                vec![Subscribe {
                    subject: subject.clone(),
                    recipient: e.author.to_string(),
                    reason: "author",
                }],
            )
            .await?;
        }
        // Only the author follows it yet: these two reach the author alone.
        PetitionEvent::PetitionPublished(_) => {
            fan_out(
                tx,
                Notify {
                    followers: Followers::None,
                    ..notify("petition_published", json!({}))
                },
            )
            .await?
        }
        PetitionEvent::PetitionRejected(e) => {
            fan_out(
                tx,
                Notify {
                    followers: Followers::None,
                    ..notify(
                        "petition_rejected",
                        json!({ "reason": e.reason, "explanation": e.explanation }),
                    )
                },
            )
            .await?;
        }
        PetitionEvent::PetitionThresholdReached(e) => {
            fan_out(
                tx,
                notify_body(
                    "petition_threshold_reached",
                    json!({ "signatures": e.signatures, "answer_due": e.answer_due }),
                ),
            )
            .await?;
        }
        PetitionEvent::PetitionAnswered(e) => {
            fan_out(
                tx,
                notify_body(
                    "petition_answered",
                    json!({ "decision": e.decision, "by": e.answered_by }),
                ),
            )
            .await?;
        }
        PetitionEvent::PetitionAnswerOverdue(_) => {
            fan_out(tx, notify("petition_answer_overdue", json!({}))).await?
        }
        PetitionEvent::PetitionClosed(e) => {
            fan_out(
                tx,
                notify(
                    "petition_closed",
                    json!({ "outcome": e.outcome, "final_count": e.final_count }),
                ),
            )
            .await?;
        }
        PetitionEvent::PetitionStopped(e) => {
            fan_out(
                tx,
                notify(
                    "petition_stopped",
                    json!({ "reason": e.reason, "explanation": e.explanation }),
                ),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

async fn comment(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: CommentEvent,
) -> Result<(), sqlx::Error> {
    let Some((consultation, comment)) = parse_comment_aggregate_id(&event.aggregate_id) else {
        tracing::error!(id = %event.aggregate_id, "a comment event with an unreadable id skipped");
        return Ok(());
    };
    let subject = format!("comment:{comment}");
    let about = format!("consultation:{consultation}");
    match decoded {
        CommentEvent::CommentPosted(e) => {
            let author = match &e.author {
                CommentAuthor::Citizen { key } => Some(key.to_string()),
                CommentAuthor::Organisation { .. } => None,
            };
            if let Some(parent) = e.parent {
                // A reply: the parent's author hears of it (not the replier, if it is them).
                fan_out(
                    tx,
                    Notify {
                        subject: format!("comment:{parent}"),
                        kind: "comment_replied",
                        about: about.clone(),
                        details: json!({ "comment": parent, "reply": comment }),
                        except: author.clone(),
                        followers: Followers::None,
                        event,
                    },
                )
                .await?;
            }
            if let Some(author) = author.filter(|_| e.depth == 0) {
                subscribe(
                    tx,
                    vec![
                        Subscribe {
                            subject: subject.clone(),
                            recipient: author.clone(),
                            reason: "proposal",
                        },
                        Subscribe {
                            subject: about.clone(),
                            recipient: author,
                            reason: "proposal",
                        },
                    ],
                )
                .await?;
            }
        }
        CommentEvent::ProposalAnswered(e) => {
            fan_out(
                tx,
                Notify {
                    subject,
                    kind: "proposal_answered",
                    about,
                    details: json!({
                        "comment": comment,
                        "disposition": e.disposition,
                        "changed": e.changed.map(|c| json!({ "version": c.version, "path": c.path })),
                    }),
                    except: None,
                    followers: Followers::None,
                    event,
                },
            )
            .await?;
        }
        CommentEvent::CommentHidden(e) => {
            fan_out(
                tx,
                Notify {
                    subject,
                    kind: "comment_hidden",
                    about,
                    details: json!({ "comment": comment, "reason": e.reason, "explanation": e.explanation }),
                    except: None,
                    followers: Followers::None,
                    event,
                },
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

async fn consultation(
    tx: &mut PgConnection,
    event: &ProjectedEvent,
    decoded: ConsultationEvent,
) -> Result<(), sqlx::Error> {
    let subject = format!("consultation:{}", event.aggregate_id);
    let (kind, details, followers) = match decoded {
        ConsultationEvent::ConsultationDrafted(e) => return topic(tx, &subject, &e.body.to_string()).await,
        // Nobody is subscribed to a draft yet: this reaches the body's followers.
        ConsultationEvent::ConsultationOpened(_) => {
            ("consultation_opened", json!({}), Followers::SubjectAndBody)
        }
        ConsultationEvent::DraftVersionPublished(e) => (
            "consultation_version",
            json!({ "version": e.version }),
            Followers::Subject,
        ),
        ConsultationEvent::OutcomeReportPublished(_) => {
            ("consultation_report", json!({}), Followers::SubjectAndBody)
        }
        _ => return Ok(()),
    };
    fan_out(
        tx,
        Notify {
            about: subject.clone(),
            subject,
            kind,
            details,
            except: None,
            followers,
            event,
        },
    )
    .await
}

async fn subscribe(tx: &mut PgConnection, pending: Vec<Subscribe>) -> Result<(), sqlx::Error> {
    if pending.is_empty() {
        return Ok(());
    }
    let mut subjects = Vec::with_capacity(pending.len());
    let mut recipients = Vec::with_capacity(pending.len());
    let mut reasons = Vec::with_capacity(pending.len());
    for s in pending {
        subjects.push(s.subject);
        recipients.push(s.recipient);
        reasons.push(s.reason);
    }
    sqlx::query(
        "INSERT INTO notification_subscriptions (subject, recipient, reason)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])
         ON CONFLICT (subject, recipient) DO NOTHING",
    )
    .bind(&subjects)
    .bind(&recipients)
    .bind(&reasons)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The state body a petition or consultation is addressed to, for the body's followers.
async fn topic(tx: &mut PgConnection, subject: &str, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_topics (subject, body) VALUES ($1, $2)
         ON CONFLICT (subject) DO UPDATE SET body = EXCLUDED.body",
    )
    .bind(subject)
    .bind(body)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One statement however many are told: the subscribers, the petition's signers as of this
/// event's place in the log, and the followers (less those who stopped this subscription) get the
/// notification, and those who take email at once get an outbox row in the same transaction.
async fn fan_out(tx: &mut PgConnection, notify: Notify<'_>) -> Result<(), sqlx::Error> {
    let event = notify.event;
    let key = format!(
        "{}:{}:{}",
        event.aggregate_type, event.aggregate_id, event.sequence
    );
    let signers_of = notify.subject.strip_prefix("petition:");
    sqlx::query(
        "WITH followed AS (
             SELECT $4::text AS subject WHERE $8 >= 1
             UNION ALL
             SELECT 'body:' || body FROM notification_topics WHERE subject = $4 AND $8 >= 2
         ), recipients AS (
             SELECT recipient FROM notification_subscriptions WHERE subject = $1
             UNION
             SELECT s.signer FROM petition_signers_as_of($10, $11::text::xid8, $12) s
              WHERE $10::text IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM notification_erased x
                                 WHERE x.recipient = s.signer
                                   AND (x.tx_id, x.global_position) > (s.tx_id, s.global_position))
             UNION
             SELECT c.recipient FROM notification_choices c JOIN followed f ON c.subject = f.subject
              WHERE c.choice = 'follow'
         ), told AS (
             INSERT INTO notifications (recipient, event_key, kind, subject, details, occurred_at)
             SELECT r.recipient, $2, $3, $4, $5, $6 FROM recipients r
              WHERE r.recipient IS DISTINCT FROM $7
                AND NOT EXISTS (SELECT 1 FROM notification_choices m
                                 WHERE m.recipient = r.recipient AND m.subject = $1 AND m.choice = 'mute')
             ON CONFLICT (recipient, event_key) DO NOTHING
             RETURNING recipient
         )
         INSERT INTO notification_outbox (recipient, event_key, channel, due_at)
         SELECT t.recipient, $2, 'email', now() FROM told t
           JOIN notification_settings s ON s.recipient = t.recipient
          WHERE s.frequency = 'immediate' AND s.email_state = 'active'
            AND $6 > now() - make_interval(hours => $9)
         ON CONFLICT DO NOTHING",
    )
    .bind(&notify.subject)
    .bind(&key)
    .bind(notify.kind)
    .bind(&notify.about)
    .bind(&notify.details)
    .bind(event.occurred_at)
    .bind(notify.except.as_deref())
    .bind(match notify.followers {
        Followers::None => 0_i32,
        Followers::Subject => 1,
        Followers::SubjectAndBody => 2,
    })
    .bind(SEND_WITHIN_HOURS)
    .bind(signers_of)
    .bind(event.position.tx_id.to_string())
    .bind(event.position.global_position)
    .execute(&mut *tx)
    .await?;
    if PUBLIC_KINDS.contains(&notify.kind) {
        hook(tx, &notify, &key).await?;
    }
    Ok(())
}

/// One delivery per active webhook endpoint that takes this subject (or everything), in the
/// Standard Webhooks payload shape; the sender signs it when it goes.
async fn hook(tx: &mut PgConnection, notify: &Notify<'_>, key: &str) -> Result<(), sqlx::Error> {
    let kind = notify.kind.replacen('_', ".", 1);
    let payload = json!({
        "type": kind,
        "timestamp": notify.event.occurred_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "data": { "subject": notify.about, "details": notify.details },
    });
    sqlx::query(
        "INSERT INTO webhook_deliveries (endpoint_id, event_key, message_id, kind, payload, due_at)
         SELECT e.endpoint_id, $1, 'msg_' || md5(e.endpoint_id::text || $1), $2, $3, now()
           FROM webhook_endpoints e
          WHERE e.state = 'active'
            AND (cardinality(e.topics) = 0
                 OR e.topics && (ARRAY[$4::text] || ARRAY(SELECT 'body:' || body FROM notification_topics WHERE subject = $4)))
            AND $5 > now() - make_interval(hours => $6)
         ON CONFLICT DO NOTHING",
    )
    .bind(key)
    .bind(&kind)
    .bind(&payload)
    .bind(&notify.about)
    .bind(notify.event.occurred_at)
    .bind(SEND_WITHIN_HOURS)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn forget(tx: &mut PgConnection, recipient: &str, erasure: &ProjectedEvent) -> Result<(), sqlx::Error> {
    // Nothing more is mailed to them, even what was queued before the erasure.
    sqlx::query("DELETE FROM notification_outbox WHERE recipient = $1 AND sent_at IS NULL")
        .bind(recipient)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM notification_subscriptions WHERE recipient = $1")
        .bind(recipient)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM notifications WHERE recipient = $1")
        .bind(recipient)
        .execute(&mut *tx)
        .await?;
    // The petitions they signed before now come from the log: mark where they were forgotten.
    sqlx::query(
        "INSERT INTO notification_erased (recipient, tx_id, global_position, erased_at)
         VALUES ($1, $2::text::xid8, $3, $4)
         ON CONFLICT (recipient) DO UPDATE
            SET tx_id = EXCLUDED.tx_id, global_position = EXCLUDED.global_position, erased_at = EXCLUDED.erased_at",
    )
    .bind(recipient)
    .bind(erasure.position.tx_id.to_string())
    .bind(erasure.position.global_position)
    .bind(erasure.occurred_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A payload that does not decode will not get better on retry: log it and move on.
fn skip_unreadable(event: &ProjectedEvent, error: &serde_json::Error) {
    tracing::error!(%error, id = %event.aggregate_id, event = %event.event_type, "unreadable event skipped");
}
