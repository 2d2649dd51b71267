//! One place that sets up `tracing` for a binary: JSON lines in production (`TYNDAU_LOG_FORMAT=json`),
//! human-readable otherwise; the filter comes from `RUST_LOG` (default `info`). Metrics: [`metrics`].

pub mod metrics;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Installs the global subscriber. Safe to call more than once (tests do): later calls are no-ops.
pub fn init(service: &'static str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("TYNDAU_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::NONE);
    let installed = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.with_target(true).try_init()
    };
    if installed.is_ok() {
        tracing::info!(service, "telemetry initialised");
    }
    self::metrics::handle();
}

/// Logs an error with its whole cause chain, once, where it is handled.
pub fn log_error_chain(context: &str, error: &(dyn std::error::Error + 'static)) {
    let mut chain = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    tracing::error!(error.chain = ?chain, "{context}");
}
