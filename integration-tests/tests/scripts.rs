//! The developer scripts as a newcomer runs them: `scripts/up.sh` starts every service of
//! `deploy/services.tsv`, every Rust service among them serves Prometheus metrics that
//! `promtool` accepts, with the series operators' alerts use, and `scripts/down.sh` leaves no
//! service process and no pid file behind.
//!
//! Runs beside a developer's own platform: its own data directory (`TYNDAU_DATA_DIR`), database,
//! NATS prefix and ports (`TYNDAU_PORT_OFFSET`), and the debug binaries (`TYNDAU_BIN_DIR`),
//! which it builds first (`cargo build --bins`; nothing to do when they are current).

#![allow(clippy::unwrap_used)]

mod scripting;

use std::net::TcpListener;
use std::process::Command;

use scripting::{
    alive, debug_binaries, random_hex, required_env, running, script, services, with_database, write_env,
};

use tyndau_db::sqlx::{Connection, Executor, PgConnection};

/// An offset that puts every listed port on a free one.
fn free_offset(ports: &[u16]) -> u16 {
    for offset in (20_000u16..40_000).step_by(97) {
        let listeners: Vec<_> = ports
            .iter()
            .map(|p| TcpListener::bind(("127.0.0.1", p + offset)))
            .collect();
        if listeners.iter().all(Result::is_ok) {
            return offset;
        }
    }
    panic!("no free block of ports")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn down_after_up_leaves_no_service_and_no_pid_file() {
    let promtool = std::env::var("TYNDAU_PROMTOOL")
        .expect("TYNDAU_PROMTOOL is not set: run the tests through scripts/test.sh (just test)");
    let bin_dir = debug_binaries();

    let services = services();
    let ports: Vec<u16> = services.iter().map(|(_, p)| *p).collect();
    let offset = free_offset(&ports);
    let tag = random_hex();
    let data = std::env::temp_dir().join(format!("tyndau-scripts-{tag}"));
    std::fs::create_dir_all(&data).unwrap();

    let admin_url = required_env("DATABASE_URL");
    let nats_url = required_env("NATS_URL");
    let database = format!("t_scripts_{tag}");
    let prefix = format!("scripts{}", &tag[..8]);
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    admin
        .execute(format!("CREATE DATABASE \"{database}\"").as_str())
        .await
        .unwrap();
    let db_url = with_database(&admin_url, &database);
    write_env(&data, &db_url, &nats_url, &prefix);

    let up = script("up.sh", &data, offset, &bin_dir, &[]);
    let up_log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&up.stdout),
        String::from_utf8_lossy(&up.stderr)
    );
    let pids: Vec<(String, u32)> = services
        .iter()
        .filter_map(|(name, _)| {
            let text = std::fs::read_to_string(data.join("pids").join(format!("{name}.pid"))).ok()?;
            Some((name.clone(), text.trim().parse().ok()?))
        })
        .collect();
    let addresses: Vec<String> = services
        .iter()
        .map(|(_, port)| format!("127.0.0.1:{}", port + offset))
        .collect();

    let metrics = if up.status.success() {
        scrape_every_service(&services, offset, &promtool).await
    } else {
        Vec::new()
    };

    let down = script("down.sh", &data, offset, &bin_dir, &["--services"]);
    let down_log = String::from_utf8_lossy(&down.stderr).into_owned();
    let left_files: Vec<String> = std::fs::read_dir(data.join("pids"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let survivors: Vec<&(String, u32)> = pids.iter().filter(|(_, pid)| alive(*pid)).collect();
    let strays = running(&addresses);

    // Clean up before asserting, so a failure leaves nothing behind either.
    for (_, pid) in &survivors {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
    let _ = admin
        .execute(format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").as_str())
        .await;
    if let Ok(bus) = tyndau_bus::Bus::connect(&tyndau_config::NatsSettings::new(&nats_url, &prefix)).await {
        let _ = bus.delete_stream().await;
    }
    let _ = std::fs::remove_dir_all(&data);

    assert!(up.status.success(), "scripts/up.sh failed:\n{up_log}");
    for (name, port) in &services {
        assert!(
            pids.iter().any(|(n, _)| n == name),
            "{name} was not started:\n{up_log}"
        );
        assert!(
            up_log.contains(&format!("127.0.0.1:{}/ready", port + offset)),
            "up's listing misses {name}:\n{up_log}"
        );
    }
    let missing: Vec<&String> = metrics.iter().filter(|m| !m.is_empty()).collect();
    assert!(missing.is_empty(), "/metrics:\n{missing:#?}");
    assert!(down.status.success(), "scripts/down.sh failed:\n{down_log}");
    assert!(
        survivors.is_empty(),
        "still running after down: {survivors:?}\n{down_log}"
    );
    assert!(strays.is_empty(), "service processes left: {strays:?}");
    assert!(left_files.is_empty(), "pid files left: {left_files:?}");
}

/// The series each service must serve once started (beyond the request histogram, the pool's and,
/// where it uses NATS, the bus connection's, which every one has).
fn expected_series(service: &str) -> &'static [&'static str] {
    match service {
        "tyndau-event-relay" => &[
            "tyndau_relay_active ",
            "tyndau_relay_lag_events ",
            "tyndau_relay_lag_seconds ",
            r#"tyndau_nats_connection_events_total{event="connected"}"#,
        ],
        "tyndau-projector-thresholds" => &[r#"tyndau_projector_pending_messages{projector="thresholds"}"#],
        "tyndau-projector-consultations" => &[r#"tyndau_projector_lag_seconds{projector="consultations"}"#],
        "tyndau-notifier" => &[
            r#"tyndau_projector_pending_messages{projector="notifications"}"#,
            r#"tyndau_notifications_queued{channel="email"}"#,
            r#"tyndau_notifications_queued{channel="webhook"}"#,
        ],
        "tyndau-scheduler" => &["tyndau_petitions_answer_overdue "],
        "tyndau-ledger" => &["tyndau_ledger_leaves ", "tyndau_ledger_checkpoint_leaves "],
        "tyndau-witness" => &[r#"tyndau_witness_requests_total{outcome="cosigned"}"#],
        _ => &[],
    }
}

/// Scrapes every Rust service (not the Node.js identity provider and mailbox) after a request to
/// `/ready`, and says what is wrong with each: an empty string for a good one.
async fn scrape_every_service(services: &[(String, u16)], offset: u16, promtool: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut problems = Vec::new();
    for (name, port) in services {
        if matches!(name.as_str(), "tyndau-idp" | "tyndau-mailbox") {
            continue;
        }
        let base = format!("http://127.0.0.1:{}", port + offset);
        let mut wanted: Vec<&str> = vec![
            r#"tyndau_http_request_duration_seconds_bucket{route="/ready",method="GET",status="200",le="0.005"}"#,
        ];
        // The witness keeps its record in a file of its own, not in PostgreSQL.
        if name != "tyndau-witness" {
            wanted.extend([
                "tyndau_pg_connections_opened_total ",
                r#"tyndau_pg_pool_connections{state="idle"}"#,
            ]);
        }
        wanted.extend(expected_series(name));
        // Gauges a background task sets soon after start: a few seconds' grace.
        let mut last = String::new();
        for _ in 0..40 {
            let _ = client.get(format!("{base}/ready")).send().await;
            // Never a panic here: the services must be stopped after this, whatever happens.
            let (content_type, body) = match client.get(format!("{base}/metrics")).send().await {
                Ok(response) => (
                    response
                        .headers()
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned(),
                    response.text().await.unwrap_or_default(),
                ),
                Err(error) => (String::new(), format!("no answer: {error}")),
            };
            let absent: Vec<&&str> = wanted.iter().filter(|w| !body.contains(**w)).collect();
            last = if !content_type.starts_with("text/plain; version=0.0.4") {
                format!("{name}: content type {content_type:?}")
            } else if !absent.is_empty() {
                format!("{name}: missing {absent:?} in\n{body}")
            } else {
                promtool_accepts(promtool, &body)
                    .map_or_else(|e| format!("{name}: promtool: {e}"), |()| String::new())
            };
            if last.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        problems.push(last);
    }
    problems
}

/// `promtool check metrics`: the exposition parses (and follows the naming conventions).
fn promtool_accepts(promtool: &str, body: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run {promtool}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
