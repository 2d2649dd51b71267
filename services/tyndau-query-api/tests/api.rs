//! The query API against a real PostgreSQL: a scratch database per test, rows written straight
//! into the read-model tables (as a projector would), requests through the full router.
//!
//! Skipped, with a message, when `DATABASE_URL` is unset.

#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

use std::collections::HashSet;

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;
use tyndau_config::HttpSettings;
use tyndau_db::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tyndau_db::sqlx::{self, PgPool};
use tyndau_query_api::{CacheSettings, QueryApi};
use uuid::Uuid;

struct TestDb {
    admin: PgPool,
    name: String,
    pool: PgPool,
}

impl TestDb {
    /// A fresh, migrated database, or `None` (test skipped) without `DATABASE_URL`.
    async fn create() -> Option<Self> {
        let Ok(url) = std::env::var("DATABASE_URL") else {
            eprintln!("skipped: DATABASE_URL is unset (source .data/env to run against PostgreSQL)");
            return None;
        };
        let options: PgConnectOptions = url.parse().unwrap();
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .unwrap();
        let name = format!("qtest_{}", Uuid::now_v7().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(options.database(&name))
            .await
            .unwrap();
        tyndau_db::migrate(&pool).await.unwrap();
        Some(Self { admin, name, pool })
    }

    fn router(&self) -> Router {
        QueryApi::router(
            self.pool.clone(),
            &HttpSettings::on(([127, 0, 0, 1], 0).into()),
            &CacheSettings::off(),
        )
    }

    async fn drop(self) {
        self.pool.close().await;
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&self.admin)
            .await
            .unwrap();
    }
}

/// A `petition_view` row, with defaults for an open, listed petition to the Government.
#[derive(Clone)]
struct Row {
    id: Uuid,
    status: &'static str,
    body: &'static str,
    level: &'static str,
    region: Option<&'static str>,
    title: String,
    text: String,
    published_at: Option<OffsetDateTime>,
    closes_at: Option<OffsetDateTime>,
    listed_at: Option<OffsetDateTime>,
    threshold: Option<i32>,
    threshold_reached_at: Option<OffsetDateTime>,
    answer_due: Option<OffsetDateTime>,
    answered_at: Option<OffsetDateTime>,
    closed_at: Option<OffsetDateTime>,
    final_count: Option<i32>,
    closing_outcome: Option<&'static str>,
    rejection: Option<Value>,
    answer: Option<Value>,
    signatures: Option<i64>,
}

const T0: OffsetDateTime = datetime!(2025-03-01 09:00 UTC);

fn open(title: &str) -> Row {
    Row {
        id: Uuid::now_v7(),
        status: "open",
        body: "government",
        level: "government",
        region: None,
        title: title.to_owned(),
        text: format!("Background of {title}"),
        published_at: Some(T0),
        closes_at: Some(T0 + Duration::days(90)),
        listed_at: Some(T0 + Duration::days(1)),
        threshold: Some(50_000),
        threshold_reached_at: None,
        answer_due: None,
        answered_at: None,
        closed_at: None,
        final_count: None,
        closing_outcome: None,
        rejection: None,
        answer: None,
        signatures: None,
    }
}

fn unpublished(status: &'static str, title: &str) -> Row {
    Row {
        status,
        published_at: None,
        closes_at: None,
        listed_at: None,
        threshold: None,
        ..open(title)
    }
}

async fn insert(pool: &PgPool, row: &Row) {
    let content = json!({
        "kk": {"title": format!("{} (kk)", row.title), "text": row.text, "request": "Өтінеміз"},
        "ru": {"title": row.title, "text": row.text, "request": "Просим"},
    });
    sqlx::query(
        "INSERT INTO petition_view (petition_id, last_sequence, status, author, addressee_body, level, region, \
         content, search, drafted_at, submitted_at, published_at, closes_at, threshold, startup_signatures, \
         startup_due, listed_at, threshold_reached_at, answer_due, answered_at, closed_at, final_count, \
         closing_outcome, rejection, answer) \
         VALUES ($1, 1, $2, 'author-pseudonym-secret', $3, $4, $5, $6, to_tsvector('simple', $7 || ' ' || $8), \
         $9, $9, $10, $11, $12, 100, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(row.id)
    .bind(row.status)
    .bind(row.body)
    .bind(row.level)
    .bind(row.region)
    .bind(&content)
    .bind(&row.title)
    .bind(&row.text)
    .bind(T0 - Duration::days(7))
    .bind(row.published_at)
    .bind(row.closes_at)
    .bind(row.threshold)
    .bind(row.published_at.map(|p| p + Duration::days(30)))
    .bind(row.listed_at)
    .bind(row.threshold_reached_at)
    .bind(row.answer_due)
    .bind(row.answered_at)
    .bind(row.closed_at)
    .bind(row.final_count)
    .bind(row.closing_outcome)
    .bind(&row.rejection)
    .bind(&row.answer)
    .execute(pool)
    .await
    .unwrap();
    if let Some(signatures) = row.signatures {
        sqlx::query("INSERT INTO petition_counts (petition_id, signatures) VALUES ($1, $2)")
            .bind(row.id)
            .bind(signatures)
            .execute(pool)
            .await
            .unwrap();
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
    raw: String,
}

async fn get(router: &Router, uri: &str) -> Reply {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 * 1024 * 1024)
        .await
        .unwrap();
    let raw = String::from_utf8(bytes.to_vec()).unwrap();
    let body = serde_json::from_str(&raw).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        raw,
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_problem(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.raw);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(reply.body["code"], code, "{}", reply.raw);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn listing_shows_only_public_listed_petitions() {
    let Some(db) = TestDb::create().await else { return };
    let listed = open("Listed");
    let unlisted = Row {
        listed_at: None,
        ..open("Gathering start-up signatures")
    };
    let draft = unpublished("draft", "Draft");
    let submitted = unpublished("submitted", "Submitted");
    let rejected = Row {
        rejection: Some(json!({"reason": "wrong_addressee", "explanation": "Ask the akimat"})),
        ..unpublished("rejected", "Rejected")
    };
    let closed = Row {
        status: "closed",
        closed_at: Some(T0 + Duration::days(90)),
        final_count: Some(120),
        closing_outcome: Some("threshold_not_reached"),
        ..open("Closed")
    };
    let gate_missed = Row {
        status: "closed",
        listed_at: None,
        closing_outcome: Some("startup_gate_missed"),
        ..open("Never listed")
    };
    for row in [
        &listed,
        &unlisted,
        &draft,
        &submitted,
        &rejected,
        &closed,
        &gate_missed,
    ] {
        insert(&db.pool, row).await;
    }
    let router = db.router();

    let page = get(&router, "/petitions").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.raw);
    assert_eq!(
        page.headers[header::CACHE_CONTROL],
        "public, max-age=1, stale-while-revalidate=5"
    );
    let shown: HashSet<String> = ids(&page.body).into_iter().collect();
    let expected: HashSet<String> = [&listed, &rejected, &closed]
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(shown, expected);
    assert!(page.body["next_cursor"].is_null());
    assert!(!page.raw.contains("author-pseudonym-secret"));
    let rejected_item = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "rejected")
        .unwrap();
    assert_eq!(rejected_item["rejection_reason"], "wrong_addressee");
    assert_eq!(rejected_item["next_step"], "rejected");
    assert_eq!(rejected_item["title"]["ru"], "Rejected");

    // Drafts and submitted petitions do not exist for the public, even by link.
    for hidden in [&draft, &submitted] {
        for suffix in ["", "/count", "/regions", "/hourly", "/timeline"] {
            let reply = get(&router, &format!("/petitions/{}{suffix}", hidden.id)).await;
            assert_problem(&reply, StatusCode::NOT_FOUND, "petition_not_found");
        }
    }
    // An unlisted open petition is reachable by its link.
    let reply = get(&router, &format!("/petitions/{}", unlisted.id)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.raw);
    assert_eq!(reply.body["next_step"], "collecting_startup");
    assert!(!reply.raw.contains("author-pseudonym-secret"));
    db.drop().await;
}

#[tokio::test]
async fn filters_and_full_text_search() {
    let Some(db) = TestDb::create().await else { return };
    let water = Row {
        signatures: Some(300),
        ..open("Clean water for Almaty")
    };
    let road = Row {
        body: "akimat-almaty-city",
        level: "city_akimat",
        region: Some("almaty"),
        signatures: Some(900),
        closes_at: Some(T0 + Duration::days(10)),
        ..open("Repair the road on Abai avenue")
    };
    let park = Row {
        body: "maslikhat-shymkent-city",
        level: "city_maslikhat",
        region: Some("shymkent"),
        signatures: Some(50),
        closes_at: Some(T0 + Duration::days(20)),
        ..open("A new park in Shymkent")
    };
    let closed_road = Row {
        status: "closed",
        body: "akimat-almaty-city",
        level: "city_akimat",
        region: Some("almaty"),
        closes_at: Some(T0 + Duration::days(1)),
        closing_outcome: Some("threshold_not_reached"),
        signatures: Some(10),
        ..open("Another road")
    };
    for row in [&water, &road, &park, &closed_road] {
        insert(&db.pool, row).await;
    }
    let router = db.router();
    let list = |query: &str| {
        let router = router.clone();
        let uri = format!("/petitions?{query}");
        async move {
            let reply = get(&router, &uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.raw);
            ids(&reply.body)
        }
    };
    let id = |row: &Row| row.id.to_string();

    assert_eq!(list("status=closed").await, vec![id(&closed_road)]);
    assert_eq!(list("level=city_maslikhat").await, vec![id(&park)]);
    assert_eq!(list("region=almaty&status=open").await, vec![id(&road)]);
    assert_eq!(list("addressee=government").await, vec![id(&water)]);
    assert_eq!(list("q=water").await, vec![id(&water)]);
    assert_eq!(list("q=road%20-another").await, vec![id(&road)]);
    assert_eq!(list("q=").await.len(), 4, "an empty search box is no filter");
    assert_eq!(
        list("sort=most_signed").await,
        vec![id(&road), id(&water), id(&park), id(&closed_road)]
    );
    // Open petitions only, the soonest to close first.
    assert_eq!(
        list("sort=closing_soon").await,
        vec![id(&road), id(&park), id(&water)]
    );
    db.drop().await;
}

#[tokio::test]
async fn keyset_paging_returns_every_petition_exactly_once() {
    let Some(db) = TestDb::create().await else { return };
    let mut all = Vec::new();
    for n in 0..23_i64 {
        // Ties on every sort key, so the id tiebreak is exercised.
        let row = Row {
            published_at: Some(T0 + Duration::hours(n / 3)),
            closes_at: Some(T0 + Duration::days(30 + n / 4)),
            signatures: (n % 5 != 0).then_some(n / 2),
            ..open(&format!("Petition {n}"))
        };
        insert(&db.pool, &row).await;
        all.push(row.id.to_string());
    }
    insert(
        &db.pool,
        &Row {
            listed_at: None,
            ..open("Unlisted")
        },
    )
    .await;
    let router = db.router();

    for sort in ["newest", "most_signed", "closing_soon"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let uri = match &cursor {
                Some(c) => format!("/petitions?sort={sort}&limit=5&cursor={c}"),
                None => format!("/petitions?sort={sort}&limit=5"),
            };
            let reply = get(&router, &uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.raw);
            seen.extend(ids(&reply.body));
            pages += 1;
            match reply.body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(pages, 5, "{sort}");
        assert_eq!(seen.len(), all.len(), "{sort}: no duplicates");
        assert_eq!(
            seen.iter().collect::<HashSet<_>>(),
            all.iter().collect::<HashSet<_>>(),
            "{sort}"
        );
        // The same order as one big page.
        let whole = get(&router, &format!("/petitions?sort={sort}&limit=100")).await;
        assert_eq!(ids(&whole.body), seen, "{sort}");
    }

    // A cursor is tied to its sort, and forged ones are refused.
    let first = get(&router, "/petitions?sort=newest&limit=5").await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let reply = get(&router, &format!("/petitions?sort=most_signed&cursor={cursor}")).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "invalid_cursor");
    let reply = get(&router, "/petitions?cursor=bm90LWEtY3Vyc29y").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "invalid_cursor");
    db.drop().await;
}

#[tokio::test]
async fn detail_shows_count_progress_outcome_and_next_step() {
    let Some(db) = TestDb::create().await else { return };
    let answered = Row {
        status: "closed",
        region: None,
        threshold: Some(1_000),
        threshold_reached_at: Some(T0 + Duration::days(5)),
        answer_due: Some(T0 + Duration::days(40)),
        answered_at: Some(T0 + Duration::days(20)),
        closed_at: Some(T0 + Duration::days(90)),
        final_count: Some(1_500),
        closing_outcome: Some("threshold_reached"),
        answer: Some(json!({
            "decision": "partially_satisfied",
            "text": {"kk": "Жауап", "ru": "Ответ"},
            "answered_by": "government",
            "on_time": true
        })),
        signatures: Some(1_500),
        ..open("Answered")
    };
    let collecting = Row {
        signatures: Some(12_345),
        ..open("Collecting")
    };
    insert(&db.pool, &answered).await;
    insert(&db.pool, &collecting).await;
    let router = db.router();

    let reply = get(&router, &format!("/petitions/{}", answered.id)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.raw);
    let detail = &reply.body;
    assert_eq!(detail["id"], answered.id.to_string());
    assert_eq!(detail["status"], "closed");
    assert_eq!(
        detail["addressee"],
        json!({"body": "government", "level": "government", "region": null})
    );
    assert_eq!(detail["content"]["ru"]["title"], "Answered");
    assert!(detail["content"].get("en").is_none());
    assert_eq!(detail["signatures"], 1_500);
    assert_eq!(detail["progress"], json!({"ratio": 1.5, "percent": 100}));
    assert_eq!(detail["final_count"], 1_500);
    assert_eq!(detail["closing_outcome"], "threshold_reached");
    assert_eq!(detail["answer"]["decision"], "partially_satisfied");
    assert_eq!(detail["answer"]["text"]["kk"], "Жауап");
    assert_eq!(detail["dates"]["answered_at"], "2025-03-21T09:00:00Z");
    assert_eq!(detail["next_step"], "answered");
    assert!(detail["rejection"].is_null() && detail["stop"].is_null());

    let reply = get(&router, &format!("/petitions/{}", collecting.id)).await;
    assert_eq!(reply.body["next_step"], "collecting");
    assert_eq!(reply.body["progress"]["percent"], 24);
    let count = get(&router, &format!("/petitions/{}/count", collecting.id)).await;
    assert_eq!(count.status, StatusCode::OK);
    assert_eq!(
        count.headers[header::CACHE_CONTROL],
        "public, max-age=1, stale-while-revalidate=5"
    );
    assert_eq!(count.body["signatures"], 12_345);
    assert_eq!(count.body["threshold"], 50_000);
    db.drop().await;
}

#[tokio::test]
async fn region_breakdown_hourly_series_and_timeline() {
    let Some(db) = TestDb::create().await else { return };
    let row = open("Regions");
    insert(&db.pool, &row).await;
    for (region, n) in [
        ("almaty", 7_i64),
        ("almaty-region", 3),
        ("astana", 2),
        ("abroad", 1),
    ] {
        sqlx::query(
            "INSERT INTO petition_region_counts (petition_id, region, signatures) VALUES ($1, $2, $3)",
        )
        .bind(row.id)
        .bind(region)
        .bind(n)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    for (hours, n) in [(2_i64, 5_i64), (0, 4), (1, 0)] {
        sqlx::query("INSERT INTO petition_hourly (petition_id, hour, signatures) VALUES ($1, $2, $3)")
            .bind(row.id)
            .bind(T0 + Duration::hours(hours))
            .bind(n)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for (sequence, event_type) in [
        (3_i64, "PetitionListed"),
        (1, "PetitionPublished"),
        (2, "PetitionSigned"),
    ] {
        sqlx::query(
            "INSERT INTO petition_timeline (petition_id, sequence, event_type, occurred_at, details) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(sequence)
        .bind(event_type)
        .bind(T0 + Duration::hours(sequence))
        .bind(json!({"n": sequence}))
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let router = db.router();

    let reply = get(&router, &format!("/petitions/{}/regions", row.id)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.raw);
    let regions = reply.body["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 20);
    let count_of = |code: &str| regions.iter().find(|r| r["region"] == code).unwrap()["signatures"].clone();
    assert_eq!(count_of("almaty"), 7);
    // 1 to 4 signers are withheld as "fewer than 5"; the total stays exact.
    assert_eq!(count_of("almaty-region"), serde_json::Value::Null);
    let almaty_region = regions.iter().find(|r| r["region"] == "almaty-region").unwrap();
    assert_eq!(almaty_region["fewer_than"], 5);
    assert_eq!(count_of("shymkent"), 0);
    assert_eq!(reply.body["unspecified"]["signatures"], serde_json::Value::Null);
    assert_eq!(reply.body["unspecified"]["fewer_than"], 5);
    assert_eq!(reply.body["total"], 13);

    let reply = get(&router, &format!("/petitions/{}/hourly", row.id)).await;
    let hours: Vec<i64> = reply.body["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["signatures"].as_i64().unwrap())
        .collect();
    assert_eq!(hours, vec![4, 0, 5]);
    assert_eq!(reply.body["points"][0]["hour"], "2025-03-01T09:00:00Z");

    let reply = get(&router, &format!("/petitions/{}/timeline", row.id)).await;
    let entries = reply.body["entries"].as_array().unwrap();
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        vec!["PetitionPublished", "PetitionSigned", "PetitionListed"]
    );
    assert_eq!(entries[2]["details"], json!({"n": 3}));

    // A public petition with nothing counted yet: all zeros and empty series, not a 404.
    let quiet = open("Quiet");
    insert(&db.pool, &quiet).await;
    let reply = get(&router, &format!("/petitions/{}/regions", quiet.id)).await;
    assert_eq!(reply.body["regions"].as_array().unwrap().len(), 20);
    assert_eq!(reply.body["total"], 0);
    let reply = get(&router, &format!("/petitions/{}/timeline", quiet.id)).await;
    assert_eq!(reply.body["entries"], json!([]));
    db.drop().await;
}

#[tokio::test]
async fn malformed_input_is_a_problem() {
    let Some(db) = TestDb::create().await else { return };
    let router = db.router();

    let reply = get(&router, "/petitions/not-a-uuid").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "invalid_path");
    let reply = get(&router, &format!("/petitions/{}", Uuid::now_v7())).await;
    assert_problem(&reply, StatusCode::NOT_FOUND, "petition_not_found");
    let reply = get(&router, "/petitions?stauts=open").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "invalid_query");
    let reply = get(&router, "/petitions?status=draft").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "invalid_query");
    let reply = get(&router, "/petitions?limit=1000").await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(reply.body["errors"][0]["field"], "limit");
    let reply = get(&router, "/petitions?limit=0").await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let reply = get(&router, "/nowhere").await;
    assert_problem(&reply, StatusCode::NOT_FOUND, "not_found");
    db.drop().await;
}

#[tokio::test]
async fn reference_endpoints_and_health() {
    let Some(db) = TestDb::create().await else { return };
    let router = db.router();

    let reply = get(&router, "/rejection-reasons").await;
    assert_eq!(reply.status, StatusCode::OK);
    let reasons = reply.body["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 7);
    assert_eq!(reasons[0]["code"], "prohibited_subject");
    assert!(
        reasons
            .iter()
            .all(|r| !r["description"].as_str().unwrap().is_empty())
    );

    let reply = get(&router, "/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    for path in [
        "/petitions",
        "/petitions/{id}",
        "/petitions/{id}/regions",
        "/rejection-reasons",
    ] {
        assert!(reply.body["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(reply.body["components"]["schemas"].get("Problem").is_some());

    assert_eq!(get(&router, "/health").await.status, StatusCode::OK);
    assert_eq!(get(&router, "/ready").await.status, StatusCode::OK);
    db.drop().await;
}
