//! Comment events. Each comment is an aggregate of its own, keyed `{consultation_id}:{comment_id}`
//! so one consultation's comments are one primary-key range and one bus partition. Reactions and
//! flags are one small aggregate per (comment, citizen), so "one reaction each" is a key too.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::{BodyId, CommentId, ConsultationId, ProvisionPath, Region, SignerKey};

use crate::consultation::Localized;
use crate::petition::Language;
use crate::versioned_events;

/// Through which channel a comment came: the report counts by channel.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Citizen,
    Organisation,
    BusinessChamber,
    PublicCouncil,
    ExpertBody,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Citizen,
        Channel::Organisation,
        Channel::BusinessChamber,
        Channel::PublicCouncil,
        Channel::ExpertBody,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Channel::Citizen => "citizen",
            Channel::Organisation => "organisation",
            Channel::BusinessChamber => "business_chamber",
            Channel::PublicCouncil => "public_council",
            Channel::ExpertBody => "expert_body",
        }
    }
}

/// Who wrote a comment. A citizen by pseudonym only; an organisation by its id, publicly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CommentAuthor {
    Citizen { key: SignerKey },
    Organisation { organisation: BodyId },
}

/// What a comment is attached to, in the version it was written on (or last re-anchored to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Anchor {
    pub version: u32,
    /// `None`: the whole draft.
    pub path: Option<ProvisionPath>,
    /// The words the comment is about, as quoted from the provision.
    pub quote: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentPosted {
    pub comment_id: CommentId,
    pub consultation_id: ConsultationId,
    /// The comment this one replies to; `None` for a proposal (a top-level comment).
    pub parent: Option<CommentId>,
    /// The proposal at the top of the thread (itself for a proposal).
    pub thread: CommentId,
    /// 0 for a proposal, 1 for a reply to it, …
    pub depth: u8,
    /// Replies carry their thread's anchor at the time of posting.
    pub anchor: Anchor,
    pub author: CommentAuthor,
    pub channel: Channel,
    /// A citizen's region of residence, from the verified token; for the report's regional view.
    pub region: Option<Region>,
    pub language: Language,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub posted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentEdited {
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub edited_at: OffsetDateTime,
}

/// The first reply arrived: from now on the author can no longer edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentRepliedTo {
    pub first_reply: CommentId,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub replied_at: OffsetDateTime,
}

/// Why a moderator hid a comment: a published list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HideReason {
    /// Insults, threats, hate speech.
    Abusive,
    /// Advertising, repeated or automated posting.
    Spam,
    /// Personal data of another person.
    PersonalData,
    /// Calls to break the law.
    Unlawful,
    /// Nothing to do with the draft.
    OffTopic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentHidden {
    pub reason: HideReason,
    /// Shown publicly in place of the text.
    pub explanation: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub hidden_at: OffsetDateTime,
}

/// A moderator reviewed the comment's flags and left it shown. `flags_seen` is how many flags
/// the moderator saw: the comment comes back to the queue only with more than that.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentFlagsDismissed {
    pub flags_seen: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub dismissed_at: OffsetDateTime,
}

/// The body's decision on a proposal.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    Accepted,
    PartiallyAccepted,
    Rejected,
    Noted,
    OutOfScope,
    Duplicate,
}

impl Disposition {
    pub const ALL: [Disposition; 6] = [
        Disposition::Accepted,
        Disposition::PartiallyAccepted,
        Disposition::Rejected,
        Disposition::Noted,
        Disposition::OutOfScope,
        Disposition::Duplicate,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Disposition::Accepted => "accepted",
            Disposition::PartiallyAccepted => "partially_accepted",
            Disposition::Rejected => "rejected",
            Disposition::Noted => "noted",
            Disposition::OutOfScope => "out_of_scope",
            Disposition::Duplicate => "duplicate",
        }
    }

    /// Whether the decision changed the draft, so it may point at the changed provision.
    pub const fn changes_the_draft(self) -> bool {
        matches!(self, Disposition::Accepted | Disposition::PartiallyAccepted)
    }
}

/// A provision in a named version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProvisionRef {
    pub version: u32,
    pub path: ProvisionPath,
}

/// An answer to a proposal. A changed answer is another one of these; the latest stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProposalAnswered {
    pub by: BodyId,
    pub disposition: Disposition,
    pub reason: Localized,
    /// Where the draft changed because of it.
    pub changed: Option<ProvisionRef>,
    /// For `duplicate`: the proposal this one repeats.
    pub duplicate_of: Option<CommentId>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub answered_at: OffsetDateTime,
}

/// How a comment found its place in a new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnchorMethod {
    /// The quote is still in the provision at the same path (or there was no quote and the path
    /// still exists).
    SamePath,
    /// The quote is found verbatim in another provision.
    Moved,
    /// The quote is not found verbatim; the provision whose text shares most of it was chosen.
    BestMatch,
    /// Nothing matches well enough: the comment stays visible, attached to no provision.
    Orphaned,
    /// A comment on the whole draft stays on the whole draft.
    WholeDraft,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentReanchored {
    pub from: Anchor,
    /// The new anchor; the quote is kept as written.
    pub to: Anchor,
    pub method: AnchorMethod,
    /// 0–100: the share of the quote found in the chosen provision.
    pub confidence: u8,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub reanchored_at: OffsetDateTime,
}

versioned_events! {
    pub enum CommentEvent {
        CommentPosted("1.0"),
        CommentEdited("1.0"),
        CommentRepliedTo("1.0"),
        CommentHidden("1.0"),
        ProposalAnswered("1.0"),
        CommentReanchored("1.0"),
        CommentFlagsDismissed("1.0"),
    }
}

/// A citizen's stance on a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Agree,
    Disagree,
    /// Withdrawn: neither.
    None,
}

/// Why a citizen flagged a comment for moderators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    Abusive,
    Spam,
    PersonalData,
    Unlawful,
    OffTopic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StanceTaken {
    pub consultation_id: ConsultationId,
    pub comment_id: CommentId,
    pub citizen: SignerKey,
    pub stance: Stance,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommentFlagged {
    pub consultation_id: ConsultationId,
    pub comment_id: CommentId,
    pub citizen: SignerKey,
    pub reason: FlagReason,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub at: OffsetDateTime,
}

versioned_events! {
    pub enum ReactionEvent {
        StanceTaken("1.0"),
        CommentFlagged("1.0"),
    }
}

/// The aggregate id of a comment: `{consultation_id}:{comment_id}`.
pub fn comment_aggregate_id(consultation_id: ConsultationId, comment_id: CommentId) -> String {
    format!("{consultation_id}:{comment_id}")
}

/// The aggregate id of one citizen's reaction to one comment.
pub fn reaction_aggregate_id(
    consultation_id: ConsultationId,
    comment_id: CommentId,
    citizen: SignerKey,
) -> String {
    format!("{consultation_id}:{comment_id}:{citizen}")
}

/// Reads `(consultation, comment)` back from a comment or reaction aggregate id.
pub fn parse_comment_aggregate_id(aggregate_id: &str) -> Option<(ConsultationId, CommentId)> {
    let mut parts = aggregate_id.split(':');
    let consultation = parts.next()?.parse().ok()?;
    let comment = parts.next()?.parse().ok()?;
    Some((consultation, comment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_ids_round_trip() {
        let consultation = ConsultationId::new();
        let comment = CommentId::new();
        let citizen = SignerKey::from_bytes([7; 32]);
        assert_eq!(
            parse_comment_aggregate_id(&comment_aggregate_id(consultation, comment)),
            Some((consultation, comment))
        );
        assert_eq!(
            parse_comment_aggregate_id(&reaction_aggregate_id(consultation, comment, citizen)),
            Some((consultation, comment))
        );
        assert_eq!(parse_comment_aggregate_id("nonsense"), None);
    }
}
