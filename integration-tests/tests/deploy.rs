//! `deploy/` for real hosts and Kubernetes stays in step with what `cluster-up` runs: every
//! long-running Rust service of `deploy/services.tsv` has its manifests, HAProxy fronts the HTTP
//! services on their ports, and the Patroni settings `just chaos` tests are the ones shipped
//! for real hosts. (Neither a Kubernetes cluster nor separate hosts exist here: see
//! `deploy/README.md`.)

#![allow(clippy::unwrap_used)]

use std::path::Path;

fn read(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The Rust services of `deploy/services.tsv` (program `-`) and their ports.
fn rust_services() -> Vec<(String, u16)> {
    read("deploy/services.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.get(2).is_none_or(|p| *p == "-"))
                .then(|| (fields[0].to_owned(), fields[1].parse().unwrap()))
        })
        .collect()
}

#[test]
fn every_service_has_a_kubernetes_deployment_with_probes_and_a_disruption_budget() {
    let manifests = read("deploy/k8s/services.yaml");
    let documents: Vec<&str> = manifests.split("\n---\n").collect();
    // The witness is an outside party's program: it is not deployed with the platform.
    for (service, _) in rust_services().into_iter().filter(|(s, _)| s != "tyndau-witness") {
        let deployment = documents
            .iter()
            .find(|d| d.contains("kind: Deployment") && d.contains(&format!("\n  name: {service}\n")))
            .unwrap_or_else(|| panic!("no Deployment for {service} in deploy/k8s/services.yaml"));
        assert!(
            deployment.contains(&format!("command: [\"/usr/local/bin/{service}\"]")),
            "{service}"
        );
        assert!(deployment.contains("replicas: 2"), "{service} runs once");
        assert!(
            deployment.contains("path: /ready") && deployment.contains("path: /health"),
            "{service}"
        );
        assert!(
            documents
                .iter()
                .any(|d| d.contains("kind: PodDisruptionBudget") && d.contains(&format!("name: {service}\n"))),
            "no PodDisruptionBudget for {service}"
        );
    }
}

#[test]
fn haproxy_for_real_hosts_fronts_the_http_services_on_their_ports_and_postgres_by_patroni() {
    let config = read("deploy/haproxy/haproxy.cfg");
    for (service, port) in rust_services() {
        if [
            "tyndau-command-api",
            "tyndau-query-api",
            "tyndau-web",
            "tyndau-ledger",
        ]
        .contains(&service.as_str())
        {
            let section = config
                .split("\nlisten ")
                .find(|s| s.starts_with(&service))
                .unwrap_or_else(|| panic!("no `listen {service}`"));
            assert!(
                section.contains(&format!("bind :{port}")),
                "{service} not on {port}"
            );
            assert!(section.contains("option httpchk GET /ready"), "{service}");
        }
    }
    let postgres = config
        .split("\nlisten ")
        .find(|s| s.starts_with("postgres"))
        .unwrap();
    assert!(postgres.contains("option httpchk GET /primary"));
    assert!(postgres.contains("on-marked-down shutdown-sessions"));
}

/// The cluster-wide Patroni settings (`bootstrap.dcs`) that decide failover: the loopback
/// template `just chaos` exercises and the real hosts' file must agree.
#[test]
fn patroni_on_real_hosts_fails_over_as_the_tested_loopback_cluster_does() {
    let setting = |text: &str, key: &str| -> String {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no {key}"))
            .to_owned()
    };
    let tested = read("deploy/postgres/patroni/loopback.yml");
    let shipped = read("deploy/postgres/patroni/patroni.yml");
    for key in [
        "ttl",
        "loop_wait",
        "retry_timeout",
        "primary_start_timeout",
        "synchronous_mode",
        "maximum_lag_on_failover",
        "use_pg_rewind",
        "max_connections",
    ] {
        assert_eq!(setting(&tested, key), setting(&shipped, key), "{key}");
    }
    assert_eq!(setting(&tested, "synchronous_mode"), "true");
}

#[test]
fn the_systemd_template_runs_each_service_from_its_own_environment_and_restarts_it() {
    let unit = read("deploy/systemd/tyndau@.service");
    assert!(unit.contains("ExecStart=/usr/local/bin/%i"));
    assert!(unit.contains("EnvironmentFile=/etc/tyndau/%i.env"));
    assert!(unit.contains("Restart=always"));
}
