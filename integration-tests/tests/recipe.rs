//! `docs/adding-an-aggregate.md` stays true: every place it sends a developer exists, every
//! check it promises is a test, every macro it names is defined.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).to_path_buf()
}

fn recipe() -> String {
    std::fs::read_to_string(root().join("docs/adding-an-aggregate.md")).expect("the recipe exists")
}

/// The `code spans` of a Markdown text (the recipe keeps each on one line).
fn code_spans(text: &str) -> Vec<String> {
    text.lines()
        .flat_map(|line| {
            line.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn rust_sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && !name.to_string_lossy().starts_with('.') {
                rust_sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

const REPO_ROOTS: &[&str] = &[
    "shared/",
    "services/",
    "integration-tests/",
    "deploy/",
    "proto-docs/",
    "scripts/",
    "docs/",
];

#[test]
fn every_path_in_the_recipe_exists() {
    let paths: Vec<String> = code_spans(&recipe())
        .into_iter()
        .filter(|span| {
            REPO_ROOTS.iter().any(|root| span.starts_with(root))
                || ["Cargo.toml", "deny.toml"].contains(&span.as_str())
        })
        .collect();
    assert!(paths.len() > 30, "{paths:?}");
    let missing: Vec<&String> = paths.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "the recipe names paths that do not exist: {missing:?}"
    );
}

#[test]
fn every_check_the_recipe_names_is_a_test_and_every_macro_is_defined() {
    let spans = code_spans(&recipe());
    let mut sources = Vec::new();
    for dir in ["shared", "services", "integration-tests"] {
        rust_sources(&root().join(dir), &mut sources);
    }
    let tests: BTreeSet<&String> = spans
        .iter()
        .filter(|s| {
            s.len() > 15
                && s.contains('_')
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .collect();
    assert!(tests.len() >= 10, "{tests:?}");
    for test in tests {
        let defined = sources.iter().any(|code| code.contains(&format!("fn {test}()")));
        assert!(
            defined,
            "the recipe names the check `{test}`, which is not a test"
        );
    }
    for span in spans.iter().filter(|s| s.ends_with('!') && !s.contains(' ')) {
        let name = span.trim_end_matches('!');
        let defined = sources
            .iter()
            .any(|code| code.contains(&format!("macro_rules! {name} ")));
        assert!(defined, "the recipe names the macro {span}, which is not defined");
    }
}
