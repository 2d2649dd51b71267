//! The Consultation aggregate's events: one draft act opened for public comment, its versions,
//! and its outcome report. Comments are their own aggregates (see [`crate::comment`]) so a busy
//! consultation is never one hot stream.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::{BodyId, ConsultationId, ProvisionPath};

use crate::petition::Language;
use crate::versioned_events;

/// Texts by language. Kazakh and Russian are both required before a consultation opens.
pub type Localized = BTreeMap<Language, String>;

/// What the consultation is about, in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsultationText {
    pub title: String,
    pub summary: String,
    /// The explanatory note (пояснительная записка / түсіндірме жазба).
    pub explanatory_note: String,
}

/// One provision of the draft: its stable path, an optional heading and its wording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Provision {
    pub path: ProvisionPath,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub heading: Localized,
    pub text: Localized,
}

/// Why a provision changed in a new version: the comparative table's third column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangeNote {
    pub path: ProvisionPath,
    pub why: Localized,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsultationDrafted {
    pub consultation_id: ConsultationId,
    /// The state body that develops the draft and must answer the proposals.
    pub body: BodyId,
    pub content: BTreeMap<Language, ConsultationText>,
    /// Version 1 of the draft, provisions in reading order.
    pub provisions: Vec<Provision>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub drafted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsultationOpened {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub opened_at: OffsetDateTime,
    /// Comments are accepted until this instant.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub closes_at: OffsetDateTime,
    /// Every proposal should be answered by this instant; later ones are shown as overdue.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub answers_due: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DraftVersionPublished {
    /// 2, 3, …: version 1 is the drafted text.
    pub version: u32,
    pub provisions: Vec<Provision>,
    pub changes: Vec<ChangeNote>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub published_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBy {
    /// The comment period ran out.
    Deadline,
    /// The body closed it early (after the legal minimum).
    Body,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsultationClosed {
    pub closed_by: ClosedBy,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub closed_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutcomeReportPublished {
    /// The body's summary of the outcome.
    pub summary: Localized,
    /// The version the report presents as the outcome.
    pub final_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub published_at: OffsetDateTime,
}

versioned_events! {
    pub enum ConsultationEvent {
        ConsultationDrafted("1.0"),
        ConsultationOpened("1.0"),
        DraftVersionPublished("1.0"),
        ConsultationClosed("1.0"),
        OutcomeReportPublished("1.0"),
    }
}
