//! Request and response bodies. Unknown fields are refused: a typo is an error, not a silent
//! default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::petition::{Decision, Language, PetitionText, RejectionReason, StopReason};
use tyndau_events::signature::InvalidationReason;
use tyndau_http::extract::{no_nul, no_nul_in_values};
use tyndau_ids::{InvalidationId, PetitionId};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    #[validate(length(min = 1, max = 150), custom(function = "no_nul"))]
    pub title: String,
    #[validate(length(min = 1, max = 10000), custom(function = "no_nul"))]
    pub text: String,
    #[validate(length(min = 1, max = 1000), custom(function = "no_nul"))]
    pub request: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePetition {
    /// The addressed state body's id, e.g. `government` or `akimat-almaty`.
    #[validate(length(min = 2, max = 64))]
    pub addressee: String,
    /// The texts by language (`kk`, `ru`, `en`); Kazakh or Russian is required.
    #[validate(nested, length(min = 1, max = 3))]
    #[schema(value_type = BTreeMap<String, TextInput>)]
    pub content: BTreeMap<Language, TextInput>,
}

impl CreatePetition {
    pub fn texts(self) -> BTreeMap<Language, PetitionText> {
        self.content
            .into_iter()
            .map(|(language, t)| {
                (
                    language,
                    PetitionText {
                        title: t.title,
                        text: t.text,
                        request: t.request,
                    },
                )
            })
            .collect()
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectPetition {
    #[schema(value_type = String, example = "prohibited_subject")]
    pub reason: RejectionReason,
    #[validate(length(min = 1, max = 2000), custom(function = "no_nul"))]
    pub explanation: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopPetition {
    #[schema(value_type = String, example = "rules_breach")]
    pub reason: StopReason,
    #[validate(length(min = 1, max = 2000), custom(function = "no_nul"))]
    pub explanation: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerPetition {
    #[schema(value_type = String, example = "partially_satisfied")]
    pub decision: Decision,
    /// The answer by language.
    #[validate(length(min = 1, max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: BTreeMap<Language, String>,
}

/// The command was accepted and its events are committed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    #[schema(value_type = String, format = Uuid)]
    pub petition_id: PetitionId,
    /// What happened, e.g. `submitted`.
    pub outcome: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
}

/// Which signatures to remove: every standing signature matching all the given parts.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvalidationRuleInput {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_from: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_until: Option<OffsetDateTime>,
    /// A client network as recorded with the signatures: `203.0.113.0/24` or `2001:db8:1::/48`.
    #[validate(length(min = 3, max = 64))]
    pub network: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvalidateSignatures {
    #[schema(value_type = String, example = "automated")]
    pub reason: InvalidationReason,
    /// Published with the count.
    #[validate(length(min = 1, max = 2000), custom(function = "no_nul"))]
    pub explanation: String,
    #[validate(nested)]
    pub rule: InvalidationRuleInput,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidationPreview {
    /// Signatures the rule matches now.
    pub would_remove: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidationDone {
    #[schema(value_type = String, format = Uuid)]
    pub invalidation_id: InvalidationId,
    /// Signatures removed.
    pub removed: u32,
}
