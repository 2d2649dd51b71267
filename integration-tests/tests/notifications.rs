//! Participants are told what came of their contribution (the in-app inbox), through HTTP
//! against the real PostgreSQL and NATS: a petition's author and its standing signers hear of
//! the threshold and the answer exactly once each (a signer who withdrew does not), across a
//! notifier killed mid-stream and a rebuild; a proposal's author hears of the reply, the answer
//! and the new version; reading marks the inbox read; erasure empties it.

#![allow(clippy::unwrap_used)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tyndau_testkit::{PATIENCE, Reply, TestPlatform};

async fn inbox(platform: &TestPlatform, token: &str) -> Value {
    let reply = Reply::read(platform.command(Method::GET, "/me/notifications", Some(token))).await;
    reply.expect_status(200).clone()
}

fn kinds(inbox: &Value) -> Vec<String> {
    let mut kinds: Vec<String> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds
}

/// Waits until the inbox of `token` holds exactly `expected` kinds (sorted).
async fn inbox_is(platform: &TestPlatform, token: &str, expected: &[&str]) -> Value {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let inbox = inbox(platform, token).await;
        if kinds(&inbox) == expected {
            return inbox;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the inbox never held {expected:?}; last: {inbox}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signers_and_authors_are_told_once_and_only_while_they_stand() {
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": 2, "startup_signatures": 1 }
    }))
    .await;
    platform.start_notifier().await;
    let author = platform.citizen_token(1);
    let petition = platform.draft(&author, "government").await;
    platform
        .post(&format!("/petitions/{petition}/submit"), Some(&author), None)
        .await
        .expect_status(200);
    platform
        .post(
            &format!("/petitions/{petition}/publish"),
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .expect_status(200);
    let signers: Vec<String> = (10..13).map(|n| platform.citizen_token(n)).collect();
    for token in &signers {
        platform.sign(&petition, token).await.expect_status(201);
    }
    // The notifier dies like `kill -9` with work in flight, and comes back.
    platform.crash_notifier().await;
    platform.withdraw(&petition, &signers[2]).await.expect_status(200);
    platform.start_notifier().await;
    platform.await_count(&petition, 2).await;
    platform.await_answer_due(&petition).await;
    platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&platform.official_token("government")),
            Some(
                json!({ "decision": "satisfied", "text": { "kk": "Орындалады.", "ru": "Будет исполнено." } }),
            ),
        )
        .await
        .expect_status(200);

    let told = ["petition_answered", "petition_threshold_reached"];
    let author_inbox = inbox_is(
        &platform,
        &author,
        &[
            "petition_answered",
            "petition_published",
            "petition_threshold_reached",
        ],
    )
    .await;
    assert_eq!(author_inbox["unread"], 3);
    let first = inbox_is(&platform, &signers[0], &told).await;
    inbox_is(&platform, &signers[1], &told).await;
    inbox_is(&platform, &signers[2], &[]).await;
    let answered = &first["items"][0];
    assert_eq!(answered["kind"], "petition_answered");
    assert_eq!(answered["subject"], format!("petition:{petition}"));
    assert_eq!(answered["details"]["decision"], "satisfied");
    assert_eq!(answered["unread"], true);

    // Read: nothing unread, the items stay; the mark never moves back.
    let top = answered["id"].as_i64().unwrap();
    let mark = |up_to: Value| {
        let signer = signers[0].clone();
        let platform = &platform;
        async move {
            Reply::read(
                platform
                    .command(Method::POST, "/me/notifications/read", Some(&signer))
                    .json(&json!({ "up_to": up_to })),
            )
            .await
        }
    };
    assert_eq!(mark(json!(top)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(mark(json!(1)).await.status, StatusCode::NO_CONTENT);
    mark(json!(0)).await.assert_problem(422, "invalid_input");
    mark(json!("all")).await.assert_problem(422, "invalid_body");
    let read = inbox(&platform, &signers[0]).await;
    assert_eq!(read["unread"], 0);
    assert_eq!(read["items"].as_array().unwrap().len(), 2);
    // Staff have no inbox here.
    Reply::read(platform.command(
        Method::GET,
        "/me/notifications",
        Some(&platform.moderator_token()),
    ))
    .await
    .assert_problem(403, "forbidden");

    // A rebuild writes the same notifications again, once each; what was read stays read.
    let before: i64 = tyndau_db::sqlx::query_scalar("SELECT count(*) FROM notifications")
        .fetch_one(platform.pool())
        .await
        .unwrap();
    platform.crash_notifier().await;
    tyndau_notifier::rebuild(platform.pool()).await.unwrap();
    let after: i64 = tyndau_db::sqlx::query_scalar("SELECT count(*) FROM notifications")
        .fetch_one(platform.pool())
        .await
        .unwrap();
    assert_eq!((before, after), (7, 7));
    platform.start_notifier().await;

    // Signers are subscribed while they stand, and say so.
    let subscriptions = |token: String| {
        let platform = &platform;
        async move {
            Reply::read(platform.command(Method::GET, "/me/subscriptions", Some(&token)))
                .await
                .expect_status(200)["items"]
                .clone()
        }
    };
    let standing = subscriptions(signers[0].clone()).await;
    assert_eq!(
        standing[0]["subject"],
        format!("petition:{petition}"),
        "{standing}"
    );
    assert_eq!(standing[0]["reason"], "signed");
    assert_eq!(standing[0]["active"], true);
    assert_eq!(subscriptions(signers[2].clone()).await, json!([]));

    // Erasure empties the inbox, and the signature made before it reaches nobody, in a rebuild
    // too.
    Reply::read(platform.command(Method::DELETE, "/me", Some(&signers[1])))
        .await
        .expect_status(200);
    inbox_is(&platform, &signers[1], &[]).await;
    assert_eq!(subscriptions(signers[1].clone()).await, json!([]));
    platform.crash_notifier().await;
    tyndau_notifier::rebuild(platform.pool()).await.unwrap();
    platform.start_notifier().await;
    inbox_is(&platform, &signers[1], &[]).await;
    inbox_is(&platform, &signers[0], &told).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_proposal_author_hears_of_replies_answers_and_new_versions() {
    let platform = TestPlatform::spawn().await;
    platform.start_notifier().await;
    let official = platform.official_token("government");
    let id = platform.open_consultation().await;
    let author = platform.citizen_token(20);
    let proposal = platform
        .post(
            &format!("/consultations/{id}/comments"),
            Some(&author),
            Some(json!({ "path": "a1", "language": "ru", "text": "Уточнить статью." })),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Their own reply tells them nothing; someone else's does.
    for token in [&author, &platform.citizen_token(21)] {
        platform
            .post(
                &format!("/consultations/{id}/comments/{proposal}/replies"),
                Some(token),
                Some(json!({ "language": "ru", "text": "Согласен." })),
            )
            .await
            .expect_status(201);
    }
    platform
        .post(
            &format!("/consultations/{id}/versions"),
            Some(&official),
            Some(json!({ "provisions": [{ "path": "a1", "text": { "kk": "Бірінші, нақты.", "ru": "Первая, уточнённая." } }] })),
        )
        .await
        .expect_status(201);
    platform
        .post(
            &format!("/consultations/{id}/comments/{proposal}/answer"),
            Some(&official),
            Some(
                json!({ "disposition": "accepted", "reason": { "kk": "Қабылданды.", "ru": "Принято." },
                         "changed": { "version": 2, "path": "a1" } }),
            ),
        )
        .await
        .expect_status(200);
    let inbox = inbox_is(
        &platform,
        &author,
        &["comment_replied", "consultation_version", "proposal_answered"],
    )
    .await;
    let answered = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "proposal_answered")
        .unwrap();
    assert_eq!(answered["subject"], format!("consultation:{id}"));
    assert_eq!(answered["details"]["comment"], proposal.as_str());
    assert_eq!(answered["details"]["disposition"], "accepted");
    assert_eq!(answered["details"]["changed"]["version"], 2);
    // The replier follows nothing they did not propose.
    inbox_is(&platform, &platform.citizen_token(21), &[]).await;
    platform.shutdown().await;
}
