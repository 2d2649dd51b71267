//! Privacy through HTTP: names are shown only when chosen (first name + initial), sealed under
//! per-subject keys; erasure and the retention period shred them while every count stays exact,
//! also after a rebuild from the event store.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use tyndau_testkit::{PATIENCE, Reply, TestPlatform, eventually};

async fn signers_where(platform: &TestPlatform, petition: &str, what: impl Fn(&Value) -> bool) -> Value {
    eventually(
        || async {
            let reply = platform.get(&format!("/petitions/{petition}/signers")).await;
            (reply.status == 200 && what(&reply.body)).then_some(reply.body)
        },
        PATIENCE,
    )
    .await
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["display_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn names_are_shown_only_by_choice_and_shredded_on_erasure() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("akimat-almaty").await;
    let aigerim = platform.citizen_token_named(1, "Айгерим Сапарова");
    let yerlan = platform.citizen_token_named(2, "Ерлан Нұрланұлы");
    let quiet = platform.citizen_token_named(3, "Данияр Ахметов");
    let path = format!("/petitions/{petition}/signature?show_name=true");
    Reply::read(platform.command(Method::POST, &path, Some(&aigerim)))
        .await
        .expect_status(201);
    Reply::read(platform.command(Method::POST, &path, Some(&yerlan)))
        .await
        .expect_status(201);
    platform.sign(&petition, &quiet).await.expect_status(201);
    // A token without a name cannot ask to show one; nothing is recorded then.
    Reply::read(platform.command(Method::POST, &path, Some(&platform.citizen_token(4))))
        .await
        .assert_problem(422, "no_display_name");

    let list = signers_where(&platform, &petition, |l| l["shown"] == 2 && l["signatures"] == 3).await;
    let mut shown = names(&list);
    shown.sort();
    assert_eq!(shown, vec!["Айгерим С.", "Ерлан Н."]);
    // The event store holds no readable name: only sealed text.
    let stored: String = tyndau_db::sqlx::query_scalar(
        "SELECT string_agg(payload::text, ' ') FROM events WHERE aggregate_type = 'signature'",
    )
    .fetch_one(platform.pool())
    .await
    .unwrap();
    assert!(
        !stored.contains("Айгерим") && !stored.contains("Сапарова"),
        "{stored}"
    );
    assert!(stored.contains("ciphertext"));

    // Erasure: the keys go, the name leaves every list, the signature still counts.
    let erased = Reply::read(platform.command(Method::DELETE, "/me", Some(&aigerim))).await;
    assert_eq!(erased.expect_status(200)["keys_deleted"], 1);
    let list = signers_where(&platform, &petition, |l| l["shown"] == 1).await;
    assert_eq!(names(&list), vec!["Ерлан Н."]);
    assert_eq!(list["signatures"], 3);

    // A rebuild from the event store cannot bring the erased name back.
    tyndau_projector_thresholds::rebuild(platform.pool())
        .await
        .unwrap();
    let list = signers_where(&platform, &petition, |_| true).await;
    assert_eq!(names(&list), vec!["Ерлан Н."]);
    assert_eq!(list["signatures"], 3);

    // Withdrawing takes the name off the list too.
    platform.withdraw(&petition, &yerlan).await.expect_status(200);
    signers_where(&platform, &petition, |l| l["shown"] == 0 && l["signatures"] == 2).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_retention_period_shreds_a_closed_petitions_names() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("akimat-almaty").await;
    let path = format!("/petitions/{petition}/signature?show_name=true");
    for n in 1..=3 {
        let token = platform.citizen_token_named(n, &format!("Азамат{n} Тестов"));
        Reply::read(platform.command(Method::POST, &path, Some(&token)))
            .await
            .expect_status(201);
    }
    signers_where(&platform, &petition, |l| l["shown"] == 3).await;
    // Let the petition run out (no threshold: closed below it), then a year passes.
    let detail = platform.get(&format!("/petitions/{petition}")).await;
    let closes_at = OffsetDateTime::parse(
        detail.body["dates"]["closes_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let report = platform
        .scheduler()
        .tick(closes_at + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(report.closed, 1);
    eventually(
        || async { platform.get(&format!("/petitions/{petition}")).await.body["status"] == "closed" },
        PATIENCE,
    )
    .await;
    let early = platform
        .scheduler()
        .tick(closes_at + Duration::days(200))
        .await
        .unwrap();
    assert_eq!(early.anonymised, 0, "not before the retention period");
    let later = platform
        .scheduler()
        .tick(closes_at + Duration::days(400))
        .await
        .unwrap();
    assert_eq!(later.anonymised, 1);
    let list = signers_where(&platform, &petition, |l| l["shown"] == 0).await;
    assert_eq!(list["signatures"], 3, "counts stay exact");
    let keys: i64 = tyndau_db::sqlx::query_scalar("SELECT count(*) FROM subject_keys")
        .fetch_one(platform.pool())
        .await
        .unwrap();
    assert_eq!(keys, 0);
    platform.shutdown().await;
}
