//! End-to-end tests through HTTP against the real services: the command API, the relay, NATS
//! JetStream, the thresholds projector, the query API and the scheduler, each test on its own
//! [`TestPlatform`] (fresh database, own NATS prefix).
//!
//! Needs the local servers: `scripts/dev-env.sh`, then `source .data/env`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tyndau_ids::Region;
use tyndau_testkit::{AUTHOR, PATIENCE, Reply, TestPlatform, eventually};

/// Citizen numbers used as signers start here, away from [`AUTHOR`].
const SIGNERS: u32 = 0;

/// Waits until the petition is visible in the query API and returns its detail.
async fn detail_where(platform: &TestPlatform, id: &str, what: impl Fn(&Value) -> bool) -> Value {
    let path = format!("/petitions/{id}");
    eventually(
        || async {
            let reply = platform.get(&path).await;
            (reply.status == StatusCode::OK && what(&reply.body)).then_some(reply.body)
        },
        PATIENCE,
    )
    .await
}

fn timestamp(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(
        value
            .as_str()
            .unwrap_or_else(|| panic!("not a timestamp: {value}")),
        &Rfc3339,
    )
    .unwrap()
}

async fn gate_count(platform: &TestPlatform, id: &str) -> i64 {
    tyndau_db::sqlx::query_scalar("SELECT signatures FROM signature_gate WHERE petition_id = $1::uuid")
        .bind(id)
        .fetch_one(platform.pool())
        .await
        .unwrap()
}

fn tokens(platform: &TestPlatform, numbers: std::ops::Range<u32>) -> Vec<String> {
    numbers.map(|n| platform.citizen_token(n)).collect()
}

fn assert_all(statuses: &[StatusCode], expected: StatusCode) {
    let wrong: Vec<(usize, StatusCode)> = statuses
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| *s != expected)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} replies were not {expected}: {:?}",
        wrong.len(),
        statuses.len(),
        &wrong[..wrong.len().min(10)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_whole_lifecycle_of_a_city_petition() {
    let platform = TestPlatform::spawn().await;
    let author = platform.citizen_token(AUTHOR);

    // Draft, submit, publish.
    let id = platform.draft(&author, "akimat-almaty").await;
    let reply = platform
        .post(&format!("/petitions/{id}/submit"), Some(&author), None)
        .await;
    assert_eq!(reply.expect_status(200)["outcome"], "submitted");
    let reply = platform
        .post(
            &format!("/petitions/{id}/publish"),
            Some(&platform.moderator_token()),
            None,
        )
        .await;
    assert_eq!(reply.expect_status(200)["outcome"], "published");

    let detail = detail_where(&platform, &id, |d| d["status"] == "open").await;
    assert_eq!(detail["addressee"]["body"], "akimat-almaty");
    assert_eq!(detail["addressee"]["level"], "city_akimat");
    assert_eq!(detail["threshold"], 2_500);
    assert_eq!(detail["next_step"], "collecting_startup");
    assert!(detail["content"]["kk"]["title"].is_string() && detail["content"]["ru"]["title"].is_string());

    // The start-up gate: 50 signatures, then a tick lists it.
    let statuses = platform
        .sign_all(&id, tokens(&platform, SIGNERS..SIGNERS + 50), 16)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    platform.await_count(&id, 50).await;
    let not_listed = platform.get("/petitions?status=open").await;
    assert!(
        !not_listed.expect_status(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id.as_str()),
        "listed before the tick: {not_listed:?}"
    );
    let report = platform
        .scheduler()
        .tick(OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(report.listed, 1, "{report:?}");
    eventually(
        || async {
            let page = platform.get("/petitions?status=open").await;
            page.status == StatusCode::OK
                && page.body["items"]
                    .as_array()
                    .is_some_and(|items| items.iter().any(|p| p["id"] == id.as_str()))
        },
        PATIENCE,
    )
    .await;

    // The threshold: 2,500 signatures for a city akimat.
    let statuses = platform
        .sign_all(&id, tokens(&platform, SIGNERS + 50..SIGNERS + 2_500), 16)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    platform.await_count(&id, 2_500).await;
    let count = platform.get(&format!("/petitions/{id}/count")).await;
    assert_eq!(count.expect_status(200)["threshold"], 2_500);

    // Answering before the threshold is marked is refused by the domain.
    let early = platform
        .post(
            &format!("/petitions/{id}/answer"),
            Some(&platform.official_token("akimat-almaty")),
            Some(answer_body()),
        )
        .await;
    assert!(early.status.is_client_error(), "{early:?}");

    let report = platform
        .scheduler()
        .tick(OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(report.thresholds, 1, "{report:?}");
    let detail = detail_where(&platform, &id, |d| !d["dates"]["threshold_reached_at"].is_null()).await;
    assert!(!detail["dates"]["answer_due"].is_null(), "{detail}");
    assert_eq!(detail["next_step"], "awaiting_answer");

    // Only the addressee answers.
    let reply = platform
        .post(
            &format!("/petitions/{id}/answer"),
            Some(&platform.official_token("akimat-astana")),
            Some(answer_body()),
        )
        .await;
    reply.assert_problem(403, "not_addressee");
    let reply = platform
        .post(
            &format!("/petitions/{id}/answer"),
            Some(&platform.citizen_token(AUTHOR)),
            Some(answer_body()),
        )
        .await;
    reply.assert_problem(403, "forbidden");
    let reply = platform
        .post(
            &format!("/petitions/{id}/answer"),
            Some(&platform.official_token("akimat-almaty")),
            Some(answer_body()),
        )
        .await;
    assert_eq!(reply.expect_status(200)["outcome"], "answered");
    let detail = detail_where(&platform, &id, |d| !d["dates"]["answered_at"].is_null()).await;
    assert_eq!(detail["answer"]["decision"], "partially_satisfied");
    assert_eq!(detail["answer"]["answered_by"], "akimat-almaty");
    assert_eq!(detail["next_step"], "answered");

    // The collection period ends: the tick closes it with the exact count.
    let closes_at = timestamp(&detail["dates"]["closes_at"]);
    let report = platform
        .scheduler()
        .tick(closes_at + Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(report.closed, 1, "{report:?}");
    let detail = detail_where(&platform, &id, |d| d["status"] == "closed").await;
    assert_eq!(detail["final_count"], 2_500);
    assert_eq!(detail["closing_outcome"], "threshold_reached");
    assert_eq!(gate_count(&platform, &id).await, 2_500);

    // The timeline lists every lifecycle event, in order.
    let timeline = platform.get(&format!("/petitions/{id}/timeline")).await;
    let entries = timeline.expect_status(200)["entries"].as_array().unwrap().clone();
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "PetitionDrafted",
            "PetitionSubmitted",
            "PetitionPublished",
            "PetitionListed",
            "PetitionThresholdReached",
            "PetitionAnswered",
            "PetitionClosed",
        ],
        "{timeline:?}"
    );
    let sequences: Vec<i64> = entries.iter().map(|e| e["sequence"].as_i64().unwrap()).collect();
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");
    let times: Vec<OffsetDateTime> = entries.iter().map(|e| timestamp(&e["occurred_at"])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    platform.shutdown().await;
}

fn answer_body() -> Value {
    json!({
        "decision": "partially_satisfied",
        "text": {
            "kk": "Келесі жылы жиырма орындық орнатылады.",
            "ru": "В следующем году будет установлено двадцать скамеек."
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_citizen_signing_200_times_at_once_signs_once() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("akimat-almaty").await;
    let token = platform.citizen_token(SIGNERS + 7);

    let replies: Vec<Reply> = futures::future::join_all((0..200).map(|_| platform.sign(&id, &token))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "exactly one signature is accepted");
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        reply.assert_problem(409, "already_signed");
    }
    assert_eq!(gate_count(&platform, &id).await, 1);
    platform.await_count(&id, 1).await;
    let tally: i64 = tyndau_db::sqlx::query_scalar(
        "SELECT count(*) FROM signature_tally WHERE petition_id = $1::uuid AND recorded AND withdrawn_at IS NULL",
    )
    .bind(&id)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    assert_eq!(tally, 1);
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_signatures_from_every_region_are_counted_exactly() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("government").await;

    const TOTAL: u32 = 10_000;
    let mut expected: BTreeMap<&'static str, i64> = Region::ALL.iter().map(|r| (r.code(), 0)).collect();
    let tokens: Vec<String> = (SIGNERS..SIGNERS + TOTAL)
        .map(|n| {
            // Uneven on purpose: region i gets about twice as many signers as region i - 10.
            let region = Region::ALL[((n * 7 + n / 3) % 20) as usize];
            *expected.get_mut(region.code()).unwrap() += 1;
            platform.citizen_token_in(n, region)
        })
        .collect();
    let started = std::time::Instant::now();
    let statuses = platform.sign_all(&id, tokens, 32).await;
    assert_all(&statuses, StatusCode::CREATED);
    let signed_in = started.elapsed();
    assert_eq!(gate_count(&platform, &id).await, i64::from(TOTAL));

    platform
        .await_count_within(&id, i64::from(TOTAL), Duration::from_secs(120))
        .await;
    eprintln!(
        "10,000 signatures accepted in {signed_in:?}, counted after {:?}",
        started.elapsed()
    );

    let regions = platform.get(&format!("/petitions/{id}/regions")).await;
    let body = regions.expect_status(200);
    let seen: BTreeMap<&str, i64> = body["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["region"].as_str().unwrap(), r["signatures"].as_i64().unwrap()))
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(body["unspecified"]["signatures"], 0);
    assert_eq!(body["total"], i64::from(TOTAL));
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_projector_restarted_mid_stream_counts_exactly_once() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("government").await;
    const TOTAL: u32 = 3_000;
    let tokens = tokens(&platform, SIGNERS..SIGNERS + TOTAL);

    let signing = platform.sign_all(&id, tokens, 16);
    let chaos = async {
        // Stop the projector once signatures are flowing through it…
        eventually(
            || async { platform.public_count(&id).await.is_some_and(|c| c >= 300) },
            PATIENCE,
        )
        .await;
        platform.stop_projector().await;
        let stopped_at = gate_count(&platform, &id).await;
        // …let more arrive while it is down…
        eventually(
            || async { gate_count(&platform, &id).await >= (stopped_at + 500).min(i64::from(TOTAL)) },
            PATIENCE,
        )
        .await;
        let frozen = platform.public_count(&id).await.unwrap();
        assert!(
            frozen < i64::from(TOTAL),
            "the projector was stopped too late to matter"
        );
        eprintln!("projector stopped at gate count {stopped_at}; public count frozen at {frozen}");
        // …and start it again.
        platform.start_projector().await;
        // Then crash it outright (no graceful stop, possibly mid-batch) and start it again.
        let before = platform.public_count(&id).await.unwrap();
        eventually(
            || async { platform.public_count(&id).await.is_some_and(|c| c > before) },
            PATIENCE,
        )
        .await;
        platform.crash_projector().await;
        platform.start_projector().await;
    };
    let (statuses, ()) = tokio::join!(signing, chaos);
    assert_all(&statuses, StatusCode::CREATED);

    // Messages delivered to the stopped consumer but not acknowledged come back after the
    // consumer's ack wait (60 s): allow for it.
    platform
        .await_count_within(&id, i64::from(TOTAL), Duration::from_secs(180))
        .await;
    let regions = platform.get(&format!("/petitions/{id}/regions")).await;
    assert_eq!(regions.expect_status(200)["total"], i64::from(TOTAL));
    let (tally, counted): (i64, i64) = tyndau_db::sqlx::query_as(
        "SELECT (SELECT count(*) FROM signature_tally WHERE petition_id = $1::uuid AND recorded AND withdrawn_at IS NULL),
                (SELECT signatures FROM petition_counts WHERE petition_id = $1::uuid)",
    )
    .bind(&id)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    assert_eq!((tally, counted), (i64::from(TOTAL), i64::from(TOTAL)));
    platform.shutdown().await;
}

/// Every table the thresholds projector writes, as JSON, every column (a rebuild writes the
/// same times: they come from the events).
async fn snapshot(platform: &TestPlatform) -> BTreeMap<&'static str, Value> {
    let tables = [
        ("petition_counts", "petition_id"),
        ("petition_region_counts", "petition_id, region"),
        ("petition_hourly", "petition_id, hour"),
        ("petition_view", "petition_id"),
        ("petition_timeline", "petition_id, sequence"),
        ("signature_tally", "petition_id, signer"),
        ("signature_names", "petition_id, signer"),
    ];
    platform.snapshot_tables(&tables).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rebuild_equals_the_live_projection() {
    let platform = TestPlatform::spawn().await;
    let city = platform.open_petition("akimat-almaty").await;
    let national = platform.open_petition("government").await;
    let emptied = platform.open_petition("government").await;

    let statuses = platform
        .sign_all(&city, tokens(&platform, SIGNERS..SIGNERS + 120), 16)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    let national_tokens: Vec<String> = (SIGNERS..SIGNERS + 200)
        .map(|n| platform.citizen_token_in(n, Region::ALL[(n % 20) as usize]))
        .collect();
    let statuses = platform.sign_all(&national, national_tokens.clone(), 16).await;
    assert_all(&statuses, StatusCode::CREATED);
    // Three signers from Ulytau who all withdraw, each in a later batch than their signature:
    // live, the counters go to zero; a replay sees both in one batch.
    let ulytau: Vec<String> = (SIGNERS + 500..SIGNERS + 503)
        .map(|n| platform.citizen_token_in(n, Region::Ulytau))
        .collect();
    for token in &ulytau {
        platform.sign(&emptied, token).await.expect_status(201);
    }
    platform.await_count(&emptied, 3).await;
    for n in 0..30 {
        platform
            .withdraw(&city, &platform.citizen_token(SIGNERS + n))
            .await
            .expect_status(200);
    }
    for token in &national_tokens[..25] {
        platform.withdraw(&national, token).await.expect_status(200);
    }
    for token in &ulytau {
        platform.withdraw(&emptied, token).await.expect_status(200);
    }
    // A fraud wave on the national petition, all of it from Shymkent, removed by a moderator.
    let wave_starts = OffsetDateTime::now_utc();
    let wave: Vec<String> = (SIGNERS + 600..SIGNERS + 606)
        .map(|n| platform.citizen_token_in(n, Region::Shymkent))
        .collect();
    assert_all(&platform.sign_all(&national, wave, 3).await, StatusCode::CREATED);
    platform.await_count(&national, 181).await;
    let removed = platform
        .post(
            &format!("/petitions/{national}/invalidations"),
            Some(&platform.moderator_token()),
            Some(json!({ "reason": "automated", "explanation": "Scripted burst.",
                         "rule": { "signed_from": wave_starts.format(&Rfc3339).unwrap() } })),
        )
        .await;
    assert_eq!(removed.expect_status(200)["removed"], 6);
    // A rejected petition too.
    let author = platform.citizen_token(AUTHOR);
    let rejected = platform.draft(&author, "maslikhat-astana").await;
    platform
        .post(&format!("/petitions/{rejected}/submit"), Some(&author), None)
        .await
        .expect_status(200);
    platform
        .post(
            &format!("/petitions/{rejected}/reject"),
            Some(&platform.moderator_token()),
            Some(json!({ "reason": "duplicate", "explanation": "Already asked in another petition." })),
        )
        .await
        .expect_status(200);

    platform.await_count(&city, 90).await;
    platform.await_count(&national, 175).await;
    platform.await_count(&emptied, 0).await;
    detail_where(&platform, &rejected, |d| d["status"] == "rejected").await;

    let public = async |platform: &TestPlatform| -> (Value, Value) {
        let hourly = platform.get(&format!("/petitions/{emptied}/hourly")).await;
        let regions = platform.get(&format!("/petitions/{emptied}/regions")).await;
        (
            hourly.expect_status(200)["points"].clone(),
            regions.expect_status(200).clone(),
        )
    };
    let (points, regions) = public(&platform).await;
    assert_eq!(points, json!([]), "no zero hours live");
    assert_eq!(regions["total"], 0);
    assert!(
        regions["regions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["signatures"] == 0),
        "{regions}"
    );

    let live = snapshot(&platform).await;
    for table in ["petition_counts", "petition_region_counts", "petition_hourly"] {
        let zero_rows: Vec<&Value> = live[table]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["signatures"] == 0)
            .collect();
        assert!(
            zero_rows.is_empty(),
            "{table} keeps zero rows live: {zero_rows:?}"
        );
    }
    // Replayed in pages of one event, a few events, and the default: the same rows each time.
    for page in [1, 7, 5_000] {
        let report = tyndau_projector_thresholds::rebuild_in_pages(platform.pool(), page)
            .await
            .unwrap();
        assert!(report.events > 0);
        let rebuilt = snapshot(&platform).await;
        for (table, rows) in &live {
            assert_eq!(
                rows, &rebuilt[table],
                "{table} differs after the rebuild in pages of {page}\nlive:    {rows}\nrebuilt: {}",
                rebuilt[table]
            );
        }
    }
    assert_eq!(
        public(&platform).await,
        (points, regions),
        "the public reads after the rebuild"
    );
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn withdrawing_and_signing_after_closing() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("akimat-almaty").await;
    let [a, b, c, late] = [1, 2, 3, 4].map(|n| platform.citizen_token(SIGNERS + n));
    for token in [&a, &b, &c] {
        platform.sign(&id, token).await.expect_status(201);
    }
    platform.await_count(&id, 3).await;

    // Withdrawing while open lowers the count; signing again is refused.
    let reply = platform.withdraw(&id, &a).await;
    assert_eq!(reply.expect_status(200)["outcome"], "withdrawn");
    platform.await_count(&id, 2).await;
    platform
        .sign(&id, &a)
        .await
        .assert_problem(409, "withdrawn_earlier");
    platform
        .withdraw(&id, &a)
        .await
        .assert_problem(409, "already_withdrawn");
    platform
        .withdraw(&id, &late)
        .await
        .assert_problem(404, "not_signed");

    // Close at the end of the collection period.
    let detail = detail_where(&platform, &id, |d| !d["dates"]["closes_at"].is_null()).await;
    let closes_at = timestamp(&detail["dates"]["closes_at"]);
    // Make sure the API has the petition's terms cached as open.
    platform
        .withdraw(&id, &late)
        .await
        .assert_problem(404, "not_signed");
    let report = platform
        .scheduler()
        .tick(closes_at + Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(report.closed, 1, "{report:?}");
    let closed = std::time::Instant::now();

    // Refused at once, even while the API may still cache the petition's terms as open.
    platform
        .sign(&id, &late)
        .await
        .assert_problem(410, "petition_closed");
    platform
        .withdraw(&id, &b)
        .await
        .assert_problem(410, "petition_closed");

    let detail = detail_where(&platform, &id, |d| d["status"] == "closed").await;
    assert_eq!(detail["final_count"], 2);
    assert_eq!(gate_count(&platform, &id).await, 2);
    // Once the API's terms cache (1 s) has certainly expired, still refused.
    eventually(
        || async { closed.elapsed() > Duration::from_millis(1_500) },
        PATIENCE,
    )
    .await;
    platform
        .sign(&id, &late)
        .await
        .assert_problem(410, "petition_closed");
    platform
        .withdraw(&id, &c)
        .await
        .assert_problem(410, "petition_closed");
    platform.await_count(&id, 2).await;
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_relay_dying_between_commit_and_publish_loses_nothing() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("akimat-almaty").await;
    platform.await_count(&id, 0).await;

    platform.stop_relay().await;
    let statuses = platform
        .sign_all(&id, tokens(&platform, SIGNERS..SIGNERS + 100), 16)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    for n in 0..10 {
        platform
            .withdraw(&id, &platform.citizen_token(SIGNERS + n))
            .await
            .expect_status(200);
    }
    let author = platform.citizen_token(AUTHOR);
    let other = platform.draft(&author, "government").await;

    // Committed…
    assert_eq!(gate_count(&platform, &id).await, 90);
    let committed: i64 =
        tyndau_db::sqlx::query_scalar("SELECT count(*) FROM events WHERE aggregate_type = 'signature'")
            .fetch_one(platform.pool())
            .await
            .unwrap();
    assert_eq!(committed, 110);
    // …but not published: the read model has seen none of it.
    assert_eq!(platform.public_count(&id).await, Some(0));
    let tallied: i64 = tyndau_db::sqlx::query_scalar("SELECT count(*) FROM signature_tally")
        .fetch_one(platform.pool())
        .await
        .unwrap();
    assert_eq!(tallied, 0);
    let drafts: i64 =
        tyndau_db::sqlx::query_scalar("SELECT count(*) FROM petition_view WHERE petition_id = $1::uuid")
            .bind(&other)
            .fetch_one(platform.pool())
            .await
            .unwrap();
    assert_eq!(drafts, 0);

    platform.start_relay().await;
    platform.await_count(&id, 90).await;
    eventually(
        || async {
            let rows: i64 = tyndau_db::sqlx::query_scalar(
                "SELECT count(*) FROM petition_view WHERE petition_id = $1::uuid",
            )
            .bind(&other)
            .fetch_one(platform.pool())
            .await
            .unwrap();
            rows == 1
        },
        PATIENCE,
    )
    .await;
    let (recorded, withdrawn): (i64, i64) = tyndau_db::sqlx::query_as(
        "SELECT count(*) FILTER (WHERE recorded), count(*) FILTER (WHERE withdrawn_at IS NOT NULL)
         FROM signature_tally WHERE petition_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    assert_eq!((recorded, withdrawn), (100, 10));
    let regions = platform.get(&format!("/petitions/{id}/regions")).await;
    assert_eq!(regions.expect_status(200)["total"], 90);
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refusals_through_http() {
    let platform = TestPlatform::spawn().await;
    let author = platform.citizen_token(AUTHOR);
    let citizen = platform.citizen_token(SIGNERS + 1);

    // Not published yet: nothing to sign, draft or submitted.
    let draft = platform.draft(&author, "akimat-almaty").await;
    platform
        .sign(&draft, &citizen)
        .await
        .assert_problem(404, "petition_not_found");
    platform
        .post(&format!("/petitions/{draft}/submit"), Some(&author), None)
        .await
        .expect_status(200);
    platform
        .sign(&draft, &citizen)
        .await
        .assert_problem(404, "petition_not_found");
    platform
        .get(&format!("/petitions/{draft}"))
        .await
        .assert_problem(404, "petition_not_found");

    let open = platform.open_petition("akimat-almaty").await;
    // Too young, or not resident in the petition's region.
    platform
        .sign(&open, &platform.minor_token(1))
        .await
        .assert_problem(403, "too_young");
    platform
        .sign(&open, &platform.citizen_token_in(SIGNERS + 2, Region::Astana))
        .await
        .assert_problem(403, "not_resident");
    // A national petition takes anyone adult.
    let national = platform.open_petition("government").await;
    platform
        .sign(&national, &platform.citizen_token_in(SIGNERS + 2, Region::Astana))
        .await
        .expect_status(201);

    // Roles and authentication.
    platform
        .post(&format!("/petitions/{draft}/publish"), Some(&citizen), None)
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(
            &format!("/petitions/{open}/signature"),
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(&format!("/petitions/{open}/signature"), None, None)
        .await
        .assert_problem(401, "missing_token");
    platform
        .post(
            "/petitions",
            None,
            Some(tyndau_testkit::petition_body("government")),
        )
        .await
        .assert_problem(401, "missing_token");
    platform
        .post(&format!("/petitions/{open}/signature"), Some("not.a.token"), None)
        .await
        .assert_problem(401, "malformed_token");
    // Only the author submits.
    platform
        .post(&format!("/petitions/{draft}/submit"), Some(&citizen), None)
        .await
        .assert_problem(403, "not_author");

    // Bodies and paths.
    let malformed = Reply::read(
        platform
            .command(reqwest::Method::POST, "/petitions", Some(&author))
            .header("content-type", "application/json")
            .body("{\"addressee\": \"government\", "),
    )
    .await;
    malformed.assert_problem(400, "malformed_json");
    let mut unknown = tyndau_testkit::petition_body("government");
    unknown["urgent"] = json!(true);
    platform
        .post("/petitions", Some(&author), Some(unknown))
        .await
        .assert_problem(422, "invalid_body");
    let mut invalid = tyndau_testkit::petition_body("government");
    invalid["content"]["ru"]["title"] = json!("");
    platform
        .post("/petitions", Some(&author), Some(invalid))
        .await
        .assert_problem(422, "invalid_input");
    platform
        .post(
            "/petitions",
            Some(&author),
            Some(tyndau_testkit::petition_body("akimat-atlantis")),
        )
        .await
        .assert_problem(422, "unknown_body");
    platform
        .sign("not-a-uuid", &citizen)
        .await
        .assert_problem(400, "invalid_path");
    platform
        .post(
            "/petitions/12345/publish",
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .assert_problem(400, "invalid_path");
    platform
        .get("/petitions/not-a-uuid")
        .await
        .assert_problem(400, "invalid_path");
    platform
        .get(&format!("/petitions/{}", uuid::Uuid::now_v7()))
        .await
        .assert_problem(404, "petition_not_found");

    // A rejection with its explanation is public.
    let explanation = "The same request is already open as another petition.";
    let reply = platform
        .post(
            &format!("/petitions/{draft}/reject"),
            Some(&platform.moderator_token()),
            Some(json!({ "reason": "duplicate", "explanation": explanation })),
        )
        .await;
    assert_eq!(reply.expect_status(200)["outcome"], "rejected");
    let detail = detail_where(&platform, &draft, |d| d["status"] == "rejected").await;
    assert_eq!(detail["rejection"]["reason"], "duplicate");
    assert_eq!(detail["rejection"]["explanation"], explanation);
    assert_eq!(detail["next_step"], "rejected");
    let page = platform.get("/petitions?status=rejected").await;
    let items = page.expect_status(200)["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|p| p["id"] == draft.as_str() && p["rejection_reason"] == "duplicate"),
        "{page:?}"
    );
    // Rejected petitions cannot be signed or published.
    platform
        .sign(&draft, &citizen)
        .await
        .assert_problem(404, "petition_not_found");
    platform
        .post(
            &format!("/petitions/{draft}/publish"),
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .assert_problem(409, "not_submitted");

    platform.shutdown().await;
}

/// A relay aborted mid-publish (the process dying between commit and publish) and restarted:
/// its leader lock dies with its connection, the new relay resumes from the checkpoint, and the
/// republished events are neither lost nor counted twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_relay_crashing_mid_stream_loses_and_duplicates_nothing() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("government").await;
    const TOTAL: u32 = 2_000;
    let signing = platform.sign_all(&id, tokens(&platform, SIGNERS..SIGNERS + TOTAL), 16);
    let chaos = async {
        for threshold in [200, 800] {
            eventually(
                || async { platform.public_count(&id).await.is_some_and(|c| c >= threshold) },
                PATIENCE,
            )
            .await;
            platform.crash_relay().await;
            platform.start_relay().await;
        }
    };
    let (statuses, ()) = tokio::join!(signing, chaos);
    assert_all(&statuses, StatusCode::CREATED);
    platform.await_count(&id, i64::from(TOTAL)).await;
    let regions = platform.get(&format!("/petitions/{id}/regions")).await;
    assert_eq!(regions.expect_status(200)["total"], i64::from(TOTAL));
    platform.shutdown().await;
}

/// A relay whose checkpoint and announced batch are both behind what the stream holds (as after
/// an outage longer than the duplicate window): the new leader reads the stream's tail and skips
/// what is there instead of packing those events into new messages with new ids. Every event is
/// on the stream exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_relay_leader_does_not_publish_again_what_its_predecessor_did() {
    let platform = TestPlatform::spawn().await;
    let id = platform.open_petition("government").await;
    let statuses = platform
        .sign_all(&id, tokens(&platform, SIGNERS..SIGNERS + 40), 8)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    platform.await_count(&id, 40).await;
    platform.stop_relay().await;
    // Given: everything published, but the checkpoint as if no batch had been saved.
    tyndau_db::sqlx::query(
        "UPDATE relay_checkpoint SET tx_id = '0'::xid8, global_position = 0,
                publishing_tx_id = NULL, publishing_position = NULL",
    )
    .execute(platform.pool())
    .await
    .unwrap();
    // When: more events commit and a new leader starts from that checkpoint.
    let statuses = platform
        .sign_all(&id, tokens(&platform, SIGNERS + 40..SIGNERS + 60), 8)
        .await;
    assert_all(&statuses, StatusCode::CREATED);
    platform.start_relay().await;
    platform.await_count(&id, 60).await;
    // Then: no event is on the stream twice, and none is missing.
    let streamed = tyndau_integration_tests::chaos::evidence::streamed(platform.bus())
        .await
        .unwrap();
    let mut copies: BTreeMap<_, usize> = BTreeMap::new();
    for event in &streamed {
        *copies.entry(event.key.clone()).or_default() += 1;
    }
    let twice: Vec<_> = copies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "on the stream more than once: {twice:?}");
    let stored: i64 = tyndau_db::sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(platform.pool())
        .await
        .unwrap();
    assert_eq!(i64::try_from(copies.len()).unwrap(), stored);
    platform.shutdown().await;
}

/// A citizen sees their own signatures (withdrawn ones marked), nobody else's, and only with a
/// verified token.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_lists_their_own_signatures() {
    let platform = TestPlatform::spawn().await;
    let first = platform.open_petition("government").await;
    let second = platform.open_petition("government").await;
    let me = platform.citizen_token(SIGNERS + 1);
    let someone_else = platform.citizen_token(SIGNERS + 2);
    assert_eq!(platform.sign(&first, &me).await.status, StatusCode::CREATED);
    assert_eq!(platform.sign(&second, &me).await.status, StatusCode::CREATED);
    assert_eq!(
        platform.sign(&second, &someone_else).await.status,
        StatusCode::CREATED
    );
    assert_eq!(platform.withdraw(&first, &me).await.status, StatusCode::OK);

    let mine = |token: String| {
        let platform = &platform;
        async move { Reply::read(platform.command(reqwest::Method::GET, "/me/signatures", Some(&token))).await }
    };
    let listed = eventually(
        || async {
            let reply = mine(me.clone()).await;
            let signatures = reply.body["signatures"].as_array().cloned().unwrap_or_default();
            let withdrawn = signatures.iter().any(|s| s["withdrawn_at"].is_string());
            (signatures.len() == 2 && withdrawn).then_some(signatures)
        },
        PATIENCE,
    )
    .await;
    let by_id: BTreeMap<&str, &Value> = listed
        .iter()
        .map(|s| (s["petition_id"].as_str().unwrap(), s))
        .collect();
    assert!(by_id[first.as_str()]["withdrawn_at"].is_string());
    assert!(by_id[second.as_str()]["withdrawn_at"].is_null());
    assert_eq!(by_id[second.as_str()]["status"], "open");
    assert!(by_id[second.as_str()]["title"].is_object());

    let theirs = mine(someone_else).await;
    assert_eq!(theirs.body["signatures"].as_array().map(Vec::len), Some(1));
    Reply::read(platform.command(reqwest::Method::GET, "/me/signatures", None))
        .await
        .assert_problem(401, "missing_token");
    Reply::read(platform.command(
        reqwest::Method::GET,
        "/me/signatures",
        Some(&platform.moderator_token()),
    ))
    .await
    .assert_problem(403, "forbidden");
    platform.shutdown().await;
}
