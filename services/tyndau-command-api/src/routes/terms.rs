//! The terms a petition gets from its addressee, as the policy fixes them: what the petition
//! form shows a citizen while they choose where to send it. Served by the command side because
//! the policy (thresholds, periods) is its configuration; public, since it is public law.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use http::header;
use tyndau_ids::Region;

use crate::state::AppState;

/// What follows from sending a petition to one state body.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PetitionTerms {
    /// The body's id in the directory (`government`, `akimat-almaty`, …).
    pub addressee: String,
    /// `government`, `oblast_akimat`, `oblast_maslikhat`, `city_akimat` or `city_maslikhat`.
    pub level: &'static str,
    /// For a local body: its region; only residents may sign. `null`: every adult citizen.
    #[schema(value_type = Option<String>)]
    pub region: Option<Region>,
    /// Signatures needed for the body to owe an answer.
    pub threshold: u32,
    /// Calendar months of collection from publication.
    pub collection_months: u8,
    /// The start-up gate: this many signatures within `startup_working_days` of publication.
    pub startup_signatures: u32,
    pub startup_working_days: u16,
    /// Working days a moderator has from submission.
    pub moderation_working_days: u16,
    /// Working days the body has to answer from the threshold.
    pub answer_working_days: u16,
    pub min_signer_age: i32,
    /// Longest title, request and text, in characters.
    pub title_chars: usize,
    pub request_chars: usize,
    pub text_chars: usize,
}

/// Every body in the directory with its terms.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PetitionTermsList {
    pub bodies: Vec<PetitionTerms>,
}

/// The terms a petition to each state body gets (public).
#[utoipa::path(get, path = "/petition-terms", tag = "petitions",
    responses((status = 200, body = PetitionTermsList)))]
pub async fn list(State(state): State<AppState>) -> impl IntoResponse {
    let services = &state.petition_services;
    let policy = &services.policy;
    let bodies = services
        .bodies
        .iter()
        .map(|body| {
            let addressee = body.addressee();
            PetitionTerms {
                addressee: body.id.as_str().to_owned(),
                level: body.level.code(),
                region: body.region,
                threshold: policy.threshold_for(&addressee, &services.bodies),
                collection_months: policy.collection_months,
                startup_signatures: policy.startup_signatures,
                startup_working_days: policy.startup_working_days,
                moderation_working_days: policy.moderation_working_days,
                answer_working_days: policy.answer_working_days,
                min_signer_age: policy.min_signer_age,
                title_chars: policy.limits.title,
                request_chars: policy.limits.request,
                text_chars: policy.limits.text,
            }
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(PetitionTermsList { bodies }),
    )
}

/// What opening a consultation takes, counted from now on Kazakhstan's working-day calendar.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ConsultationTerms {
    /// The shortest comment period, in working days after opening.
    pub min_comment_working_days: u16,
    /// Working days after closing by which every proposal should be answered.
    pub answer_working_days: u16,
    /// The earliest end of a comment period opened now (the end of a Kazakhstan day).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub earliest_closes_at: time::OffsetDateTime,
}

/// The terms of a comment period opened now (public).
#[utoipa::path(get, path = "/consultation-terms", tag = "consultations",
    responses((status = 200, body = ConsultationTerms)))]
pub async fn consultation(State(state): State<AppState>) -> impl IntoResponse {
    let policy = &state.consultation_policy;
    let earliest_closes_at = state
        .petition_services
        .calendar
        .add_working_days(time::OffsetDateTime::now_utc(), policy.min_comment_working_days);
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Json(ConsultationTerms {
            min_comment_working_days: policy.min_comment_working_days,
            answer_working_days: policy.answer_working_days,
            earliest_closes_at,
        }),
    )
}
