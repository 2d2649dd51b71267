pub(crate) mod admin;
pub(crate) mod comments;
mod consultation_dto;
pub(crate) mod consultations;
mod dto;
pub(crate) mod invalidations;
pub(crate) mod me;
pub(crate) mod notify;
pub(crate) mod petitions;
pub(crate) mod signatures;
pub(crate) mod terms;
pub(crate) mod webhooks;

use std::collections::HashMap;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use time::OffsetDateTime;
use tyndau_events::{Actor, EventMetadata};
use tyndau_ids::CorrelationId;

pub use consultation_dto::*;
pub use dto::*;

use crate::state::AppState;

/// `draft_limit`: the body limit of the routes that carry a whole draft act.
pub fn routes(draft_limit: usize) -> Router<AppState> {
    let drafts = Router::new()
        .route("/consultations", post(consultations::create))
        .route(
            "/consultations/{id}/versions",
            post(consultations::publish_version),
        )
        .layer(DefaultBodyLimit::max(draft_limit));
    Router::new()
        .merge(drafts)
        .route("/consultations/{id}/open", post(consultations::open))
        .route("/consultations/{id}/close", post(consultations::close))
        .route("/consultations/{id}/report", post(consultations::publish_report))
        .route("/consultations/{id}/comments", post(comments::post))
        .route("/consultations/{id}/comments/{comment_id}", patch(comments::edit))
        .route(
            "/consultations/{id}/comments/{comment_id}/replies",
            post(comments::reply),
        )
        .route(
            "/consultations/{id}/comments/{comment_id}/stance",
            put(comments::stance),
        )
        .route(
            "/consultations/{id}/comments/{comment_id}/flags",
            post(comments::flag),
        )
        .route(
            "/consultations/{id}/comments/{comment_id}/hide",
            post(comments::hide),
        )
        .route(
            "/consultations/{id}/comments/{comment_id}/flags/dismissal",
            post(comments::dismiss_flags),
        )
        .route(
            "/consultations/{id}/comments/{comment_id}/answer",
            post(comments::answer),
        )
        .route("/petitions", post(petitions::create))
        .route("/petitions/{id}/submit", post(petitions::submit))
        .route("/petitions/{id}/publish", post(petitions::publish))
        .route("/petitions/{id}/reject", post(petitions::reject))
        .route("/petitions/{id}/stop", post(petitions::stop))
        .route("/petitions/{id}/answer", post(petitions::answer))
        .route(
            "/petitions/{id}/signature",
            post(signatures::sign)
                .delete(signatures::withdraw)
                .get(signatures::own),
        )
        .route("/petition-terms", get(terms::list))
        .route("/consultation-terms", get(terms::consultation))
        .route("/me/petitions", get(me::petitions))
        .route("/me/signatures", get(me::signatures))
        .route("/me/comments", get(me::comments))
        .route("/me/notifications", get(me::notifications))
        .route("/me/notifications/read", post(me::mark_read))
        .route(
            "/me/notification-settings",
            get(notify::settings).put(notify::set_settings),
        )
        .route(
            "/me/notification-settings/defaults",
            post(notify::default_settings),
        )
        .route("/me/subscriptions", get(notify::subscriptions))
        .route("/me/subscriptions/{kind}/{id}", put(notify::choose))
        .route("/unsubscribe", post(notify::unsubscribe))
        .route("/me/webhooks", get(webhooks::list).post(webhooks::register))
        .route("/me/webhooks/{id}", axum::routing::delete(webhooks::delete))
        .route("/me/webhooks/{id}/enable", post(webhooks::enable))
        .route("/me", axum::routing::delete(me::erase))
        .route("/admin/audit", get(admin::audit))
        .route("/petitions/{id}/invalidations", post(invalidations::create))
        .route(
            "/petitions/{id}/invalidations/preview",
            post(invalidations::preview),
        )
}

/// Metadata for one request's events: who, when, from which network, and a correlation id that
/// ties them together. The network comes from the request scope set by `limits::guard`.
fn metadata(actor: Actor, at: OffsetDateTime) -> HashMap<String, String> {
    event_metadata(actor, at).to_map()
}

/// Who acts, when, from which network, under a new correlation id.
fn event_metadata(actor: Actor, at: OffsetDateTime) -> EventMetadata {
    EventMetadata::new(actor, CorrelationId::new(), at).with_origin(crate::limits::current_origin())
}
