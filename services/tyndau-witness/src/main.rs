use tyndau_witness::{Settings, WitnessService};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-witness");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    WitnessService::build(settings).await?.run(shutdown).await
}
