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

/// Which crate owns each table: the only one whose code may name it in SQL. Everyone else goes
/// through the owner's typed functions. A new table must be given an owner here.
const TABLE_OWNERS: &[(&str, &str)] = &[
    // The event log and what its readers keep: shared by both sides, so below both.
    ("events", "tyndau-db"),
    ("snapshots", "tyndau-db"),
    ("relay_checkpoint", "tyndau-db"),
    ("projector_checkpoint", "tyndau-db"),
    ("subject_keys", "tyndau-db"),
    // The command side's write index.
    ("signature_gate", "tyndau-store"),
    // The read models: written by their projections, read by the queries, both in one crate.
    ("petition_view", "tyndau-read-model"),
    ("petition_timeline", "tyndau-read-model"),
    ("signature_tally", "tyndau-read-model"),
    ("petition_counts", "tyndau-read-model"),
    ("petition_region_counts", "tyndau-read-model"),
    ("petition_hourly", "tyndau-read-model"),
    ("signature_names", "tyndau-read-model"),
    ("consultation_view", "tyndau-read-model"),
    ("consultation_versions", "tyndau-read-model"),
    ("consultation_provisions", "tyndau-read-model"),
    ("consultation_comments", "tyndau-read-model"),
    ("consultation_provision_counts", "tyndau-read-model"),
    ("comment_answers", "tyndau-read-model"),
    ("comment_edits", "tyndau-read-model"),
    ("comment_anchorings", "tyndau-read-model"),
    ("comment_reactions", "tyndau-read-model"),
    // The web front's sessions (written by tower-sessions' store on its behalf).
    ("tower_sessions.session", "tyndau-web"),
];

/// The tables the migrations create.
fn migrated_tables() -> BTreeSet<String> {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/tyndau-db/migrations"
    ));
    let mut tables = BTreeSet::new();
    for entry in std::fs::read_dir(dir)
        .expect("the migrations are readable")
        .flatten()
    {
        let sql = std::fs::read_to_string(entry.path())
            .unwrap_or_default()
            .to_lowercase();
        let words: Vec<&str> = sql.split(|c: char| c.is_whitespace() || c == '(').collect();
        for window in words.windows(3) {
            if window[0] == "create" && window[1] == "table" {
                tables.insert(window[2].to_owned());
            }
        }
        for window in words.windows(6) {
            if window[..5] == ["create", "table", "if", "not", "exists"] {
                tables.insert(window[5].to_owned());
            }
        }
    }
    tables.remove("if");
    tables
}

/// The Rust sources of one crate, without their test modules (tests may look anywhere).
fn crate_sources(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path
                    .file_name()
                    .is_some_and(|n| n != "tests.rs" && n != "properties.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
                out.push((path, code));
            }
        }
    }
    out
}

/// The contents of the string literals in `code` (SQL lives there, never in comments): plain
/// and raw strings, escapes skipped over, comments left out.
fn string_literals(code: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\'' if chars.get(i + 2) == Some(&'\'') || chars.get(i + 1) == Some(&'\\') => {
                // A char literal ('"' among them): step over it.
                i += if chars.get(i + 1) == Some(&'\\') { 4 } else { 3 };
                continue;
            }
            'r' if matches!(chars.get(i + 1), Some('#' | '"')) => {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                if chars.get(i + 1 + hashes) == Some(&'"') {
                    let close: String = std::iter::once('"')
                        .chain(std::iter::repeat_n('#', hashes))
                        .collect();
                    let start = i + 2 + hashes;
                    let rest: String = chars[start..].iter().collect();
                    let end = rest.find(&close).map_or(rest.len(), |e| e);
                    out.push_str(&rest[..end]);
                    out.push('\n');
                    i = start + rest[..end].chars().count() + close.chars().count();
                    continue;
                }
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    } else {
                        out.push(chars[i]);
                    }
                    i += 1;
                }
                out.push('\n');
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The tables `code` names in SQL strings: a table name right after FROM, JOIN, INTO, UPDATE,
/// TABLE or TRUNCATE.
fn tables_named(code: &str, tables: &BTreeSet<String>) -> BTreeSet<String> {
    let lower = string_literals(code).to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut named = BTreeSet::new();
    for window in words.windows(2) {
        let keyword = matches!(
            window[0],
            "from" | "join" | "into" | "update" | "table" | "truncate" | "only"
        );
        if keyword && tables.contains(window[1]) {
            named.insert(window[1].to_owned());
        }
    }
    named
}

#[test]
fn every_table_has_one_owner_and_only_the_owner_names_it_in_sql() {
    let owners: BTreeMap<&str, &str> = TABLE_OWNERS.iter().copied().collect();
    let tables = migrated_tables();
    assert!(
        tables.contains("events") && tables.contains("petition_view"),
        "{tables:?}"
    );
    let unowned: Vec<&String> = tables
        .iter()
        .filter(|t| !owners.contains_key(t.as_str()))
        .collect();
    assert!(
        unowned.is_empty(),
        "tables without an owner in TABLE_OWNERS: {unowned:?}"
    );
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut trespasses = Vec::new();
    for group in ["shared", "services"] {
        for entry in std::fs::read_dir(root.join(group))
            .expect("the crates are readable")
            .flatten()
        {
            let crate_name = entry.file_name().to_string_lossy().into_owned();
            for (path, code) in crate_sources(&entry.path()) {
                for table in tables_named(&code, &tables) {
                    if owners.get(table.as_str()) != Some(&crate_name.as_str()) {
                        trespasses.push(format!(
                            "{} names {table} (owned by {})",
                            path.strip_prefix(root).unwrap_or(&path).display(),
                            owners.get(table.as_str()).unwrap_or(&"nobody")
                        ));
                    }
                }
            }
        }
    }
    assert!(
        trespasses.is_empty(),
        "SQL outside a table's owner:\n{}",
        trespasses.join("\n")
    );
}

#[test]
fn the_table_scan_sees_sql() {
    let tables: BTreeSet<String> = ["events".to_owned(), "petition_view".to_owned()].into();
    let code = r#"sqlx::query("SELECT 1 FROM petition_view v JOIN events e ON true")"#;
    assert_eq!(tables_named(code, &tables), tables);
    assert!(tables_named("// deleted from events, in the petition_view", &tables).is_empty());
    let raw = "let q = r#\"DELETE FROM events\"#; let c = '\"'; let s = \"UPDATE petition_view\";";
    assert_eq!(tables_named(raw, &tables), tables);
}
