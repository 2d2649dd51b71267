use tyndau_query_api::{QueryApi, Settings};

// mimalloc instead of glibc's malloc: the profile of the signing path showed glibc's
// `_int_malloc`/`_int_free`/`malloc_consolidate` at about a tenth of the service's CPU
// (proto-docs/decisions/0013).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-query-api");
    let settings: Settings = tyndau_config::load()?;
    let shutdown = tyndau_http::shutdown_signal();
    QueryApi::build(settings).await?.run(shutdown).await
}
