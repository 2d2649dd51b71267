//! The HTTP edge shared by every service.
//!
//! One error model: every failure becomes an RFC 9457 `application/problem+json` body with a
//! stable `code`; 5xx bodies are opaque and their cause chain is logged. Extractors here replace
//! axum's so malformed input is always a clear 4xx problem.

pub mod auth;
pub mod extract;
pub mod health;
pub mod metrics;
pub mod middleware;
pub mod origin;
pub mod problem;
pub mod serve;

pub use auth::Authenticated;
pub use extract::{PathParam, QueryParams, ValidJson};
pub use health::{HealthCheck, health_routes};
pub use origin::ClientOrigin;
pub use problem::{Problem, ProblemCode};
pub use serve::{bind, serve, shutdown_signal};
