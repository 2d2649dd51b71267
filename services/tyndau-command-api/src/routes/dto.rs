//! Request and response bodies. Unknown fields are refused: a typo is an error, not a silent
//! default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::petition::{Decision, Language, PetitionText, RejectionReason, StopReason};
use tyndau_http::extract::{no_nul, no_nul_in_values};
use tyndau_ids::PetitionId;
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
