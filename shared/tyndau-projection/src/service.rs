use std::net::SocketAddr;

use serde::Deserialize;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tyndau_bus::Bus;
use tyndau_config::{DatabaseSettings, HttpSettings, NatsSettings};

use crate::{Projection, Projector, rebuild};

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub nats: NatsSettings,
    /// Health and readiness; each projector service has its own default port.
    pub http: Option<HttpSettings>,
}

/// A projector as a process: the consumer plus `/health` and `/ready`.
pub struct ProjectorService<P> {
    projector: Projector<P>,
    pool: PgPool,
    bus: Bus,
    http: HttpSettings,
}

impl<P: Projection> ProjectorService<P> {
    pub async fn build(projection: P, settings: Settings, default_addr: SocketAddr) -> anyhow::Result<Self> {
        let pool = tyndau_db::connect(&settings.database).await?;
        let bus = Bus::connect(&settings.nats).await?;
        Ok(Self {
            projector: Projector::new(projection, pool.clone(), bus.clone()),
            pool,
            bus,
            http: settings.http.unwrap_or_else(|| HttpSettings::on(default_addr)),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.http.addr).await?;
        let pool = self.pool.clone();
        let bus = self.bus.clone();
        let checks = tyndau_http::HealthCheck::new()
            .with("postgres", move || tyndau_db::ping(pool.clone()))
            .with("nats", move || bus.clone().ping());
        let router = tyndau_http::middleware::apply(tyndau_http::health_routes(checks), &self.http);
        let http = tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
        tracing::info!(projector = P::NAME, addr = %self.http.addr, "projector started");
        self.projector.run(shutdown).await;
        http.await??;
        Ok(())
    }
}

/// The `main` of a projector binary: `run` (the default) or `rebuild`.
pub async fn main<P: Projection>(
    projection: P,
    service: &'static str,
    default_addr: SocketAddr,
) -> anyhow::Result<()> {
    tyndau_telemetry::init(service);
    let settings: Settings = tyndau_config::load()?;
    match std::env::args().nth(1).as_deref() {
        // Rebuild the read models from the event store, then exit.
        Some("rebuild") => {
            let pool = tyndau_db::connect(&settings.database).await?;
            let report = rebuild(&projection, &pool).await?;
            tracing::info!(events = report.events, "rebuild finished");
            Ok(())
        }
        None | Some("run") => {
            let shutdown = tyndau_http::shutdown_signal();
            ProjectorService::build(projection, settings, default_addr)
                .await?
                .run(shutdown)
                .await
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; use `run` (default) or `rebuild`"),
    }
}
