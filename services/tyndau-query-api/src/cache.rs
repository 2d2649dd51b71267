//! A short-lived in-process cache of public responses (micro-caching).
//!
//! A viral petition or a contested article draws thousands of readers of the same page each
//! second. The responses already say `public, max-age=1`, so a shared cache may serve them a
//! second old; this one sits in the API itself, keeps each page for a fraction of that (`ttl`)
//! and lets one request per page and period reach PostgreSQL: concurrent misses of the same page
//! wait for the single query in flight (moka's `try_get_with`) instead of stampeding the
//! database. Only successful GETs marked `public` are stored; errors, `no-store` responses and
//! the streamed exports pass through untouched. The key is the path and query, exactly as sent:
//! nothing in these responses depends on headers or on who asks.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};
use serde::Deserialize;
use tyndau_http::Problem;

/// How long a page is kept, and how much memory the cache may take.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    /// How long a response is served from memory; 0 turns the cache off. Keep it at or under the
    /// responses' `max-age` (1 s).
    #[serde(default = "CacheSettings::default_ttl_ms")]
    pub ttl_ms: u64,
    /// The most response bytes kept at once (least recently used go first).
    #[serde(default = "CacheSettings::default_max_bytes")]
    pub max_bytes: u64,
}

impl CacheSettings {
    fn default_ttl_ms() -> u64 {
        250
    }

    fn default_max_bytes() -> u64 {
        64 * 1024 * 1024
    }

    /// No caching: every request reaches the read models (tests that read their own writes).
    pub fn off() -> Self {
        Self {
            ttl_ms: 0,
            ..Self::default()
        }
    }
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            ttl_ms: Self::default_ttl_ms(),
            max_bytes: Self::default_max_bytes(),
        }
    }
}

/// A response read to the end, ready to be sent again.
struct Stored {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Stored {
    fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }

    fn may_be_kept(&self) -> bool {
        self.status == StatusCode::OK
            && self.body.len() <= LARGEST_KEPT
            && self
                .headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("public"))
    }
}

/// The largest response kept: pages are small (at most 100 items); anything bigger is not a page.
const LARGEST_KEPT: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub(crate) struct ResponseCache {
    pages: moka::future::Cache<String, Arc<Stored>>,
}

impl ResponseCache {
    /// `None` when the settings turn caching off.
    pub(crate) fn new(settings: &CacheSettings) -> Option<Self> {
        if settings.ttl_ms == 0 {
            return None;
        }
        let pages = moka::future::Cache::builder()
            .max_capacity(settings.max_bytes)
            .weigher(|key: &String, page: &Arc<Stored>| {
                u32::try_from(key.len() + page.body.len()).unwrap_or(u32::MAX)
            })
            .time_to_live(Duration::from_millis(settings.ttl_ms))
            .build();
        Some(Self { pages })
    }
}

/// The middleware: serves a stored page, or runs the request once for everyone waiting on it.
pub(crate) async fn serve(State(cache): State<ResponseCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path().to_owned(), |p| p.as_str().to_owned());
    // A response that may not be stored comes back as the "error", so that every request that
    // waited on it gets it too, and nothing is kept.
    let fetched = cache
        .pages
        .try_get_with(key, async move {
            let stored = read_to_end(next.run(request).await).await?;
            if stored.may_be_kept() {
                Ok(Arc::new(stored))
            } else {
                Err(Passed::Whole(stored))
            }
        })
        .await;
    match fetched {
        Ok(page) => page.response(),
        Err(passed) => match &*passed {
            Passed::Whole(stored) => stored.response(),
            Passed::Unreadable(problem) => problem.clone().into_response(),
        },
    }
}

/// Why a response was not stored.
enum Passed {
    Whole(Stored),
    /// The body failed midway (the cause is logged).
    Unreadable(Problem),
}

/// Reads a whole response. The routes behind the cache answer with bodies already in memory
/// (JSON), so this copies nothing; the streamed CSV export is routed around the cache.
async fn read_to_end(response: Response) -> Result<Stored, Passed> {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => Ok(Stored {
            status: parts.status,
            headers: parts.headers,
            body,
        }),
        Err(error) => Err(Passed::Unreadable(Problem::internal(
            "a response could not be read for the cache",
            &error,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// A page that counts how often it was really computed and says so in its body.
    fn app(settings: &CacheSettings, computed: Arc<AtomicUsize>, delay: Duration) -> Router {
        let page = move |request: Request| {
            let computed = computed.clone();
            async move {
                tokio::time::sleep(delay).await;
                let n = computed.fetch_add(1, Ordering::SeqCst) + 1;
                let status = if request.uri().path() == "/missing" {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::OK
                };
                let cache_control = if request.uri().path() == "/private" {
                    "no-store"
                } else {
                    "public, max-age=1"
                };
                (
                    status,
                    [(header::CACHE_CONTROL, cache_control)],
                    format!("computed {n} for {}", request.uri()),
                )
            }
        };
        let router = Router::new().route("/{page}", get(page.clone()).post(page));
        match ResponseCache::new(settings) {
            Some(cache) => router.layer(axum::middleware::from_fn_with_state(cache, serve)),
            None => router,
        }
    }

    async fn call(app: &Router, method: Method, uri: &str) -> (StatusCode, String) {
        let request = http::Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    fn settings(ttl_ms: u64) -> CacheSettings {
        CacheSettings {
            ttl_ms,
            ..CacheSettings::default()
        }
    }

    #[tokio::test]
    async fn a_page_is_computed_once_per_period_and_query() {
        let computed = Arc::new(AtomicUsize::new(0));
        let app = app(&settings(60_000), computed.clone(), Duration::ZERO);
        let first = call(&app, Method::GET, "/threads?limit=20").await;
        assert_eq!(
            first,
            (StatusCode::OK, "computed 1 for /threads?limit=20".to_owned())
        );
        assert_eq!(call(&app, Method::GET, "/threads?limit=20").await, first);
        let other = call(&app, Method::GET, "/threads?limit=21").await;
        assert_eq!(other.1, "computed 2 for /threads?limit=21");
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_page_is_computed_again_once_its_time_is_up() {
        let computed = Arc::new(AtomicUsize::new(0));
        let app = app(&settings(30), computed.clone(), Duration::ZERO);
        assert_eq!(
            call(&app, Method::GET, "/threads").await.1,
            "computed 1 for /threads"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            call(&app, Method::GET, "/threads").await.1,
            "computed 2 for /threads"
        );
    }

    #[tokio::test]
    async fn errors_private_responses_and_other_methods_are_never_kept() {
        let computed = Arc::new(AtomicUsize::new(0));
        let app = app(&settings(60_000), computed.clone(), Duration::ZERO);
        for (method, uri) in [
            (Method::GET, "/missing"),
            (Method::GET, "/private"),
            (Method::POST, "/threads"),
        ] {
            let first = call(&app, method.clone(), uri).await;
            let second = call(&app, method, uri).await;
            assert_ne!(first.1, second.1, "{uri} was served from memory");
        }
        assert_eq!(call(&app, Method::GET, "/missing").await.0, StatusCode::NOT_FOUND);
        assert_eq!(computed.load(Ordering::SeqCst), 7);
    }

    #[tokio::test]
    async fn concurrent_misses_wait_for_one_computation() {
        let computed = Arc::new(AtomicUsize::new(0));
        let app = app(&settings(60_000), computed.clone(), Duration::from_millis(50));
        let crowd = (0..32).map(|_| call(&app, Method::GET, "/threads"));
        let answers = futures::future::join_all(crowd).await;
        assert!(
            answers
                .iter()
                .all(|a| a == &(StatusCode::OK, "computed 1 for /threads".to_owned()))
        );
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        // Responses that may not be kept reach everyone who waited, and are computed again after.
        let crowd = (0..8).map(|_| call(&app, Method::GET, "/missing"));
        let answers = futures::future::join_all(crowd).await;
        assert!(answers.iter().all(|a| a.0 == StatusCode::NOT_FOUND));
        assert!(computed.load(Ordering::SeqCst) >= 2);
    }

    #[tokio::test]
    async fn a_zero_period_turns_the_cache_off() {
        let computed = Arc::new(AtomicUsize::new(0));
        let app = app(&CacheSettings::off(), computed.clone(), Duration::ZERO);
        call(&app, Method::GET, "/threads").await;
        call(&app, Method::GET, "/threads").await;
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }
}
