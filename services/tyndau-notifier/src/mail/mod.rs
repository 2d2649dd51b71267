//! Email: drains the outbox the notifications projection fills, over pooled SMTP connections.
//!
//! Rows are leased (`SKIP LOCKED`, so senders can share an outbox), written in the person's
//! language, sent a few at a time under a rate limit, and settled as the relay answers: taken →
//! sent (marked in small groups, so a crash re-sends few); 4xx → again later with backoff; a
//! permanent refusal of the address → the address is disabled and the person sees why; relay
//! unreachable → the rows go back untouched and the sender waits. A crash between the relay's
//! 250 and the mark re-sends with the same `Message-ID`.
//!
//! Digests: people who chose daily or weekly email get one message per period with everything
//! new, grouped by petition or consultation, and none when nothing is new.

pub mod compose;
pub mod relay;
pub mod texts;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::Message;
use lettre::transport::smtp::response::Response;
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use tyndau_auth::links::UnsubscribeLinks;
use tyndau_auth::seal::SubjectKey;
use tyndau_config::ExposeSecret;
use tyndau_events::sealed::SealedText;
use tyndau_read_model::ReadError;
use tyndau_read_model::delivery::{self, DueEmail, OutboxKey, PERSONAL_KEY_PETITION};
use tyndau_telemetry::metrics::NOTIFICATIONS_QUEUED;

use crate::settings::MailSettings;
use compose::Composer;
use relay::{Relay, SendError};

/// How often the outboxes are counted for `/metrics`.
const QUEUE_COUNT_EVERY: Duration = Duration::from_secs(5);

/// Sent marks are written in groups this size: the most a crash can make us send twice.
const MARK_EVERY: usize = 64;
/// The longest wait between retries of one email, and for an unreachable relay.
const MAX_BACKOFF_SECS: f64 = 3_600.0;
const MAX_RELAY_WAIT: Duration = Duration::from_secs(30);

/// What the relay made of one email.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Sent,
    /// 4xx: try again later.
    Later,
    /// 5xx about the address: disable it (the reply code is kept, never the address).
    AddressRefused(String),
    /// 5xx about this message: give it up.
    Refused(String),
    /// No answer at all (connection refused, timeout, TLS).
    Unreachable,
}

fn outcome(result: &Result<Response, SendError>) -> Outcome {
    let error = match result {
        Ok(_) => return Outcome::Sent,
        Err(SendError::Unreachable) => return Outcome::Unreachable,
        Err(SendError::Smtp(error)) => error,
    };
    match error.status() {
        Some(code) if error.is_permanent() => {
            let code = code.to_string();
            // 550/551/553: mailbox unavailable, not local, name not allowed.
            if matches!(code.as_str(), "550" | "551" | "553") {
                Outcome::AddressRefused(code)
            } else {
                Outcome::Refused(code)
            }
        }
        Some(_) => Outcome::Later,
        None => Outcome::Unreachable,
    }
}

pub struct Sender {
    pool: PgPool,
    relay: Relay,
    composer: Arc<Composer>,
    limiter: Option<DefaultDirectRateLimiter>,
    settings: MailSettings,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Sender {
    pub fn new(pool: PgPool, settings: &MailSettings, link_secret: &[u8]) -> anyhow::Result<Self> {
        let links = UnsubscribeLinks::new(link_secret)
            .map_err(|e| anyhow::anyhow!("notifications.link_secret: {e}"))?;
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from {:?}: {e}", settings.from))?;
        let composer = Composer::new(
            texts::Texts::load()?,
            links,
            from,
            &settings.public_url,
            settings.message_id_domain.clone(),
        );
        let relay = Relay::from_url(
            settings.smtp_url.expose_secret(),
            settings.connections,
            Duration::from_secs(settings.timeout_secs),
        )?;
        let limiter = NonZeroU32::new(settings.per_second).map(|n| RateLimiter::direct(Quota::per_second(n)));
        Ok(Self {
            pool,
            relay,
            composer: Arc::new(composer),
            limiter,
            settings: settings.clone(),
        })
    }

    /// Sends until `shutdown`; a database or relay failure waits and tries again.
    pub async fn run(self, shutdown: CancellationToken) {
        let idle = Duration::from_millis(self.settings.idle_poll_ms.max(10));
        let digest_every = Duration::from_secs(self.settings.digest_poll_secs.max(1));
        let mut relay_wait = Duration::ZERO;
        let mut next_digests = tokio::time::Instant::now();
        tracing::info!(
            connections = self.settings.connections,
            per_second = self.settings.per_second,
            "mail sender started"
        );
        let mut next_count = tokio::time::Instant::now();
        while !shutdown.is_cancelled() {
            if tokio::time::Instant::now() >= next_digests {
                if let Err(error) = self.send_digests().await {
                    tracing::warn!(error = %error, "digests failed; trying again later");
                }
                next_digests = tokio::time::Instant::now() + digest_every;
            }
            if tokio::time::Instant::now() >= next_count {
                self.count_queued().await;
                next_count = tokio::time::Instant::now() + QUEUE_COUNT_EVERY;
            }
            let pause = match self.send_due().await {
                Ok(Round { handled: 0, .. }) => idle,
                Ok(Round {
                    unreachable: true, ..
                }) => {
                    relay_wait = (relay_wait * 2).clamp(Duration::from_millis(250), MAX_RELAY_WAIT);
                    tracing::warn!(
                        wait_ms = relay_wait.as_millis() as u64,
                        "the mail relay is unreachable; mail waits in the outbox"
                    );
                    relay_wait
                }
                Ok(_) => {
                    relay_wait = Duration::ZERO;
                    Duration::ZERO
                }
                Err(error) => {
                    tracing::warn!(error = %error, "the outbox could not be read; trying again");
                    Duration::from_secs(1)
                }
            };
            if !pause.is_zero() {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
        tracing::info!("mail sender stopped");
    }

    /// What waits in the outboxes, as gauges; a failed count keeps the last one.
    async fn count_queued(&self) {
        match delivery::queued(&self.pool).await {
            Ok((email, webhook)) => {
                metrics::gauge!(NOTIFICATIONS_QUEUED, "channel" => "email").set(email as f64);
                metrics::gauge!(NOTIFICATIONS_QUEUED, "channel" => "webhook").set(webhook as f64);
            }
            Err(error) => tracing::warn!(error = %error, "could not count the queued notifications"),
        }
    }

    /// One round: lease due emails, send them, settle each.
    pub async fn send_due(&self) -> Result<Round, ReadError> {
        let due = delivery::lease_emails(&self.pool, self.settings.batch, self.settings.lease_secs).await?;
        if due.is_empty() {
            return Ok(Round::default());
        }
        let handled = due.len();
        let addresses = self
            .open_addresses(due.iter().map(|d| (d.recipient.as_str(), d.email.as_ref())))
            .await?;
        let about: Vec<String> = due.iter().map(|d| d.about.clone()).collect();
        let contents = delivery::contents(&self.pool, &about).await?;
        let now = OffsetDateTime::now_utc();

        let mut settle = Settle::default();
        let mut outgoing = Vec::with_capacity(due.len());
        for item in due {
            let key = OutboxKey {
                recipient: item.recipient.clone(),
                event_key: item.event_key.clone(),
            };
            let Some(address) = addresses.get(&item.recipient) else {
                settle.given_up.push((key, "no address"));
                continue;
            };
            match self.composer.notification(&item, address, &contents, now) {
                Ok(message) => outgoing.push((item, key, message)),
                Err(error) => {
                    tracing::warn!(recipient = %item.recipient, error = %error, "an email could not be written; given up");
                    settle.given_up.push((key, "unwritable"));
                }
            }
        }

        let mut results = futures::stream::iter(outgoing)
            .map(|(item, key, message)| async move {
                let result = self.send(message).await;
                (item, key, outcome(&result))
            })
            .buffer_unordered(self.settings.connections.max(1) as usize);
        while let Some((item, key, outcome)) = results.next().await {
            settle.add(&self.settings, &item, key, outcome);
            if settle.sent.len() >= MARK_EVERY {
                self.flush_sent(&mut settle).await?;
            }
        }
        drop(results);
        self.flush_sent(&mut settle).await?;
        let unreachable = !settle.unreachable.is_empty();
        self.settle_rest(settle).await?;
        Ok(Round { handled, unreachable })
    }

    async fn send(&self, message: Message) -> Result<Response, SendError> {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        self.relay.send(&message).await
    }

    async fn flush_sent(&self, settle: &mut Settle) -> Result<(), ReadError> {
        let sent = std::mem::take(&mut settle.sent);
        delivery::mark_sent(&self.pool, &sent).await?;
        Ok(())
    }

    async fn settle_rest(&self, settle: Settle) -> Result<(), ReadError> {
        for (delay, keys) in settle.later {
            delivery::retry_later(&self.pool, &keys, delay).await?;
        }
        // Back without an attempt counted; the round's pause is the wait.
        delivery::release(&self.pool, &settle.unreachable, 1.0).await?;
        for (recipient, code) in settle.bounced {
            tracing::warn!(%recipient, code = %code, "the relay refused an address for good; it is disabled");
            delivery::bounce(&self.pool, &recipient, &code).await?;
        }
        let mut reasons: HashMap<&str, Vec<OutboxKey>> = HashMap::new();
        for (key, reason) in settle.given_up {
            reasons.entry(reason).or_default().push(key);
        }
        for (reason, keys) in reasons {
            delivery::give_up(&self.pool, &keys, reason).await?;
        }
        Ok(())
    }

    /// The addresses of `people`, opened with their personal keys; erased people (no key) and
    /// those without an address are left out.
    async fn open_addresses<'a>(
        &self,
        people: impl Iterator<Item = (&'a str, Option<&'a SealedText>)>,
    ) -> Result<HashMap<String, String>, ReadError> {
        let sealed: Vec<(&str, &SealedText)> = people.filter_map(|(r, e)| e.map(|e| (r, e))).collect();
        let subjects: Vec<(uuid::Uuid, String)> = sealed
            .iter()
            .map(|(r, _)| (PERSONAL_KEY_PETITION, (*r).to_owned()))
            .collect();
        let keys = tyndau_db::subject_keys::keys_of(&self.pool, &subjects).await?;
        Ok(sealed
            .into_iter()
            .filter_map(|(recipient, email)| {
                let key = keys.get(&(PERSONAL_KEY_PETITION, recipient.to_owned()))?;
                let key = SubjectKey::from_bytes(key).ok()?;
                let address = key.open(&delivery::email_seal_subject(recipient), email)?;
                Some((recipient.to_owned(), address))
            })
            .collect())
    }

    /// Sends the digests that are due.
    pub async fn send_digests(&self) -> Result<usize, ReadError> {
        let due = delivery::digests_due(&self.pool, 200).await?;
        let addresses = self
            .open_addresses(due.iter().map(|d| (d.recipient.as_str(), Some(&d.email))))
            .await?;
        let mut sent = 0;
        for digest in due {
            let Some(address) = addresses.get(&digest.recipient) else {
                continue;
            };
            let items = delivery::digest_items(&self.pool, &digest.recipient, digest.after, 200).await?;
            let Some(upto) = items.last().map(|i| i.id) else {
                continue;
            };
            let about: Vec<String> = items.iter().map(|i| i.about.clone()).collect();
            let contents = delivery::contents(&self.pool, &about).await?;
            let message = match self.composer.digest(
                &digest.recipient,
                &digest.language,
                address,
                &items,
                &contents,
                OffsetDateTime::now_utc(),
            ) {
                Ok(message) => message,
                Err(error) => {
                    tracing::warn!(recipient = %digest.recipient, error = %error, "a digest could not be written");
                    continue;
                }
            };
            match outcome(&self.send(message).await) {
                Outcome::Sent => {
                    delivery::digest_sent(&self.pool, &digest.recipient, upto).await?;
                    sent += 1;
                }
                Outcome::AddressRefused(code) => {
                    delivery::bounce(&self.pool, &digest.recipient, &code).await?
                }
                Outcome::Unreachable => break,
                Outcome::Later | Outcome::Refused(_) => {}
            }
        }
        Ok(sent)
    }
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Round {
    pub handled: usize,
    /// The relay could not be reached for at least one email.
    pub unreachable: bool,
}

/// The results of a round, grouped for a few statements.
#[derive(Default)]
struct Settle {
    sent: Vec<OutboxKey>,
    /// Keyed by the delay (as whole seconds) before the next attempt.
    later: Vec<(f64, Vec<OutboxKey>)>,
    unreachable: Vec<OutboxKey>,
    bounced: Vec<(String, String)>,
    given_up: Vec<(OutboxKey, &'static str)>,
}

impl Settle {
    fn add(&mut self, settings: &MailSettings, item: &DueEmail, key: OutboxKey, outcome: Outcome) {
        match outcome {
            Outcome::Sent => self.sent.push(key),
            Outcome::Later if item.attempts >= settings.max_attempts => {
                self.given_up.push((key, "temporary failures"))
            }
            Outcome::Later => {
                let delay = 2_f64.powi(item.attempts).min(MAX_BACKOFF_SECS);
                match self.later.iter_mut().find(|(d, _)| *d == delay) {
                    Some((_, keys)) => keys.push(key),
                    None => self.later.push((delay, vec![key])),
                }
            }
            Outcome::AddressRefused(code) => {
                self.given_up.push((key, "address refused"));
                self.bounced.push((item.recipient.clone(), code));
            }
            Outcome::Refused(_) => self.given_up.push((key, "refused by the relay")),
            Outcome::Unreachable => self.unreachable.push(key),
        }
    }
}
