//! The public query API: read-only, unauthenticated, over the read models (petitions and
//! consultations).
//!
//! It never touches the event store or the domain: everything it shows was projected into
//! `tyndau-read-model`'s tables, and that crate decides what the public may see. Handlers are
//! thin (extract, query, map); errors become problem+json in one place ([`ApiError`]).
//! Responses are cacheable for a second: counts move fast, and a shared cache in front absorbs
//! the crowd polling a viral petition. The API keeps pages for a fraction of that itself
//! (the page cache), so a crowd on one page costs PostgreSQL one query per period even without one.

mod cache;
mod consultations;
mod error;
mod openapi;
mod routes;

use serde::Deserialize;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tyndau_config::{DatabaseSettings, HttpSettings};
use tyndau_db::sqlx;

pub use cache::CacheSettings;
pub use error::ApiError;
pub use openapi::openapi;
pub use routes::{ListQuery, RejectionReasonInfo};

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    /// `[page_cache]`: the in-process cache of public pages.
    #[serde(default)]
    pub page_cache: CacheSettings,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8082).into())
}

pub struct QueryApi {
    pool: PgPool,
    settings: Settings,
}

impl QueryApi {
    /// Connects the pool. Migrations are the write side's job: a read replica may refuse DDL.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = tyndau_db::connect(&settings.database).await?;
        Ok(Self { pool, settings })
    }

    /// The whole application (API, OpenAPI document, health) with the shared middleware; tests
    /// serve it on port 0 or call it directly.
    pub fn router(pool: PgPool, http: &HttpSettings, cache: &CacheSettings) -> axum::Router {
        let checks = tyndau_http::HealthCheck::new().with("postgres", {
            let pool = pool.clone();
            move || tyndau_db::ping(pool.clone())
        });
        let app =
            routes::api(pool, cache::ResponseCache::new(cache)).merge(tyndau_http::health_routes(checks));
        tyndau_http::middleware::apply(app, http)
    }

    /// Serves until `shutdown`, then lets in-flight requests finish.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        let router = Self::router(self.pool, &self.settings.http, &self.settings.page_cache);
        tracing::info!(addr = %listener.local_addr()?, "query API started");
        tyndau_http::serve(listener, router, shutdown).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_configuration_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/tyndau.example.toml");
        let text = std::fs::read_to_string(path).expect("the example is readable");
        let settings: Settings = toml::from_str(&text).expect("the example parses");
        let defaults = CacheSettings::default();
        assert_eq!(settings.page_cache.ttl_ms, defaults.ttl_ms);
        assert_eq!(settings.page_cache.max_bytes, defaults.max_bytes);
    }
}
