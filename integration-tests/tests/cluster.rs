//! The scaled-out shape as `scripts/cluster-up.sh` starts it (a three-node NATS cluster,
//! PostgreSQL under Patroni with a synchronous standby, every service twice, HAProxy in front,
//! Prometheus scraping), and a quick fault run against it:
//! citizens sign through HAProxy while one command API and then one NATS node are killed with
//! SIGKILL; every signature is acknowledged and counted exactly once, the stream holds every
//! stored event exactly once (the chaos program's audit), and `cluster-down.sh` leaves nothing
//! running.
//!
//! Runs beside a developer's own platform and cluster: its own data directory, PostgreSQL nodes
//! and ports, and the debug binaries (built first, as `scripts.rs` does). The whole fault
//! programme with its audit is `just chaos` (src/bin/chaos.rs).

#![allow(clippy::unwrap_used)]

mod scripting;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tyndau_auth::Role;
use tyndau_auth::dev::{DevClaims, DevKeys, DevSigner};
use tyndau_bus::Bus;
use tyndau_config::NatsSettings;
use tyndau_db::sqlx::PgPool;
use tyndau_ids::Region;
use tyndau_integration_tests::chaos::audit::{self, Evidence};
use tyndau_integration_tests::chaos::evidence;
use tyndau_testkit::{adult_iin, petition_body};

use scripting::{alive, debug_binaries, random_hex, required_env, script_with, services, write_env};

/// Every port the cluster takes at offset 0 (`scripts/cluster-up.sh`).
fn cluster_ports() -> Vec<u16> {
    // Prometheus, HAProxy's statistics, SMTP, etcd, HAProxy's PostgreSQL, the PostgreSQL nodes
    // and their Patroni.
    let mut ports = vec![9090, 8404, 2725, 52379, 52380, 55440, 55441, 55442, 58009, 58010];
    for n in 1..=3 {
        ports.extend([54230 + n, 56230 + n, 58230 + n]);
    }
    for (_, port) in services() {
        ports.extend([port + 200, port + 1000, port + 1100]);
    }
    ports
}

/// A small offset (the NATS ports are near the top of the range) at which every port is free.
fn free_offset(ports: &[u16]) -> u16 {
    for offset in (100u16..5_000).step_by(37) {
        if ports
            .iter()
            .all(|p| TcpListener::bind(("127.0.0.1", p + offset)).is_ok())
        {
            return offset;
        }
    }
    panic!("no free block of ports")
}

fn pid_of(data: &Path, name: &str) -> u32 {
    std::fs::read_to_string(data.join("cluster/pids").join(format!("{name}.pid")))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn kill(pid: u32) {
    assert!(
        Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

struct Cluster {
    client: reqwest::Client,
    signer: DevSigner,
    issuer: String,
    command: String,
    query: String,
}

impl Cluster {
    fn token(&self, claims: DevClaims) -> String {
        self.signer.mint(&claims).unwrap()
    }

    fn citizen(&self, n: u32) -> String {
        self.token(DevClaims::citizen(
            &self.issuer,
            "tyndau",
            format!("citizen-{n}"),
            adult_iin(n),
            Region::Almaty,
        ))
    }

    /// A POST through HAProxy; a transport failure reads as a 502 with the error as its body.
    async fn post(&self, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(format!("{}{path}", self.command))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                (status, response.json().await.unwrap_or(Value::Null))
            }
            Err(error) => (StatusCode::BAD_GATEWAY, Value::String(format!("{error:?}"))),
        }
    }

    /// Signs as citizens `from..to`, one after another, each retrying as a citizen would while
    /// the platform cannot answer (a transport error, 502 or 503), for up to 10 s. Returns the
    /// refusals and the longest time no signature could be acknowledged.
    async fn sign(&self, petition: &str, from: u32, to: u32) -> (Vec<(u32, StatusCode, Value)>, Duration) {
        let mut refused = Vec::new();
        let mut longest = Duration::ZERO;
        for n in from..to {
            let token = self.citizen(n);
            let started = Instant::now();
            let mut retried = false;
            loop {
                let (status, body) = self
                    .post(&format!("/petitions/{petition}/signature"), &token, None)
                    .await;
                let unavailable = matches!(
                    status,
                    StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
                );
                if unavailable && started.elapsed() < Duration::from_secs(10) {
                    retried = true;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
                // A retry of a signature whose first attempt was stored is told it is signed.
                let stored = status == StatusCode::CREATED
                    || (retried && status == StatusCode::CONFLICT && body["code"] == "already_signed");
                if !stored {
                    refused.push((n, status, body));
                }
                if retried {
                    longest = longest.max(started.elapsed());
                }
                break;
            }
        }
        (refused, longest)
    }

    async fn count(&self, petition: &str) -> Option<i64> {
        let response = self
            .client
            .get(format!("{}/petitions/{petition}/count", self.query))
            .send()
            .await
            .ok()?;
        response.json::<Value>().await.ok()?["signatures"].as_i64()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_api_and_a_nats_node_die_under_signing_and_nothing_acknowledged_is_lost() {
    let bin_dir = debug_binaries();

    let offset = free_offset(&cluster_ports());
    let tag = random_hex();
    let data = std::env::temp_dir().join(format!("tyndau-cluster-{tag}"));
    std::fs::create_dir_all(&data).unwrap();
    write_env(
        &data,
        &required_env("DATABASE_URL"),
        &required_env("NATS_URL"),
        "unused",
    );
    let keys = DevKeys::generate().unwrap();
    keys.write_to(&data.join("dev-keys")).unwrap();

    let env = [("TYNDAU_CLUSTER_SEED", "0")];
    let up = script_with("cluster-up.sh", &data, offset, &bin_dir, &[], &env);
    let up_log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&up.stdout),
        String::from_utf8_lossy(&up.stderr)
    );
    // In a task of its own: even a panic in the fault run comes back here, and the cluster is
    // stopped below whatever happened.
    let outcome = if up.status.success() {
        let (data, signer) = (data.clone(), keys.signer().unwrap());
        Some(
            tokio::spawn(async move { run_faults(&data, offset, signer).await })
                .await
                .unwrap_or_else(|e| Err(format!("the fault run panicked: {e}"))),
        )
    } else {
        None
    };

    let pids: Vec<(String, u32)> = std::fs::read_dir(data.join("cluster/pids"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    let name = e
                        .file_name()
                        .to_string_lossy()
                        .trim_end_matches(".pid")
                        .to_owned();
                    let pid = std::fs::read_to_string(e.path()).ok()?.trim().parse().ok()?;
                    Some((name, pid))
                })
                .collect()
        })
        .unwrap_or_default();
    // The logs outlive the purge, for a failure's message.
    let kept_logs = std::env::temp_dir().join(format!("tyndau-cluster-logs-{tag}"));
    let _ = std::fs::rename(data.join("cluster/logs"), &kept_logs);
    let down = script_with("cluster-down.sh", &data, offset, &bin_dir, &["--purge"], &env);
    let survivors: Vec<&(String, u32)> = pids.iter().filter(|(_, pid)| alive(*pid)).collect();
    // Clean up before asserting, so a failure leaves nothing behind either.
    for (_, pid) in &survivors {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
    let _ = std::fs::remove_dir_all(&data);

    assert!(up.status.success(), "scripts/cluster-up.sh failed:\n{up_log}");
    assert!(pids.len() >= 20, "fewer processes than a cluster has: {pids:?}");
    if let Some(Err(failure)) = outcome {
        panic!("{failure}\n(logs kept in {})", kept_logs.display());
    }
    assert!(
        down.status.success(),
        "scripts/cluster-down.sh failed:\n{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(
        survivors.is_empty(),
        "still running after cluster-down: {survivors:?}"
    );
    let _ = std::fs::remove_dir_all(&kept_logs);
}

/// The faults and the audit; an error describes what went wrong.
async fn run_faults(data: &Path, offset: u16, signer: DevSigner) -> Result<(), String> {
    let port = |name: &str| {
        services()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p + 200 + offset)
            .unwrap()
    };
    let cluster = Cluster {
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        signer,
        issuer: format!("http://127.0.0.1:{}", port("tyndau-idp")),
        command: format!("http://127.0.0.1:{}", port("tyndau-command-api")),
        query: format!("http://127.0.0.1:{}", port("tyndau-query-api")),
    };

    // A petition, through HAProxy.
    let author = cluster.citizen(17_000_000);
    let (status, body) = cluster
        .post("/petitions", &author, Some(petition_body("government")))
        .await;
    if status != StatusCode::CREATED {
        return Err(format!("drafting: {status} {body}"));
    }
    let petition = body["petition_id"].as_str().unwrap().to_owned();
    let moderator = cluster.token(DevClaims::new(
        &cluster.issuer,
        "tyndau",
        "moderator-1",
        Role::Moderator,
    ));
    for (path, token) in [("submit", &author), ("publish", &moderator)] {
        let (status, body) = cluster
            .post(&format!("/petitions/{petition}/{path}"), token, None)
            .await;
        if status != StatusCode::OK {
            return Err(format!("{path}: {status} {body}"));
        }
    }

    let (mut refused, _) = cluster.sign(&petition, 1, 31).await;
    // One command API dies: HAProxy takes it out and sends everything to the other.
    kill(pid_of(data, "tyndau-command-api-a"));
    let (more, command_api_gap) = cluster.sign(&petition, 31, 61).await;
    refused.extend(more);
    // One NATS node dies: the relay publishes on with two of three replicas.
    kill(pid_of(data, "nats-2"));
    let (more, nats_gap) = cluster.sign(&petition, 61, 91).await;
    refused.extend(more);
    if !refused.is_empty() {
        return Err(format!("signatures not acknowledged: {refused:?}"));
    }
    // The bound around any fault but a PostgreSQL failover.
    eprintln!(
        "longest wait for an acknowledgement: {command_api_gap:?} after killing a command API, {nats_gap:?} after killing a NATS node"
    );
    for (fault, gap) in [("a command API", command_api_gap), ("a NATS node", nats_gap)] {
        if gap > Duration::from_secs(3) {
            return Err(format!(
                "no signature could be acknowledged for {gap:?} after killing {fault}"
            ));
        }
    }

    // Every acknowledged signature is counted once, through the surviving NATS nodes.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = None;
    while seen != Some(90) {
        if Instant::now() > deadline {
            return Err(format!(
                "the public count is {seen:?}, not 90, a minute after the last signature"
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        seen = cluster.count(&petition).await;
    }
    stream_holds_the_store_once(offset).await
}

/// The chaos program's audit of the bus: every event the store holds is on the stream exactly
/// once, and nothing else is.
async fn stream_holds_the_store_once(offset: u16) -> Result<(), String> {
    let nats = NatsSettings {
        url: (1..=3)
            .map(|n| format!("nats://127.0.0.1:{}", 54230 + n + offset))
            .collect::<Vec<_>>()
            .join(","),
        prefix: "tyndau".to_owned(),
        replicas: 3,
    };
    let bus = Bus::connect(&nats).await.map_err(|e| format!("{e:?}"))?;
    let database = format!("postgres://tyndau@127.0.0.1:{}/tyndau", 55440 + offset);
    let pool = PgPool::connect(&database).await.map_err(|e| format!("{e:?}"))?;
    let proof = Evidence {
        stored: evidence::stored(&pool).await.map_err(|e| format!("{e:?}"))?,
        streamed: evidence::streamed(&bus)
            .await
            .map_err(|e| format!("{e:?}"))?
            .into_iter()
            .map(|s| s.key)
            .collect(),
        ..Evidence::default()
    };
    let verdict = audit::audit(&proof);
    if verdict.passed() {
        Ok(())
    } else {
        Err(format!(
            "the stream does not hold the store exactly once: {verdict:?}"
        ))
    }
}
