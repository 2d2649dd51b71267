//! Abuse controls through HTTP: rate limits per address, per citizen and per petition, comment
//! flood control, and the audit trail of who did what from which network.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

fn limits(values: Value) -> Value {
    let mut all = json!({
        "per_address_per_s": 0, "per_citizen_per_min": 0, "per_petition_per_s": 0, "comments_per_min": 0
    });
    all.as_object_mut()
        .unwrap()
        .extend(values.as_object().unwrap().clone());
    json!({ "rate_limits": all })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_citizen_is_slowed_down_and_told_when_to_retry() {
    // A burst of four commands, then one a minute: the petitions' author spends exactly four.
    let platform = TestPlatform::spawn_with(limits(
        json!({ "per_citizen_per_min": 1, "per_citizen_burst": 4 }),
    ))
    .await;
    let first = platform.open_petition("akimat-almaty").await;
    let second = platform.open_petition("akimat-almaty").await;
    let citizen = platform.citizen_token(1);
    platform.sign(&first, &citizen).await.expect_status(201);
    platform.withdraw(&first, &citizen).await.expect_status(200);
    platform.sign(&second, &citizen).await.expect_status(201);
    platform.withdraw(&second, &citizen).await.expect_status(200);
    let limited = platform.sign(&second, &citizen).await;
    limited.assert_problem(429, "rate_limited");
    assert!(limited.body["detail"].as_str().unwrap().contains("citizen"));
    // Another citizen is not affected, and the limited request changed nothing.
    platform
        .sign(&first, &platform.citizen_token(2))
        .await
        .expect_status(201);
    platform.await_count(&first, 1).await;
    platform.await_count(&second, 0).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_address_is_limited_and_gets_retry_after() {
    let platform =
        TestPlatform::spawn_with(limits(json!({ "per_address_per_s": 2, "per_address_burst": 5 }))).await;
    let mut limited = None;
    for n in 0..40 {
        let response = platform
            .command(
                reqwest::Method::POST,
                "/petitions/00000000-0000-7000-8000-000000000000/signature",
                Some(&platform.citizen_token(n)),
            )
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
    }
    let response = limited.expect("the address limit applies");
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=5).contains(&retry));
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn comment_floods_are_cut_and_every_command_is_on_the_audit_trail() {
    let platform =
        TestPlatform::spawn_with(limits(json!({ "comments_per_min": 2, "comment_burst": 3 }))).await;
    let official = platform.official_token("government");
    let body = json!({
        "content": {
            "kk": { "title": "Жоба", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
            "ru": { "title": "Проект", "summary": "Кратко.", "explanatory_note": "Записка." }
        },
        "provisions": [{ "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Первая статья." } }],
    });
    let created = platform.post("/consultations", Some(&official), Some(body)).await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closes_at = (OffsetDateTime::now_utc() + Duration::days(40))
        .format(&Rfc3339)
        .unwrap();
    platform
        .post(
            &format!("/consultations/{id}/open"),
            Some(&official),
            Some(json!({ "closes_at": closes_at })),
        )
        .await
        .expect_status(200);
    let citizen = platform.citizen_token(5);
    let comment = |n: u32| {
        let path = format!("/consultations/{id}/comments");
        let citizen = citizen.clone();
        let platform = &platform;
        async move {
            platform
                .post(
                    &path,
                    Some(&citizen),
                    Some(json!({ "language": "ru", "text": format!("Мнение {n}") })),
                )
                .await
        }
    };
    for n in 0..3 {
        comment(n).await.expect_status(201);
    }
    comment(3).await.assert_problem(429, "rate_limited");
    platform
        .post(
            &format!("/consultations/{id}/comments"),
            Some(&platform.citizen_token(6)),
            Some(json!({ "language": "ru", "text": "Другой гражданин." })),
        )
        .await
        .expect_status(201);

    // The audit trail: the official's commands and the citizen's comments, with actor and network.
    let admin = platform.admin_token();
    let trail = |query: String| {
        let admin = admin.clone();
        let platform = &platform;
        async move {
            let reply = tyndau_testkit::Reply::read(platform.command(
                reqwest::Method::GET,
                &format!("/admin/audit?{query}"),
                Some(&admin),
            ))
            .await;
            reply.expect_status(200).clone()
        }
    };
    let page = trail(format!("aggregate_id={id}&limit=2")).await;
    assert_eq!(page["entries"].as_array().unwrap().len(), 2);
    let older = trail(format!("aggregate_id={id}&before={}", page["next_before"])).await;
    let mut entries: Vec<Value> = page["entries"].as_array().unwrap().clone();
    entries.extend(older["entries"].as_array().unwrap().iter().cloned());
    let kinds: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["event_type"].as_str().unwrap(),
                e["actor_kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("CommentPosted", "citizen"),
            ("CommentPosted", "citizen"),
            ("CommentPosted", "citizen"),
            ("CommentPosted", "citizen"),
            ("ConsultationOpened", "official"),
            ("ConsultationDrafted", "official"),
        ]
    );
    assert!(
        entries.iter().all(|e| e["origin"] == "127.0.0.0/24"),
        "{entries:?}"
    );
    assert_eq!(entries[5]["actor_id"], "official-government");
    let officials = trail("actor_kind=official".to_owned()).await;
    assert_eq!(officials["entries"].as_array().unwrap().len(), 2);
    let denied =
        tyndau_testkit::Reply::read(platform.command(reqwest::Method::GET, "/admin/audit", Some(&official)))
            .await;
    denied.assert_problem(403, "forbidden");
    eventually(
        || async { platform.get(&format!("/consultations/{id}")).await.body["comments"] == 4 },
        PATIENCE,
    )
    .await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_moderator_removes_a_fraud_wave_and_the_public_sees_why() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("akimat-almaty").await;
    for n in 1..=3 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 3).await;
    let wave_starts = OffsetDateTime::now_utc();
    for n in 4..=7 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 7).await;
    let path = format!("/petitions/{petition}/invalidations");
    let moderator = platform.moderator_token();
    let since = wave_starts.format(&Rfc3339).unwrap();

    // Refusals first: nobody but a moderator, never an empty rule, never nothing.
    platform
        .post(
            &path,
            Some(&platform.citizen_token(1)),
            Some(json!({ "reason": "automated", "explanation": "x", "rule": { "signed_from": since } })),
        )
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(
            &path,
            Some(&moderator),
            Some(json!({ "reason": "automated", "explanation": "x", "rule": {} })),
        )
        .await
        .assert_problem(422, "invalid_rule");
    platform
        .post(
            &path,
            Some(&moderator),
            Some(json!({ "reason": "automated", "explanation": "x", "rule": { "network": "10.9.8.0/24" } })),
        )
        .await
        .assert_problem(422, "nothing_to_invalidate");
    platform
        .post(
            &path,
            Some(&moderator),
            Some(json!({ "reason": "automated", "explanation": "x", "rule": { "network": "10.9.8.7/16" } })),
        )
        .await
        .assert_problem(422, "invalid_rule");

    // The wave (by time window) goes; the count follows everywhere.
    let done = platform
        .post(
            &path,
            Some(&moderator),
            Some(json!({ "reason": "automated", "explanation": "Scripted burst from one client.", "rule": { "signed_from": since } })),
        )
        .await;
    assert_eq!(done.expect_status(200)["removed"], 4);
    platform.await_count(&petition, 3).await;
    let gate: i64 =
        tyndau_db::sqlx::query_scalar("SELECT signatures FROM signature_gate WHERE petition_id = $1::uuid")
            .bind(&petition)
            .fetch_one(platform.pool())
            .await
            .unwrap();
    assert_eq!(gate, 3);
    // A removed signature can be neither given again nor withdrawn.
    platform
        .sign(&petition, &platform.citizen_token(5))
        .await
        .assert_problem(410, "signature_invalidated");
    platform
        .withdraw(&petition, &platform.citizen_token(5))
        .await
        .assert_problem(410, "signature_invalidated");

    // By network: everything from this test's loopback network.
    let done = platform
        .post(
            &path,
            Some(&moderator),
            Some(json!({ "reason": "stolen_identities", "explanation": "Reported by the identity provider.", "rule": { "network": "127.0.0.1/24" } })),
        )
        .await;
    assert_eq!(done.expect_status(200)["removed"], 3);
    platform.await_count(&petition, 0).await;

    let report = eventually(
        || async {
            let reply = platform
                .get(&format!("/petitions/{petition}/invalidations"))
                .await;
            (reply.body["total"] == 7).then_some(reply.body)
        },
        PATIENCE,
    )
    .await;
    let entries = report["invalidations"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["count"], 4);
    assert_eq!(entries[0]["reason"], "automated");
    assert_eq!(entries[0]["explanation"], "Scripted burst from one client.");
    assert_eq!(entries[0]["rule"]["by_network"], false);
    assert_eq!(entries[1]["rule"]["by_network"], true);
    assert!(
        entries[1]["rule"].get("network").is_none(),
        "the network is not published"
    );
    // Counts are corrected everywhere, the regional breakdown included.
    let regions = platform.get(&format!("/petitions/{petition}/regions")).await;
    assert_eq!(regions.expect_status(200)["total"], 0);
    platform.shutdown().await;
}
