//! State bodies and moderators in a real browser: `web-tests/office.mjs` (Playwright driving
//! Debian's Chromium, axe-core) signs in through the development identity provider's own pages.
//! An official drafts a consultation from pasted Kazakh and Russian text, fixes a parity error
//! and opens it; a citizen comments; the official answers, publishes a revised version after
//! seeing the re-anchoring, and — once the period has ended — publishes the outcome report. A
//! moderator publishes a petition (after a refused rejection), hides a flagged comment and
//! removes signatures after a preview; the addressed akimat answers a petition that reached its
//! threshold, another body's official cannot. Every office page passes axe in kk, ru and en;
//! the moderator and the akimat work without JavaScript.
//!
//! Chromium, node, `web-tests/node_modules` and `deploy/idp/node_modules` are required:
//! `scripts/test.sh` installs them, and a missing one fails this test with the command.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use support::Site;
use time::OffsetDateTime;
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

fn web_tests() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web-tests");
    let chromium = std::env::var("TYNDAU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} not found: apt-get install -y --no-install-recommends chromium (scripts/test.sh does it)"
    );
    assert!(
        dir.join("node_modules/playwright-core").is_dir() && dir.join("node_modules/axe-core").is_dir(),
        "web-tests/node_modules is missing: run `npm ci` in web-tests (scripts/test.sh does it)"
    );
    dir
}

/// Runs one phase of `office.mjs`; returns its output (printed: it is the test's report).
#[allow(clippy::print_stdout, clippy::print_stderr)]
async fn run(site: &Site, dir: &Path, phase: &str, vars: &[(&str, String)]) -> String {
    let mut command = tokio::process::Command::new("node");
    command
        .arg(dir.join("office.mjs"))
        .env("TYNDAU_WEB_URL", &site.web)
        .env("TYNDAU_PHASE", phase)
        .current_dir(dir)
        .kill_on_drop(true);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = tokio::time::timeout(Duration::from_secs(600), command.output())
        .await
        .expect("the browser checks finish within 10 minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "browser checks ({phase}) failed:\n{stdout}"
    );
    stdout
}

async fn submitted_petition(platform: &TestPlatform, author: u32) -> String {
    let token = platform.citizen_token(author);
    let petition = platform.draft(&token, "government").await;
    platform
        .post(&format!("/petitions/{petition}/submit"), Some(&token), None)
        .await
        .expect_status(200);
    petition
}

async fn count_of(platform: &TestPlatform, event_type: &str) -> i64 {
    tyndau_db::sqlx::query_scalar("SELECT count(*) FROM events WHERE event_type = $1")
        .bind(event_type)
        .fetch_one(platform.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn staff_work_the_back_office_in_a_real_browser() {
    let dir = web_tests();
    let site =
        Site::spawn_with(json!({ "policy": { "city_akimat_threshold": 3, "startup_signatures": 1 } })).await;
    let platform = &site.platform;

    let dir_ref = dir.as_path();
    let out = run(&site, dir_ref, "draft", &[]).await;
    let consultation = out
        .lines()
        .find_map(|l| l.strip_prefix("CONSULTATION="))
        .expect("the draft phase names its consultation")
        .trim()
        .to_owned();

    // What the moderator and the akimat will find.
    let pending = submitted_petition(platform, 1).await;
    let pending_2 = submitted_petition(platform, 2).await;
    let signed = platform.open_petition("government").await;
    for n in 10..13 {
        platform
            .sign(&signed, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    let to_answer = platform.open_petition("akimat-almaty").await;
    for n in 20..23 {
        platform
            .sign(&to_answer, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&signed, 3).await;
    platform.await_count(&to_answer, 3).await;
    let flagged_in = support::open_consultation(
        &site,
        json!([{ "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Первая статья." } }]),
    )
    .await;
    let flagged = platform
        .post(
            &format!("/consultations/{flagged_in}/comments"),
            Some(&platform.citizen_token(30)),
            Some(json!({ "language": "ru", "text": "Оскорбительный текст." })),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    platform
        .post(
            &format!("/consultations/{flagged_in}/comments/{flagged}/flags"),
            Some(&platform.citizen_token(31)),
            Some(json!({ "reason": "abusive" })),
        )
        .await
        .expect_status(201);

    // The comment period of the drafted consultation ends; the akimat's petition is due an answer.
    platform
        .scheduler()
        .tick(OffsetDateTime::now_utc() + time::Duration::days(30))
        .await
        .unwrap();
    eventually(
        || async {
            let c = platform.get(&format!("/consultations/{consultation}")).await;
            let p = platform.get(&format!("/petitions/{to_answer}")).await;
            (c.body["status"] == "closed" && !p.body["dates"]["answer_due"].is_null()).then_some(())
        },
        PATIENCE,
    )
    .await;

    run(
        &site,
        dir_ref,
        "rest",
        &[
            ("TYNDAU_CONSULTATION", consultation.clone()),
            ("TYNDAU_PENDING", pending),
            ("TYNDAU_PENDING_2", pending_2),
            ("TYNDAU_FLAGGED", format!("{flagged_in}/{flagged}")),
            ("TYNDAU_SIGNED_PETITION", signed.clone()),
            ("TYNDAU_ANSWER_PETITION", to_answer),
        ],
    )
    .await;

    // What the browsers did is in the record.
    for (event, expected) in [
        ("ConsultationDrafted", 2),
        ("DraftVersionPublished", 1),
        ("ProposalAnswered", 1),
        ("OutcomeReportPublished", 1),
        ("PetitionPublished", 3),
        ("PetitionAnswered", 1),
        ("CommentHidden", 1),
    ] {
        assert_eq!(count_of(platform, event).await, expected, "{event}");
    }
    platform.await_count(&signed, 0).await;
    site.shutdown().await;
}
