//! Property-based fuzzing of the served OpenAPI documents with schemathesis: every generated
//! request, valid or not, must get a documented status and a body matching its schema, and never
//! a server error. `scripts/test.sh` installs schemathesis and names it in TYNDAU_SCHEMATHESIS.

use std::path::PathBuf;
use std::process::Command;

use tyndau_testkit::TestPlatform;

fn schemathesis() -> PathBuf {
    let candidates = [
        std::env::var_os("TYNDAU_SCHEMATHESIS").map(PathBuf::from),
        Some(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../.tools/bin/schemathesis"
        ))),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("schemathesis is not installed: run scripts/test.sh (or `just test`), which installs it")
        })
}

/// Runs schemathesis against one served document, as one principal; panics with its report.
fn fuzz(base: &str, token: Option<&str>) {
    // schemathesis keeps a cache of examples in its working directory: not in the source tree.
    let workdir = std::env::temp_dir().join(format!("tyndau-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).expect("a scratch directory for schemathesis");
    let mut command = Command::new(schemathesis());
    command
        .current_dir(&workdir)
        .arg("run")
        .arg(format!("{base}/openapi.json"))
        .args(["--checks", "all"])
        // An opaque cursor or a body the domain refuses is schema-valid yet rightly a 4xx.
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args([
            "--max-examples",
            "25",
            "--seed",
            "20261122",
            "--request-timeout",
            "20",
        ])
        .env("NO_COLOR", "1")
        .env("SCHEMATHESIS_HOOKS", "");
    if let Some(token) = token {
        command.arg("-H").arg(format!("Authorization: Bearer {token}"));
    }
    let output = command.output().expect("schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "schemathesis found failures against {base}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_served_apis_hold_their_openapi_contracts() {
    let platform = TestPlatform::spawn().await;
    // Data to reach: an open petition with a signature, a draft, a rejected one.
    let open = platform.open_petition("government").await;
    assert_eq!(
        platform
            .sign(&open, &platform.citizen_token(1))
            .await
            .status
            .as_u16(),
        201
    );
    let query = platform.query_url().to_owned();
    let command = platform.command_url().to_owned();
    let citizen = platform.citizen_token(2);
    let moderator = platform.moderator_token();
    let official = platform.official_token("government");
    tokio::task::spawn_blocking(move || {
        fuzz(&query, None);
        fuzz(&command, Some(&citizen));
        fuzz(&command, Some(&moderator));
        fuzz(&command, Some(&official));
    })
    .await
    .expect("schemathesis runs finished");
    platform.shutdown().await;
}
