mod dto;
pub(crate) mod me;
pub(crate) mod petitions;
pub(crate) mod signatures;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use time::OffsetDateTime;
use tyndau_events::{Actor, EventMetadata};
use tyndau_ids::CorrelationId;

pub use dto::*;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions", post(petitions::create))
        .route("/petitions/{id}/submit", post(petitions::submit))
        .route("/petitions/{id}/publish", post(petitions::publish))
        .route("/petitions/{id}/reject", post(petitions::reject))
        .route("/petitions/{id}/stop", post(petitions::stop))
        .route("/petitions/{id}/answer", post(petitions::answer))
        .route(
            "/petitions/{id}/signature",
            post(signatures::sign).delete(signatures::withdraw),
        )
        .route("/me/signatures", get(me::signatures))
}

/// Metadata for one request's events: who, when, and a correlation id that ties them together.
fn metadata(actor: Actor, at: OffsetDateTime) -> HashMap<String, String> {
    EventMetadata::new(actor, CorrelationId::new(), at).to_map()
}
