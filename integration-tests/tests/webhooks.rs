//! Webhooks, through HTTP against the real PostgreSQL and NATS and real receivers on loopback:
//! a receiver that answers gets each public event of what it registered for once, signed in the
//! Standard Webhooks format; one that answers 500 and one that answers too slowly are retried,
//! then disabled with the reason their owner reads, while the first is served as if they were
//! not there; a disabled endpoint can be turned on again and deleted.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;
use tyndau_testkit::{PATIENCE, Reply, TestPlatform, eventually, hmac_sha256};

#[derive(Clone, Debug)]
struct Hit {
    path: String,
    id: String,
    timestamp: i64,
    signature: String,
    body: String,
}

type Hits = Arc<Mutex<Vec<Hit>>>;

async fn receive(
    Path(path): Path<String>,
    State(hits): State<Hits>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    hits.lock().unwrap().push(Hit {
        path: path.clone(),
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or(0),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    match path.as_str() {
        "fail" => StatusCode::INTERNAL_SERVER_ERROR,
        "slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            StatusCode::OK
        }
        _ => StatusCode::NO_CONTENT,
    }
}

/// A receiver on a loopback port: `/ok` takes, `/fail` answers 500, `/slow` answers late.
async fn receiver() -> (String, Hits) {
    let hits: Hits = Arc::default();
    let app = Router::new()
        .route("/{path}", post(receive))
        .with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

async fn register(platform: &TestPlatform, token: &str, url: &str, topics: Value) -> Value {
    Reply::read(
        platform
            .command(Method::POST, "/me/webhooks", Some(token))
            .json(&json!({ "url": url, "topics": topics })),
    )
    .await
    .expect_status(201)
    .clone()
}

fn verified(hit: &Hit, secret: &str) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let expected = STANDARD.encode(hmac_sha256(
        &key,
        format!("{}.{}.{}", hit.id, hit.timestamp, hit.body).as_bytes(),
    ));
    hit.signature == format!("v1,{expected}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn receivers_get_signed_events_once_and_failing_ones_are_disabled_alone() {
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": 1, "startup_signatures": 1 }
    }))
    .await;
    platform.start_notifier().await;
    platform
        .start_hooks(json!({ "timeout_secs": 0.5, "max_attempts": 3, "retry_base_secs": 0.1 }))
        .await;
    let (base, hits) = receiver().await;
    let journalist = platform.citizen_token(50);
    let author = platform.citizen_token(1);
    let petition = platform.draft(&author, "government").await;
    let ok = register(
        &platform,
        &journalist,
        &format!("{base}/ok"),
        json!(["body:government"]),
    )
    .await;
    let fail = register(&platform, &journalist, &format!("{base}/fail"), json!([])).await;
    let slow = register(
        &platform,
        &journalist,
        &format!("{base}/slow"),
        json!([format!("petition:{petition}")]),
    )
    .await;
    assert!(ok["secret"].as_str().unwrap().starts_with("whsec_"));
    Reply::read(
        platform
            .command(Method::POST, "/me/webhooks", Some(&journalist))
            .json(&json!({ "url": format!("{base}/ok"), "topics": ["petition:nope"] })),
    )
    .await
    .assert_problem(422, "invalid_subject");
    Reply::read(
        platform
            .command(Method::POST, "/me/webhooks", Some(&journalist))
            .json(&json!({ "url": "ftp://example.org/x" })),
    )
    .await
    .assert_problem(422, "invalid_url");

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
    platform
        .sign(&petition, &platform.citizen_token(10))
        .await
        .expect_status(201);
    platform.await_count(&petition, 1).await;
    platform.await_answer_due(&petition).await;
    platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&platform.official_token("government")),
            Some(json!({ "decision": "satisfied", "text": { "kk": "Иә.", "ru": "Да." } })),
        )
        .await
        .expect_status(200);

    // The working receiver: every public event of the Government's petition, once, in order,
    // signed, with a fresh timestamp.
    let wanted = [
        "petition.published",
        "petition.threshold_reached",
        "petition.answered",
    ];
    let received = eventually(
        || async {
            let got: Vec<Hit> = hits
                .lock()
                .unwrap()
                .iter()
                .filter(|h| h.path == "ok")
                .cloned()
                .collect();
            (got.len() >= wanted.len()).then_some(got)
        },
        PATIENCE,
    )
    .await;
    let types: Vec<String> = received
        .iter()
        .map(|h| {
            serde_json::from_str::<Value>(&h.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types, wanted);
    let secret = ok["secret"].as_str().unwrap();
    for hit in &received {
        assert!(verified(hit, secret), "{hit:?}");
        assert!(!verified(hit, fail["secret"].as_str().unwrap()));
        assert!((OffsetDateTime::now_utc().unix_timestamp() - hit.timestamp).abs() < 300);
        assert!(hit.id.starts_with("msg_"));
    }
    let answered: Value = serde_json::from_str(&received[2].body).unwrap();
    assert_eq!(answered["data"]["subject"], format!("petition:{petition}"));
    assert_eq!(answered["data"]["details"]["decision"], "satisfied");

    // The failing and the slow one: tried three times, then disabled with the reason.
    let endpoints = eventually(
        || async {
            let list = Reply::read(platform.command(Method::GET, "/me/webhooks", Some(&journalist))).await;
            let items = list.body["items"].as_array().cloned().unwrap_or_default();
            (items.iter().filter(|e| e["state"] == "disabled").count() == 2).then_some(items)
        },
        Duration::from_secs(30),
    )
    .await;
    let by_id = |id: &Value| {
        endpoints
            .iter()
            .find(|e| e["endpoint_id"] == *id)
            .unwrap()
            .clone()
    };
    let failing = by_id(&fail["endpoint_id"]);
    assert!(
        failing["disabled_reason"].as_str().unwrap().contains("HTTP 500"),
        "{failing}"
    );
    // The log: the delivery that failed three times; what came after waits while it is off.
    let log = failing["deliveries"].as_array().unwrap();
    let failed: Vec<&Value> = log.iter().filter(|d| d["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{failing}");
    assert_eq!(
        (failed[0]["attempts"].as_i64(), failed[0]["last_status"].as_i64()),
        (Some(3), Some(500))
    );
    assert!(log.iter().all(|d| d["status"] != "delivered"));
    assert!(
        by_id(&slow["endpoint_id"])["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("no answer within")
    );
    assert_eq!(by_id(&ok["endpoint_id"])["state"], "active");
    assert!(
        by_id(&ok["endpoint_id"])["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "delivered")
    );
    assert!(
        by_id(&ok["endpoint_id"]).get("secret").is_none(),
        "the secret is never shown again"
    );
    // No more than the attempts: a disabled endpoint gets nothing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let fail_hits = hits.lock().unwrap().iter().filter(|h| h.path == "fail").count();
    assert!(fail_hits <= 3 * wanted.len(), "{fail_hits}");
    // Each webhook-id went to the working receiver once.
    let mut ids: Vec<&str> = received.iter().map(|h| h.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), wanted.len());

    // Turned on again, and deleted; another person cannot touch them.
    let id = fail["endpoint_id"].as_str().unwrap();
    let other = platform.citizen_token(51);
    Reply::read(platform.command(Method::POST, &format!("/me/webhooks/{id}/enable"), Some(&other)))
        .await
        .assert_problem(404, "unknown_webhook");
    let enabled = Reply::read(platform.command(
        Method::POST,
        &format!("/me/webhooks/{id}/enable"),
        Some(&journalist),
    ))
    .await;
    assert_eq!(enabled.status, 204);
    let deleted =
        Reply::read(platform.command(Method::DELETE, &format!("/me/webhooks/{id}"), Some(&journalist))).await;
    assert_eq!(deleted.status, 204);
    Reply::read(platform.command(Method::DELETE, &format!("/me/webhooks/{id}"), Some(&journalist)))
        .await
        .assert_problem(404, "unknown_webhook");
    let list = Reply::read(platform.command(Method::GET, "/me/webhooks", Some(&journalist))).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    platform.shutdown().await;
}
