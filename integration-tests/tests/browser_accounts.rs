//! Citizens acting in a real browser: `web-tests/accounts.mjs` (Playwright driving Debian's
//! Chromium, axe-core) signs in through the development identity provider's own pages, signs
//! and withdraws, starts a petition, comments on a provision with a quote, replies, agrees,
//! finds it all on "My page" and erases their data — with JavaScript and without — and checks
//! every page a citizen acts on in Kazakh, Russian and English.
//!
//! Chromium, node, `web-tests/node_modules` and `deploy/idp/node_modules` are required:
//! `scripts/test.sh` installs them, and a missing one fails this test with the command.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use support::Site;
use tyndau_testkit::{PATIENCE, eventually};

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

async fn visible(site: &Site, path: &str) {
    eventually(
        || async { site.platform.get(path).await.status == reqwest::StatusCode::OK },
        PATIENCE,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn citizens_sign_start_comment_and_erase_in_a_real_browser() {
    let dir = web_tests();
    let site = Site::spawn().await;
    let platform = &site.platform;
    let national = platform.open_petition("government").await;
    let local = platform.open_petition("akimat-almaty").await;
    visible(&site, &format!("/petitions/{national}")).await;
    visible(&site, &format!("/petitions/{local}")).await;

    let consultation = support::open_consultation(
        &site,
        json!([
            { "path": "a1", "text": { "kk": "Бюджет жобасы интернетте 30 күн бұрын жарияланады.",
                                      "ru": "Проект бюджета публикуется в интернете за 30 дней до утверждения." } },
            { "path": "a2", "text": { "kk": "Бақылауды мәслихат жүзеге асырады.", "ru": "Контроль осуществляет маслихат." } }
        ]),
    )
    .await;
    platform
        .post(
            &format!("/consultations/{consultation}/comments"),
            Some(&platform.citizen_token(90_001)),
            Some(
                json!({ "language": "ru", "text": "Прошу публиковать проект бюджета и на казахском языке." }),
            ),
        )
        .await
        .expect_status(201);
    eventually(
        || async { platform.get(&format!("/consultations/{consultation}")).await.body["comments"] == 1 },
        PATIENCE,
    )
    .await;

    let run = tokio::process::Command::new("node")
        .arg(dir.join("accounts.mjs"))
        .env("TYNDAU_WEB_URL", &site.web)
        .env("TYNDAU_PETITION", &national)
        .env("TYNDAU_LOCAL_PETITION", &local)
        .env("TYNDAU_CONSULTATION", &consultation)
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .expect("the browser checks finish within 10 minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser checks failed:\n{stdout}");

    // What the browsers did is in the record: two signatures given and withdrawn, two petitions
    // awaiting moderation, two proposals and two replies besides the seeded one.
    platform.await_count(&national, 0).await;
    let count = |sql: &'static str| async move {
        let n: i64 = tyndau_db::sqlx::query_scalar(sql)
            .fetch_one(platform.pool())
            .await
            .unwrap();
        n
    };
    assert_eq!(
        count("SELECT count(*) FROM events WHERE event_type = 'SignatureWithdrawn'").await,
        2
    );
    // Besides the two seeded (and published) petitions, two await moderation.
    assert_eq!(
        count("SELECT count(*) FROM events WHERE event_type = 'PetitionSubmitted'").await,
        4
    );
    assert_eq!(
        count("SELECT count(*) FROM events WHERE event_type = 'PetitionPublished'").await,
        2
    );
    assert_eq!(
        count("SELECT count(*) FROM events WHERE event_type = 'PersonalDataErased'").await,
        2
    );
    eventually(
        || async { platform.get(&format!("/consultations/{consultation}")).await.body["comments"] == 5 },
        PATIENCE,
    )
    .await;
    site.shutdown().await;
}
