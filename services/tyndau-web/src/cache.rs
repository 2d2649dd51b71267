//! Short-lived caches for the aggregate pages.
//!
//! The home page and the statistics run several aggregate queries that every visitor would
//! otherwise repeat; a second or two of staleness is invisible next to the live counter, and a
//! crowd then costs one load per period. The lock is held while loading, so concurrent misses
//! wait for one load instead of stampeding the database.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::pages::{HomeData, StatsData};

/// Home lists: fresh enough for "fastest in the last hour".
const HOME_TTL: Duration = Duration::from_secs(2);
/// Participation over all petitions changes slowly and costs the most.
const STATS_TTL: Duration = Duration::from_secs(30);

pub(crate) struct Ttl<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> Ttl<T> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The cached value if younger than the TTL, else the result of `load` (cached on success).
    pub(crate) async fn get_or_load<E, F>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some((at, value)) = slot.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(load.await?);
        *slot = Some((Instant::now(), Arc::clone(&value)));
        Ok(value)
    }
}

pub(crate) struct Caches {
    pub(crate) home: Ttl<HomeData>,
    pub(crate) stats: Ttl<StatsData>,
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            home: Ttl::new(HOME_TTL),
            stats: Ttl::new(STATS_TTL),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;

    #[tokio::test]
    async fn loads_once_per_period_and_not_on_failure() {
        let cache: Ttl<u32> = Ttl::new(Duration::from_secs(60));
        assert!(
            cache
                .get_or_load(async { Err::<u32, &str>("down") })
                .await
                .is_err()
        );
        let first = cache.get_or_load(async { Ok::<_, &str>(1) }).await.unwrap();
        let second = cache.get_or_load(async { Ok::<_, &str>(2) }).await.unwrap();
        assert_eq!((*first, *second), (1, 1));
        let expired: Ttl<u32> = Ttl::new(Duration::ZERO);
        expired.get_or_load(async { Ok::<_, &str>(1) }).await.unwrap();
        assert_eq!(*expired.get_or_load(async { Ok::<_, &str>(2) }).await.unwrap(), 2);
    }
}
