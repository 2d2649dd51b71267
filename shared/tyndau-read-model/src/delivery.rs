//! Delivering notifications beyond the inbox: what each person chose (language, email address,
//! how often, follows and stops), the email outbox the notifier drains, digests, and the
//! one-click unsubscribe links already used.
//!
//! The command API writes a person's choices (it alone turns a signed-in citizen into their
//! pseudonym); the notifier's sender leases, sends and settles outbox rows. A rebuild of the
//! notifications projection keeps all of it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_events::sealed::SealedText;
use tyndau_ids::SignerKey;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ReadError;

/// How often a person wants email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// One email per notification, as it happens.
    Immediate,
    /// One email a day with everything new, grouped by petition or consultation.
    Daily,
    /// The same, once a week.
    Weekly,
    /// No email; the inbox on "My page" still has everything.
    Off,
}

impl Frequency {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Off => "off",
        }
    }

    fn parse(code: &str) -> Result<Self, ReadError> {
        Ok(match code {
            "immediate" => Self::Immediate,
            "daily" => Self::Daily,
            "weekly" => Self::Weekly,
            "off" => Self::Off,
            other => return Err(inconsistent("frequency", other)),
        })
    }

    const fn is_digest(self) -> bool {
        matches!(self, Self::Daily | Self::Weekly)
    }
}

/// Whether mail can go to the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmailState {
    /// No address given.
    None,
    /// Mail goes to it.
    Active,
    /// The receiving server refused it for good; nothing is sent until an address is given again.
    Bounced,
}

impl EmailState {
    fn parse(code: &str) -> Result<Self, ReadError> {
        Ok(match code {
            "none" => Self::None,
            "active" => Self::Active,
            "bounced" => Self::Bounced,
            other => return Err(inconsistent("email_state", other)),
        })
    }
}

/// A person's stored settings; the address stays sealed here.
#[derive(Clone, Debug)]
pub struct StoredSettings {
    /// `kk`, `ru` or `en`.
    pub language: String,
    pub frequency: Frequency,
    pub email: Option<SealedText>,
    pub email_state: EmailState,
    /// The receiving server's reply when it refused the address for good.
    pub email_problem: Option<String>,
}

/// What the person asks to store. `email: None` removes the address.
#[derive(Clone, Debug)]
pub struct NewSettings {
    pub language: String,
    pub frequency: Frequency,
    pub email: Option<SealedText>,
}

/// The "subject" of a seal: what binds a sealed address to its owner.
pub fn email_seal_subject(recipient: impl std::fmt::Display) -> String {
    format!("{recipient}:email")
}

/// The key a person's own data (not tied to one petition) is sealed under, in `subject_keys`.
/// Erasure deletes it with the rest of their keys, shredding the address.
pub const PERSONAL_KEY_PETITION: Uuid = Uuid::nil();

pub async fn settings(pool: &PgPool, recipient: SignerKey) -> Result<Option<StoredSettings>, ReadError> {
    let row = sqlx::query(
        "SELECT language, frequency, email, email_state, email_problem
           FROM notification_settings WHERE recipient = $1",
    )
    .bind(recipient.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let email: Option<Value> = row.try_get("email")?;
        Ok(StoredSettings {
            language: row.try_get("language")?,
            frequency: Frequency::parse(row.try_get("frequency")?)?,
            email: email
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| inconsistent("email", &e.to_string()))?,
            email_state: EmailState::parse(row.try_get("email_state")?)?,
            email_problem: row.try_get("email_problem")?,
        })
    })
    .transpose()
}

/// Stores the settings. A new address is active again (a bounce is forgotten); switching to a
/// digest starts it from now: the first one comes a period later, with only what is new.
pub async fn save_settings(pool: &PgPool, recipient: SignerKey, new: &NewSettings) -> Result<(), ReadError> {
    let email = new
        .email
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| inconsistent("email", &e.to_string()))?;
    sqlx::query(
        "INSERT INTO notification_settings AS s
                (recipient, language, frequency, email, email_state, digest_upto, digest_sent_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $4 IS NULL THEN 'none' ELSE 'active' END,
                 (SELECT coalesce(max(id), 0) FROM notifications WHERE recipient = $1), now())
         ON CONFLICT (recipient) DO UPDATE SET
             language = EXCLUDED.language,
             frequency = EXCLUDED.frequency,
             email = EXCLUDED.email,
             email_state = CASE
                 WHEN EXCLUDED.email IS NULL THEN 'none'
                 WHEN s.email_state = 'bounced' AND s.email = EXCLUDED.email THEN 'bounced'
                 ELSE 'active' END,
             email_problem = CASE
                 WHEN s.email_state = 'bounced' AND s.email = EXCLUDED.email THEN s.email_problem END,
             digest_upto = CASE
                 WHEN $5 AND s.frequency NOT IN ('daily', 'weekly') THEN EXCLUDED.digest_upto
                 ELSE s.digest_upto END,
             digest_sent_at = CASE
                 WHEN $5 AND s.frequency NOT IN ('daily', 'weekly') THEN now()
                 ELSE s.digest_sent_at END,
             updated_at = now()",
    )
    .bind(recipient.to_string())
    .bind(&new.language)
    .bind(new.frequency.code())
    .bind(email)
    .bind(new.frequency.is_digest())
    .execute(pool)
    .await?;
    Ok(())
}

/// First settings at sign-in (the sign-in's language, the provider's verified address); never
/// overwrites what the person chose. Whether they were stored.
pub async fn default_settings(
    pool: &PgPool,
    recipient: SignerKey,
    new: &NewSettings,
) -> Result<bool, ReadError> {
    let email = new
        .email
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| inconsistent("email", &e.to_string()))?;
    let done = sqlx::query(
        "INSERT INTO notification_settings (recipient, language, frequency, email, email_state, digest_upto)
         VALUES ($1, $2, $3, $4, CASE WHEN $4 IS NULL THEN 'none' ELSE 'active' END,
                 (SELECT coalesce(max(id), 0) FROM notifications WHERE recipient = $1))
         ON CONFLICT (recipient) DO NOTHING",
    )
    .bind(recipient.to_string())
    .bind(&new.language)
    .bind(new.frequency.code())
    .bind(email)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A person's choice about one subject (`petition:<id>`, `consultation:<id>`, `body:<id>`,
/// `comment:<id>`): follow it, stop it, or (None) back to the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Follow,
    Mute,
}

impl Choice {
    const fn code(self) -> &'static str {
        match self {
            Self::Follow => "follow",
            Self::Mute => "mute",
        }
    }
}

pub async fn choose(
    pool: &PgPool,
    recipient: SignerKey,
    subject: &str,
    choice: Option<Choice>,
) -> Result<(), ReadError> {
    match choice {
        Some(choice) => {
            sqlx::query(
                "INSERT INTO notification_choices (recipient, subject, choice) VALUES ($1, $2, $3)
                 ON CONFLICT (recipient, subject) DO UPDATE SET choice = EXCLUDED.choice, chosen_at = now()",
            )
            .bind(recipient.to_string())
            .bind(subject)
            .bind(choice.code())
            .execute(pool)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM notification_choices WHERE recipient = $1 AND subject = $2")
                .bind(recipient.to_string())
                .bind(subject)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// Whether a subject can be followed or stopped: a public petition or consultation, a comment,
/// or a state body (any well-formed body id).
pub async fn subject_exists(pool: &PgPool, subject: &str) -> Result<bool, ReadError> {
    let Some((kind, id)) = subject.split_once(':') else {
        return Ok(false);
    };
    let query = match kind {
        "body" => return Ok(true),
        "petition" => {
            "SELECT EXISTS (SELECT 1 FROM petition_view WHERE petition_id = $1
                             AND status IN ('rejected', 'open', 'closed', 'stopped', 'archived'))"
        }
        "consultation" => {
            "SELECT EXISTS (SELECT 1 FROM consultation_view WHERE consultation_id = $1
                             AND status IN ('open', 'closed', 'report_published'))"
        }
        "comment" => "SELECT EXISTS (SELECT 1 FROM consultation_comments WHERE comment_id = $1)",
        _ => return Ok(false),
    };
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(false);
    };
    Ok(sqlx::query_scalar(query).bind(id).fetch_one(pool).await?)
}

/// One thing a person hears about, and why.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Subscription {
    /// `petition:<id>`, `consultation:<id>`, `body:<id>` or `comment:<id>`.
    pub subject: String,
    /// Why they are subscribed by default: `signed`, `author`, `proposal`; null when only
    /// followed.
    pub reason: Option<String>,
    /// What they chose: `follow`, `mute` (stopped), or null (the default).
    pub choice: Option<Choice>,
    /// Whether they hear about it now.
    pub active: bool,
}

/// Everything a person is subscribed to or chose, newest choices first, then by subject.
pub async fn subscriptions(pool: &PgPool, recipient: SignerKey) -> Result<Vec<Subscription>, ReadError> {
    let rows = sqlx::query(
        "SELECT coalesce(s.subject, c.subject) AS subject, s.reason, c.choice
           FROM (SELECT subject, reason FROM notification_subscriptions WHERE recipient = $1
                 UNION ALL
                 -- Signers are not subscription rows (ADR 0014): the petitions they signed and
                 -- still sign, unless they were erased since or are its author.
                 SELECT 'petition:' || t.petition_id, 'signed' FROM signature_tally t
                  WHERE t.signer = $1 AND t.recorded AND t.withdrawn_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM notification_erased x
                                     WHERE x.recipient = $1 AND x.erased_at >= t.signed_at)
                    AND NOT EXISTS (SELECT 1 FROM notification_subscriptions n
                                     WHERE n.recipient = $1 AND n.subject = 'petition:' || t.petition_id)) s
           FULL JOIN (SELECT subject, choice, chosen_at FROM notification_choices WHERE recipient = $1) c
             ON c.subject = s.subject
          ORDER BY c.chosen_at DESC NULLS LAST, 1
          LIMIT 500",
    )
    .bind(recipient.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let choice: Option<String> = row.try_get("choice")?;
            let choice = match choice.as_deref() {
                None => None,
                Some("follow") => Some(Choice::Follow),
                Some("mute") => Some(Choice::Mute),
                Some(other) => return Err(inconsistent("choice", other)),
            };
            Ok(Subscription {
                subject: row.try_get("subject")?,
                reason: row.try_get("reason")?,
                active: choice != Some(Choice::Mute),
                choice,
            })
        })
        .collect()
}

/// What a one-click link stops: one subscription, or all email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnsubscribeScope {
    Subject(String),
    AllEmail,
}

/// Uses a one-click link once: records its id and applies it in one transaction. `false` when
/// the link was used before (nothing changes).
pub async fn unsubscribe(
    pool: &PgPool,
    link_id: &str,
    recipient: SignerKey,
    scope: &UnsubscribeScope,
) -> Result<bool, ReadError> {
    let mut tx = pool.begin().await?;
    let fresh =
        sqlx::query("INSERT INTO unsubscribe_links_used (link_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(link_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if !fresh {
        return Ok(false);
    }
    match scope {
        UnsubscribeScope::Subject(subject) => {
            sqlx::query(
                "INSERT INTO notification_choices (recipient, subject, choice) VALUES ($1, $2, 'mute')
                 ON CONFLICT (recipient, subject) DO UPDATE SET choice = 'mute', chosen_at = now()",
            )
            .bind(recipient.to_string())
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        }
        UnsubscribeScope::AllEmail => {
            sqlx::query(
                "UPDATE notification_settings SET frequency = 'off', updated_at = now() WHERE recipient = $1",
            )
            .bind(recipient.to_string())
            .execute(&mut *tx)
            .await?;
        }
    }
    // What was queued for them and is now stopped is not sent.
    sqlx::query(
        "UPDATE notification_outbox o SET failed = 'unsubscribed'
           FROM notifications n
          WHERE o.recipient = $1 AND o.sent_at IS NULL AND o.failed IS NULL
            AND n.recipient = o.recipient AND n.event_key = o.event_key
            AND ($2::text IS NULL OR n.subject = $2 OR 'comment:' || (n.details->>'comment') = $2)",
    )
    .bind(recipient.to_string())
    .bind(match scope {
        UnsubscribeScope::Subject(subject) => Some(subject.as_str()),
        UnsubscribeScope::AllEmail => None,
    })
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Erasure: the person's settings and choices go (the address with them; its key is deleted
/// too), and nothing queued for them is sent.
pub async fn forget(pool: &PgPool, recipient: SignerKey) -> Result<(), ReadError> {
    let recipient = recipient.to_string();
    let mut tx = pool.begin().await?;
    for statement in [
        "DELETE FROM notification_settings WHERE recipient = $1",
        "DELETE FROM notification_choices WHERE recipient = $1",
        "DELETE FROM notification_outbox WHERE recipient = $1 AND sent_at IS NULL",
    ] {
        sqlx::query(statement).bind(&recipient).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An outbox row the sender leased, with what it needs to write the email.
#[derive(Clone, Debug)]
pub struct DueEmail {
    pub recipient: String,
    pub event_key: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    pub notification_id: i64,
    pub kind: String,
    /// `petition:<id>` or `consultation:<id>`.
    pub about: String,
    pub details: Value,
    pub occurred_at: OffsetDateTime,
    pub language: String,
    /// `None` when the address was removed or refused since the row was queued.
    pub email: Option<SealedText>,
}

/// The key of an outbox row.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OutboxKey {
    pub recipient: String,
    pub event_key: String,
}

/// Leases up to `limit` due emails for `lease` seconds: another sender (or this one after a
/// crash) takes them again only once the lease runs out. `SKIP LOCKED` lets senders share.
pub async fn lease_emails(pool: &PgPool, limit: i64, lease_secs: f64) -> Result<Vec<DueEmail>, ReadError> {
    let rows = sqlx::query(
        "WITH due AS (
             SELECT recipient, event_key, channel FROM notification_outbox
              WHERE sent_at IS NULL AND failed IS NULL AND due_at <= now()
              ORDER BY due_at
              LIMIT $1
              FOR UPDATE SKIP LOCKED
         ), leased AS (
             UPDATE notification_outbox o
                SET due_at = now() + make_interval(secs => $2), attempts = o.attempts + 1
               FROM due
              WHERE o.recipient = due.recipient AND o.event_key = due.event_key AND o.channel = due.channel
             RETURNING o.recipient, o.event_key, o.attempts
         )
         SELECT l.recipient, l.event_key, l.attempts, n.id, n.kind, n.subject, n.details, n.occurred_at,
                coalesce(s.language, 'kk') AS language,
                CASE WHEN s.email_state = 'active' THEN s.email END AS email
           FROM leased l
           JOIN notifications n ON n.recipient = l.recipient AND n.event_key = l.event_key
           LEFT JOIN notification_settings s ON s.recipient = l.recipient",
    )
    .bind(limit)
    .bind(lease_secs)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let email: Option<Value> = row.try_get("email")?;
            Ok(DueEmail {
                recipient: row.try_get("recipient")?,
                event_key: row.try_get("event_key")?,
                attempts: row.try_get("attempts")?,
                notification_id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                about: row.try_get("subject")?,
                details: row.try_get("details")?,
                occurred_at: row.try_get("occurred_at")?,
                language: row.try_get("language")?,
                email: email.and_then(|v| serde_json::from_value(v).ok()),
            })
        })
        .collect()
}

/// What happens to outbox rows after an attempt.
enum Settled<'a> {
    Sent,
    /// Again after this many seconds (an attempt counted).
    Retry(f64),
    /// Back after this many seconds, not counted as an attempt.
    Release(f64),
    GiveUp(&'a str),
}

/// One `UPDATE` of the email outbox rows `keys`.
async fn settle(pool: &PgPool, keys: &[OutboxKey], settled: Settled<'_>) -> Result<(), ReadError> {
    if keys.is_empty() {
        return Ok(());
    }
    let (recipients, events): (Vec<&str>, Vec<&str>) = keys
        .iter()
        .map(|k| (k.recipient.as_str(), k.event_key.as_str()))
        .unzip();
    let set = match settled {
        Settled::Sent => "sent_at = now()",
        Settled::Retry(_) => "due_at = now() + make_interval(secs => $3)",
        Settled::Release(_) => {
            "due_at = now() + make_interval(secs => $3), attempts = greatest(o.attempts - 1, 0)"
        }
        Settled::GiveUp(_) => "failed = $3",
    };
    let sql = format!(
        "UPDATE notification_outbox o SET {set}
           FROM UNNEST($1::text[], $2::text[]) AS k(recipient, event_key)
          WHERE o.recipient = k.recipient AND o.event_key = k.event_key AND o.channel = 'email'"
    );
    let query = sqlx::query(&sql).bind(&recipients).bind(&events);
    let query = match settled {
        Settled::Sent => query,
        Settled::Retry(secs) | Settled::Release(secs) => query.bind(secs),
        Settled::GiveUp(reason) => query.bind(reason),
    };
    query.execute(pool).await?;
    Ok(())
}

/// The receiving server took these.
pub async fn mark_sent(pool: &PgPool, keys: &[OutboxKey]) -> Result<(), ReadError> {
    settle(pool, keys, Settled::Sent).await
}

/// A temporary failure of these rows: try again after `delay_secs`.
pub async fn retry_later(pool: &PgPool, keys: &[OutboxKey], delay_secs: f64) -> Result<(), ReadError> {
    settle(pool, keys, Settled::Retry(delay_secs)).await
}

/// The relay could not be reached at all: hand the rows back untouched (not an attempt).
pub async fn release(pool: &PgPool, keys: &[OutboxKey], delay_secs: f64) -> Result<(), ReadError> {
    settle(pool, keys, Settled::Release(delay_secs)).await
}

/// These rows will never be sent (`reason` says why: no address, gave up after retries, …).
pub async fn give_up(pool: &PgPool, keys: &[OutboxKey], reason: &str) -> Result<(), ReadError> {
    settle(pool, keys, Settled::GiveUp(reason)).await
}

/// The receiving server refused the address for good: no more mail to it (the person sees why
/// on "My page"), and what was queued for it is dropped.
pub async fn bounce(pool: &PgPool, recipient: &str, problem: &str) -> Result<(), ReadError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE notification_settings SET email_state = 'bounced', email_problem = $2, updated_at = now()
          WHERE recipient = $1 AND email_state = 'active'",
    )
    .bind(recipient)
    .bind(problem)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE notification_outbox SET failed = 'address refused'
          WHERE recipient = $1 AND sent_at IS NULL AND failed IS NULL",
    )
    .bind(recipient)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Outbox rows not yet sent nor given up (for readiness figures and tests).
pub async fn pending_emails(pool: &PgPool) -> Result<i64, ReadError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM notification_outbox WHERE sent_at IS NULL AND failed IS NULL",
    )
    .fetch_one(pool)
    .await?)
}

/// A person whose digest is due.
#[derive(Clone, Debug)]
pub struct DueDigest {
    pub recipient: String,
    pub language: String,
    pub frequency: Frequency,
    pub email: SealedText,
    /// Covers notifications after this id.
    pub after: i64,
}

/// Up to `limit` people whose daily or weekly digest is due and who have something new: a
/// digest is never sent empty.
pub async fn digests_due(pool: &PgPool, limit: i64) -> Result<Vec<DueDigest>, ReadError> {
    let rows = sqlx::query(
        "SELECT s.recipient, s.language, s.frequency, s.email, s.digest_upto
           FROM notification_settings s
          WHERE s.frequency IN ('daily', 'weekly') AND s.email_state = 'active' AND s.email IS NOT NULL
            AND (s.digest_sent_at IS NULL
                 OR s.digest_sent_at <= now() - CASE s.frequency WHEN 'daily' THEN interval '1 day'
                                                                 ELSE interval '7 days' END)
            AND EXISTS (SELECT 1 FROM notifications n WHERE n.recipient = s.recipient AND n.id > s.digest_upto)
          LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let email: Value = row.try_get("email")?;
            Ok(DueDigest {
                recipient: row.try_get("recipient")?,
                language: row.try_get("language")?,
                frequency: Frequency::parse(row.try_get("frequency")?)?,
                email: serde_json::from_value(email).map_err(|e| inconsistent("email", &e.to_string()))?,
                after: row.try_get("digest_upto")?,
            })
        })
        .collect()
}

/// One line of a digest.
#[derive(Clone, Debug)]
pub struct DigestItem {
    pub id: i64,
    pub kind: String,
    pub about: String,
    pub details: Value,
    pub occurred_at: OffsetDateTime,
}

/// What a digest covers: the recipient's notifications after `after`, oldest first.
pub async fn digest_items(
    pool: &PgPool,
    recipient: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<DigestItem>, ReadError> {
    let rows = sqlx::query(
        "SELECT id, kind, subject, details, occurred_at FROM notifications
          WHERE recipient = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(recipient)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DigestItem {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                about: row.try_get("subject")?,
                details: row.try_get("details")?,
                occurred_at: row.try_get("occurred_at")?,
            })
        })
        .collect()
}

/// The digest up to notification `upto` went out.
pub async fn digest_sent(pool: &PgPool, recipient: &str, upto: i64) -> Result<(), ReadError> {
    sqlx::query(
        "UPDATE notification_settings SET digest_upto = greatest(digest_upto, $2), digest_sent_at = now()
          WHERE recipient = $1",
    )
    .bind(recipient)
    .bind(upto)
    .execute(pool)
    .await?;
    Ok(())
}

/// The content (titles in each language) of the petitions and consultations `subjects` name,
/// keyed by subject: for writing to people already told about them.
pub async fn contents(pool: &PgPool, subjects: &[String]) -> Result<HashMap<String, Value>, ReadError> {
    let mut petitions = Vec::new();
    let mut consultations = Vec::new();
    for subject in subjects {
        match subject.split_once(':') {
            Some(("petition", id)) => petitions.extend(Uuid::parse_str(id).ok()),
            Some(("consultation", id)) => consultations.extend(Uuid::parse_str(id).ok()),
            _ => {}
        }
    }
    let rows = sqlx::query(
        "SELECT 'petition:' || petition_id AS subject, content FROM petition_view
          WHERE petition_id = ANY($1)
         UNION ALL
         SELECT 'consultation:' || consultation_id, content FROM consultation_view
          WHERE consultation_id = ANY($2)",
    )
    .bind(&petitions)
    .bind(&consultations)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("subject")?, row.try_get("content")?)))
        .collect()
}

fn inconsistent(column: &'static str, value: &str) -> ReadError {
    ReadError::Inconsistent {
        column,
        value: value.to_owned(),
    }
}

/// What is owed and not yet delivered: emails, then webhook deliveries (for `/metrics`).
pub async fn queued(pool: &PgPool) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM notification_outbox WHERE sent_at IS NULL AND failed IS NULL),
                (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL)",
    )
    .fetch_one(pool)
    .await
}
