//! Tidy checks: the dependency direction written in ARCHITECTURE.md, enforced on `cargo metadata`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Crates of the read side: they must never see the domain or the command-side store.
const READ_SIDE: &[&str] = &[
    "tyndau-query-api",
    "tyndau-projector-thresholds",
    "tyndau-projector-consultations",
    "tyndau-projection",
    "tyndau-read-model",
    "tyndau-web",
];
const COMMAND_SIDE_ONLY: &[&str] = &["tyndau-domain", "tyndau-store"];
/// The foundations every other crate builds on: they depend on no other Tyndau crate but each other.
const FOUNDATIONS: &[(&str, &[&str])] = &[
    ("tyndau-ids", &[]),
    ("tyndau-events", &["tyndau-ids"]),
    ("tyndau-drafts", &["tyndau-ids", "tyndau-events"]),
];

/// The crates under `integration-tests/`: tests, benchmarks and the test kit sit above every
/// service and may use any of them.
fn test_crates() -> BTreeSet<String> {
    workspace_packages()
        .iter()
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .is_some_and(|m| m.contains("/integration-tests/"))
        })
        .filter_map(|p| p["name"].as_str())
        .map(str::to_owned)
        .collect()
}

fn workspace_packages() -> Vec<serde_json::Value> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    metadata["packages"].as_array().cloned().unwrap_or_default()
}

fn workspace_edges() -> BTreeMap<String, BTreeSet<String>> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let names: BTreeSet<String> = packages
        .iter()
        .filter_map(|p| p["name"].as_str())
        .map(str::to_owned)
        .collect();
    packages
        .iter()
        .map(|package| {
            let deps = package["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].is_null()) // normal dependencies, not dev or build
                .filter_map(|d| d["name"].as_str())
                .filter(|name| names.contains(*name))
                .map(str::to_owned)
                .collect();
            (package["name"].as_str().unwrap_or_default().to_owned(), deps)
        })
        .collect()
}

fn closure(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(name) = stack.pop() {
        for dep in edges.get(&name).into_iter().flatten() {
            if seen.insert(dep.clone()) {
                stack.push(dep.clone());
            }
        }
    }
    seen
}

#[test]
fn services_never_depend_on_each_other() {
    let edges = workspace_edges();
    let tests = test_crates();
    assert!(
        tests.contains("tyndau-testkit"),
        "the test kit lives under integration-tests/"
    );
    for (crate_name, deps) in &edges {
        if !crate_name.starts_with("tyndau-") || tests.contains(crate_name) {
            continue;
        }
        let services: Vec<_> = deps.iter().filter(|d| is_service(d)).collect();
        assert!(
            services.is_empty(),
            "{crate_name} depends on service crates {services:?}"
        );
    }
}

#[test]
fn the_read_side_never_sees_the_domain() {
    let edges = workspace_edges();
    for reader in READ_SIDE {
        let reachable = closure(&edges, reader);
        for forbidden in COMMAND_SIDE_ONLY {
            assert!(!reachable.contains(*forbidden), "{reader} reaches {forbidden}");
        }
    }
}

#[test]
fn foundations_stay_at_the_bottom() {
    let edges = workspace_edges();
    for (name, allowed) in FOUNDATIONS {
        let deps = edges.get(*name).cloned().unwrap_or_default();
        let extra: Vec<_> = deps.iter().filter(|d| !allowed.contains(&d.as_str())).collect();
        assert!(extra.is_empty(), "{name} must not depend on {extra:?}");
    }
}

#[test]
fn the_domain_does_no_io() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "tyndau-domain",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    for io_crate in ["sqlx", "async-nats", "reqwest", "axum", "hyper"] {
        assert!(
            !tree.lines().any(|line| line.starts_with(&format!("{io_crate} "))),
            "tyndau-domain depends on {io_crate}"
        );
    }
}

fn is_service(name: &str) -> bool {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../services"))
        .join(name)
        .is_dir()
}
