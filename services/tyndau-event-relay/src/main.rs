use tyndau_event_relay::{RelayService, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-event-relay");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    RelayService::build(settings).await?.run(shutdown).await
}
