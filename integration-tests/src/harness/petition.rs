//! A national petition opened through the command API, as its author and a moderator would,
//! and a draft law opened for comment, as an official of the developing body would.

use anyhow::Context;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::http::post_json;

/// Drafts, submits and publishes one national petition addressed to the Government, in Kazakh
/// and Russian; returns its id. `purpose` ends up in the title and text.
pub async fn open_petition(
    client: &reqwest::Client,
    command_url: &str,
    author: &str,
    moderator: &str,
    purpose: &str,
) -> anyhow::Result<String> {
    let text = |lang: &str| {
        json!({
            "title": format!("Bench petition ({lang})"),
            "text": format!("A petition opened by a benchmark to measure {purpose}."),
            "request": "Please count every signature quickly and correctly.",
        })
    };
    let body = json!({
        "addressee": "government",
        "content": { "kk": text("kk"), "ru": text("ru") },
    });
    let created = post_json(
        client,
        &format!("{command_url}/petitions"),
        author,
        Some(&body),
        201,
    )
    .await?;
    let id = created["petition_id"]
        .as_str()
        .context("the create response has no petition_id")?
        .to_owned();
    post_json(
        client,
        &format!("{command_url}/petitions/{id}/submit"),
        author,
        None,
        200,
    )
    .await?;
    post_json(
        client,
        &format!("{command_url}/petitions/{id}/publish"),
        moderator,
        None,
        200,
    )
    .await?;
    Ok(id)
}

/// Creates the consultation `body` describes and opens it for comment for 60 days; returns its
/// id.
pub async fn open_consultation(
    client: &reqwest::Client,
    command_url: &str,
    official: &str,
    body: &Value,
) -> anyhow::Result<String> {
    let created = post_json(
        client,
        &format!("{command_url}/consultations"),
        official,
        Some(body),
        201,
    )
    .await?;
    let id = created["consultation_id"]
        .as_str()
        .context("the create response has no consultation_id")?
        .to_owned();
    let closes_at = (OffsetDateTime::now_utc() + time::Duration::days(60))
        .format(&Rfc3339)
        .context("cannot format the closing time")?;
    post_json(
        client,
        &format!("{command_url}/consultations/{id}/open"),
        official,
        Some(&json!({ "closes_at": closes_at })),
        200,
    )
    .await?;
    Ok(id)
}
