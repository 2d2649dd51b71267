//! Request and response bodies of consultations and comments. Unknown fields are refused.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::comment::{Channel, Disposition, FlagReason, HideReason, ProvisionRef, Stance};
use tyndau_events::consultation::{ChangeNote, ConsultationText, Provision};
use tyndau_events::petition::Language;
use tyndau_http::extract::{no_nul, no_nul_in_values};
use tyndau_ids::{CommentId, ConsultationId, ProvisionPath};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationTextInput {
    #[validate(length(min = 1, max = 300), custom(function = "no_nul"))]
    pub title: String,
    #[validate(length(min = 1, max = 2000), custom(function = "no_nul"))]
    pub summary: String,
    #[validate(length(min = 1, max = 50000), custom(function = "no_nul"))]
    pub explanatory_note: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionInput {
    /// Section / article / paragraph / sub-paragraph, outermost first: `s1`, `a3`, `a3.p2`, `a3.p2.sp1`.
    #[schema(value_type = String, example = "a3.p2")]
    pub path: ProvisionPath,
    /// An optional heading, by language.
    #[serde(default)]
    #[validate(length(max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub heading: BTreeMap<Language, String>,
    /// The wording, by language; Kazakh and Russian are both needed before opening. Empty for
    /// a provision that is only a heading (an article made of paragraphs).
    #[serde(default)]
    #[validate(length(max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: BTreeMap<Language, String>,
}

impl From<ProvisionInput> for Provision {
    fn from(input: ProvisionInput) -> Self {
        Provision {
            path: input.path,
            heading: input.heading,
            text: input.text,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConsultation {
    /// Title, summary and explanatory note by language (`kk`, `ru`, `en`).
    #[validate(nested, length(min = 1, max = 3))]
    #[schema(value_type = BTreeMap<String, ConsultationTextInput>)]
    pub content: BTreeMap<Language, ConsultationTextInput>,
    /// The draft, provisions in reading order.
    #[validate(nested, length(min = 1, max = 2000))]
    pub provisions: Vec<ProvisionInput>,
}

impl CreateConsultation {
    pub fn into_parts(self) -> (BTreeMap<Language, ConsultationText>, Vec<Provision>) {
        let content = self
            .content
            .into_iter()
            .map(|(language, t)| {
                (
                    language,
                    ConsultationText {
                        title: t.title,
                        summary: t.summary,
                        explanatory_note: t.explanatory_note,
                    },
                )
            })
            .collect();
        (
            content,
            self.provisions.into_iter().map(Provision::from).collect(),
        )
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenConsultation {
    /// When the comment period ends; at least the legal minimum of working days from now.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub closes_at: OffsetDateTime,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeNoteInput {
    #[schema(value_type = String, example = "a3.p2")]
    pub path: ProvisionPath,
    /// Why it changed, by language.
    #[validate(length(min = 1, max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub why: BTreeMap<Language, String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishVersion {
    /// The whole new draft; provisions keep their paths.
    #[validate(nested, length(min = 1, max = 2000))]
    pub provisions: Vec<ProvisionInput>,
    /// Why provisions changed: the comparative table's third column.
    #[serde(default)]
    #[validate(nested, length(max = 2000))]
    pub changes: Vec<ChangeNoteInput>,
}

impl PublishVersion {
    pub fn into_parts(self) -> (Vec<Provision>, Vec<ChangeNote>) {
        (
            self.provisions.into_iter().map(Provision::from).collect(),
            self.changes
                .into_iter()
                .map(|c| ChangeNote {
                    path: c.path,
                    why: c.why,
                })
                .collect(),
        )
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishReport {
    /// The body's summary of the outcome, by language.
    #[validate(length(min = 1, max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub summary: BTreeMap<Language, String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostComment {
    /// The provision commented on; absent for the whole draft.
    #[schema(value_type = Option<String>, example = "a3.p2")]
    pub path: Option<ProvisionPath>,
    /// The words of the provision the comment is about.
    #[validate(length(min = 1, max = 1000), custom(function = "no_nul"))]
    pub quote: Option<String>,
    /// Citizens write as `citizen` (the default for them); organisations choose theirs
    /// (`organisation` by default).
    #[schema(value_type = Option<String>, example = "citizen")]
    pub channel: Option<Channel>,
    #[schema(value_type = String, example = "kk")]
    pub language: Language,
    #[validate(length(min = 1, max = 5000), custom(function = "no_nul"))]
    pub text: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostReply {
    #[schema(value_type = Option<String>, example = "citizen")]
    pub channel: Option<Channel>,
    #[schema(value_type = String, example = "ru")]
    pub language: Language,
    #[validate(length(min = 1, max = 5000), custom(function = "no_nul"))]
    pub text: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditComment {
    #[validate(length(min = 1, max = 5000), custom(function = "no_nul"))]
    pub text: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeStance {
    /// `agree`, `disagree`, or `none` to withdraw.
    #[schema(value_type = String, example = "agree")]
    pub stance: Stance,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagComment {
    #[schema(value_type = String, example = "spam")]
    pub reason: FlagReason,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideComment {
    #[schema(value_type = String, example = "abusive")]
    pub reason: HideReason,
    /// Shown publicly in place of the text.
    #[validate(length(min = 1, max = 2000), custom(function = "no_nul"))]
    pub explanation: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissFlags {
    /// How many flags the moderator reviewed; the comment returns to the queue only with more.
    #[validate(range(min = 1))]
    pub flags_seen: u32,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangedProvision {
    #[validate(range(min = 1))]
    pub version: u32,
    #[schema(value_type = String, example = "a3.p2")]
    pub path: ProvisionPath,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerProposal {
    #[schema(value_type = String, example = "partially_accepted")]
    pub disposition: Disposition,
    /// Why, by language; Kazakh or Russian is required.
    #[validate(length(min = 1, max = 3), custom(function = "no_nul_in_values"))]
    #[schema(value_type = BTreeMap<String, String>)]
    pub reason: BTreeMap<Language, String>,
    /// The provision this proposal changed, in a named version.
    #[validate(nested)]
    pub changed: Option<ChangedProvision>,
    /// For `duplicate`: the proposal this one repeats.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub duplicate_of: Option<CommentId>,
}

impl AnswerProposal {
    pub fn changed(&self) -> Option<ProvisionRef> {
        self.changed.as_ref().map(|c| ProvisionRef {
            version: c.version,
            path: c.path.clone(),
        })
    }
}

/// The command was accepted and its events are committed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationAccepted {
    #[schema(value_type = String, format = Uuid)]
    pub consultation_id: ConsultationId,
    /// The comment acted on or created, for comment commands.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub comment_id: Option<CommentId>,
    /// The draft's version, for a published version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// What happened, e.g. `opened` or `answered`.
    pub outcome: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
}
