//! The command API. Handlers are thin: extract (verified principal, validated body), build a
//! domain command, execute it, map the result; authorisation is decided in [`authz`], and every
//! error becomes a problem+json response in [`error`].

pub mod authz;
pub mod error;
pub mod limits;
mod openapi;
pub mod receipts;
mod routes;
mod settings;
mod state;

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio_util::sync::CancellationToken;
use tyndau_auth::{Pseudonymizer, Verifier};
use tyndau_config::ExposeSecret;

pub use openapi::openapi;
pub use settings::Settings;
pub use state::AppState;

pub struct CommandApi {
    state: AppState,
    settings: Settings,
}

impl CommandApi {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.check()?;
        let pool = tyndau_db::connect(&settings.database)
            .await
            .context("connecting to PostgreSQL")?;
        tyndau_db::check_durability(&pool)
            .await
            .map_err(anyhow::Error::msg)?;
        let verifier = Arc::new(
            Verifier::new(settings.auth.clone())
                .await
                .context("loading the token keys")?,
        );
        let pepper = hex::decode(settings.privacy.signer_pepper.expose_secret())
            .context("privacy.signer_pepper must be hex")?;
        let pseudonymizer =
            Pseudonymizer::new(pepper.into()).map_err(|e| anyhow::anyhow!("privacy.signer_pepper: {e}"))?;
        let link_secret = hex::decode(settings.notifications.link_secret.expose_secret())
            .context("notifications.link_secret must be hex")?;
        let links = tyndau_auth::links::UnsubscribeLinks::new(&link_secret)
            .map_err(|e| anyhow::anyhow!("notifications.link_secret: {e}"))?;
        let receipts = settings
            .privacy
            .receipt_key
            .as_ref()
            .map(|key| crate::receipts::Receipts::from_hex(key.expose_secret()).map(Arc::new))
            .transpose()?;
        let state = AppState::new(
            pool,
            verifier,
            Arc::new(pseudonymizer),
            Arc::new(links),
            receipts,
            &settings,
        );
        Ok(Self { state, settings })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn router(&self) -> Router {
        router(self.state.clone(), &self.settings)
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let refresh = self.state.verifier.spawn_refresh(shutdown.clone());
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        tracing::info!(addr = %listener.local_addr()?, "command API listening");
        tyndau_http::serve(listener, self.router(), shutdown).await?;
        refresh.abort();
        Ok(())
    }
}

pub fn router(state: AppState, settings: &Settings) -> Router {
    let pool = state.pool.clone();
    let checks = tyndau_http::HealthCheck::new().with("postgres", move || tyndau_db::ping(pool.clone()));
    let api = routes::routes(settings.draft_body_limit_bytes)
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), limits::guard))
        .with_state(state)
        .route(
            "/openapi.json",
            axum::routing::get(|| async { axum::Json(openapi()) }),
        )
        .merge(tyndau_http::health_routes(checks));
    tyndau_http::middleware::apply(api, &settings.http)
}
