use tyndau_ledger::{LedgerService, Settings};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-ledger");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    LedgerService::build(settings).await?.run(shutdown).await
}
