use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    self, Accepted, AnswerPetition, AnswerProposal, ChangeNoteInput, ChangedProvision, ConsultationAccepted,
    ConsultationTextInput, CreateConsultation, CreatePetition, DismissFlags, EditComment, FlagComment,
    HideComment, OpenConsultation, PostComment, PostReply, ProvisionInput, PublishReport, PublishVersion,
    RejectPetition, StopPetition, TakeStance, TextInput,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tyndau command API", description = "Draft, moderate, sign and answer petitions; open drafts for public comment, comment, answer every proposal, publish the outcome. Every error is application/problem+json with a stable `code`."),
    paths(
        routes::petitions::create, routes::petitions::submit, routes::petitions::publish,
        routes::petitions::reject, routes::petitions::stop, routes::petitions::answer,
        routes::signatures::sign, routes::signatures::withdraw, routes::signatures::own, routes::terms::list, routes::terms::consultation, routes::me::petitions, routes::me::signatures, routes::me::comments, routes::me::notifications, routes::me::mark_read, routes::notify::settings, routes::notify::set_settings, routes::notify::default_settings, routes::notify::subscriptions, routes::notify::choose, routes::notify::unsubscribe, routes::webhooks::register, routes::webhooks::list, routes::webhooks::delete, routes::webhooks::enable, routes::me::erase, routes::admin::audit, routes::invalidations::create, routes::invalidations::preview,
        routes::consultations::create, routes::consultations::open, routes::consultations::publish_version,
        routes::consultations::close, routes::consultations::publish_report,
        routes::comments::post, routes::comments::reply, routes::comments::edit,
        routes::comments::stance, routes::comments::flag, routes::comments::hide, routes::comments::dismiss_flags,
        routes::comments::answer,
    ),
    components(schemas(crate::routes::signatures::OwnSignatureState, crate::routes::terms::PetitionTerms, crate::routes::terms::PetitionTermsList, crate::routes::terms::ConsultationTerms, tyndau_read_model::OwnPetitions, tyndau_read_model::OwnPetition, tyndau_read_model::OwnComments, tyndau_read_model::OwnComment, crate::routes::me::Erased, crate::routes::me::MarkRead, tyndau_read_model::inbox::Inbox, tyndau_read_model::inbox::Notification, crate::routes::notify::NotificationSettings, crate::routes::notify::SetNotificationSettings, crate::routes::notify::DefaultNotificationSettings, crate::routes::notify::Language, crate::routes::notify::Subscriptions, crate::routes::notify::ChooseSubscription, crate::routes::notify::Unsubscribe, crate::routes::notify::Unsubscribed, crate::routes::webhooks::RegisterWebhook, crate::routes::webhooks::RegisteredWebhook, crate::routes::webhooks::Webhooks, tyndau_read_model::webhooks::Endpoint, tyndau_read_model::webhooks::Delivery, tyndau_read_model::delivery::Subscription, tyndau_read_model::delivery::Choice, tyndau_read_model::delivery::Frequency, tyndau_read_model::delivery::EmailState, crate::routes::InvalidateSignatures, crate::routes::InvalidationRuleInput, crate::routes::InvalidationDone, crate::routes::InvalidationPreview, tyndau_db::audit::AuditPage, tyndau_db::audit::AuditEntry, CreateConsultation, ConsultationTextInput, ProvisionInput, OpenConsultation, PublishVersion, ChangeNoteInput, PublishReport, PostComment, PostReply, EditComment, TakeStance, FlagComment, HideComment, DismissFlags, AnswerProposal, ChangedProvision, ConsultationAccepted, CreatePetition, TextInput, RejectPetition, StopPetition, AnswerPetition, Accepted, tyndau_read_model::OwnSignatures, tyndau_read_model::OwnSignature, tyndau_http::Problem)),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
        }
    }
}

/// The OpenAPI document, served at `/openapi.json` and written to `proto-docs/api/`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
