//! Prometheus metrics: the `metrics` facade, recorded by `metrics-exporter-prometheus`, one
//! recorder per process, rendered at `/metrics` (ADR 0015). Code anywhere records through the
//! facade's macros with the names below; a name is part of the operators' contract (dashboards
//! and `deploy/prometheus/alerts.yml` use them), so it changes only with them.

use std::sync::OnceLock;

use ::metrics::Unit;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

/// Requests by `route` (the matched pattern, `unmatched` for a 404), `method` and `status`.
pub const HTTP_REQUEST_SECONDS: &str = "tyndau_http_request_duration_seconds";
/// Signatures per committed batch.
pub const SIGNATURE_BATCH_SIZE: &str = "tyndau_signature_batch_size";
/// From a signature batch's start to its commit.
pub const SIGNATURE_BATCH_COMMIT_SECONDS: &str = "tyndau_signature_batch_commit_seconds";
/// Events in the store that the relay has not published yet.
pub const RELAY_LAG_EVENTS: &str = "tyndau_relay_lag_events";
/// Age of the newest event the relay published, while it is behind (0 once caught up).
pub const RELAY_LAG_SECONDS: &str = "tyndau_relay_lag_seconds";
/// 1 while this relay holds the leader lock and publishes, 0 while it stands by.
pub const RELAY_ACTIVE: &str = "tyndau_relay_active";
/// Bus messages waiting for a projector's consumer, by `projector`.
pub const PROJECTOR_PENDING_MESSAGES: &str = "tyndau_projector_pending_messages";
/// How long ago the last message a projector applied was published, while messages wait (0
/// once caught up), by `projector`.
pub const PROJECTOR_LAG_SECONDS: &str = "tyndau_projector_lag_seconds";
/// The NATS client's connection events, by `event` (`connected`, `disconnected`).
pub const NATS_CONNECTION_EVENTS: &str = "tyndau_nats_connection_events_total";
/// PostgreSQL connections opened by the pool (a reconnect opens one).
pub const PG_CONNECTIONS_OPENED: &str = "tyndau_pg_connections_opened_total";
/// The pool's connections, by `state` (`idle`, `in_use`).
pub const PG_POOL_CONNECTIONS: &str = "tyndau_pg_pool_connections";
/// Waiting for a pooled connection where a request or batch takes one itself.
pub const PG_POOL_WAIT_SECONDS: &str = "tyndau_pg_pool_wait_seconds";
/// Notifications owed and not yet delivered, by `channel` (`email`, `webhook`).
pub const NOTIFICATIONS_QUEUED: &str = "tyndau_notifications_queued";
/// Petitions whose answer is past its legal deadline.
pub const ANSWERS_OVERDUE: &str = "tyndau_petitions_answer_overdue";
/// Leaves in the transparency log's tree (committed).
pub const LEDGER_LEAVES: &str = "tyndau_ledger_leaves";
/// Leaves under the newest published (witnessed) checkpoint: behind `tyndau_ledger_leaves` by
/// what still waits for one.
pub const LEDGER_CHECKPOINT_LEAVES: &str = "tyndau_ledger_checkpoint_leaves";
/// A witness's `add-checkpoint` answers, by `outcome` (`cosigned` or the refusal's status).
pub const WITNESS_REQUESTS: &str = "tyndau_witness_requests_total";

/// Latency buckets, 1 ms to 10 s: the signing path's p99 target is 50 ms, a failover's 15 s.
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Batch sizes, powers of two up to the largest batch the store takes.
const SIZE_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's metrics, installed as the global recorder on first use: every service calls it
/// at start-up, and `/metrics` renders it.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = recorder();
        let handle = recorder.handle();
        if ::metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics stays empty");
        }
        describe();
        handle
    })
}

/// The text exposition of every metric recorded so far.
pub fn render() -> String {
    let handle = handle();
    // Histograms age out old samples here rather than on a timer of their own.
    handle.run_upkeep();
    handle.render()
}

fn recorder() -> PrometheusRecorder {
    let histograms = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Full(SIGNATURE_BATCH_SIZE.into()), SIZE_BUCKETS));
    match histograms {
        Ok(builder) => builder.build_recorder(),
        // Only empty bucket lists are refused, and these are constants.
        Err(error) => {
            tracing::error!(%error, "metric buckets refused; histograms are summaries");
            PrometheusBuilder::new().build_recorder()
        }
    }
}

/// What Prometheus's `# HELP` and `# TYPE` lines say of each series.
#[derive(Clone, Copy)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

const DESCRIPTIONS: &[(&str, Kind, Unit, &str)] = &[
    (
        HTTP_REQUEST_SECONDS,
        Kind::Histogram,
        Unit::Seconds,
        "HTTP requests by route, method and status.",
    ),
    (
        SIGNATURE_BATCH_SIZE,
        Kind::Histogram,
        Unit::Count,
        "Signatures per committed batch.",
    ),
    (
        SIGNATURE_BATCH_COMMIT_SECONDS,
        Kind::Histogram,
        Unit::Seconds,
        "From a signature batch's start to its commit.",
    ),
    (
        RELAY_LAG_EVENTS,
        Kind::Gauge,
        Unit::Count,
        "Events in the store not yet published.",
    ),
    (
        RELAY_LAG_SECONDS,
        Kind::Gauge,
        Unit::Seconds,
        "Age of the newest published event while the relay is behind.",
    ),
    (
        RELAY_ACTIVE,
        Kind::Gauge,
        Unit::Count,
        "1 while this relay holds the leader lock, 0 while it stands by.",
    ),
    (
        PROJECTOR_PENDING_MESSAGES,
        Kind::Gauge,
        Unit::Count,
        "Bus messages waiting for a projector.",
    ),
    (
        PROJECTOR_LAG_SECONDS,
        Kind::Gauge,
        Unit::Seconds,
        "How long ago the last applied message was published, while messages wait.",
    ),
    (
        NATS_CONNECTION_EVENTS,
        Kind::Counter,
        Unit::Count,
        "NATS client connection events.",
    ),
    (
        PG_CONNECTIONS_OPENED,
        Kind::Counter,
        Unit::Count,
        "PostgreSQL connections opened by the pool.",
    ),
    (
        PG_POOL_CONNECTIONS,
        Kind::Gauge,
        Unit::Count,
        "The pool's connections by state.",
    ),
    (
        PG_POOL_WAIT_SECONDS,
        Kind::Histogram,
        Unit::Seconds,
        "Waiting for a pooled connection.",
    ),
    (
        NOTIFICATIONS_QUEUED,
        Kind::Gauge,
        Unit::Count,
        "Notifications owed and not yet delivered.",
    ),
    (
        ANSWERS_OVERDUE,
        Kind::Gauge,
        Unit::Count,
        "Petitions whose answer is past its deadline.",
    ),
    (
        LEDGER_LEAVES,
        Kind::Gauge,
        Unit::Count,
        "Leaves in the transparency log's tree.",
    ),
    (
        LEDGER_CHECKPOINT_LEAVES,
        Kind::Gauge,
        Unit::Count,
        "Leaves under the newest published checkpoint.",
    ),
    (
        WITNESS_REQUESTS,
        Kind::Counter,
        Unit::Count,
        "add-checkpoint answers by outcome.",
    ),
];

fn describe() {
    use ::metrics::{describe_counter, describe_gauge, describe_histogram};
    for &(name, kind, unit, help) in DESCRIPTIONS {
        match kind {
            Kind::Counter => describe_counter!(name, unit, help),
            Kind::Gauge => describe_gauge!(name, unit, help),
            Kind::Histogram => describe_histogram!(name, unit, help),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_render_as_buckets_and_gauges_as_values() {
        handle();
        ::metrics::histogram!(HTTP_REQUEST_SECONDS, "route" => "/x", "method" => "GET", "status" => "200")
            .record(0.003);
        ::metrics::gauge!(RELAY_LAG_EVENTS).set(7.0);
        let text = render();
        assert!(
            text.contains(r#"tyndau_http_request_duration_seconds_bucket{route="/x",method="GET",status="200",le="0.005"} 1"#),
            "{text}"
        );
        assert!(text.contains("tyndau_relay_lag_events 7"), "{text}");
        assert!(text.contains("# HELP tyndau_relay_lag_events"), "{text}");
    }
}
