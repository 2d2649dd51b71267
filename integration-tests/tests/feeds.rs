//! The public Atom feeds (RFC 4287) of the web front, read as a feed reader reads them: a
//! petition's history (published, threshold, the answer with its decision and text), a
//! consultation's (opened, a new version with why it changed), a state body's, and the
//! site-wide new petitions and new answers, in each language; ids stable, text escaped, the
//! pages linking to them.

#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use atom_syndication::Feed;
use reqwest::StatusCode;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use tyndau_config::HttpSettings;
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

/// A petition title with markup and an ampersand: text in the feed, never markup.
const TITLE: &str = "Street lights <b>now</b> & for all";

async fn serve_web(platform: &TestPlatform, shutdown: &CancellationToken) -> String {
    let http = HttpSettings {
        request_timeout_ms: 30_000,
        ..HttpSettings::on(([127, 0, 0, 1], 0).into())
    };
    let router = tyndau_web::router_with(
        platform.pool().clone(),
        &http,
        &tyndau_web::SiteSettings::with_query_api(platform.query_url()),
        None,
        shutdown.child_token(),
    );
    let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(tyndau_http::serve(listener, router, shutdown.child_token()));
    url
}

async fn feed(url: &str) -> Feed {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let body = response.text().await.unwrap();
    assert!(!body.contains("<b>now</b>"), "markup in the feed: {body}");
    Feed::from_str(&body).unwrap_or_else(|e| panic!("{url} is not Atom ({e}):\n{body}"))
}

/// What RFC 4287 requires of every feed and entry, and what readers rely on.
fn well_formed(feed: &Feed) {
    assert!(feed.id().starts_with("tag:"), "{}", feed.id());
    assert!(!feed.title().value.is_empty());
    assert!(!feed.authors().is_empty());
    assert!(feed.links().iter().any(|l| l.rel() == "self"));
    let mut ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), feed.entries().len(), "entry ids repeat");
    for entry in feed.entries() {
        assert!(entry.id().starts_with("tag:"));
        assert!(!entry.title().value.is_empty());
        assert!(
            entry
                .links()
                .iter()
                .any(|l| l.rel() == "alternate" && l.href().starts_with("http"))
        );
        assert!(entry.updated() <= feed.updated());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feeds_follow_petitions_consultations_and_bodies() {
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": 2, "startup_signatures": 1 }
    }))
    .await;
    let shutdown = CancellationToken::new();
    let web = serve_web(&platform, &shutdown).await;

    // A petition that is published, reaches its threshold and is answered.
    let author = platform.citizen_token(1);
    let mut body = tyndau_testkit::petition_body("government");
    body["content"]["en"] = json!({ "title": TITLE, "text": "Dark streets.", "request": "Light them." });
    let created = platform.post("/petitions", Some(&author), Some(body)).await;
    let petition = created.expect_status(201)["petition_id"]
        .as_str()
        .unwrap()
        .to_owned();
    platform
        .post(&format!("/petitions/{petition}/submit"), Some(&author), None)
        .await
        .expect_status(200);
    platform
        .post(
            &format!("/petitions/{petition}/publish"),
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .expect_status(200);
    for n in 10..12 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 2).await;
    platform.await_answer_due(&petition).await;
    platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&platform.official_token("government")),
            Some(json!({ "decision": "partially_satisfied",
                         "text": { "kk": "Ішінара.", "ru": "Частично.", "en": "Lights in 2027 <i>only</i> on main streets." } })),
        )
        .await
        .expect_status(200);
    eventually(
        || async {
            let d = platform.get(&format!("/petitions/{petition}")).await;
            (!d.body["answer"].is_null()).then_some(())
        },
        PATIENCE,
    )
    .await;

    let en = feed(&format!("{web}/en/petitions/{petition}/feed.atom")).await;
    well_formed(&en);
    assert_eq!(en.lang(), Some("en"));
    let titles: Vec<&str> = en.entries().iter().map(|e| e.title().value.as_str()).collect();
    assert!(titles.iter().any(|t| t.ends_with(TITLE)), "{titles:?}");
    let answered = en
        .entries()
        .iter()
        .find(|e| {
            e.content()
                .and_then(|c| c.value())
                .is_some_and(|v| v.contains("Lights in 2027"))
        })
        .unwrap_or_else(|| panic!("no answer entry: {titles:?}"));
    assert_eq!(
        answered.content().and_then(|c| c.value()),
        Some("Partially granted. Lights in 2027 <i>only</i> on main streets.")
    );
    // The same history in Russian: other texts, the same number of entries, stable ids.
    let ru = feed(&format!("{web}/ru/petitions/{petition}/feed.atom")).await;
    well_formed(&ru);
    assert_eq!(ru.entries().len(), en.entries().len());
    let again = feed(&format!("{web}/en/petitions/{petition}/feed.atom")).await;
    assert_eq!(again.updated(), en.updated());
    assert_eq!(
        again.entries().iter().map(|e| e.id()).collect::<Vec<_>>(),
        en.entries().iter().map(|e| e.id()).collect::<Vec<_>>()
    );

    // Site-wide and the body's.
    for path in [
        "/kk/feeds/petitions.atom",
        "/ru/feeds/answers.atom",
        "/en/bodies/government/feed.atom",
    ] {
        let f = feed(&format!("{web}{path}")).await;
        well_formed(&f);
        assert!(
            f.entries()
                .iter()
                .any(|e| e.links().iter().any(|l| l.href().ends_with(&petition))),
            "{path} lacks the petition"
        );
    }

    // A consultation: opened, then version 2 with why a provision changed.
    let official = platform.official_token("government");
    let consultation = platform.open_consultation().await;
    platform
        .post(
            &format!("/consultations/{consultation}/versions"),
            Some(&official),
            Some(json!({
                "provisions": [{ "path": "a1", "text": { "kk": "Бірінші, өзгерген.", "ru": "Первая, изменённая." } }],
                "changes": [{ "path": "a1", "why": { "kk": "Ұсыныс бойынша.", "ru": "По предложению граждан." } }],
            })),
        )
        .await
        .expect_status(201);
    let ru = eventually(
        || async {
            let url = format!("{web}/ru/consultations/{consultation}/feed.atom");
            // Not there until the projector has it.
            if reqwest::get(&url).await.unwrap().status() != StatusCode::OK {
                return None;
            }
            let f = feed(&url).await;
            (f.entries().len() == 2).then_some(f)
        },
        PATIENCE,
    )
    .await;
    well_formed(&ru);
    let version = ru
        .entries()
        .iter()
        .find(|e| e.id().contains(":version:2:"))
        .unwrap();
    assert_eq!(
        version.content().and_then(|c| c.value()),
        Some("Положение a1: По предложению граждан.")
    );

    // Pages name their feed; unknown things have none.
    let page = reqwest::get(format!("{web}/en/petitions/{petition}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/en/petitions/{petition}/feed.atom\""
    )));
    for path in [
        format!("/en/petitions/{}/feed.atom", uuid::Uuid::now_v7()),
        format!("/en/consultations/{}/feed.atom", uuid::Uuid::now_v7()),
        "/en/bodies/ministry-of-magic/feed.atom".to_owned(),
        "/xx/feeds/answers.atom".to_owned(),
    ] {
        let status = reqwest::get(format!("{web}{path}")).await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    shutdown.cancel();
    platform.shutdown().await;
}
