//! The web front in a real browser: a platform seeded through the HTTP APIs, the web router on
//! port 0, and `web-tests/check.mjs` (Playwright driving Debian's headless Chromium, plus
//! axe-core) checking every page in Kazakh, Russian and English, the live counter, the language
//! switch and keyboard navigation. A few HTTP-level checks run here first, without a browser.
//!
//! Chromium, node and `web-tests/node_modules` are required: `scripts/test.sh` installs them,
//! and a missing one fails this test with the command that installs it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio_util::sync::CancellationToken;
use tyndau_config::HttpSettings;
use tyndau_ids::Region;
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

/// The developing body of both consultations, and the addressee of a petition.
const GOVERNMENT: &str = "government";
/// Citizens numbered from here sign; the live-counter check signs as `LIVE_SIGNER`.
const SIGNERS: u32 = 40_000;
const LIVE_SIGNER: u32 = 49_999;
/// Whole-draft proposals beyond the first two: 21 in all, one more than a page of threads.
const EXTRA_PROPOSALS: u32 = 19;
const REGIONS: [Region; 5] = [
    Region::Almaty,
    Region::Astana,
    Region::Shymkent,
    Region::Karaganda,
    Region::Turkestan,
];

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What the browser run needs, checked up front so a missing piece fails with its fix.
fn browser_prerequisites() -> (PathBuf, PathBuf) {
    let chromium =
        PathBuf::from(std::env::var("TYNDAU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    assert!(
        chromium.exists(),
        "{} not found: the browser tests need Debian's chromium \
         (apt-get install -y --no-install-recommends chromium; scripts/test.sh does it)",
        chromium.display()
    );
    let node = std::process::Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "node not found: the browser tests need Node.js 18 or later (apt-get install -y nodejs npm): {node:?}"
    );
    let web_tests = repository_root().join("web-tests");
    assert!(
        web_tests.join("node_modules/playwright-core").is_dir()
            && web_tests.join("node_modules/axe-core").is_dir(),
        "web-tests/node_modules is missing: run `npm ci` in web-tests (scripts/test.sh does it)"
    );
    (chromium, web_tests)
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

fn reason(ru: &str, kk: &str) -> Value {
    json!({ "ru": ru, "kk": kk })
}

/// An open consultation by the Government with two versions, proposals, a reply and answers.
async fn consultation_with_versions(platform: &TestPlatform) -> String {
    let official = platform.official_token(GOVERNMENT);
    let created = platform
        .post(
            "/consultations",
            Some(&official),
            Some(json!({
                "content": {
                    "kk": { "title": "Жергілікті бюджеттің ашықтығы туралы заң жобасы",
                            "summary": "Бюджет жобасын жариялау тәртібі.", "explanatory_note": "Түсіндірме жазба." },
                    "ru": { "title": "Проект закона об открытости местного бюджета",
                            "summary": "Порядок публикации проекта бюджета.", "explanatory_note": "Пояснительная записка." }
                },
                "provisions": [
                    { "path": "a1", "heading": { "kk": "Жалпы ережелер", "ru": "Общие положения" },
                      "text": { "kk": "Осы Заң жергілікті бюджеттің ашықтығын реттейді.",
                                "ru": "Настоящий Закон регулирует открытость местного бюджета." } },
                    { "path": "a1.p1", "text": { "kk": "Бюджет жобасы интернетте жарияланады.",
                                                "ru": "Проект бюджета публикуется в интернете за 30 дней до утверждения." } },
                    { "path": "a2", "text": { "kk": "Бақылауды мәслихат жүзеге асырады.", "ru": "Контроль осуществляет маслихат." } }
                ]
            })),
        )
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = |rest: &str| format!("/consultations/{id}{rest}");
    let closes_at = OffsetDateTime::now_utc() + time::Duration::days(60);
    platform
        .post(
            &path("/open"),
            Some(&official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .expect_status(200);
    let on_p1 = platform
        .post(
            &path("/comments"),
            Some(&platform.citizen_token_in(SIGNERS + 900, Region::Astana)),
            Some(
                json!({ "path": "a1.p1", "quote": "публикуется в интернете", "language": "ru",
                         "text": "Тридцати дней мало: нужно не меньше 45." }),
            ),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    platform
        .post(
            &path("/comments"),
            Some(&platform.citizen_token(SIGNERS + 901)),
            Some(json!({ "language": "kk", "text": "Жоба жақсы, <b>бірақ</b> қысқа." })),
        )
        .await
        .expect_status(201);
    // Enough proposals on the whole draft for a second page of threads.
    let statuses = futures::future::join_all((0..EXTRA_PROPOSALS).map(|n| {
        let token = platform.citizen_token(SIGNERS + 1_000 + n);
        let path = path("/comments");
        async move {
            platform
                .post(
                    &path,
                    Some(&token),
                    Some(json!({ "language": "ru", "text": format!("Предложение № {n}.") })),
                )
                .await
                .status
        }
    }))
    .await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{statuses:?}");
    platform
        .post(
            &path(&format!("/comments/{on_p1}/replies")),
            Some(&platform.citizen_token(SIGNERS + 902)),
            Some(json!({ "language": "ru", "text": "Согласен, 45 дней." })),
        )
        .await
        .expect_status(201);
    platform
        .post(
            &path("/versions"),
            Some(&official),
            Some(json!({
                "provisions": [
                    { "path": "a1", "heading": { "kk": "Жалпы ережелер", "ru": "Общие положения" },
                      "text": { "kk": "Осы Заң жергілікті бюджеттің ашықтығын реттейді.",
                                "ru": "Настоящий Закон регулирует открытость местного бюджета." } },
                    { "path": "a1.p1", "text": { "kk": "Бюджет жобасы интернетте 45 күн бұрын жарияланады.",
                                                "ru": "Проект бюджета публикуется в интернете за 45 дней до утверждения." } },
                    { "path": "a2", "text": { "kk": "Бақылауды мәслихат жүзеге асырады.", "ru": "Контроль осуществляет маслихат." } }
                ],
                "changes": [ { "path": "a1.p1", "why": reason("Срок увеличен по предложениям граждан.", "Мерзім ұзартылды.") } ]
            })),
        )
        .await
        .expect_status(201);
    platform
        .post(
            &path(&format!("/comments/{on_p1}/answer")),
            Some(&official),
            Some(json!({ "disposition": "accepted", "reason": reason("Срок увеличен до 45 дней.", "Мерзім 45 күнге ұзартылды."),
                         "changed": { "version": 2, "path": "a1.p1" } })),
        )
        .await
        .expect_status(200);
    id
}

/// A Government consultation taken through closing to its published outcome report.
async fn reported_consultation(platform: &TestPlatform) -> String {
    let official = platform.official_token(GOVERNMENT);
    let created = platform
        .post(
            "/consultations",
            Some(&official),
            Some(json!({
                "content": {
                    "kk": { "title": "Ашық деректер туралы қаулы жобасы", "summary": "Деректерді жариялау.", "explanatory_note": "Жазба." },
                    "ru": { "title": "Проект постановления об открытых данных", "summary": "Публикация данных.", "explanatory_note": "Записка." },
                    "en": { "title": "Draft resolution on open data", "summary": "Publishing data.", "explanatory_note": "Note." }
                },
                "provisions": [
                    { "path": "a1", "text": { "kk": "Деректер ашық форматта жарияланады.", "ru": "Данные публикуются в открытом формате.",
                                              "en": "Data is published in an open format." } }
                ]
            })),
        )
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = |rest: &str| format!("/consultations/{id}{rest}");
    let closes_at = OffsetDateTime::now_utc() + time::Duration::days(30);
    platform
        .post(
            &path("/open"),
            Some(&official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .expect_status(200);
    let proposal = platform
        .post(
            &path("/comments"),
            Some(&platform.citizen_token_in(SIGNERS + 910, Region::Shymkent)),
            Some(json!({ "path": "a1", "language": "ru", "text": "Укажите формат CSV." })),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    platform
        .post(
            &path(&format!("/comments/{proposal}/answer")),
            Some(&official),
            Some(json!({ "disposition": "partially_accepted", "reason": reason("CSV и JSON.", "CSV және JSON.") })),
        )
        .await
        .expect_status(200);
    // Both the comment and its answer must be projected before the period closes.
    eventually(
        || async {
            let reply = platform.get(&path(&format!("/comments/{proposal}"))).await;
            reply.status == StatusCode::OK && !reply.body["comment"]["answer"].is_null()
        },
        PATIENCE,
    )
    .await;
    // Closed by the scheduler at the end of the period; nothing else is due by then.
    let report = platform
        .scheduler()
        .tick(closes_at + time::Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(report.consultations_closed, 1, "{report:?}");
    eventually(
        || async { platform.get(&path("")).await.body["status"] == "closed" },
        PATIENCE,
    )
    .await;
    platform
        .post(
            &path("/report"),
            Some(&official),
            Some(json!({ "summary": { "kk": "Қорытынды.", "ru": "Итоги обсуждения.", "en": "Outcome." } })),
        )
        .await
        .expect_status(200);
    eventually(
        || async { platform.get(&path("")).await.body["status"] == "report_published" },
        PATIENCE,
    )
    .await;
    id
}

/// A petition to the Government past its start-up gate (50 signatures from five regions: any
/// citizen may sign a national petition), listed by a scheduler tick.
async fn listed_petition(platform: &TestPlatform) -> String {
    let id = platform.open_petition(GOVERNMENT).await;
    let tokens: Vec<String> = (0..50)
        .map(|n| platform.citizen_token_in(SIGNERS + n, REGIONS[n as usize % REGIONS.len()]))
        .collect();
    let statuses = platform.sign_all(&id, tokens, 16).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{statuses:?}");
    platform.await_count(&id, 50).await;
    let report = platform
        .scheduler()
        .tick(OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(report.listed, 1, "{report:?}");
    eventually(
        || async {
            let page = platform.get("/petitions?status=open").await;
            page.body["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|p| p["id"] == id.as_str()))
        },
        PATIENCE,
    )
    .await;
    id
}

async fn serve_web(platform: &TestPlatform, shutdown: &CancellationToken) -> String {
    let http = HttpSettings {
        request_timeout_ms: 30_000,
        ..HttpSettings::on(([127, 0, 0, 1], 0).into())
    };
    let router = tyndau_web::router_with(
        platform.pool().clone(),
        &http,
        &tyndau_web::SiteSettings {
            // The verification page shows the log's address and keys.
            ledger_url: Some("http://127.0.0.1:8091".to_owned()),
            ledger_key: Some(
                tyndau_tlog::keys::generate("localhost/tyndau/ledger", tyndau_tlog::keys::KeyKind::Log).1,
            ),
            witness_key: Some(
                tyndau_tlog::keys::generate("localhost/tyndau/witness", tyndau_tlog::keys::KeyKind::Cosigner)
                    .1,
            ),
            ..tyndau_web::SiteSettings::with_query_api(platform.query_url())
        },
        None,
        shutdown.child_token(),
    );
    let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(tyndau_http::serve(listener, router, shutdown.child_token()));
    url
}

/// The read-model queries behind the home, accountability and statistics pages, on the seeded
/// data: 50 signatures in five regions to one Government petition, two Government
/// consultations with 22 visible proposals (one accepted, one partially accepted, the rest
/// unanswered).
async fn read_model_checks(platform: &TestPlatform, petition: &str) {
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let nearest = tyndau_read_model::nearest_to_threshold(pool, 5).await.unwrap();
    assert_eq!(nearest.len(), 1);
    assert_eq!(nearest[0].id.to_string(), petition);
    let fastest = tyndau_read_model::fastest_last_hour(pool, now, 5).await.unwrap();
    assert_eq!(fastest.len(), 1);
    assert_eq!(fastest[0].recent_signatures, 50);
    // An hour later, nobody has signed in the last hour.
    let later = tyndau_read_model::fastest_last_hour(pool, now + time::Duration::hours(3), 5)
        .await
        .unwrap();
    assert!(later.is_empty(), "{later:?}");
    assert!(
        tyndau_read_model::recently_answered(pool, 5)
            .await
            .unwrap()
            .is_empty()
    );
    let closing = tyndau_read_model::consultations_closing_soon(pool, now, 5)
        .await
        .unwrap();
    assert_eq!(closing.len(), 1, "only the open consultation closes ahead");

    let government: tyndau_ids::BodyId = GOVERNMENT.parse().unwrap();
    let record = tyndau_read_model::body_record(pool, &government, now)
        .await
        .unwrap();
    assert_eq!((record.petitions.addressed, record.petitions.received), (1, 0));
    assert_eq!(record.petitions.median_answer_seconds, None);
    let c = &record.consultations;
    assert_eq!(
        (
            c.held,
            c.proposals,
            c.accepted,
            c.partially_accepted,
            c.rejected,
            c.other,
            c.unanswered
        ),
        (2, 22, 1, 1, 0, 0, 20)
    );
    assert!(c.median_answer_seconds.is_some_and(|s| s >= 0.0));
    let activity = tyndau_read_model::body_activity(pool).await.unwrap();
    let row = activity.iter().find(|a| a.body == GOVERNMENT).unwrap();
    assert_eq!((row.petitions, row.received, row.consultations), (1, 0, 2));

    let regions = tyndau_read_model::participation_by_region(pool).await.unwrap();
    assert_eq!(regions.total, 50);
    assert_eq!(regions.regions.len(), 20);
    let almaty = regions
        .regions
        .iter()
        .find(|r| r.region == Region::Almaty)
        .unwrap();
    assert_eq!(almaty.count.signatures, Some(10));
    let days = tyndau_read_model::participation_by_day(
        pool,
        tyndau_web::i18n::KAZAKHSTAN,
        now - time::Duration::days(2),
    )
    .await
    .unwrap();
    assert_eq!(days.iter().map(|d| d.signatures).sum::<i64>(), 50);
}

/// What HTTP alone can tell: redirects, headers, 404 pages, escaping.
async fn http_checks(client: &reqwest::Client, web: &str, petition: &str, consultation: &str) {
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (accept, expected) in [
        (None, "/kk/"),
        (Some("ru-RU,ru;q=0.9,en;q=0.8"), "/ru/"),
        (Some("en-GB"), "/en/"),
    ] {
        let mut request = no_redirects.get(format!("{web}/"));
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        let reply = request.send().await.unwrap();
        assert!(reply.status().is_redirection(), "{accept:?}: {}", reply.status());
        assert_eq!(reply.headers()["location"], expected, "{accept:?}");
    }

    let page = client
        .get(format!("{web}/en/petitions/{petition}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("style-src 'self'")
            && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "inline script or style in the page"
    );
    assert!(html.contains(&format!("data-live-url=\"/en/petitions/{petition}/live\"")));

    for path in [
        "/en/petitions/not-a-uuid".to_owned(),
        "/en/petitions/0196a000-0000-7000-8000-000000000000".to_owned(),
        "/ru/consultations/nope".to_owned(),
        format!("/en/consultations/{consultation}?cursor=forged"),
        format!("/en/consultations/{consultation}?version=99"),
        "/en/bodies/NOT_A_BODY".to_owned(),
        "/de/".to_owned(),
        "/en/no/such/page".to_owned(),
    ] {
        let reply = client.get(format!("{web}{path}")).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
    }

    // Threads page by keyset cursor: 21 proposals are a page of 20 and a page of 1.
    let first = client
        .get(format!("{web}/en/consultations/{consultation}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let articles = |html: &str| html.matches("<article class=\"comment\"").count();
    assert_eq!(articles(&first), 20 + 1, "20 proposals and the one reply");
    let next = first
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    assert!(next.contains("cursor="), "{next}");
    let second = client.get(format!("{web}{next}")).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::OK, "{next}");
    let second = second.text().await.unwrap();
    assert_eq!(articles(&second), 1);
    assert!(!second.contains("rel=\"next\""));
    assert!(second.contains("First page"));

    // An error page is localised and its language switch keeps the path too.
    let missing = client
        .get(format!("{web}/ru/petitions/not-a-uuid"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        missing.contains("<html lang=\"ru\">") && missing.contains("Страница не найдена"),
        "{missing}"
    );
    assert!(missing.contains("href=\"/kk/petitions/not-a-uuid\""), "{missing}");

    // User text is escaped: the comment's markup arrives as text.
    let page = client
        .get(format!("{web}/kk/consultations/{consultation}?scope=draft"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Жоба жақсы,"), "the comment is missing: {page}");
    assert!(
        !page.contains("<b>бірақ</b>"),
        "the comment's markup was not escaped"
    );
    assert!(
        page.contains("&lt;b&gt;бірақ&lt;/b&gt;") || page.contains("&#60;b&#62;бірақ&#60;/b&#62;"),
        "the comment's markup is not shown as text"
    );

    // The live stream opens with the current count.
    let mut live = client
        .get(format!("{web}/en/petitions/{petition}/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    let first = tokio::time::timeout(Duration::from_secs(5), live.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let first = String::from_utf8_lossy(&first).into_owned();
    assert!(
        first.contains("event: count") && first.contains("\"signatures\":50"),
        "{first}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_web_front_in_a_browser() {
    let (chromium, web_tests) = browser_prerequisites();
    let platform = TestPlatform::spawn().await;
    let seeding = Instant::now();
    // Consultations first: closing one moves the scheduler's clock a month ahead, which must not
    // catch a petition's start-up deadline.
    let reported = reported_consultation(&platform).await;
    let consultation = consultation_with_versions(&platform).await;
    let petition = listed_petition(&platform).await;
    eventually(
        || async {
            let reply = platform.get(&format!("/consultations/{consultation}")).await;
            reply.body["current_version"] == 2 && reply.body["comments"] == 3 + EXTRA_PROPOSALS
        },
        PATIENCE,
    )
    .await;
    println!("seeding took {:?}", seeding.elapsed());

    read_model_checks(&platform, &petition).await;

    let shutdown = CancellationToken::new();
    let web = serve_web(&platform, &shutdown).await;
    http_checks(platform.client(), &web, &petition, &consultation).await;

    let pages = json!([
        { "name": "home", "path": "/",
          "heading": { "kk": "Ең көп қол қойылған", "ru": "Больше всего подписей", "en": "Most signed" } },
        { "name": "petition", "path": format!("/petitions/{petition}"),
          "heading": { "kk": "Өңірлер бойынша қолдар", "ru": "Подписи по регионам", "en": "Signatures by region" } },
        { "name": "consultation", "path": format!("/consultations/{consultation}"),
          "heading": { "kk": "Нұсқалар арасындағы өзгерістер", "ru": "Изменения между редакциями", "en": "Changes between versions" } },
        { "name": "consultation report", "path": format!("/consultations/{reported}"),
          "heading": { "kk": "Қорытынды есеп", "ru": "Итоговый отчёт", "en": "Outcome report" } },
        { "name": "bodies", "path": "/bodies",
          "heading": { "kk": "Мемлекеттік органдар", "ru": "Государственные органы", "en": "State bodies" } },
        { "name": "body", "path": "/bodies/government",
          "heading": { "kk": "Қоғамдық талқылаулар", "ru": "Общественные обсуждения", "en": "Public consultations" } },
        { "name": "statistics", "path": "/statistics",
          "heading": { "kk": "Өңірлер бойынша қатысу", "ru": "Участие по регионам", "en": "Participation by region" } },
        { "name": "verify", "path": "/verify",
          "heading": { "kk": "Журнал және оның кілттері", "ru": "Журнал и его ключи", "en": "The log and its keys" } },
        { "name": "not found", "path": "/petitions/not-a-petition", "status": 404,
          "heading": { "kk": "Бет табылмады", "ru": "Страница не найдена", "en": "Page not found" } },
    ]);
    let browsing = Instant::now();
    let output = tokio::process::Command::new("node")
        .arg("check.mjs")
        .current_dir(&web_tests)
        .env("TYNDAU_WEB_URL", &web)
        .env("TYNDAU_WEB_PAGES", pages.to_string())
        .env("TYNDAU_COMMAND_URL", platform.command_url())
        .env(
            "TYNDAU_CITIZEN_TOKEN",
            platform.citizen_token_in(LIVE_SIGNER, Region::Atyrau),
        )
        .env("TYNDAU_LIVE_PETITION", &petition)
        .env("TYNDAU_CHROMIUM", &chromium)
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs");
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    println!("the browser run took {:?}", browsing.elapsed());
    assert!(
        output.status.success(),
        "web-tests/check.mjs failed: {}",
        output.status
    );

    shutdown.cancel();
    platform.shutdown().await;
}
