use tyndau_command_api::{CommandApi, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-command-api");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    CommandApi::build(settings).await?.run(shutdown).await
}
