//! A citizen's own signatures, found by their pseudonym. Never public: only the command API
//! serves this, to the citizen whose verified token yields the pseudonym.

use serde::Serialize;
use sqlx::PgPool;
use sqlx::types::Json;
use time::OffsetDateTime;
use tyndau_ids::{PetitionId, SignerKey};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ReadError;
use crate::model::{Content, LocalizedString};

/// The most recent signatures returned: far more than any one person gives.
pub const OWN_SIGNATURES_LIMIT: i64 = 1_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct OwnSignature {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    pub title: LocalizedString,
    /// The petition's status (open, closed, …).
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub signed_at: OffsetDateTime,
    /// Set when the signature was withdrawn.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnSignatures {
    /// Newest first.
    pub signatures: Vec<OwnSignature>,
}

type Row = (
    Uuid,
    Json<Content>,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

pub async fn signatures_of(pool: &PgPool, signer: SignerKey) -> Result<OwnSignatures, ReadError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.petition_id, v.content, v.status, t.signed_at, t.withdrawn_at
           FROM signature_tally t JOIN petition_view v USING (petition_id)
          WHERE t.signer = $1 AND t.recorded
          ORDER BY t.signed_at DESC
          LIMIT $2",
    )
    .bind(signer.to_hex())
    .bind(OWN_SIGNATURES_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(OwnSignatures {
        signatures: rows
            .into_iter()
            .map(|(id, content, status, signed_at, withdrawn_at)| OwnSignature {
                petition_id: PetitionId::from_uuid(id),
                title: content.0.titles(),
                status,
                signed_at,
                withdrawn_at,
            })
            .collect(),
    })
}

/// One of the citizen's own comments, with what came of it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnComment {
    pub consultation_id: Uuid,
    pub comment_id: Uuid,
    /// The thread's proposal, for a reply.
    pub parent_id: Option<Uuid>,
    /// The provision it is anchored to now (`null`: whole draft or orphaned).
    pub provision: Option<String>,
    /// The author's own text, shown to them even if a moderator hid it.
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub posted_at: OffsetDateTime,
    /// The moderator's reason, when hidden.
    pub hidden_reason: Option<String>,
    /// The body's decision on a proposal, and why.
    pub disposition: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub answer_reason: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnComments {
    /// Newest first.
    pub comments: Vec<OwnComment>,
}

type CommentRow = (
    Uuid,
    Uuid,
    Option<Uuid>,
    Option<String>,
    String,
    OffsetDateTime,
    Option<String>,
    Option<String>,
    Option<serde_json::Value>,
);

pub async fn comments_of(pool: &PgPool, author: SignerKey) -> Result<OwnComments, ReadError> {
    let rows: Vec<CommentRow> = sqlx::query_as(
        "SELECT consultation_id, comment_id, parent_id, anchor_path, text, posted_at, hide_reason, disposition,
                answer_reason
           FROM consultation_comments WHERE author_key = $1
          ORDER BY posted_at DESC LIMIT $2",
    )
    .bind(author.to_hex())
    .bind(OWN_SIGNATURES_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(OwnComments {
        comments: rows
            .into_iter()
            .map(
                |(
                    consultation_id,
                    comment_id,
                    parent_id,
                    provision,
                    text,
                    posted_at,
                    hidden_reason,
                    disposition,
                    answer_reason,
                )| {
                    OwnComment {
                        consultation_id,
                        comment_id,
                        parent_id,
                        provision,
                        text,
                        posted_at,
                        hidden_reason,
                        disposition,
                        answer_reason,
                    }
                },
            )
            .collect(),
    })
}

/// One petition the citizen started, at whatever stage: drafts and petitions awaiting moderation
/// are shown to their author only.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnPetition {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    pub title: LocalizedString,
    /// `draft`, `submitted`, `rejected`, `open`, `closed`, `stopped` or `archived`.
    pub status: String,
    /// The addressee's id in the directory of state bodies.
    pub addressee: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub drafted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<OffsetDateTime>,
    /// When moderation must be done by (working days from submission).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub moderation_due: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub published_at: Option<OffsetDateTime>,
    /// The moderator's reason code and explanation, when rejected.
    pub rejection: Option<crate::model::Rejection>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnPetitions {
    /// Newest first.
    pub petitions: Vec<OwnPetition>,
}

type PetitionRow = (
    Uuid,
    Json<Content>,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<Json<crate::model::Rejection>>,
);

pub async fn petitions_of(pool: &PgPool, author: SignerKey) -> Result<OwnPetitions, ReadError> {
    let rows: Vec<PetitionRow> = sqlx::query_as(
        "SELECT petition_id, content, status, addressee_body, drafted_at, submitted_at, moderation_due,
                published_at, rejection
           FROM petition_view WHERE author = $1
          ORDER BY drafted_at DESC LIMIT $2",
    )
    .bind(author.to_hex())
    .bind(OWN_SIGNATURES_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(OwnPetitions {
        petitions: rows
            .into_iter()
            .map(
                |(
                    id,
                    content,
                    status,
                    addressee,
                    drafted_at,
                    submitted_at,
                    moderation_due,
                    published_at,
                    rejection,
                )| {
                    OwnPetition {
                        petition_id: PetitionId::from_uuid(id),
                        title: content.0.titles(),
                        status,
                        addressee,
                        drafted_at,
                        submitted_at,
                        moderation_due,
                        published_at,
                        rejection: rejection.map(|r| r.0),
                    }
                },
            )
            .collect(),
    })
}
