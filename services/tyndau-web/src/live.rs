//! Live signature counts over Server-Sent Events, with one poller per watched petition.
//!
//! The first viewer of a petition starts a task that reads its count from PostgreSQL every
//! [`POLL_INTERVAL`] and publishes it on a `watch` channel; every further viewer only
//! subscribes. When the poller finds no subscriber left it removes itself, under the same lock
//! subscribers take, so a viewer arriving at that moment starts a fresh poller instead of
//! joining a dying one. 2,000 viewers of one petition therefore cost one small query per
//! interval, and a `watch` channel hands each of them only the latest value (a slow client
//! skips stale counts rather than queueing them).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tyndau_db::sqlx;
use tyndau_ids::PetitionId;
use tyndau_read_model::{ReadError, SignatureCount};

use crate::i18n::{self, Lang};

/// Between two reads of a watched count: updates reach viewers well within a second.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// Comment lines keep idle connections (and proxies) from timing out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting after the stream ends.
const RETRY: Duration = Duration::from_secs(3);

/// A petition's count as viewers see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub signatures: i64,
    pub threshold: Option<i32>,
}

impl From<&SignatureCount> for Snapshot {
    fn from(count: &SignatureCount) -> Self {
        Self {
            signatures: count.signatures,
            threshold: count.threshold,
        }
    }
}

#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    pool: PgPool,
    interval: Duration,
    watchers: Mutex<HashMap<PetitionId, watch::Sender<Snapshot>>>,
    shutdown: CancellationToken,
}

impl LiveHub {
    /// Pollers stop when `shutdown` is cancelled, which ends every stream so a graceful
    /// shutdown is not held up by open connections.
    pub fn new(pool: PgPool, interval: Duration, shutdown: CancellationToken) -> Self {
        Self {
            inner: Arc::new(Inner {
                pool,
                interval,
                watchers: Mutex::new(HashMap::new()),
                shutdown,
            }),
        }
    }

    /// How many petitions have a running poller.
    pub fn watched(&self) -> usize {
        self.inner.lock().len()
    }

    /// Subscribes to `id`'s count, starting its poller if nobody watches it yet. `current` is
    /// the count the caller just read: the first value of a new channel.
    pub fn subscribe(&self, id: PetitionId, current: Snapshot) -> watch::Receiver<Snapshot> {
        let mut watchers = self.inner.lock();
        if let Some(sender) = watchers.get(&id) {
            return sender.subscribe();
        }
        let (sender, receiver) = watch::channel(current);
        watchers.insert(id, sender.clone());
        drop(watchers);
        tokio::spawn(poll(Arc::clone(&self.inner), id, sender));
        receiver
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PetitionId, watch::Sender<Snapshot>>> {
        // The map stays consistent whatever a panicking holder did: entries are only inserted
        // or removed whole.
        self.watchers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Removes `sender`'s entry if it is still the one registered for `id`.
    fn forget(&self, id: PetitionId, sender: &watch::Sender<Snapshot>) {
        let mut watchers = self.lock();
        if watchers.get(&id).is_some_and(|s| s.same_channel(sender)) {
            watchers.remove(&id);
        }
    }
}

async fn poll(inner: Arc<Inner>, id: PetitionId, sender: watch::Sender<Snapshot>) {
    let mut ticker = tokio::time::interval(inner.interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            () = inner.shutdown.cancelled() => break,
            _ = ticker.tick() => {}
        }
        {
            // Checked under the subscribers' lock: nobody can join between the check and the
            // removal.
            let mut watchers = inner.lock();
            if sender.receiver_count() == 0 {
                if watchers.get(&id).is_some_and(|s| s.same_channel(&sender)) {
                    watchers.remove(&id);
                }
                return;
            }
        }
        match tyndau_read_model::petition_count(&inner.pool, id).await {
            Ok(Some(count)) => {
                failing = false;
                let fresh = Snapshot::from(&count);
                sender.send_if_modified(|current| {
                    let changed = *current != fresh;
                    *current = fresh;
                    changed
                });
            }
            // No longer public: nothing more to show.
            Ok(None) => break,
            Err(error) => {
                // Logged once per outage, not four times a second; viewers keep the last count.
                if !failing {
                    log_failure(&error);
                }
                failing = true;
            }
        }
    }
    inner.forget(id, &sender);
}

fn log_failure(error: &ReadError) {
    tyndau_telemetry::log_error_chain("polling a live count failed", error);
}

/// The SSE response for one viewer: the current count at once, then every change.
pub fn stream(
    lang: Lang,
    receiver: watch::Receiver<Snapshot>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let events = futures::stream::unfold((receiver, true), move |(mut receiver, first)| async move {
        if !first {
            receiver.changed().await.ok()?;
        }
        let snapshot = *receiver.borrow_and_update();
        let mut event = Event::default().event("count").data(payload(lang, snapshot));
        if first {
            event = event.retry(RETRY);
        }
        Some((Ok(event), (receiver, false)))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// The event's JSON: raw numbers for the progress bar, and the texts formatted as the page
/// formats them, so the script does no localisation of its own.
pub fn payload(lang: Lang, snapshot: Snapshot) -> String {
    let threshold = snapshot.threshold.filter(|t| *t > 0).map(i64::from);
    let label = match threshold {
        Some(threshold) => i18n::count_of_threshold(lang, snapshot.signatures, threshold),
        None => i18n::signatures(lang, snapshot.signatures),
    };
    serde_json::json!({
        "signatures": snapshot.signatures,
        "threshold": threshold,
        "text": i18n::number(lang, snapshot.signatures),
        "label": label,
    })
    .to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;

    #[test]
    fn payload_carries_numbers_and_localised_texts() {
        let snapshot = Snapshot {
            signatures: 12_345,
            threshold: Some(50_000),
        };
        let json: serde_json::Value = serde_json::from_str(&payload(Lang::En, snapshot)).unwrap();
        assert_eq!(json["signatures"], 12_345);
        assert_eq!(json["threshold"], 50_000);
        assert_eq!(json["text"], "12,345");
        assert_eq!(json["label"], "12,345 of 50,000 signatures");
        let json: serde_json::Value = serde_json::from_str(&payload(
            Lang::Ru,
            Snapshot {
                signatures: 2,
                threshold: None,
            },
        ))
        .unwrap();
        assert_eq!(json["label"], "2 подписи");
        assert!(json["threshold"].is_null());
    }

    /// One poller per petition however many subscribe, and it goes when the last one leaves.
    #[tokio::test]
    async fn one_poller_per_petition_stopped_with_the_last_viewer() {
        // A lazy pool never connects: the poller's reads fail, which it survives.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(Duration::from_millis(50))
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .unwrap();
        let hub = LiveHub::new(pool, Duration::from_millis(10), CancellationToken::new());
        let id = PetitionId::new();
        let snapshot = Snapshot {
            signatures: 7,
            threshold: Some(100),
        };
        let viewers: Vec<_> = (0..2_000).map(|_| hub.subscribe(id, snapshot)).collect();
        assert_eq!(hub.watched(), 1);
        assert_eq!(*viewers[1_999].borrow(), snapshot);
        let other = hub.subscribe(PetitionId::new(), snapshot);
        assert_eq!(hub.watched(), 2);
        drop(viewers);
        drop(other);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while hub.watched() > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "pollers outlived their viewers"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // A new viewer after that starts a new poller.
        let _again = hub.subscribe(id, snapshot);
        assert_eq!(hub.watched(), 1);
    }
}
