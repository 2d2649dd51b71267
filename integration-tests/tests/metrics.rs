//! Metrics and alerts: the command API's `/metrics` counts signing by route pattern and batch,
//! a stranger's paths never become series, and the alert rules in `deploy/prometheus` pass
//! `promtool`'s checks and its unit tests (`alerts_test.yml`). Every other service's `/metrics`
//! is scraped black-box in `scripts.rs`, each as its own process.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use reqwest::Method;
use tyndau_testkit::TestPlatform;

fn promtool(args: &[&str]) -> String {
    let promtool = std::env::var("TYNDAU_PROMTOOL")
        .expect("TYNDAU_PROMTOOL is not set: run the tests through scripts/test.sh (just test)");
    let output = Command::new(&promtool)
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/prometheus"))
        .output()
        .unwrap_or_else(|e| panic!("could not run {promtool}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "promtool {args:?} failed:\n{text}");
    text
}

#[test]
fn alert_rules_are_valid_and_fire_when_they_should() {
    assert!(promtool(&["check", "rules", "alerts.yml"]).contains("SUCCESS: 7 rules found"));
    promtool(&["check", "config", "prometheus.yml"]);
    promtool(&["test", "rules", "alerts_test.yml"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signing_is_counted_by_route_and_batch_and_strangers_paths_are_not() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("government").await;
    for n in 0..3 {
        platform
            .sign(&petition, &platform.citizen_token(100 + n))
            .await
            .expect_status(201);
    }
    let probe = format!("/no-such-page-{}", uuid::Uuid::now_v7());
    let stranger = platform.command(Method::GET, &probe, None).send().await.unwrap();
    assert_eq!(stranger.status(), 404);

    let response = platform
        .command(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    // The pattern, never the petition's id.
    let signed = r#"tyndau_http_request_duration_seconds_count{route="/petitions/{id}/signature",method="POST",status="201"}"#;
    let count = text
        .lines()
        .find_map(|line| line.strip_prefix(signed))
        .map(|rest| rest.trim().parse::<f64>().unwrap());
    assert!(count.is_some_and(|c| c >= 3.0), "{signed} in\n{text}");
    assert!(!text.contains(&petition), "a petition id became a label:\n{text}");
    assert!(
        !text.contains(&probe),
        "a stranger's path became a label:\n{text}"
    );
    assert!(text.contains(r#"route="unmatched""#), "{text}");
    for series in [
        "tyndau_signature_batch_size_bucket{le=\"1\"}",
        "tyndau_signature_batch_size_count",
        "tyndau_signature_batch_commit_seconds_bucket{le=\"0.05\"}",
        "tyndau_pg_pool_wait_seconds_count",
        "# HELP tyndau_signature_batch_size Signatures per committed batch.",
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }
    platform.shutdown().await;
}
