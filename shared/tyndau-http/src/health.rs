//! Liveness (`/health`: the process answers), readiness (`/ready`: its dependencies answer) and
//! the process's metrics (`/metrics`, for Prometheus).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use http::StatusCode;
use serde_json::json;

type Check = dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync;

/// What `/ready` runs: every check must pass.
#[derive(Clone, Default)]
pub struct HealthCheck {
    checks: Vec<(&'static str, Arc<Check>)>,
}

impl std::fmt::Debug for HealthCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.checks.iter().map(|(name, _)| name))
            .finish()
    }
}

impl HealthCheck {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with<F, Fut>(mut self, name: &'static str, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.checks.push((name, Arc::new(move || Box::pin(check()))));
        self
    }
}

/// `/health`, `/ready` and `/metrics`, with their own state so any service can merge them.
pub fn health_routes<S: Clone + Send + Sync + 'static>(checks: HealthCheck) -> Router<S> {
    // Whatever serves `/metrics` records from the start, even where `tyndau_telemetry::init`
    // was not called (a service built inside a test).
    tyndau_telemetry::metrics::handle();
    Router::new()
        .route("/health", get(|| async { axum::Json(json!({"status": "ok"})) }))
        .route("/ready", get(ready).with_state(checks))
        .route("/metrics", get(crate::metrics::exposition))
}

async fn ready(State(checks): State<HealthCheck>) -> (StatusCode, axum::Json<serde_json::Value>) {
    let mut failing = serde_json::Map::new();
    for (name, check) in &checks.checks {
        if let Err(reason) = check().await {
            tracing::warn!(check = name, %reason, "readiness check failed");
            failing.insert((*name).to_owned(), json!("failing"));
        }
    }
    if failing.is_empty() {
        (StatusCode::OK, axum::Json(json!({"status": "ready"})))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"status": "not_ready", "failing": failing})),
        )
    }
}
