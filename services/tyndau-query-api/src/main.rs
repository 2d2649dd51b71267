use tyndau_query_api::{QueryApi, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-query-api");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    QueryApi::build(settings).await?.run(shutdown).await
}
