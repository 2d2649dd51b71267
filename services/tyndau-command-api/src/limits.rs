//! Abuse controls: rate limits per client address, per citizen, per petition, and comment flood
//! control per author. GCRA limiters from `governor`, keyed, in memory: each API instance limits
//! its own share, which is what a limiter in front of a horizontally scaled API does anyway.
//! A limit of 0 turns that limiter off.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use tyndau_http::ClientOrigin;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Requests per second from one client address (all commands). Behind a proxy, set
    /// `http.trust_forwarded_for` so the address is the client's, not the proxy's.
    pub per_address_per_s: u32,
    pub per_address_burst: u32,
    /// Commands per minute by one citizen.
    pub per_citizen_per_min: u32,
    pub per_citizen_burst: u32,
    /// Signatures per second on one petition: a ceiling far above any real crowd, against floods.
    pub per_petition_per_s: u32,
    /// Comments per minute by one author (flood control), with a small burst.
    pub comments_per_min: u32,
    pub comment_burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            per_address_per_s: 50,
            per_address_burst: 200,
            per_citizen_per_min: 60,
            per_citizen_burst: 20,
            per_petition_per_s: 20_000,
            comments_per_min: 6,
            comment_burst: 5,
        }
    }
}

/// Which limit a request ran into; part of the problem's detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitScope {
    Address,
    Citizen,
    Petition,
    Comments,
}

impl LimitScope {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Address => "too many requests from this network address",
            Self::Citizen => "too many commands from this citizen",
            Self::Petition => "too many signatures on this petition at once",
            Self::Comments => "too many comments in a short time",
        }
    }
}

struct Limiter<K: Hash + Eq + Clone> {
    inner: Option<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn new(per_period: u32, burst: u32, period: Duration) -> Self {
        let inner = NonZeroU32::new(per_period).and_then(|n| {
            let replenish = period.checked_div(n.get())?;
            let quota = Quota::with_period(replenish)?.allow_burst(NonZeroU32::new(burst.max(1))?);
            Some(RateLimiter::keyed(quota))
        });
        Self { inner }
    }

    fn check(&self, key: &K, scope: LimitScope) -> Result<(), ApiError> {
        let Some(limiter) = &self.inner else {
            return Ok(());
        };
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                scope,
                retry_after_s: wait.as_secs().saturating_add(1),
            }
        })
    }

    fn shrink(&self) {
        if let Some(limiter) = &self.inner {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

pub struct RateLimits {
    address: Limiter<IpAddr>,
    citizen: Limiter<String>,
    petition: Limiter<tyndau_ids::PetitionId>,
    comments: Limiter<String>,
}

impl RateLimits {
    pub fn new(settings: &RateLimitSettings) -> Arc<Self> {
        let limits = Arc::new(Self {
            address: Limiter::new(
                settings.per_address_per_s,
                settings.per_address_burst,
                Duration::from_secs(1),
            ),
            citizen: Limiter::new(
                settings.per_citizen_per_min,
                settings.per_citizen_burst,
                Duration::from_secs(60),
            ),
            petition: Limiter::new(
                settings.per_petition_per_s,
                settings.per_petition_per_s,
                Duration::from_secs(1),
            ),
            comments: Limiter::new(
                settings.comments_per_min,
                settings.comment_burst,
                Duration::from_secs(60),
            ),
        });
        // Forget idle keys now and then, so memory follows the active clients, not all of them.
        let weak = Arc::downgrade(&limits);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(60));
                loop {
                    tick.tick().await;
                    let Some(limits) = weak.upgrade() else { break };
                    limits.address.shrink();
                    limits.citizen.shrink();
                    limits.petition.shrink();
                    limits.comments.shrink();
                }
            });
        }
        limits
    }

    /// A citizen's (or an official's, by subject) commands.
    pub fn citizen(&self, key: &str) -> Result<(), ApiError> {
        self.citizen.check(&key.to_owned(), LimitScope::Citizen)
    }

    pub fn petition(&self, id: tyndau_ids::PetitionId) -> Result<(), ApiError> {
        self.petition.check(&id, LimitScope::Petition)
    }

    pub fn comment(&self, author: &str) -> Result<(), ApiError> {
        self.comments.check(&author.to_owned(), LimitScope::Comments)
    }
}

tokio::task_local! {
    /// The client network of the request being handled, for the events' metadata.
    static ORIGIN: Option<String>;
}

/// The current request's client network (inside [`guard`]), `None` elsewhere.
pub fn current_origin() -> Option<String> {
    ORIGIN.try_with(Clone::clone).ok().flatten()
}

/// Per-address limit for every command, and the client network recorded for the request's events.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let origin = ClientOrigin::of(&parts);
    if let Some(addr) = origin.addr
        && let Err(limited) = state.limits.address.check(&addr, LimitScope::Address)
    {
        return limited.into_response();
    }
    let request = Request::from_parts(parts, body);
    ORIGIN.scope(origin.network(), next.run(request)).await
}
