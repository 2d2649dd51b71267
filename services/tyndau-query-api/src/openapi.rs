//! The OpenAPI document, generated from the handlers and types so it cannot drift from them.

use tyndau_http::Problem;
use tyndau_http::problem::FieldProblem;
use utoipa::OpenApi;

use crate::{consultations, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tyndau query API",
        description = "The public record of petitions (catalogue, texts, live counts, regional \
                       breakdown, history and answers) and of consultations (drafts, versions, \
                       diffs, threads, answers, outcome reports). Read-only and unauthenticated. Errors are \
                       RFC 9457 problem+json documents with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(
        routes::list_petitions,
        routes::petition_detail,
        routes::petition_count,
        routes::region_breakdown,
        routes::hourly_series,
        routes::timeline,
        routes::removed_signatures,
        routes::shown_signers,
        routes::rejection_reasons,
        routes::openapi_document,
        consultations::list,
        consultations::detail,
        consultations::draft,
        consultations::diff,
        consultations::threads,
        consultations::comment,
        consultations::replies,
        consultations::report,
        consultations::report_csv,
    ),
    components(schemas(Problem, FieldProblem, tyndau_read_model::Sort)),
    tags(
        (name = "petitions", description = "Petitions as the public sees them"),
        (name = "consultations", description = "Draft laws open for comment, and what came of every proposal"),
        (name = "reference", description = "Published lists and this document"),
    )
)]
struct ApiDoc;

/// The document served at `/openapi.json`; public so a docs test can write it to `proto-docs/`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
