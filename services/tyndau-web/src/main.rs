use tyndau_web::{Settings, Web};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-web");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    Web::build(settings).await?.run(shutdown).await
}
