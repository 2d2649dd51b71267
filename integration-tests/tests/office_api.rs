//! The command API's calls that the back office needs beyond the citizens' ones: a moderator
//! dismisses the flags of a comment (it leaves the queue until flagged again), previews a bulk
//! invalidation before confirming it (nothing removed by the preview), and anyone reads the
//! consultation period's terms (the default end date of the opening form).

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

fn consultation_body() -> Value {
    json!({
        "content": {
            "kk": { "title": "Заң жобасы", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
            "ru": { "title": "Проект закона", "summary": "Кратко.", "explanatory_note": "Записка." }
        },
        "provisions": [
            { "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Первая статья." } },
        ],
    })
}

/// The moderation queue's flagged comments, once `what` holds of them.
async fn flagged_where(platform: &TestPlatform, what: impl Fn(&[(String, i32)]) -> bool) {
    eventually(
        || async {
            let queue = tyndau_read_model::office::flagged_comments(platform.pool(), 50)
                .await
                .unwrap();
            let queue: Vec<(String, i32)> = queue
                .iter()
                .map(|f| (f.comment.id.to_string(), f.flags))
                .collect();
            what(&queue).then_some(())
        },
        PATIENCE,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dismissed_flags_leave_the_queue_until_someone_flags_again() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_consultation().await;
    let comment = platform
        .post(
            &format!("/consultations/{id}/comments"),
            Some(&platform.citizen_token(1)),
            Some(json!({ "language": "ru", "text": "Резкое, но допустимое мнение." })),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let flags = format!("/consultations/{id}/comments/{comment}/flags");
    for n in [2, 3] {
        platform
            .post(
                &flags,
                Some(&platform.citizen_token(n)),
                Some(json!({ "reason": "abusive" })),
            )
            .await
            .expect_status(201);
    }
    flagged_where(&platform, |q| q == [(comment.clone(), 2)]).await;

    let dismissal = format!("{flags}/dismissal");
    platform
        .post(
            &dismissal,
            Some(&platform.citizen_token(4)),
            Some(json!({ "flags_seen": 2 })),
        )
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(
            &dismissal,
            Some(&platform.moderator_token()),
            Some(json!({ "flags_seen": 0 })),
        )
        .await
        .assert_problem(422, "invalid_input");
    platform
        .post(
            &dismissal,
            Some(&platform.moderator_token()),
            Some(json!({ "flags_seen": 2 })),
        )
        .await
        .expect_status(200);
    // A second moderator working the same queue finds nothing new to dismiss.
    platform
        .post(
            &dismissal,
            Some(&platform.moderator_token()),
            Some(json!({ "flags_seen": 2 })),
        )
        .await
        .assert_problem(409, "no_new_flags");
    flagged_where(&platform, <[_]>::is_empty).await;

    platform
        .post(
            &flags,
            Some(&platform.citizen_token(5)),
            Some(json!({ "reason": "spam" })),
        )
        .await
        .expect_status(201);
    flagged_where(&platform, |q| q == [(comment.clone(), 3)]).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invalidation_preview_counts_and_removes_nothing() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("government").await;
    let before_wave = OffsetDateTime::now_utc();
    for n in 1..=3 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 3).await;
    let rule = json!({ "reason": "automated", "explanation": "A scripted burst.",
                       "rule": { "signed_from": before_wave.format(&Rfc3339).unwrap() } });
    let preview = format!("/petitions/{petition}/invalidations/preview");
    platform
        .post(&preview, Some(&platform.citizen_token(9)), Some(rule.clone()))
        .await
        .assert_problem(403, "forbidden");
    for _ in 0..2 {
        let previewed = platform
            .post(&preview, Some(&platform.moderator_token()), Some(rule.clone()))
            .await;
        assert_eq!(previewed.expect_status(200)["would_remove"], 3);
    }
    let after_wave = (OffsetDateTime::now_utc() + Duration::hours(1))
        .format(&Rfc3339)
        .unwrap();
    let none = platform
        .post(
            &preview,
            Some(&platform.moderator_token()),
            Some(json!({ "reason": "automated", "explanation": "Nothing.",
                         "rule": { "signed_from": after_wave } })),
        )
        .await;
    // Refused as the real run would be: the moderator learns it before confirming.
    none.assert_problem(422, "nothing_to_invalidate");
    // Still all three: the previews removed nothing, so the real run removes the three.
    platform.await_count(&petition, 3).await;
    let removed = platform
        .post(
            &format!("/petitions/{petition}/invalidations"),
            Some(&platform.moderator_token()),
            Some(rule),
        )
        .await;
    assert_eq!(removed.expect_status(200)["removed"], 3);
    platform.await_count(&petition, 0).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_consultation_terms_give_the_earliest_end_of_the_period() {
    let platform = TestPlatform::spawn().await;
    let reply = platform
        .client()
        .get(format!("{}/consultation-terms", platform.command_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let terms: Value = reply.json().await.unwrap();
    let days = terms["min_comment_working_days"].as_u64().unwrap();
    assert!(days >= 10, "{terms}");
    let earliest = OffsetDateTime::parse(terms["earliest_closes_at"].as_str().unwrap(), &Rfc3339).unwrap();
    // Ten working days are at least two calendar weeks.
    assert!(
        earliest - OffsetDateTime::now_utc() >= Duration::days(13),
        "{terms}"
    );
    // The earliest end it names is one the command API accepts.
    let official = platform.official_token("government");
    let created = platform
        .post("/consultations", Some(&official), Some(consultation_body()))
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    platform
        .post(
            &format!("/consultations/{id}/open"),
            Some(&official),
            Some(json!({ "closes_at": terms["earliest_closes_at"] })),
        )
        .await
        .expect_status(200);
    platform.shutdown().await;
}
