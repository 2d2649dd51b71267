//! Citizens acting in the browser, through HTTP as a browser without script sends it: sign-in
//! through the real development identity provider (`deploy/idp`), signing and withdrawing,
//! starting a petition, commenting on a draft, "My page", erasure — and the attacks on all of
//! it: forged and cross-site forms, forged and ended sessions, open redirects, script in every
//! text, double submission, tokens of the wrong audience or with no signature.

#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Browser, Site, url_encode};
use time::OffsetDateTime;
use tyndau_testkit::{PATIENCE, eventually};

const COOKIE: &str = "__Host-tyndau-session";

async fn count(site: &Site, petition: &str) -> i64 {
    site.platform.public_count(petition).await.unwrap_or(0)
}

/// The page shows `raw` (markup typed by a person) as text: escaped, never as markup.
fn assert_escaped(body: &str, raw: &str) {
    let escaped = |lt: &str, gt: &str| raw.replace('<', lt).replace('>', gt);
    assert!(!body.contains(raw), "{raw} reached the page as markup:\n{body}");
    assert!(
        body.contains(&escaped("&#60;", "&#62;")) || body.contains(&escaped("&lt;", "&gt;")),
        "{raw} is not on the page:\n{body}"
    );
}

/// Waits until the petition is projected (its public page exists).
async fn visible(site: &Site, petition: &str) {
    eventually(
        || async { site.platform.get(&format!("/petitions/{petition}")).await.status == StatusCode::OK },
        PATIENCE,
    )
    .await;
}

/// Signs in and returns the session's anti-forgery token (from the header's sign-out form).
async fn signed_in(site: &Site, browser: &Browser, login: &str, return_to: &str) -> String {
    let page = browser.sign_in(&site.web, login, return_to).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.url.starts_with(&site.web), "landed on {}", page.url);
    page.input("csrf")
        .expect("a signed-in page carries the sign-out form")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_signs_in_signs_withdraws_and_finds_it_on_their_page() {
    let site = Site::spawn().await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;
    let browser = Browser::new();

    // Signed out: the petition page offers sign-in and nothing else.
    let page = browser.get(&format!("{web}/en/petitions/{petition}")).await;
    assert!(
        page.body.contains("Sign in to sign this petition"),
        "{}",
        page.body
    );
    assert!(
        browser.cookies(web).is_empty(),
        "no session for a visitor who never signs in"
    );
    assert!(page.headers["cache-control"].to_str().unwrap().contains("public"));

    // Sign in from the petition's sign link: back on the confirmation page afterwards.
    let sign_path = format!("/en/petitions/{petition}/sign");
    let page = browser.sign_in(web, "aigerim", &sign_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.url, format!("{web}{sign_path}"));
    assert!(
        page.body
            .contains("Show your name on the public list of signers?")
    );
    assert!(page.body.contains("Yes, show “Айгерим С.”"), "{}", page.body);
    assert_eq!(page.headers["cache-control"], "private, no-store");
    let cookies = browser.cookies(web);
    assert!(cookies.contains_key(COOKIE), "{cookies:?}");
    let csrf = page.input("csrf").unwrap();

    // Without a choice: the error summary, nothing signed.
    let page = browser
        .post(&format!("{web}{sign_path}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("<title>Error: Sign the petition"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"#show-name-yes\""));
    assert_eq!(count(&site, &petition).await, 0);

    // Signing: back on the petition, which says so.
    let page = browser
        .post(
            &format!("{web}{sign_path}"),
            &[("csrf", &csrf), ("show_name", "yes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.url.starts_with(&format!("{web}/en/petitions/{petition}#")),
        "{}",
        page.url
    );
    assert!(
        page.body.contains("Your signature has been added"),
        "{}",
        page.body
    );
    assert!(page.body.contains("You signed this petition on"), "{}", page.body);
    site.platform.await_count(&petition, 1).await;
    let signers = eventually(
        || async {
            let list = site.platform.get(&format!("/petitions/{petition}/signers")).await;
            (list.body["shown"] == 1).then_some(list.body)
        },
        PATIENCE,
    )
    .await;
    assert_eq!(signers["items"][0]["display_name"], "Айгерим С.");

    // A second post of the same form (a double click): still one signature.
    let again = browser
        .post(
            &format!("{web}{sign_path}"),
            &[("csrf", &csrf), ("show_name", "yes")],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(count(&site, &petition).await, 1);

    // My page lists it, with a way to withdraw and the receipt for the public log (its JSON,
    // escaped as HTML), linking to how to check it.
    let me = browser.get(&format!("{web}/en/me")).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(
        me.body.contains(&format!("/en/petitions/{petition}/withdraw")),
        "{}",
        me.body
    );
    assert!(me.body.contains("Receipt for the public log"), "{}", me.body);
    assert!(me.body.contains("&#34;leaf_hash&#34;:&#34;"), "{}", me.body);
    assert!(me.body.contains("href=\"/en/verify\""), "{}", me.body);

    // Withdrawing: a confirmation, then the page says so and the count goes down.
    let page = browser
        .get(&format!("{web}/en/petitions/{petition}/withdraw"))
        .await;
    assert!(page.body.contains("Withdraw your signature?"));
    let page = browser
        .post(
            &format!("{web}/en/petitions/{petition}/withdraw"),
            &[("csrf", &csrf)],
        )
        .await;
    assert!(
        page.body.contains("Your signature has been withdrawn"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("You withdrew your signature on"),
        "{}",
        page.body
    );
    site.platform.await_count(&petition, 0).await;

    // Signing out ends the session here and at the provider.
    let page = browser
        .request(
            Method::POST,
            &format!("{web}/auth/logout"),
            Some(&[("csrf", &csrf), ("lang", "en")]),
            &[("origin", web), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let to_idp = page.location.unwrap();
    assert!(to_idp.starts_with(&site.idp), "{to_idp}");
    assert!(to_idp.contains("id_token_hint=") && to_idp.contains("post_logout_redirect_uri="));
    // The provider asks to confirm (a form, no script needed), then sends the browser back.
    let confirm = browser.get(&to_idp).await;
    let action = confirm
        .form_action_containing("name=\"logout\"")
        .expect("a logout form");
    let action = reqwest::Url::parse(&confirm.url)
        .unwrap()
        .join(&action)
        .unwrap()
        .to_string();
    let xsrf = confirm.input("xsrf").unwrap_or_default();
    let back = browser.post(&action, &[("xsrf", &xsrf), ("logout", "yes")]).await;
    assert!(
        back.url.starts_with(web),
        "back on the site after signing out: {}",
        back.url
    );
    let page = browser.get(&format!("{web}/en/me")).await;
    assert!(
        page.url.starts_with(&site.idp),
        "signed out: My page needs sign-in again"
    );
    assert!(
        page.body.contains("name=\"password\""),
        "at the provider's sign-in page"
    );
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refusals_are_translated_and_keep_the_form() {
    let site = Site::spawn().await;
    let local = site.platform.open_petition("akimat-almaty").await;
    visible(&site, &local).await;
    let web = &site.web;

    // A sixteen-year-old in Almaty region.
    let minor = Browser::new();
    let csrf = signed_in(&site, &minor, "dana", "/ru/").await;
    let page = minor
        .post(
            &format!("{web}/ru/petitions/{local}/sign"),
            &[("csrf", &csrf), ("show_name", "no")],
        )
        .await;
    // The command API's status (403: not eligible) comes through; the form is shown again.
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(
        page.body.contains("Подписывать петиции можно с 18 лет."),
        "{}",
        page.body
    );
    assert!(page.body.contains("Есть проблема"));

    // A citizen of Shymkent on an Almaty city petition.
    let elsewhere = Browser::new();
    let csrf = signed_in(&site, &elsewhere, "olga", "/en/").await;
    let page = elsewhere
        .post(
            &format!("{web}/en/petitions/{local}/sign"),
            &[("csrf", &csrf), ("show_name", "no")],
        )
        .await;
    assert!(
        page.body.contains("Signing is open to residents of Almaty only."),
        "{}",
        page.body
    );
    assert_eq!(count(&site, &local).await, 0);

    // Staff cannot sign: the page says so instead of offering the form.
    let staff = Browser::new();
    signed_in(&site, &staff, "timur", "/en/").await;
    let page = staff.get(&format!("{web}/en/petitions/{local}/sign")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Only citizens can do this"));
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_and_cross_site_forms_change_nothing() {
    let site = Site::spawn().await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;
    let sign = format!("{web}/en/petitions/{petition}/sign");
    let alice = Browser::new();
    let alice_csrf = signed_in(&site, &alice, "aigerim", "/en/").await;
    let bob = Browser::new();
    let bob_csrf = signed_in(&site, &bob, "nurlan", "/en/").await;
    assert_ne!(alice_csrf, bob_csrf);

    // No token, another session's token, another origin, a cross-site fetch.
    type Pairs<'a> = Vec<(&'a str, &'a str)>;
    let attempts: Vec<(&str, Pairs<'_>, Pairs<'_>)> = vec![
        ("no token", vec![("show_name", "no")], vec![]),
        (
            "another session's token",
            vec![("csrf", &bob_csrf), ("show_name", "no")],
            vec![],
        ),
        (
            "from another origin",
            vec![("csrf", &alice_csrf), ("show_name", "no")],
            vec![("origin", "https://evil.example")],
        ),
        (
            "a cross-site request",
            vec![("csrf", &alice_csrf), ("show_name", "no")],
            vec![("sec-fetch-site", "cross-site")],
        ),
        (
            "an opaque origin",
            vec![("csrf", &alice_csrf), ("show_name", "no")],
            vec![("origin", "null")],
        ),
    ];
    for (what, fields, headers) in attempts {
        let page = alice.request(Method::POST, &sign, Some(&fields), &headers).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}: {}", page.body);
        assert!(page.body.contains("This form cannot be accepted"), "{what}");
    }
    // The same on the other forms: withdrawal, erasure, a new petition, sign-out.
    for path in [
        format!("/en/petitions/{petition}/withdraw"),
        "/en/me/erase".to_owned(),
        "/en/petitions/new".to_owned(),
        "/auth/logout".to_owned(),
    ] {
        let page = alice
            .request(
                Method::POST,
                &format!("{web}{path}"),
                Some(&[("csrf", "forged")]),
                &[],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(count(&site, &petition).await, 0);
    let events: i64 =
        tyndau_db::sqlx::query_scalar("SELECT count(*) FROM events WHERE aggregate_type = 'signature'")
            .fetch_one(site.platform.pool())
            .await
            .unwrap();
    assert_eq!(events, 0, "no forged form reached the command API");
    // Alice is still signed in after all that (a refused form does not end the session).
    let page = alice.get(&format!("{web}/en/me")).await;
    assert_eq!(page.status, StatusCode::OK);
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_ended_and_signed_out_sessions_are_signed_out() {
    let site = Site::spawn().await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;

    // A cookie the server never issued: signed out.
    let forger = Browser::new();
    forger.set_cookie(web, COOKIE, "AAAAAAAAAAAAAAAAAAAAAA");
    let page = forger.get(&format!("{web}/en/petitions/{petition}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sign in to sign this petition"));
    let page = forger
        .request(
            Method::POST,
            &format!("{web}/en/petitions/{petition}/sign"),
            Some(&[("csrf", "x")]),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.location.unwrap().contains("/auth/login"),
        "a post without a session goes to sign-in"
    );

    // After sign-out the old cookie is worth nothing, even with its old anti-forgery token.
    let browser = Browser::new();
    let csrf = signed_in(&site, &browser, "aigerim", "/en/").await;
    let old = browser.cookies(web)[COOKIE].clone();
    let out = browser
        .request(
            Method::POST,
            &format!("{web}/auth/logout"),
            Some(&[("csrf", &csrf), ("lang", "en")]),
            &[],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let replay = Browser::new();
    replay.set_cookie(web, COOKIE, &old);
    let page = replay
        .request(
            Method::POST,
            &format!("{web}/en/petitions/{petition}/sign"),
            Some(&[("csrf", &csrf), ("show_name", "no")]),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location.unwrap().contains("/auth/login"));
    assert_eq!(count(&site, &petition).await, 0);

    // The id changes at sign-in: a cookie planted before sign-in is not the signed-in one.
    let planted = Browser::new();
    let _ = planted
        .request(
            Method::GET,
            &format!("{web}/auth/login?return_to=/en/"),
            None,
            &[],
        )
        .await;
    let before = planted.cookies(web)[COOKIE].clone();
    planted.sign_in(web, "nurlan", "/en/").await;
    assert_ne!(
        planted.cookies(web)[COOKIE],
        before,
        "the session id is replaced at sign-in"
    );
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn return_paths_stay_on_the_site_and_callbacks_are_single_use() {
    let site = Site::spawn().await;
    let web = &site.web;
    for evil in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
    ] {
        let browser = Browser::new();
        let page = browser.sign_in(web, "aigerim", evil).await;
        assert!(page.url.starts_with(web), "{evil} → {}", page.url);
        assert_eq!(
            reqwest::Url::parse(&page.url).unwrap().path(),
            "/kk/",
            "{evil} lands on the home page"
        );
    }

    // A callback without the state this browser's session expects is refused; so is a replay.
    let browser = Browser::new();
    let start = browser
        .request(
            Method::GET,
            &format!("{web}/auth/login?return_to=/en/"),
            None,
            &[],
        )
        .await;
    let authorize = start.location.unwrap();
    let state = reqwest::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let forged = browser
        .request(
            Method::GET,
            &format!("{web}/auth/callback?code=abc&state=not-{}", url_encode(&state)),
            None,
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    // The attempt was spent by the forged callback: the right state no longer works either.
    let replay = browser
        .request(
            Method::GET,
            &format!("{web}/auth/callback?code=abc&state={}", url_encode(&state)),
            None,
            &[],
        )
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tokens_of_another_audience_or_without_a_signature_are_refused() {
    let site = Site::spawn().await;
    let oidc = site.accounts.oidc();
    let signer = site.platform.signer();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let claims = |aud: &str| {
        json!({ "iss": site.idp, "aud": aud, "sub": "s1", "exp": now + 600, "nbf": now, "iat": now,
                "roles": ["citizen"], "iin": "900101300017", "region": "almaty", "nonce": "n" })
    };
    let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": site.kid() });
    let good = signer
        .sign_parts(&header, &claims(tyndau_testkit::AUDIENCE))
        .unwrap();
    assert!(
        oidc.verify_access_token(&good).is_ok(),
        "the control token passes"
    );
    let other = signer.sign_parts(&header, &claims("someone-else")).unwrap();
    assert!(oidc.verify_access_token(&other).is_err(), "another audience");
    let none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&claims(tyndau_testkit::AUDIENCE))
    );
    assert!(oidc.verify_access_token(&none).is_err(), "alg none");
    // ID tokens: for this client only, signed, with the nonce of the sign-in.
    let id_good = signer.sign_parts(&header, &claims(support::CLIENT_ID)).unwrap();
    assert!(
        oidc.verify_id_token(&id_good, "n").is_ok(),
        "the control ID token passes"
    );
    assert!(
        oidc.verify_id_token(&id_good, "other-nonce").is_err(),
        "another sign-in's nonce"
    );
    let id_other = signer.sign_parts(&header, &claims("another-client")).unwrap();
    assert!(oidc.verify_id_token(&id_other, "n").is_err(), "another audience");
    let id_none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&claims(support::CLIENT_ID))
    );
    assert!(oidc.verify_id_token(&id_none, "n").is_err(), "alg none");
    site.shutdown().await;
}

fn b64(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_starts_a_petition_and_script_in_it_stays_text() {
    let site = Site::spawn().await;
    let web = &site.web;
    let browser = Browser::new();
    let page = browser.sign_in(web, "aigerim", "/en/petitions/new").await;
    assert!(
        page.body.contains("Who should answer your petition?"),
        "{}",
        page.body
    );
    let csrf = page.input("csrf").unwrap();
    let key = page.input("key").unwrap();
    let new = format!("{web}/en/petitions/new");

    // The addressee first; what follows from it is shown.
    let page = browser
        .post(
            &new,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("step", "addressee"),
                ("addressee", "akimat-almaty"),
            ],
        )
        .await;
    assert!(page.body.contains("2,500 signatures are needed"), "{}", page.body);
    assert!(
        page.body
            .contains("Residents of Almaty aged 18 or over can sign.")
    );
    assert!(page.body.contains("within 20 working days"));

    // Empty texts: every field's error, linked from the summary, input kept.
    let page = browser
        .post(
            &new,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("step", "texts"),
                ("addressee", "akimat-almaty"),
                ("language", "ru"),
                ("title", "Тротуары"),
                ("request", ""),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#request\"") && page.body.contains("href=\"#text\""));
    assert!(page.body.contains("value=\"Тротуары\""), "input kept");

    let title = "<script>alert('t')</script> Тротуары";
    let fields = |step: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("key", key.clone()),
            ("step", step.to_owned()),
            ("addressee", "akimat-almaty".to_owned()),
            ("language", "ru".to_owned()),
            ("title", title.to_owned()),
            ("request", "Отремонтировать тротуары <b>на Абая</b>.".to_owned()),
            ("text", "Тротуары разрушены \"давно\" & опасны.".to_owned()),
        ]
    };
    let post = |step: &'static str| {
        let fields = fields(step);
        let browser = &browser;
        let new = new.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(&new, &refs).await
        }
    };
    let check = post("texts").await;
    assert!(
        check.body.contains("Check your petition before you send it"),
        "{}",
        check.body
    );
    assert_escaped(&check.body, "<script>alert");

    // Submitting twice (a double click or a reload) drafts one petition.
    let sent = post("submit").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.url.ends_with("/sent"), "{}", sent.url);
    assert!(sent.body.contains("Your petition has been sent for moderation"));
    let again = post("submit").await;
    assert_eq!(again.url, sent.url);
    let drafted: i64 = tyndau_db::sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE aggregate_type = 'petition' AND event_type = 'PetitionDrafted'",
    )
    .fetch_one(site.platform.pool())
    .await
    .unwrap();
    assert_eq!(drafted, 1);
    // Stored as written.
    let stored: String = tyndau_db::sqlx::query_scalar(
        "SELECT payload::text FROM events WHERE event_type = 'PetitionDrafted'",
    )
    .fetch_one(site.platform.pool())
    .await
    .unwrap();
    assert!(stored.contains("<script>alert('t')</script>"), "{stored}");

    // My page follows it: awaiting moderation, with the title escaped.
    let me = eventually(
        || async {
            let me = browser.get(&format!("{web}/en/me")).await;
            me.body.contains("Awaiting moderation").then_some(me)
        },
        PATIENCE,
    )
    .await;
    assert_escaped(&me.body, "<script>alert");

    // Rejected by a moderator: the reason code and explanation on My page.
    let petition = sent.url.rsplit('/').nth(1).unwrap().to_owned();
    site.platform
        .post(
            &format!("/petitions/{petition}/reject"),
            Some(&site.platform.moderator_token()),
            Some(json!({ "reason": "wrong_addressee", "explanation": "Это вопрос маслихата." })),
        )
        .await
        .expect_status(200);
    let me = eventually(
        || async {
            let me = browser.get(&format!("{web}/en/me")).await;
            me.body.contains("Это вопрос маслихата.").then_some(me)
        },
        PATIENCE,
    )
    .await;
    assert!(me.body.contains("Rejected"), "{}", me.body);
    site.shutdown().await;
}

/// An open consultation by the Government with one provision to comment on.
async fn open_consultation(site: &Site) -> String {
    support::open_consultation(
        site,
        json!([{ "path": "a1", "text": { "kk": "Бюджет жобасы интернетте жарияланады.",
                                         "ru": "Проект бюджета публикуется в интернете за 30 дней до утверждения." } }]),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_comments_quotes_replies_agrees_reports_and_edits() {
    let site = Site::spawn().await;
    let id = open_consultation(&site).await;
    let web = &site.web;
    let base = format!("{web}/ru/consultations/{id}");

    let author = Browser::new();
    let page = author
        .sign_in(web, "aigerim", &format!("/ru/consultations/{id}/comment?path=a1"))
        .await;
    assert!(
        page.body.contains("Проект бюджета публикуется в интернете"),
        "{}",
        page.body
    );
    let csrf = page.input("csrf").unwrap();
    // A quote that is not in the provision: refused, the text kept, the quote field marked.
    let page = author
        .post(
            &format!("{base}/comment"),
            &[
                ("csrf", &csrf),
                ("path", "a1"),
                ("quote", "нет таких слов"),
                ("language", "ru"),
                ("text", "Срок <i>мал</i>."),
            ],
        )
        .await;
    assert!(page.status.is_client_error(), "{}: {}", page.status, page.body);
    assert!(page.body.contains("href=\"#quote\""));
    assert_escaped(&page.body, "Срок <i>мал</i>.");
    let page = author
        .post(
            &format!("{base}/comment"),
            &[
                ("csrf", &csrf),
                ("path", "a1"),
                ("quote", "за 30 дней"),
                ("language", "ru"),
                ("text", "Срок <i>мал</i>: нужно 45 дней."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Ваш комментарий опубликован"), "{}", page.body);
    assert_escaped(&page.body, "Срок <i>мал</i>: нужно 45 дней.");
    assert!(page.body.contains("за 30 дней"), "the quote is shown");
    let proposal: String = tyndau_db::sqlx::query_scalar(
        "SELECT comment_id::text FROM consultation_comments WHERE consultation_id = $1::uuid AND depth = 0",
    )
    .bind(&id)
    .fetch_one(site.platform.pool())
    .await
    .unwrap();
    // The author may edit (no reply yet), and takes no stance on their own comment.
    assert!(page.body.contains(&format!("comments/{proposal}/edit")));
    assert!(!page.body.contains(&format!("comments/{proposal}/stance")));

    // Another citizen agrees, replies and reports it.
    let other = Browser::new();
    let page = other
        .sign_in(web, "nurlan", &format!("/ru/consultations/{id}"))
        .await;
    let csrf2 = page.input("csrf").unwrap();
    let stance = format!("{base}/comments/{proposal}/stance");
    let page = other
        .post(&stance, &[("csrf", &csrf2), ("stance", "agree")])
        .await;
    assert!(page.body.contains("Ваше мнение учтено"), "{}", page.body);
    eventually(
        || async {
            let c = site
                .platform
                .get(&format!("/consultations/{id}/comments/{proposal}"))
                .await;
            c.body["comment"]["agree"] == 1
        },
        PATIENCE,
    )
    .await;
    let page = other
        .post(
            &format!("{base}/comments/{proposal}/reply"),
            &[("csrf", &csrf2), ("language", "ru"), ("text", "Поддерживаю.")],
        )
        .await;
    assert!(page.body.contains("Ваш ответ опубликован"), "{}", page.body);
    assert!(page.body.contains("Поддерживаю."));
    let page = other
        .post(&format!("{base}/comments/{proposal}/flag"), &[("csrf", &csrf2)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "no reason chosen");
    let page = other
        .post(
            &format!("{base}/comments/{proposal}/flag"),
            &[("csrf", &csrf2), ("reason", "off_topic")],
        )
        .await;
    assert!(
        page.body.contains("Спасибо. Модераторы посмотрят"),
        "{}",
        page.body
    );

    // Now that it has a reply, the author can no longer edit: the refusal says why.
    let page = author
        .post(
            &format!("{base}/comments/{proposal}/edit"),
            &[
                ("csrf", &csrf),
                ("language", "ru"),
                ("text", "Срок мал: нужно 60 дней."),
            ],
        )
        .await;
    assert!(page.body.contains("На комментарий уже ответили"), "{}", page.body);

    // My page: the comment, awaiting the body's answer.
    let me = author.get(&format!("{web}/ru/me")).await;
    assert_escaped(&me.body, "Срок <i>мал</i>: нужно 45 дней.");
    assert!(me.body.contains("Ожидает ответа государственного органа"));
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn erasure_removes_the_name_and_keeps_the_count() {
    let site = Site::spawn().await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;
    let browser = Browser::new();
    let csrf = signed_in(&site, &browser, "aigerim", "/en/").await;
    browser
        .post(
            &format!("{web}/en/petitions/{petition}/sign"),
            &[("csrf", &csrf), ("show_name", "yes")],
        )
        .await;
    site.platform.await_count(&petition, 1).await;
    let page = browser.get(&format!("{web}/en/me/erase")).await;
    assert!(page.body.contains("Erase your personal data?"));
    let page = browser
        .post(&format!("{web}/en/me/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Your personal data has been erased (1 name made unreadable)"),
        "{}",
        page.body
    );
    let signers = eventually(
        || async {
            let list = site.platform.get(&format!("/petitions/{petition}/signers")).await;
            (list.body["shown"] == 0).then_some(list.body)
        },
        PATIENCE,
    )
    .await;
    assert_eq!(signers["signatures"], 1, "the signature still counts");
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_signer_reads_on_their_page_what_came_of_the_petition() {
    let site =
        Site::spawn_with(json!({ "policy": { "government_threshold": 1, "startup_signatures": 1 } })).await;
    site.platform.start_notifier().await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;
    let browser = Browser::new();
    let csrf = signed_in(
        &site,
        &browser,
        "aigerim",
        &format!("/en/petitions/{petition}/sign"),
    )
    .await;
    let page = browser
        .post(
            &format!("{web}/en/petitions/{petition}/sign"),
            &[("csrf", &csrf), ("show_name", "no")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    site.platform.await_count(&petition, 1).await;
    site.platform.await_answer_due(&petition).await;
    site.platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&site.platform.official_token("government")),
            Some(json!({ "decision": "refused", "text": { "kk": "Жоқ.", "ru": "Нет, потому что бюджет исчерпан." } })),
        )
        .await
        .expect_status(200);
    let me = format!("{web}/en/me");
    let page = eventually(
        || async {
            let page = browser.get(&me).await;
            page.body.contains("has been answered: Refused").then_some(page)
        },
        PATIENCE,
    )
    .await;
    assert!(page.body.contains("2 unread"), "{}", page.body);
    assert!(page.body.contains("reached its threshold"), "{}", page.body);
    let up_to = page.input("up_to").expect("a mark-all-read form");
    // A forged post marks nothing.
    let forged = browser
        .post(
            &format!("{web}/en/me/notifications/read"),
            &[("csrf", "forged"), ("up_to", &up_to)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(browser.get(&me).await.body.contains("2 unread"));
    let page = browser
        .post(
            &format!("{web}/en/me/notifications/read"),
            &[("csrf", &csrf), ("up_to", &up_to)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("marked as read"), "{}", page.body);
    assert!(!page.body.contains("unread"), "{}", page.body);
    assert!(page.body.contains("has been answered: Refused"));
    site.shutdown().await;
}

/// The raw message's plain-text part and subject, decoded.
fn read_mail(message: &str) -> (String, String) {
    let raw = message.split_once('\n').map_or(message, |(_, rest)| rest);
    let parsed = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap();
    (
        parsed.subject().unwrap_or_default().to_owned(),
        parsed.body_text(0).unwrap_or_default().into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_gets_the_answer_by_email_follows_a_body_and_stops_it_in_one_click() {
    let site =
        Site::spawn_with(json!({ "policy": { "government_threshold": 1, "startup_signatures": 1 } })).await;
    site.platform.start_notifier().await;
    let mailbox = tyndau_testkit::Mailbox::start_with(Some("^refused@"), None).await;
    site.platform.start_mailer(&mailbox, &site.web, json!({})).await;
    let petition = site.platform.open_petition("government").await;
    visible(&site, &petition).await;
    let web = &site.web;
    let browser = Browser::new();
    let settings = format!("{web}/ru/me/notifications/settings");
    let csrf = signed_in(&site, &browser, "aigerim", "/ru/me/notifications/settings").await;
    // Signing in set the first settings: the provider's verified address, the sign-in's language.
    let first = browser.get(&settings).await;
    assert_eq!(
        first.input("email").as_deref(),
        Some("aigerim@demo.tyndau.localhost"),
        "{}",
        first.body
    );
    assert!(first.body.contains("value=\"ru\" checked"), "{}", first.body);

    // A wrong address: refused at its field, what was typed kept, nothing saved.
    let page = browser
        .post(
            &settings,
            &[
                ("csrf", &csrf),
                ("email", "aigerim at example"),
                ("language", "ru"),
                ("frequency", "immediate"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(
        page.body.contains("href=\"#email\""),
        "the error links to the field: {}",
        page.body
    );
    assert_eq!(page.input("email").as_deref(), Some("aigerim at example"));
    // A forged post saves nothing.
    let forged = browser
        .post(
            &settings,
            &[
                ("csrf", "forged"),
                ("email", "x@example.test"),
                ("language", "ru"),
                ("frequency", "immediate"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = browser
        .post(
            &settings,
            &[
                ("csrf", &csrf),
                ("email", "aigerim@example.test"),
                ("language", "ru"),
                ("frequency", "immediate"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Настройки уведомлений сохранены"),
        "{}",
        page.body
    );
    assert_eq!(page.input("email").as_deref(), Some("aigerim@example.test"));

    // Follow the Government from its page.
    let body_page = browser.get(&format!("{web}/ru/bodies/government")).await;
    assert!(
        body_page.body.contains("value=\"body:government\""),
        "{}",
        body_page.body
    );
    let page = browser
        .post(
            &format!("{web}/ru/me/subscriptions"),
            &[
                ("csrf", &csrf),
                ("subject", "body:government"),
                ("choice", "follow"),
                ("back", "/ru/bodies/government"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.url.ends_with("/ru/bodies/government"), "{}", page.url);
    assert!(page.body.contains("Теперь вы следите"), "{}", page.body);
    // Back only to this site.
    let away = browser
        .request(
            Method::POST,
            &format!("{web}/ru/me/subscriptions"),
            Some(&[
                ("csrf", csrf.as_str()),
                ("subject", "body:government"),
                ("choice", "follow"),
                ("back", "//evil.example/"),
            ]),
            &[("origin", web.as_str()), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert!(
        away.location
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{web}/ru/"))),
        "{:?}",
        away.location
    );

    // Sign, reach the threshold, get the answer: by email, in Russian.
    let page = browser
        .post(
            &format!("{web}/ru/petitions/{petition}/sign"),
            &[("csrf", &csrf), ("show_name", "no")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    site.platform.await_count(&petition, 1).await;
    site.platform.await_answer_due(&petition).await;
    site.platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&site.platform.official_token("government")),
            Some(json!({ "decision": "satisfied", "text": { "kk": "Иә.", "ru": "Да." } })),
        )
        .await
        .expect_status(200);
    let answered = eventually(
        || async {
            mailbox
                .messages_to("aigerim@example.test")
                .into_iter()
                .find(|m| read_mail(m).0.starts_with("На петицию"))
        },
        PATIENCE,
    )
    .await;
    let (_, text) = read_mail(&answered);
    assert!(text.contains("Решение: удовлетворена."), "{text}");
    assert!(text.contains(&format!("{web}/ru/petitions/{petition}")), "{text}");

    // One click, as a mail client does it (RFC 8058): no session, no form token.
    let link = answered
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .and_then(|l| l.strip_suffix('>'))
        .unwrap()
        .to_owned();
    let scanner = Browser::new();
    let confirm = scanner.get(&link).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.body.contains("Отписаться"),
        "a GET only asks: {}",
        confirm.body
    );
    let mail_client = Browser::new();
    let done = mail_client
        .post(&link, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("таких писем больше не будет"), "{}", done.body);
    let again = mail_client
        .post(&link, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert!(again.body.contains("уже использована"), "{}", again.body);
    let forged = mail_client
        .post(&format!("{web}/ru/unsubscribe?t=forged"), &[])
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);

    // The settings page says what is stopped and what is followed.
    let page = browser.get(&settings).await;
    assert!(page.body.contains("остановлено"), "{}", page.body);
    assert!(page.body.contains("вы следите"), "{}", page.body);

    // A webhook endpoint from the same page: a bad address refused at its field, then added,
    // its secret shown once; then deleted.
    let page = browser
        .post(
            &format!("{web}/ru/me/webhooks"),
            &[("csrf", &csrf), ("url", "ftp://example.org/x"), ("topics", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("href=\"#webhook-url\""), "{}", page.body);
    assert!(
        page.body.contains("ftp://example.org/x"),
        "what was typed stays: {}",
        page.body
    );
    let page = browser
        .post(
            &format!("{web}/ru/me/webhooks"),
            &[
                ("csrf", &csrf),
                ("url", "https://news.example.kz/tyndau"),
                ("topics", "body:government"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("whsec_"), "the secret, once: {}", page.body);
    let again = browser.get(&settings).await;
    assert!(again.body.contains("https://news.example.kz/tyndau") && !again.body.contains("whsec_"));
    let delete = again.form_action_containing("/delete").expect("a delete button");
    let page = browser.post(&format!("{web}{delete}"), &[("csrf", &csrf)]).await;
    assert!(
        page.body.contains("Адрес удалён") && !page.body.contains("news.example.kz"),
        "{}",
        page.body
    );

    // An address its server refuses: mail stops, and My page says why.
    let page = browser
        .post(
            &settings,
            &[
                ("csrf", &csrf),
                ("email", "refused@example.test"),
                ("language", "ru"),
                ("frequency", "immediate"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    site.platform.open_consultation().await;
    let me = eventually(
        || async {
            let page = browser.get(&format!("{web}/ru/me")).await;
            page.body.contains("ответ 550").then_some(page)
        },
        PATIENCE,
    )
    .await;
    assert!(me.body.contains("перестали писать"), "{}", me.body);
    site.shutdown().await;
}
