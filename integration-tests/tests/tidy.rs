//! Tidy checks: the dependency direction written in ARCHITECTURE.md, enforced on `cargo metadata`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Crates of the read side: they must never see the domain or the command-side store. Every
/// projector (a crate on `tyndau-projection`) is one too, without being listed.
const READ_SIDE: &[&str] = &[
    "tyndau-query-api",
    "tyndau-projection",
    "tyndau-read-model",
    "tyndau-web",
];

fn read_side(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let projectors = edges
        .iter()
        .filter(|(_, deps)| deps.contains("tyndau-projection"))
        .map(|(name, _)| name.clone());
    READ_SIDE
        .iter()
        .map(|s| (*s).to_owned())
        .chain(projectors)
        .collect()
}
const COMMAND_SIDE_ONLY: &[&str] = &["tyndau-domain", "tyndau-store"];
/// The foundations every other crate builds on: they depend on no other Tyndau crate but each other.
const FOUNDATIONS: &[(&str, &[&str])] = &[
    ("tyndau-ids", &[]),
    ("tyndau-calendar", &[]),
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
    let readers = read_side(&edges);
    assert!(
        readers.contains("tyndau-projector-thresholds") && readers.contains("tyndau-projector-consultations"),
        "{readers:?}"
    );
    for reader in &readers {
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
    ("notification_subscriptions", "tyndau-read-model"),
    ("notifications", "tyndau-read-model"),
    ("notification_reads", "tyndau-read-model"),
    ("notification_settings", "tyndau-read-model"),
    ("notification_choices", "tyndau-read-model"),
    ("notification_topics", "tyndau-read-model"),
    ("notification_erased", "tyndau-read-model"),
    ("notification_outbox", "tyndau-read-model"),
    ("unsubscribe_links_used", "tyndau-read-model"),
    ("webhook_endpoints", "tyndau-read-model"),
    ("webhook_deliveries", "tyndau-read-model"),
    ("consultation_view", "tyndau-read-model"),
    ("consultation_versions", "tyndau-read-model"),
    ("consultation_provisions", "tyndau-read-model"),
    ("consultation_comments", "tyndau-read-model"),
    ("consultation_provision_counts", "tyndau-read-model"),
    ("comment_answers", "tyndau-read-model"),
    ("comment_edits", "tyndau-read-model"),
    ("comment_anchorings", "tyndau-read-model"),
    ("comment_reactions", "tyndau-read-model"),
    // The public transparency log: appended and served by the ledger alone.
    ("ledger_leaves", "tyndau-ledger"),
    ("ledger_tiles", "tyndau-ledger"),
    ("ledger_tree", "tyndau-ledger"),
    ("ledger_checkpoints", "tyndau-ledger"),
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
    rust_sources(&dir.join("src"))
}

/// The Rust sources under `dir` (any depth), without their test modules.
fn rust_sources(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
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

/// The lower-cased words of the SQL in `code`'s string literals.
fn sql_words(code: &str) -> Vec<String> {
    string_literals(code)
        .to_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The tables `code` names in SQL strings: a table name right after FROM, JOIN, INTO, UPDATE,
/// TABLE or TRUNCATE.
fn tables_named(code: &str, tables: &BTreeSet<String>) -> BTreeSet<String> {
    let words = sql_words(code);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
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

/// The tables `code` writes in SQL strings: INSERT INTO, UPDATE, DELETE FROM.
fn tables_written(code: &str, tables: &BTreeSet<String>) -> BTreeSet<String> {
    let words = sql_words(code);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut written = BTreeSet::new();
    for window in words.windows(3) {
        let target = match window {
            ["insert", "into", table, ..] | ["delete", "from", table, ..] => *table,
            ["update", table, _] => *table,
            _ => continue,
        };
        if tables.contains(target) {
            written.insert(target.to_owned());
        }
    }
    written
}

/// The value of `const {name}: &str = "...";` (or `&'static str`) in `code`.
fn const_str(code: &str, name: &str) -> Option<String> {
    let start = code.find(&format!("const {name}: &"))?;
    let rest = &code[start..];
    let open = rest.find('"')? + 1;
    let close = rest[open..].find('"')? + open;
    Some(rest[open..close].to_owned())
}

fn workspace_root() -> &'static std::path::Path {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn each_projection_empties_on_rebuild_exactly_the_tables_it_writes() {
    let tables = migrated_tables();
    let dir = workspace_root().join("shared/tyndau-read-model/src/projections");
    let mut projections = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("projections are readable")
        .flatten()
    {
        if !entry.path().is_dir() {
            continue;
        }
        projections += 1;
        let sources = rust_sources(&entry.path());
        let declared: BTreeSet<String> = sources
            .iter()
            .find_map(|(_, code)| const_str(code, "TABLES"))
            .unwrap_or_else(|| panic!("{} declares no TABLES", entry.path().display()))
            .split(',')
            .map(|t| t.trim().to_owned())
            .collect();
        // What it writes but a rebuild must keep (the email outbox: what was owed or sent).
        let kept: BTreeSet<String> = sources
            .iter()
            .find_map(|(_, code)| const_str(code, "KEPT"))
            .map(|kept| kept.split(',').map(|t| t.trim().to_owned()).collect())
            .unwrap_or_default();
        let written: BTreeSet<String> = sources
            .iter()
            .flat_map(|(_, code)| tables_written(code, &tables))
            .filter(|table| !kept.contains(table))
            .collect();
        assert_eq!(
            declared,
            written,
            "{}: TABLES (emptied by a rebuild) must be the tables the projection writes but KEPT",
            entry.path().display()
        );
    }
    assert!(projections >= 2, "found {projections} projections");
}

#[test]
fn projection_names_are_unique() {
    // A projection's name keys its checkpoint, its durable consumer and its advisory lock.
    let mut names = BTreeMap::<String, String>::new();
    for group in ["shared", "services"] {
        for entry in std::fs::read_dir(workspace_root().join(group))
            .expect("crates")
            .flatten()
        {
            for (path, code) in crate_sources(&entry.path()) {
                if !code.contains("impl Projection for") {
                    continue;
                }
                let name =
                    const_str(&code, "NAME").unwrap_or_else(|| panic!("{} has no NAME", path.display()));
                if let Some(other) = names.insert(name.clone(), path.display().to_string()) {
                    panic!(
                        "projection name {name:?} is used by {other} and {}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(names.len() >= 2, "{names:?}");
}

#[test]
fn every_long_running_service_is_listed_once_with_the_port_it_defaults_to() {
    let list = std::fs::read_to_string(workspace_root().join("deploy/services.tsv")).expect("services.tsv");
    let mut listed = BTreeMap::<String, u16>::new();
    let mut ports = BTreeSet::new();
    for line in list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, port, program] = fields[..] else {
            panic!("services.tsv line is not `name port program`: {line}")
        };
        let port: u16 = port.parse().expect("a port number");
        assert!(ports.insert(port), "port {port} is listed twice");
        if program == "-" {
            assert!(
                listed.insert(name.to_owned(), port).is_none(),
                "{name} is listed twice"
            );
        }
    }
    // A service crate that serves health endpoints (through tyndau-http or the projector shell)
    // runs for good; the others (the CLI) are one-shot tools.
    let long_running: BTreeSet<String> = workspace_packages()
        .iter()
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .is_some_and(|m| m.contains("/services/"))
        })
        .filter(|p| {
            p["dependencies"].as_array().into_iter().flatten().any(|d| {
                d["kind"].is_null() && matches!(d["name"].as_str(), Some("tyndau-http" | "tyndau-projection"))
            })
        })
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        listed.keys().cloned().collect::<BTreeSet<_>>(),
        long_running,
        "deploy/services.tsv must list every long-running service crate"
    );
    for (name, port) in &listed {
        let sources = crate_sources(&workspace_root().join("services").join(name));
        let default = format!("([127, 0, 0, 1], {port})");
        assert!(
            sources.iter().any(|(_, code)| code.contains(&default)),
            "{name} does not default to port {port}, as services.tsv says"
        );
    }
}

#[test]
fn every_workspace_dependency_is_used_by_a_member() {
    // cargo machete (in `just lint`) finds members' unused dependencies; this finds entries of
    // [workspace.dependencies] that no member takes any more.
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).expect("Cargo.toml");
    let declared: BTreeSet<String> = manifest
        .split("[workspace.dependencies]")
        .nth(1)
        .expect("a [workspace.dependencies] table")
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect();
    let used: BTreeSet<String> = workspace_packages()
        .iter()
        .flat_map(|p| p["dependencies"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| {
            // A renamed dependency keeps its workspace key as its `rename`.
            d["rename"].as_str().or(d["name"].as_str()).map(str::to_owned)
        })
        .collect();
    let unused: Vec<&String> = declared.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "[workspace.dependencies] no member uses: {unused:?}"
    );
    assert!(declared.len() > 20, "{declared:?}");
}
