use tyndau_scheduler::{SchedulerService, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-scheduler");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    SchedulerService::build(settings).await?.run(shutdown).await
}
