use tyndau_projector_thresholds::{ProjectorService, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-projector-thresholds");
    let settings: Settings = tyndau_config::load()?;
    match std::env::args().nth(1).as_deref() {
        // Rebuild the read models from the event store, then exit.
        Some("rebuild") => {
            let pool = tyndau_db::connect(&settings.database).await?;
            let report = tyndau_projector_thresholds::rebuild(&pool).await?;
            tracing::info!(events = report.events, "rebuild finished");
            Ok(())
        }
        None | Some("run") => {
            let shutdown = tyndau_http::shutdown_signal();
            ProjectorService::build(settings).await?.run(shutdown).await
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; use `run` (default) or `rebuild`"),
    }
}
