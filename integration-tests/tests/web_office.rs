//! State bodies and moderators in the back office, through HTTP as a browser without script
//! sends it, signed in through the real development identity provider: an official takes a
//! draft law from pasted text to a published outcome report; a petition is moderated, reaches
//! its threshold and is answered by its addressee only; a moderator hides a flagged comment and
//! removes signatures after a preview; an administrator reads the audit trail. And the bad
//! input of each: unparseable numbering, a provision in one language only, a report with
//! unanswered proposals, answers without reasons, another body's work, forged forms, markup.

#![allow(clippy::unwrap_used)]

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Browser, Page, Site};
use time::OffsetDateTime;
use tyndau_testkit::{PATIENCE, eventually};

const KK: &str = "\
Қазақстан Республикасының Заңы

1-бап. Мақсаты
Осы Заң бюджеттің ашықтығын айқындайды.

2-бап. Жариялау
1. Бюджет жобасы интернетте жарияланады.
2. Азаматтар ұсыныс бере алады:
1) жазбаша;
2) электрондық түрде.

3-бап. Күшіне ену
1. Осы Заң ресми жарияланған күнінен бастап күшіне енеді.
";

/// A change note typed beside the diff of a new version.
const WHY: &str = "Срок увеличен по предложениям граждан.";

const RU: &str = "\
Закон Республики Казахстан

Статья 1. Цель
Настоящий Закон определяет открытость бюджета.

Статья 2. Опубликование
1. Проект бюджета публикуется в интернете.
2. Граждане вправе вносить предложения:
1) письменно;
2) в электронной форме.

Статья 3. Вступление в силу
1. Настоящий Закон вводится в действие со дня официального опубликования.
";

/// Signs in and returns the landing page and the session's anti-forgery token.
async fn signed_in(site: &Site, browser: &Browser, login: &str, return_to: &str) -> (Page, String) {
    let page = browser.sign_in(&site.web, login, return_to).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page
        .input("csrf")
        .expect("a signed-in page carries the sign-out form");
    (page, csrf)
}

fn draft_fields<'a>(csrf: &'a str, step: &'a str, kk: &'a str, ru: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("step", step),
        ("title_kk", "Бюджеттің ашықтығы туралы заң жобасы"),
        (
            "title_ru",
            "Проект закона об открытости бюджета <script>alert(1)</script>",
        ),
        ("summary_kk", "Қысқаша мазмұны."),
        ("summary_ru", "Краткое содержание."),
        ("note_kk", "Түсіндірме жазба."),
        ("note_ru", "Пояснительная записка."),
        ("draft_kk", kk),
        ("draft_ru", ru),
    ]
}

async fn office_consultations(site: &Site) -> Vec<tyndau_read_model::office::OfficeConsultation> {
    tyndau_read_model::office::consultations_of(site.platform.pool(), &"government".parse().unwrap())
        .await
        .unwrap()
}

/// Waits until the read model has the consultation in `status`.
async fn consultation_status(site: &Site, id: &str, status: &str) {
    let id: tyndau_ids::ConsultationId = id.parse().unwrap();
    eventually(
        || async {
            let c = tyndau_read_model::office::consultation(site.platform.pool(), id)
                .await
                .unwrap();
            c.filter(|c| c.status == status).map(|_| ())
        },
        PATIENCE,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_official_takes_a_draft_from_pasted_text_to_a_published_report() {
    let site = Site::spawn().await;
    let web = &site.web;
    let browser = Browser::new();
    let (desk, csrf) = signed_in(&site, &browser, "erlan", "/en/").await;
    // Staff land on their desk, not the public home page.
    assert_eq!(desk.url, format!("{web}/en/office"), "{}", desk.body);
    assert!(desk.body.contains("Your consultations"), "{}", desk.body);

    let new = format!("{web}/en/office/consultations/new");
    // Numbering that cannot be read: the page points at the line; nothing is saved.
    let broken = RU.replace("Статья 3.", "Статья 5.");
    let page = browser
        .post_multipart(&new, &draft_fields(&csrf, "save", KK, &broken), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("Line 12"), "{}", page.body);
    assert!(office_consultations(&site).await.is_empty());

    // A provision in one language only: listed, and no save button.
    let short_ru = RU.replace(
        "2. Граждане вправе вносить предложения:\n1) письменно;\n2) в электронной форме.\n",
        "",
    );
    let page = browser
        .post_multipart(&new, &draft_fields(&csrf, "check", KK, &short_ru), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Missing in one language"), "{}", page.body);
    assert!(page.body.contains("a2.p2: missing in Russian"), "{}", page.body);
    assert!(!page.body.contains("value=\"save\""));
    let page = browser
        .post_multipart(&new, &draft_fields(&csrf, "save", KK, &short_ru), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(office_consultations(&site).await.is_empty());

    // Fixed (the Russian text uploaded as a file this time): checked, shown side by side, saved.
    let fields: Vec<(&str, &str)> = draft_fields(&csrf, "check", KK, "")
        .into_iter()
        .filter(|(name, _)| *name != "draft_ru")
        .collect();
    let page = browser
        .post_multipart(&new, &fields, &[("draft_ru_file", "draft-ru.txt", RU)])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("How the draft was read"));
    assert!(page.body.contains("a2.p2.sp2") && page.body.contains("в электронной форме."));
    assert!(page.body.contains("value=\"save\""));
    // Script typed into a field stays text.
    assert!(!page.body.contains("<script>alert(1)</script>"));
    // A forged post (no token) saves nothing.
    let forged = browser
        .post_multipart(&new, &draft_fields("", "save", KK, RU), &[])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(office_consultations(&site).await.is_empty());
    let page = browser
        .post_multipart(&new, &draft_fields(&csrf, "save", KK, RU), &[])
        .await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "{} {:?}",
        page.url,
        page.body
            .get(page.body.find("<main").unwrap_or(0)..)
            .unwrap_or_default()
            .chars()
            .take(1500)
            .collect::<String>()
    );
    assert!(page.body.contains("The draft is saved"), "{}", page.body);
    let manage = page.url.clone();
    let id = manage.rsplit('/').next().unwrap().to_owned();
    consultation_status(&site, &id, "drafted").await;

    // Another body's official neither sees it nor opens it.
    let other = Browser::new();
    let (_, other_csrf) = signed_in(&site, &other, "madina", "/en/").await;
    let refused = other.get(&manage).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = other
        .post(
            &manage,
            &[
                ("csrf", &other_csrf),
                ("action", "open"),
                ("closes_on", "2099-01-30"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("belongs to another state body"),
        "{}",
        refused.body
    );
    consultation_status(&site, &id, "drafted").await;

    // Opened for the legal minimum, offered as the default date.
    let page = browser.get(&manage).await;
    let closes_on = page.input("closes_on").unwrap();
    assert!(closes_on.len() == 10, "{closes_on}");
    let page = browser
        .post(
            &manage,
            &[("csrf", &csrf), ("action", "open"), ("closes_on", &closes_on)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("open for comments"), "{}", page.body);
    consultation_status(&site, &id, "open").await;

    // Citizens comment (their pages are tested elsewhere; the API is quicker here).
    let mut proposals = Vec::new();
    for (n, path, text) in [
        (1, "a2.p1", "Жобаны 30 күн бұрын жариялау керек."),
        (2, "a2.p1", "Публиковать за 30 дней."),
        (3, "a3.p1", "Срок вступления слишком короткий."),
    ] {
        let reply = site
            .platform
            .post(
                &format!("/consultations/{id}/comments"),
                Some(&site.platform.citizen_token(n)),
                Some(json!({ "path": path, "language": if n == 1 { "kk" } else { "ru" }, "text": text })),
            )
            .await;
        proposals.push(
            reply.expect_status(201)["comment_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let queue = format!("{manage}/proposals");
    eventually(
        || async {
            let page = browser.get(&queue).await;
            page.body
                .contains("Срок вступления слишком короткий.")
                .then_some(())
        },
        PATIENCE,
    )
    .await;

    // A revised version: the diff and where each proposal goes, then published.
    let versions = format!("{manage}/versions/new");
    let revised_kk = KK.replace("интернетте жарияланады", "интернетте 30 күн бұрын жарияланады");
    let revised_ru = RU.replace("публикуется в интернете", "публикуется в интернете за 30 дней");
    let fields = vec![
        ("csrf", csrf.as_str()),
        ("step", "check"),
        ("draft_kk", &revised_kk),
        ("draft_ru", &revised_ru),
    ];
    let page = browser.post_multipart(&versions, &fields, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("What changed") && page.body.contains("за 30 дней"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Same provision"), "{}", page.body);
    let fields = vec![
        ("csrf", csrf.as_str()),
        ("step", "publish"),
        ("draft_kk", &revised_kk),
        ("draft_ru", &revised_ru),
        ("why_kk:a2.p1", "Азаматтардың ұсыныстары бойынша."),
        ("why_ru:a2.p1", WHY),
        ("why_ru:a3", " "),
    ];
    let page = browser.post_multipart(&versions, &fields, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("The new version is published"),
        "{}",
        page.body
    );
    // The change note is the comparative table's "why" for that provision, and only for it.
    let changes: Value = tyndau_db::sqlx::query_scalar(
        "SELECT COALESCE(payload->'DraftVersionPublished'->'changes', payload->'changes') FROM events WHERE event_type = 'DraftVersionPublished' AND aggregate_id = $1",
    )
    .bind(&id)
    .fetch_one(site.platform.pool())
    .await
    .unwrap();
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["path"], "a2.p1");
    assert_eq!(changes[0]["why"]["ru"], WHY);

    // The period ends; the report waits for every proposal and says which.
    site.platform
        .scheduler()
        .tick(OffsetDateTime::now_utc() + time::Duration::days(60))
        .await
        .unwrap();
    consultation_status(&site, &id, "closed").await;
    let page = browser.get(&manage).await;
    assert!(
        page.body.contains("3 proposals are still unanswered"),
        "{}",
        page.body
    );
    let refused = browser
        .post(
            &manage,
            &[
                ("csrf", &csrf),
                ("action", "report"),
                ("summary_kk", "Қорытынды."),
                ("summary_ru", "Итоги."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("still unanswered"), "{}", refused.body);

    // An answer without a reason is refused with the field marked; with one, it is published.
    let answer = format!("{queue}/{}", proposals[0]);
    let page = browser
        .post(
            &answer,
            &[
                ("csrf", &csrf),
                ("disposition", "accepted"),
                ("reason_kk", ""),
                ("reason_ru", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#reason-kk\""), "{}", page.body);
    let page = browser
        .post(
            &answer,
            &[
                ("csrf", &csrf),
                ("disposition", "accepted"),
                ("reason_kk", "Мерзім 30 күнге ұзартылды."),
                ("reason_ru", "Срок увеличен до 30 дней <b>жирно</b>."),
                ("changed_path", "a2.p1"),
                ("changed_version", "2"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Another body's official cannot answer it.
    let refused = other
        .post(
            &format!("{queue}/{}", proposals[2]),
            &[
                ("csrf", &other_csrf),
                ("disposition", "rejected"),
                ("reason_kk", "Жоқ."),
                ("reason_ru", "Нет."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    // The other two as duplicates of the first, in one go.
    let bulk = format!("{queue}/duplicates");
    let page = browser
        .post(
            &bulk,
            &[
                ("csrf", &csrf),
                ("original", &proposals[0]),
                ("reason_kk", "Қайталау."),
                ("reason_ru", "Повтор предложения выше."),
                ("selected", &proposals[1]),
                ("selected", &proposals[2]),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("The duplicates are answered"), "{}", page.body);

    // Every proposal answered: preview, then publish; the public report shows every answer.
    eventually(
        || async {
            let page = browser.get(&manage).await;
            page.body
                .contains("Summary of the outcome in Kazakh")
                .then_some(())
        },
        PATIENCE,
    )
    .await;
    let report = [
        ("csrf", csrf.as_str()),
        ("summary_kk", "Қорытынды."),
        ("summary_ru", "Итоги обсуждения."),
    ];
    let mut preview = report.to_vec();
    preview.push(("action", "report-preview"));
    let page = browser.post(&manage, &preview).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("as the public will see it") && page.body.contains("Итоги обсуждения."));
    let mut publish = report.to_vec();
    publish.push(("action", "report"));
    let page = browser.post(&manage, &publish).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("The outcome report is published"),
        "{}",
        page.body
    );
    let public = eventually(
        || async {
            let r = site.platform.get(&format!("/consultations/{id}/report")).await;
            (r.status == StatusCode::OK).then_some(r.body)
        },
        PATIENCE,
    )
    .await;
    let by_answer: Value = public["by_answer"].clone();
    assert!(by_answer.to_string().contains("\"duplicate\""), "{public}");
    let detail = site
        .platform
        .get(&format!("/consultations/{id}/comments/{}", proposals[0]))
        .await;
    assert!(
        detail
            .body
            .to_string()
            .contains("Срок увеличен до 30 дней <b>жирно</b>."),
        "{}",
        detail.body
    );
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_petition_is_moderated_then_answered_by_its_addressee_only() {
    // A small threshold, so that the test reaches it with a handful of signatures.
    let site =
        Site::spawn_with(json!({ "policy": { "city_akimat_threshold": 3, "startup_signatures": 1 } })).await;
    let web = &site.web;
    let platform = &site.platform;
    let author = platform.citizen_token(1);
    let petition = platform.draft(&author, "akimat-almaty").await;
    platform
        .post(&format!("/petitions/{petition}/submit"), Some(&author), None)
        .await
        .expect_status(200);

    // Staff pages are for staff: a citizen is refused, a visitor is sent to sign in.
    let citizen = Browser::new();
    signed_in(&site, &citizen, "aigerim", "/en/").await;
    assert_eq!(
        citizen.get(&format!("{web}/en/office")).await.status,
        StatusCode::FORBIDDEN
    );
    let visitor = Browser::new()
        .request(
            reqwest::Method::GET,
            &format!("{web}/en/office/moderation"),
            None,
            &[],
        )
        .await;
    assert!(visitor.location.unwrap_or_default().contains("/auth/login"));

    // The moderator's queue lists it; a rejection needs a reason; publishing works.
    let moderator = Browser::new();
    let (_, csrf) = signed_in(&site, &moderator, "timur", "/en/").await;
    let queue = eventually(
        || async {
            let page = moderator.get(&format!("{web}/en/office/moderation")).await;
            page.body
                .contains(&format!("/en/office/moderation/petitions/{petition}"))
                .then_some(page)
        },
        PATIENCE,
    )
    .await;
    assert!(queue.body.contains("Petitions awaiting moderation"));
    let moderate = format!("{web}/en/office/moderation/petitions/{petition}");
    let page = moderator
        .post(
            &moderate,
            &[("csrf", &csrf), ("decision", "reject"), ("explanation", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("href=\"#reason-prohibited-subject\"")
            && page.body.contains("href=\"#explanation\"")
    );
    let page = moderator
        .post(&moderate, &[("csrf", "forged"), ("decision", "publish")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = moderator
        .post(&moderate, &[("csrf", &csrf), ("decision", "publish")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("The petition is published"), "{}", page.body);

    // Signatures (through the API) past the threshold; the scheduler marks it.
    for n in 10..13 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 3).await;
    platform.await_answer_due(&petition).await;

    // Another body's official is not shown the form, and the command API refuses the post.
    let other = Browser::new();
    let (_, other_csrf) = signed_in(&site, &other, "erlan", "/en/").await;
    let answer = format!("{web}/en/office/petitions/{petition}");
    assert_eq!(other.get(&answer).await.status, StatusCode::FORBIDDEN);
    let refused = other
        .post(
            &answer,
            &[
                ("csrf", &other_csrf),
                ("decision", "refused"),
                ("text_kk", "Жоқ."),
                ("text_ru", "Нет."),
                ("step", "publish"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("addressed to another state body"),
        "{}",
        refused.body
    );

    // The addressee's official: on the desk, refused without the Russian answer, previewed, published.
    let official = Browser::new();
    let (desk, csrf) = signed_in(&site, &official, "madina", "/en/").await;
    assert!(
        desk.body.contains(&format!("/en/office/petitions/{petition}")),
        "{}",
        desk.body
    );
    assert!(desk.body.contains("working days left"), "{}", desk.body);
    let page = official.get(&answer).await;
    assert_eq!(page.status, StatusCode::OK);
    let markup = "<img src=x onerror=alert(1)>";
    let form = |step: &'static str, ru: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("decision", "partially_satisfied".to_owned()),
            ("text_kk", "Жарық шамдары 2027 жылы орнатылады.".to_owned()),
            ("text_ru", ru.to_owned()),
            ("text_en", markup.to_owned()),
            ("step", step.to_owned()),
        ]
    };
    let page = official.post(&answer, &as_refs(&form("publish", ""))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#text-ru\""), "{}", page.body);
    assert!(!page.body.contains(markup), "markup reached the page");
    let ru = "Фонари установят в 2027 году.";
    let page = official.post(&answer, &as_refs(&form("preview", ru))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("as the public will see it"), "{}", page.body);
    assert!(platform.get(&format!("/petitions/{petition}")).await.body["answer"].is_null());
    let page = official.post(&answer, &as_refs(&form("publish", ru))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("The answer is published"), "{}", page.body);
    // A double submission finds the answer given and says the same.
    let again = official.post(&answer, &as_refs(&form("publish", ru))).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let answered = eventually(
        || async {
            let d = platform.get(&format!("/petitions/{petition}")).await;
            (!d.body["answer"].is_null()).then_some(d.body)
        },
        PATIENCE,
    )
    .await;
    assert_eq!(
        answered["answer"]["decision"], "partially_satisfied",
        "{answered}"
    );
    site.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_moderator_hides_a_flagged_comment_and_removes_signatures_after_a_preview() {
    let site = Site::spawn().await;
    let web = &site.web;
    let platform = &site.platform;
    let consultation = support::open_consultation(
        &site,
        json!([{ "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Первая статья." } }]),
    )
    .await;
    let comment = platform
        .post(
            &format!("/consultations/{consultation}/comments"),
            Some(&platform.citizen_token(1)),
            Some(json!({ "language": "ru", "text": "Оскорбительный текст." })),
        )
        .await
        .expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    for n in [2, 3] {
        platform
            .post(
                &format!("/consultations/{consultation}/comments/{comment}/flags"),
                Some(&platform.citizen_token(n)),
                Some(json!({ "reason": "abusive" })),
            )
            .await
            .expect_status(201);
    }
    let moderator = Browser::new();
    let (_, csrf) = signed_in(&site, &moderator, "timur", "/en/").await;
    let review = format!("{web}/en/office/moderation/comments/{consultation}/{comment}");
    eventually(
        || async {
            let page = moderator.get(&format!("{web}/en/office/moderation")).await;
            page.body.contains("Оскорбительный текст.").then_some(())
        },
        PATIENCE,
    )
    .await;
    let page = moderator.get(&review).await;
    assert!(page.body.contains("Flagged 2 times"), "{}", page.body);
    let page = moderator
        .post(
            &review,
            &[
                ("csrf", &csrf),
                ("action", "hide"),
                ("reason", "abusive"),
                ("explanation", " "),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#explanation\""));
    let page = moderator
        .post(
            &review,
            &[
                ("csrf", &csrf),
                ("action", "hide"),
                ("reason", "abusive"),
                ("explanation", "Оскорбляет участников."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("The comment is hidden"), "{}", page.body);
    let hidden = eventually(
        || async {
            let c = platform
                .get(&format!("/consultations/{consultation}/comments/{comment}"))
                .await;
            (!c.body["comment"]["hidden"].is_null()).then_some(c.body)
        },
        PATIENCE,
    )
    .await;
    assert!(hidden["comment"]["text"].is_null(), "{hidden}");
    assert_eq!(hidden["comment"]["hidden"]["reason"], "abusive");

    // Invalidation: found by the petition's address, previewed (nothing removed), confirmed.
    let petition = platform.open_petition("government").await;
    for n in 20..23 {
        platform
            .sign(&petition, &platform.citizen_token(n))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 3).await;
    let found = moderator
        .get(&format!(
            "{web}/en/office/moderation?petition={}",
            support::url_encode(&format!("{web}/ru/petitions/{petition}"))
        ))
        .await;
    let invalidation = format!("{web}/en/office/moderation/petitions/{petition}/invalidation");
    assert_eq!(found.url, invalidation);
    let from = (OffsetDateTime::now_utc() - time::Duration::hours(1)).to_offset(time::macros::offset!(+5));
    let from = format!(
        "{}-{:02}-{:02}T{:02}:{:02}",
        from.year(),
        u8::from(from.month()),
        from.day(),
        from.hour(),
        from.minute()
    );
    let rule = |step: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("signed_from", from.clone()),
            ("reason", "automated".to_owned()),
            ("explanation", "A scripted burst.".to_owned()),
            ("step", step.to_owned()),
        ]
    };
    let page = moderator.post(&invalidation, &as_refs(&rule("preview"))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("This rule would remove 3 signatures"),
        "{}",
        page.body
    );
    platform.await_count(&petition, 3).await;
    let page = moderator.post(&invalidation, &as_refs(&rule("confirm"))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("3 signatures removed"), "{}", page.body);
    platform.await_count(&petition, 0).await;

    // The administrator reads who did it.
    let admin = Browser::new();
    signed_in(&site, &admin, "aliya", "/en/").await;
    let audit = admin
        .get(&format!(
            "{web}/en/office/audit?actor_kind=moderator&aggregate_id={petition}"
        ))
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    assert!(
        audit.body.contains("SignaturesInvalidated") || audit.body.contains("Invalidat"),
        "{}",
        audit.body
    );
    assert_eq!(
        moderator.get(&format!("{web}/en/office/audit")).await.status,
        StatusCode::FORBIDDEN
    );
    site.shutdown().await;
}

fn as_refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
