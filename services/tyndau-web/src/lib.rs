//! The public web front: server-rendered pages in Kazakh, Russian and English over the read
//! models, with the signature counter of a petition kept live over Server-Sent Events.
//!
//! Read side only: everything shown comes from `tyndau-read-model`, never from the event store
//! or the domain. Pages are plain HTML from compiled, auto-escaping templates (askama); the one
//! script (`/static/live.js`) only moves the live counter, so every page works without it.
//! Every HTML response carries a strict Content-Security-Policy: no inline script or style.
//!
//! People also act here ([`account`]): they sign in through the identity provider (OpenID
//! Connect), and every action is a form whose post the web front turns into a call to the
//! command API with their token. The web front holds no rule of its own.

pub mod account;
mod assets;
mod bodies;
mod cache;
mod charts;
mod feeds;
pub mod i18n;
pub mod live;
mod office;
mod pages;
mod routes;
mod verify;
mod views;

use std::sync::Arc;

use serde::Deserialize;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tyndau_config::{DatabaseSettings, HttpSettings};
use tyndau_db::sqlx;

pub use live::LiveHub;

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    #[serde(default)]
    pub site: SiteSettings,
    /// The identity provider; without it the site is read-only.
    #[serde(default)]
    pub oidc: Option<account::OidcSettings>,
    #[serde(default)]
    pub session: account::SessionSettings,
    #[serde(default)]
    pub command_api: account::CommandApiSettings,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8087).into())
}

/// What the pages link to outside this service, and where this site is.
#[derive(Clone, Debug, Deserialize)]
pub struct SiteSettings {
    /// The query API's public base URL: outcome reports link to its CSV and JSON downloads.
    #[serde(default = "SiteSettings::default_query_api_url")]
    pub query_api_url: String,
    /// This site's public origin (`https://host`): forms must come from it.
    #[serde(default = "SiteSettings::default_public_url")]
    pub public_url: String,
    /// The public transparency log's base URL and the keys that verify it, for the "check the
    /// counts yourself" page; without them the page says the log is not configured.
    #[serde(default)]
    pub ledger_url: Option<String>,
    #[serde(default)]
    pub ledger_key: Option<String>,
    #[serde(default)]
    pub witness_key: Option<String>,
}

impl SiteSettings {
    fn default_query_api_url() -> String {
        "http://127.0.0.1:8082".to_owned()
    }

    fn default_public_url() -> String {
        "http://127.0.0.1:8087".to_owned()
    }

    pub fn with_query_api(url: &str) -> Self {
        Self {
            query_api_url: url.trim_end_matches('/').to_owned(),
            public_url: Self::default_public_url(),
            ledger_url: None,
            ledger_key: None,
            witness_key: None,
        }
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self::with_query_api(&Self::default_query_api_url())
    }
}

pub struct Web {
    pool: PgPool,
    settings: Settings,
    accounts: Option<Arc<account::Accounts>>,
}

impl Web {
    /// Connects the pool (lazily checked by `/ready`); the web front never migrates.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        // The interface texts load now, not at the first page.
        i18n::check()?;
        let pool = tyndau_db::connect(&settings.database).await?;
        let accounts = match &settings.oidc {
            Some(oidc) => Some(Arc::new(account::Accounts::new(
                Arc::new(account::Oidc::new(oidc.clone())?),
                &settings.command_api,
                settings.session.clone(),
                &settings.site.public_url,
            )?)),
            None => {
                tracing::warn!("no [oidc] settings: the site is read-only (no sign-in)");
                None
            }
        };
        Ok(Self {
            pool,
            settings,
            accounts,
        })
    }

    /// Serves until `shutdown`; live streams end first so in-flight pages can drain.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        let mut tasks = Vec::new();
        if let Some(accounts) = &self.accounts {
            tasks.push(accounts.oidc().spawn_discovery(shutdown.child_token()));
            tasks.push(account::spawn_session_sweeper(
                self.pool.clone(),
                std::time::Duration::from_secs(300),
                shutdown.child_token(),
            ));
        }
        let router = router_with(
            self.pool,
            &self.settings.http,
            &self.settings.site,
            self.accounts,
            shutdown.child_token(),
        );
        tracing::info!(addr = %listener.local_addr()?, "web front started");
        tyndau_http::serve(listener, router, shutdown).await?;
        for task in tasks {
            task.abort();
        }
        Ok(())
    }
}

/// The whole application with the default site settings; tests serve it on port 0.
pub fn router(pool: PgPool, http: &HttpSettings) -> axum::Router {
    router_with(
        pool,
        http,
        &SiteSettings::default(),
        None,
        CancellationToken::new(),
    )
}

/// The whole application: pages, live counts, static files, health, with the shared middleware.
/// Cancelling `shutdown` ends the live streams.
pub fn router_with(
    pool: PgPool,
    http: &HttpSettings,
    site: &SiteSettings,
    accounts: Option<Arc<account::Accounts>>,
    shutdown: CancellationToken,
) -> axum::Router {
    let checks = tyndau_http::HealthCheck::new().with("postgres", {
        let pool = pool.clone();
        move || tyndau_db::ping(pool.clone())
    });
    let state = routes::App {
        hub: LiveHub::new(pool.clone(), live::POLL_INTERVAL, shutdown),
        pool,
        site: Arc::new(SiteSettings {
            query_api_url: site.query_api_url.trim_end_matches('/').to_owned(),
            public_url: site.public_url.trim_end_matches('/').to_owned(),
            ledger_url: site
                .ledger_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            ledger_key: site.ledger_key.clone(),
            witness_key: site.witness_key.clone(),
        }),
        caches: Arc::new(cache::Caches::default()),
        accounts,
    };
    let app = routes::router(state).merge(tyndau_http::health_routes(checks));
    tyndau_http::middleware::apply(app, http)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_configuration_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/tyndau.example.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let settings: Settings = toml::from_str(&text).unwrap();
        let oidc = settings.oidc.unwrap();
        assert_eq!(oidc.client_id, "tyndau-web");
        assert!(settings.session.secure_cookie);
        assert!(settings.session.cookie_name.starts_with("__Host-"));
        assert_eq!(settings.site.public_url, "https://tyndau.kz");
    }
}
