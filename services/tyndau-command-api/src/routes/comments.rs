//! Comment commands: propose, reply, edit, react, flag, hide, answer. Each reads the
//! consultation's current state (and the comment it acts on) and hands it to the domain as data.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use cqrs_es::AggregateError;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_domain::{Comment, CommentCommand, CommentError, ReactionCommand};
use tyndau_events::comment::{comment_aggregate_id, reaction_aggregate_id};
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_ids::{CommentId, ConsultationId};

use super::consultation_dto::{
    AnswerProposal, ConsultationAccepted, DismissFlags, EditComment, FlagComment, HideComment, PostComment,
    PostReply, TakeStance,
};
use super::consultations::{Reply, accepted};
use super::metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

fn with_comment(
    (status, Json(mut reply)): (StatusCode, Json<ConsultationAccepted>),
    comment_id: CommentId,
) -> (StatusCode, Json<ConsultationAccepted>) {
    reply.comment_id = Some(comment_id);
    (status, Json(reply))
}

async fn load_comment(
    state: &AppState,
    consultation_id: ConsultationId,
    comment_id: CommentId,
) -> Result<Arc<Comment>, ApiError> {
    let comment = state
        .comment_repository
        .load(&comment_aggregate_id(consultation_id, comment_id))
        .await?;
    Ok(Arc::new(comment))
}

async fn execute(
    state: &AppState,
    consultation_id: ConsultationId,
    comment_id: CommentId,
    command: CommentCommand,
    actor: tyndau_events::Actor,
    at: OffsetDateTime,
) -> Result<(), AggregateError<CommentError>> {
    state
        .comments
        .execute_with_metadata(
            &comment_aggregate_id(consultation_id, comment_id),
            command,
            metadata(actor, at),
        )
        .await
}

/// Comment on the whole draft or on a provision, optionally quoting it (citizen, or an official
/// of another organisation).
#[utoipa::path(post, path = "/consultations/{id}/comments", request_body = PostComment, tag = "comments",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 201, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn post(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(consultation_id): PathParam<ConsultationId>,
    ValidJson(body): ValidJson<PostComment>,
) -> Reply {
    let writer = authz::comment_writer(&principal, &state.pseudonymizer, body.channel)?;
    state.limits.comment(&writer.limit_key())?;
    let consultation = state.consultation_states.get(consultation_id).await?;
    let comment_id = CommentId::new();
    let at = OffsetDateTime::now_utc();
    let actor = authz::actor(&principal, writer.citizen_key());
    let command = CommentCommand::Post {
        comment_id,
        consultation,
        reply_to: None,
        author: writer.author,
        channel: writer.channel,
        region: writer.region,
        path: body.path,
        quote: body.quote,
        language: body.language,
        text: body.text,
        at,
    };
    execute(&state, consultation_id, comment_id, command, actor, at).await?;
    Ok(with_comment(
        accepted(StatusCode::CREATED, consultation_id, "commented", at),
        comment_id,
    ))
}

/// Reply to a comment; the thread keeps its anchor.
#[utoipa::path(post, path = "/consultations/{id}/comments/{comment_id}/replies", request_body = PostReply, tag = "comments",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 201, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn reply(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, parent_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<PostReply>,
) -> Reply {
    let writer = authz::comment_writer(&principal, &state.pseudonymizer, body.channel)?;
    state.limits.comment(&writer.limit_key())?;
    let consultation = state.consultation_states.get(consultation_id).await?;
    let parent = load_comment(&state, consultation_id, parent_id).await?;
    let comment_id = CommentId::new();
    let at = OffsetDateTime::now_utc();
    let actor = authz::actor(&principal, writer.citizen_key());
    let command = CommentCommand::Post {
        comment_id,
        consultation,
        reply_to: Some(parent.clone()),
        author: writer.author,
        channel: writer.channel,
        region: writer.region,
        path: None,
        quote: None,
        language: body.language,
        text: body.text,
        at,
    };
    execute(&state, consultation_id, comment_id, command, actor.clone(), at).await?;
    if !parent.has_replies() {
        // Closes the parent for edits. Only the first reply writes; concurrent first replies
        // conflict on the parent's stream, and a retry then finds the reply already noted.
        for _ in 0..3 {
            let noted = execute(
                &state,
                consultation_id,
                parent_id,
                CommentCommand::NoteReply {
                    reply: comment_id,
                    at,
                },
                actor.clone(),
                at,
            )
            .await;
            match noted {
                Err(AggregateError::AggregateConflict) => continue,
                other => {
                    other?;
                    break;
                }
            }
        }
    }
    Ok(with_comment(
        accepted(StatusCode::CREATED, consultation_id, "replied", at),
        comment_id,
    ))
}

/// Edit one's own comment, until the first reply or answer; earlier wordings stay public.
#[utoipa::path(patch, path = "/consultations/{id}/comments/{comment_id}", request_body = EditComment, tag = "comments",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<EditComment>,
) -> Reply {
    let writer = authz::comment_writer(&principal, &state.pseudonymizer, None)?;
    state.limits.citizen(&writer.limit_key())?;
    let consultation = state.consultation_states.get(consultation_id).await?;
    let at = OffsetDateTime::now_utc();
    let actor = authz::actor(&principal, writer.citizen_key());
    let command = CommentCommand::Edit {
        by: writer.author,
        consultation,
        text: body.text,
        at,
    };
    execute(&state, consultation_id, comment_id, command, actor, at).await?;
    Ok(with_comment(
        accepted(StatusCode::OK, consultation_id, "edited", at),
        comment_id,
    ))
}

/// Agree, disagree, or withdraw one's stance (citizen); one stance each, changeable.
#[utoipa::path(put, path = "/consultations/{id}/comments/{comment_id}/stance", request_body = TakeStance, tag = "comments",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn stance(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<TakeStance>,
) -> Reply {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&key.to_hex())?;
    let consultation = state.consultation_states.get(consultation_id).await?;
    let comment = load_comment(&state, consultation_id, comment_id).await?;
    let at = OffsetDateTime::now_utc();
    let command = ReactionCommand::TakeStance {
        citizen: key,
        comment,
        consultation,
        stance: body.stance,
        at,
    };
    state
        .reactions
        .execute_with_metadata(
            &reaction_aggregate_id(consultation_id, comment_id, key),
            command,
            metadata(authz::actor(&principal, Some(key)), at),
        )
        .await?;
    Ok(with_comment(
        accepted(StatusCode::OK, consultation_id, "stance_taken", at),
        comment_id,
    ))
}

/// Flag a comment for the moderators (citizen), once.
#[utoipa::path(post, path = "/consultations/{id}/comments/{comment_id}/flags", request_body = FlagComment, tag = "comments",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 201, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn flag(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<FlagComment>,
) -> Reply {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&key.to_hex())?;
    let comment = load_comment(&state, consultation_id, comment_id).await?;
    let at = OffsetDateTime::now_utc();
    let command = ReactionCommand::Flag {
        citizen: key,
        comment,
        reason: body.reason,
        at,
    };
    state
        .reactions
        .execute_with_metadata(
            &reaction_aggregate_id(consultation_id, comment_id, key),
            command,
            metadata(authz::actor(&principal, Some(key)), at),
        )
        .await?;
    Ok(with_comment(
        accepted(StatusCode::CREATED, consultation_id, "flagged", at),
        comment_id,
    ))
}

/// Hide a comment with a public reason (moderator): the text is withheld, the fact stays.
#[utoipa::path(post, path = "/consultations/{id}/comments/{comment_id}/hide", request_body = HideComment, tag = "moderation",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn hide(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<HideComment>,
) -> Reply {
    authz::moderator(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = CommentCommand::Hide {
        reason: body.reason,
        explanation: body.explanation,
        at,
    };
    execute(
        &state,
        consultation_id,
        comment_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(with_comment(
        accepted(StatusCode::OK, consultation_id, "hidden", at),
        comment_id,
    ))
}

/// Leave a flagged comment shown (moderator): the flags seen are dealt with, and the comment
/// comes back to the moderation queue only if it is flagged again.
#[utoipa::path(post, path = "/consultations/{id}/comments/{comment_id}/flags/dismissal", request_body = DismissFlags, tag = "moderation",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn dismiss_flags(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<DismissFlags>,
) -> Reply {
    authz::moderator(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = CommentCommand::DismissFlags {
        seen: body.flags_seen,
        at,
    };
    execute(
        &state,
        consultation_id,
        comment_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(with_comment(
        accepted(StatusCode::OK, consultation_id, "flags_dismissed", at),
        comment_id,
    ))
}

/// Answer a proposal with a decision and a reason (official of the developing body). A changed
/// answer is recorded beside the earlier one.
#[utoipa::path(post, path = "/consultations/{id}/comments/{comment_id}/answer", operation_id = "answer_proposal", request_body = AnswerProposal, tag = "answers",
    params(("id" = String, Path, format = Uuid), ("comment_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((consultation_id, comment_id)): PathParam<(ConsultationId, CommentId)>,
    ValidJson(body): ValidJson<AnswerProposal>,
) -> Reply {
    let official = authz::official(&principal)?;
    let consultation = state.consultation_states.get(consultation_id).await?;
    let duplicate_of = match body.duplicate_of {
        Some(target) => Some(load_comment(&state, consultation_id, target).await?),
        None => None,
    };
    let at = OffsetDateTime::now_utc();
    let command = CommentCommand::Answer {
        by: official.organisation.clone(),
        consultation,
        disposition: body.disposition,
        changed: body.changed(),
        reason: body.reason,
        duplicate_of,
        at,
    };
    execute(
        &state,
        consultation_id,
        comment_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(with_comment(
        accepted(StatusCode::OK, consultation_id, "answered", at),
        comment_id,
    ))
}
