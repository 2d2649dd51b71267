//! Public consultation end to end, through HTTP against the real services: a body opens a draft
//! law for comment, citizens and organisations comment provision by provision, reply and react,
//! a moderator hides, a new version re-anchors the comments, the body answers every proposal,
//! the period closes, the outcome report is published (JSON and CSV), and a rebuild of the
//! projection equals the live one.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use tyndau_testkit::{PATIENCE, Reply, TestPlatform, eventually};

const BODY: &str = "government";
const OTHER_BODY: &str = "akimat-almaty";

fn provision(path: &str, kk: &str, ru: &str) -> Value {
    json!({ "path": path, "text": { "kk": kk, "ru": ru } })
}

fn draft_v1() -> Value {
    json!([
        { "path": "a1", "heading": { "kk": "Жалпы ережелер", "ru": "Общие положения" },
          "text": { "kk": "Осы Заң жергілікті бюджеттің ашықтығын реттейді.",
                    "ru": "Настоящий Закон регулирует открытость местного бюджета." } },
        provision("a1.p1", "Бюджет жобасы интернетте жарияланады.",
                  "Проект бюджета публикуется в интернете за 30 дней до утверждения."),
        provision("a1.p2", "Азаматтар ұсыныс бере алады.", "Граждане вправе вносить предложения."),
        provision("a2", "Заң ресми жарияланғаннан кейін күшіне енеді.",
                  "Закон вводится в действие по истечении десяти дней после официального опубликования."),
        provision("a4", "Бақылауды мәслихат жүзеге асырады.", "Контроль осуществляет маслихат."),
    ])
}

fn draft_v2() -> Value {
    json!([
        { "path": "a1", "heading": { "kk": "Жалпы ережелер", "ru": "Общие положения" },
          "text": { "kk": "Осы Заң жергілікті бюджеттің ашықтығын реттейді.",
                    "ru": "Настоящий Закон регулирует открытость местного бюджета." } },
        provision("a1.p1", "Бюджет жобасы интернетте 45 күн бұрын жарияланады.",
                  "Проект бюджета публикуется в интернете за 45 дней до утверждения."),
        provision("a2", "Заң ресми жарияланғаннан кейін он күнтізбелік күн өткен соң күшіне енеді.",
                  "Закон вводится в действие по истечении десяти календарных дней после его официального опубликования."),
        provision("a3", "Азаматтар ұсыныс бере алады.", "Граждане вправе вносить предложения."),
    ])
}

fn consultation_body() -> Value {
    json!({
        "content": {
            "kk": { "title": "Жергілікті бюджеттің ашықтығы туралы заң жобасы",
                    "summary": "Бюджет жобасын жариялау тәртібі.", "explanatory_note": "Түсіндірме жазба." },
            "ru": { "title": "Проект закона об открытости местного бюджета",
                    "summary": "Порядок публикации проекта бюджета.", "explanatory_note": "Пояснительная записка." }
        },
        "provisions": draft_v1(),
    })
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

async fn send(platform: &TestPlatform, method: Method, path: &str, token: &str, body: Value) -> Reply {
    Reply::read(platform.command(method, path, Some(token)).json(&body)).await
}

/// Waits until the public view of `path` satisfies `what`, and returns it.
async fn public_where(platform: &TestPlatform, path: &str, what: impl Fn(&Value) -> bool) -> Value {
    eventually(
        || async {
            let reply = platform.get(path).await;
            (reply.status == StatusCode::OK && what(&reply.body)).then_some(reply.body)
        },
        PATIENCE,
    )
    .await
}

struct Consultation<'a> {
    platform: &'a TestPlatform,
    id: String,
    official: String,
}

impl Consultation<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/consultations/{}{rest}", self.id)
    }

    async fn comment(&self, token: &str, body: Value) -> Reply {
        self.platform
            .post(&self.path("/comments"), Some(token), Some(body))
            .await
    }

    async fn comment_id(&self, token: &str, body: Value) -> String {
        let reply = self.comment(token, body).await;
        reply.expect_status(201)["comment_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn answer(&self, token: &str, comment: &str, body: Value) -> Reply {
        self.platform
            .post(
                &self.path(&format!("/comments/{comment}/answer")),
                Some(token),
                Some(body),
            )
            .await
    }

    async fn detail_where(&self, what: impl Fn(&Value) -> bool) -> Value {
        public_where(self.platform, &self.path(""), what).await
    }

    async fn comment_where(&self, comment: &str, what: impl Fn(&Value) -> bool) -> Value {
        public_where(self.platform, &self.path(&format!("/comments/{comment}")), what).await
    }
}

async fn open_consultation(platform: &TestPlatform) -> (Consultation<'_>, OffsetDateTime) {
    let official = platform.official_token(BODY);
    let created = platform
        .post("/consultations", Some(&official), Some(consultation_body()))
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let consultation = Consultation {
        platform,
        id,
        official,
    };
    let closes_at = OffsetDateTime::now_utc() + Duration::days(40);
    platform
        .post(
            &consultation.path("/open"),
            Some(&consultation.official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .expect_status(200);
    consultation.detail_where(|d| d["status"] == "open").await;
    (consultation, closes_at)
}

fn reason(ru: &str) -> Value {
    json!({ "ru": ru, "kk": "Себебі көрсетілген." })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_consultation_from_draft_to_outcome_report() {
    let platform = TestPlatform::spawn().await;
    let official = platform.official_token(BODY);
    let other_official = platform.official_token(OTHER_BODY);
    let mut citizen: Vec<String> = (1..=10).map(|n| platform.citizen_token(n)).collect();
    citizen[8] = platform.citizen_token_in(9, tyndau_ids::Region::Shymkent);

    // A draft is not public, and takes no comments.
    let created = platform
        .post("/consultations", Some(&official), Some(consultation_body()))
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = Consultation {
        platform: &platform,
        id: id.clone(),
        official: official.clone(),
    };
    platform
        .get(&c.path(""))
        .await
        .assert_problem(404, "consultation_not_found");
    c.comment(&citizen[0], json!({ "language": "ru", "text": "Рано." }))
        .await
        .assert_problem(409, "consultation_not_open");

    // Opening needs the legal minimum period and the developing body.
    let too_soon = OffsetDateTime::now_utc() + Duration::days(3);
    platform
        .post(
            &c.path("/open"),
            Some(&official),
            Some(json!({ "closes_at": rfc3339(too_soon) })),
        )
        .await
        .assert_problem(422, "period_too_short");
    let closes_at = OffsetDateTime::now_utc() + Duration::days(40);
    platform
        .post(
            &c.path("/open"),
            Some(&other_official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .assert_problem(403, "not_responsible_body");
    platform
        .post(
            &c.path("/open"),
            Some(&citizen[0]),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(
            &c.path("/open"),
            Some(&official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .expect_status(200);
    let detail = c.detail_where(|d| d["status"] == "open").await;
    assert_eq!(detail["current_version"], 1);
    let listed = public_where(&platform, "/consultations?status=open", |p| {
        !p["items"].as_array().unwrap().is_empty()
    })
    .await;
    assert_eq!(listed["items"][0]["id"], id.as_str());

    // Proposals on provisions (with quotes), on the whole draft, from an organisation.
    let on_p1 = c
        .comment_id(
            &citizen[0],
            json!({ "path": "a1.p1", "quote": "публикуется в интернете", "language": "ru",
                                          "text": "Тридцати дней мало: нужно не меньше 45." }),
        )
        .await;
    let on_p2 = c
        .comment_id(
            &citizen[1],
            json!({ "path": "a1.p2", "quote": "вправе вносить предложения", "language": "ru",
                                          "text": "Добавьте электронную форму." }),
        )
        .await;
    let on_a2 = c
        .comment_id(
            &citizen[2],
            json!({ "path": "a2", "quote": "по истечении десяти дней после официального опубликования",
                                          "language": "ru", "text": "Уточните, календарных или рабочих." }),
        )
        .await;
    let on_a4 = c
        .comment_id(
            &citizen[3],
            json!({ "path": "a4", "quote": "Контроль осуществляет маслихат", "language": "ru",
                                          "text": "И общественный совет тоже." }),
        )
        .await;
    let on_draft = c
        .comment_id(&citizen[4], json!({ "language": "kk", "text": "Жоба жақсы." }))
        .await;
    let from_council = c
        .comment_id(
            &other_official,
            json!({ "path": "a1", "channel": "public_council", "language": "ru",
                                              "text": "Поддерживаем концепцию." }),
        )
        .await;
    let formula = c
        .comment_id(
            &citizen[8],
            json!({ "language": "ru", "text": "=HYPERLINK(\"http://evil\",\"click\")" }),
        )
        .await;

    // What a comment may not be.
    c.comment(
        &citizen[5],
        json!({ "path": "a1.p1", "quote": "этого нет в тексте", "language": "ru", "text": "x" }),
    )
    .await
    .assert_problem(422, "quote_not_found");
    c.comment(
        &citizen[5],
        json!({ "path": "a9", "language": "ru", "text": "x" }),
    )
    .await
    .assert_problem(422, "unknown_provision");
    c.comment(
        &citizen[5],
        json!({ "channel": "business_chamber", "language": "ru", "text": "x" }),
    )
    .await
    .assert_problem(422, "wrong_channel");
    c.comment(&official, json!({ "language": "ru", "text": "x" }))
        .await
        .assert_problem(403, "own_consultation");
    c.comment(
        &platform.moderator_token(),
        json!({ "language": "ru", "text": "x" }),
    )
    .await
    .assert_problem(403, "forbidden");

    // A reply closes its parent for edits; an edit keeps the earlier wording.
    let reply = platform
        .post(
            &c.path(&format!("/comments/{on_p1}/replies")),
            Some(&citizen[5]),
            Some(json!({ "language": "ru", "text": "Согласен, 45 дней." })),
        )
        .await;
    let reply_id = reply.expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let edit = |comment: &str| c.path(&format!("/comments/{comment}"));
    send(
        &platform,
        Method::PATCH,
        &edit(&on_p1),
        &citizen[0],
        json!({ "text": "Иначе." }),
    )
    .await
    .assert_problem(409, "comment_has_replies");
    send(
        &platform,
        Method::PATCH,
        &edit(&on_draft),
        &citizen[5],
        json!({ "text": "Менікі." }),
    )
    .await
    .assert_problem(403, "not_author");
    send(
        &platform,
        Method::PATCH,
        &edit(&on_draft),
        &citizen[4],
        json!({ "text": "Жоба жақсы, бірақ қысқа." }),
    )
    .await
    .expect_status(200);

    // Stances: one each, changeable; never on one's own comment. Flags: once.
    let stance = |comment: &str| c.path(&format!("/comments/{comment}/stance"));
    for (who, what) in [(1, "agree"), (2, "agree"), (3, "disagree"), (2, "disagree")] {
        send(
            &platform,
            Method::PUT,
            &stance(&on_p1),
            &citizen[who],
            json!({ "stance": what }),
        )
        .await
        .expect_status(200);
    }
    send(
        &platform,
        Method::PUT,
        &stance(&on_p1),
        &citizen[0],
        json!({ "stance": "agree" }),
    )
    .await
    .assert_problem(403, "own_comment");
    let flags = c.path(&format!("/comments/{on_draft}/flags"));
    platform
        .post(&flags, Some(&citizen[6]), Some(json!({ "reason": "spam" })))
        .await
        .expect_status(201);
    platform
        .post(&flags, Some(&citizen[6]), Some(json!({ "reason": "spam" })))
        .await
        .assert_problem(409, "already_flagged");

    // A moderator hides abuse with a public reason; the text is withheld, the fact stays.
    let abusive = c
        .comment_id(&citizen[7], json!({ "language": "ru", "text": "Оскорбление." }))
        .await;
    let hide = c.path(&format!("/comments/{abusive}/hide"));
    platform
        .post(
            &hide,
            Some(&citizen[0]),
            Some(json!({ "reason": "abusive", "explanation": "x" })),
        )
        .await
        .assert_problem(403, "forbidden");
    platform
        .post(
            &hide,
            Some(&platform.moderator_token()),
            Some(json!({ "reason": "abusive", "explanation": "Оскорбляет других участников." })),
        )
        .await
        .expect_status(200);
    let hidden = c
        .comment_where(&abusive, |d| !d["comment"]["hidden"].is_null())
        .await;
    assert!(hidden["comment"]["text"].is_null());
    assert_eq!(hidden["comment"]["hidden"]["reason"], "abusive");

    let thread = c
        .comment_where(&on_p1, |d| {
            d["comment"]["replies"] == 1 && d["comment"]["disagree"] == 2
        })
        .await;
    assert_eq!(thread["comment"]["agree"], 1);
    let edited = c.comment_where(&on_draft, |d| d["comment"]["edits"] == 1).await;
    assert_eq!(edited["earlier_wordings"][0]["text"], "Жоба жақсы.");

    // A new version: only the developing body; the comments follow their text.
    let changes = json!([
        { "path": "a1.p1", "why": { "ru": "Срок увеличен по предложениям граждан.", "kk": "Мерзім ұзартылды." } },
        { "path": "a3", "why": { "ru": "Положение перенесено.", "kk": "Ереже ауыстырылды." } },
    ]);
    platform
        .post(
            &c.path("/versions"),
            Some(&other_official),
            Some(json!({ "provisions": draft_v2(), "changes": changes })),
        )
        .await
        .assert_problem(403, "not_responsible_body");
    let published = platform
        .post(
            &c.path("/versions"),
            Some(&official),
            Some(json!({ "provisions": draft_v2(), "changes": changes })),
        )
        .await;
    assert_eq!(published.expect_status(201)["version"], 2);
    c.detail_where(|d| d["current_version"] == 2).await;
    eventually(
        || async {
            platform
                .scheduler()
                .tick(OffsetDateTime::now_utc())
                .await
                .unwrap();
            let page = platform.get(&c.path("/comments?limit=100")).await;
            page.body["items"]
                .as_array()
                .is_some_and(|items| items.iter().all(|i| i["anchor"]["version"] == 2))
        },
        PATIENCE,
    )
    .await;
    let anchor = |comment: &str| {
        let path = c.path(&format!("/comments/{comment}"));
        let platform = &platform;
        async move { platform.get(&path).await.body["comment"]["anchor"].clone() }
    };
    let a = anchor(&on_p1).await;
    assert_eq!(
        (a["path"].as_str(), a["method"].as_str()),
        (Some("a1.p1"), Some("same_path"))
    );
    let a = anchor(&on_p2).await;
    assert_eq!(
        (a["path"].as_str(), a["method"].as_str()),
        (Some("a3"), Some("moved"))
    );
    let a = anchor(&on_a2).await;
    assert_eq!(
        (a["path"].as_str(), a["method"].as_str()),
        (Some("a2"), Some("best_match"))
    );
    assert!(a["confidence"].as_i64().unwrap() >= 60 && a["confidence"].as_i64().unwrap() < 100);
    let a = anchor(&on_a4).await;
    assert_eq!(
        (a["path"].as_str(), a["method"].as_str()),
        (None, Some("orphaned"))
    );
    let a = anchor(&on_draft).await;
    assert_eq!(
        (a["path"].as_str(), a["method"].as_str()),
        (None, Some("whole_draft"))
    );
    let moved = c
        .comment_where(&on_p2, |d| {
            d["reanchorings"].as_array().is_some_and(|r| r.len() == 1)
        })
        .await;
    assert_eq!(moved["reanchorings"][0]["from_path"], "a1.p2");
    assert_eq!(moved["reanchorings"][0]["to_path"], "a3");

    // The draft by version with counts, and the comparative table.
    let draft = platform.get(&c.path("/draft")).await.expect_status(200).clone();
    let counts: BTreeMap<String, i64> = draft["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_owned(),
                p["proposals"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts["a1.p1"], 1);
    assert_eq!(counts["a3"], 1);
    assert_eq!(counts["a2"], 1);
    assert_eq!(counts["a1"], 1);
    assert_eq!(draft["orphaned_proposals"], 1);
    assert_eq!(draft["whole_draft_proposals"], 3);
    let v1 = platform.get(&c.path("/draft?version=1")).await;
    assert_eq!(v1.expect_status(200)["provisions"].as_array().unwrap().len(), 5);
    platform
        .get(&c.path("/draft?version=7"))
        .await
        .assert_problem(404, "consultation_not_found");
    let diff = platform
        .get(&c.path("/diff?from=1&to=2"))
        .await
        .expect_status(200)
        .clone();
    let rows: Vec<(String, String)> = diff
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("a1", "unchanged"),
        ("a1.p1", "changed"),
        ("a1.p2", "removed"),
        ("a2", "changed"),
        ("a4", "removed"),
        ("a3", "added"),
    ]
    .iter()
    .map(|(p, k)| ((*p).to_owned(), (*k).to_owned()))
    .collect();
    assert_eq!(rows, expected);
    assert_eq!(diff[1]["why"]["ru"], "Срок увеличен по предложениям граждан.");
    assert!(
        diff[1]["words"]["ru"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["op"] == "insert" && w["text"].as_str().unwrap().contains("45"))
    );

    // Answers: only the developing body, only proposals, always with a reason.
    let accepted = json!({ "disposition": "accepted", "reason": reason("Срок увеличен до 45 дней."),
                           "changed": { "version": 2, "path": "a1.p1" } });
    c.answer(&other_official, &on_p1, accepted.clone())
        .await
        .assert_problem(403, "not_responsible_body");
    c.answer(&official, &reply_id, accepted.clone())
        .await
        .assert_problem(422, "not_a_proposal");
    c.answer(
        &official,
        &on_p1,
        json!({ "disposition": "rejected", "reason": {} }),
    )
    .await
    .assert_problem(422, "invalid_input");
    c.answer(
        &official,
        &on_p1,
        json!({ "disposition": "rejected", "reason": reason("x"),
                                         "changed": { "version": 2, "path": "a1.p1" } }),
    )
    .await
    .assert_problem(422, "change_needs_acceptance");
    c.answer(&official, &on_p1, accepted).await.expect_status(200);
    c.answer(
        &official,
        &on_p2,
        json!({ "disposition": "partially_accepted", "reason": reason("Форма будет позже."),
                                         "changed": { "version": 2, "path": "a3" } }),
    )
    .await
    .expect_status(200);
    c.answer(
        &official,
        &on_a2,
        json!({ "disposition": "rejected", "reason": reason("Уже ясно.") }),
    )
    .await
    .expect_status(200);
    c.answer(
        &official,
        &on_a2,
        json!({ "disposition": "accepted", "reason": reason("Уточнили: календарных."),
                                         "changed": { "version": 2, "path": "a2" } }),
    )
    .await
    .expect_status(200);
    c.answer(
        &official,
        &on_draft,
        json!({ "disposition": "duplicate", "reason": reason("См. выше."),
                                            "duplicate_of": on_p1 }),
    )
    .await
    .expect_status(200);
    c.answer(
        &official,
        &from_council,
        json!({ "disposition": "noted", "reason": reason("Спасибо.") }),
    )
    .await
    .expect_status(200);
    c.answer(
        &official,
        &formula,
        json!({ "disposition": "out_of_scope", "reason": reason("=1+1") }),
    )
    .await
    .expect_status(200);
    let changed = c
        .comment_where(&on_a2, |d| d["answers"].as_array().is_some_and(|a| a.len() == 2))
        .await;
    assert_eq!(changed["answers"][0]["disposition"], "rejected");
    assert_eq!(changed["comment"]["answer"]["disposition"], "accepted");
    assert_eq!(changed["comment"]["answer"]["revisions"], 2);

    // The period ends on schedule; nothing more can be said.
    c.detail_where(|d| d["comments"] == 9).await;
    let report = platform
        .scheduler()
        .tick(closes_at + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(report.consultations_closed, 1);
    c.detail_where(|d| d["status"] == "closed").await;
    c.comment(&citizen[9], json!({ "language": "ru", "text": "Поздно." }))
        .await
        .assert_problem(410, "commenting_closed");

    // No report while a proposal is unanswered (the hidden one needs none).
    let summary = json!({ "summary": { "kk": "Қорытынды.", "ru": "Итоги обсуждения." } });
    let refused = platform
        .post(&c.path("/report"), Some(&official), Some(summary.clone()))
        .await;
    refused.assert_problem(409, "unanswered_proposals");
    assert!(refused.body["detail"].as_str().unwrap().starts_with('1'));
    c.answer(
        &official,
        &on_a4,
        json!({ "disposition": "out_of_scope", "reason": reason("Не предмет закона.") }),
    )
    .await
    .expect_status(200);
    platform
        .post(&c.path("/report"), Some(&official), Some(summary))
        .await
        .expect_status(200);
    c.answer(
        &official,
        &on_a4,
        json!({ "disposition": "noted", "reason": reason("Поздно.") }),
    )
    .await
    .assert_problem(410, "report_published");

    // The outcome report, as JSON and CSV.
    let report = public_where(&platform, &c.path("/report"), |r| {
        r["consultation"]["status"] == "report_published"
    })
    .await;
    let by_answer: BTreeMap<String, i64> = report["by_answer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["key"].as_str().unwrap().to_owned(),
                t["proposals"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, i64> = [
        ("accepted", 2),
        ("partially_accepted", 1),
        ("duplicate", 1),
        ("noted", 1),
        ("out_of_scope", 2),
        ("hidden", 1),
    ]
    .iter()
    .map(|(k, n)| ((*k).to_owned(), *n))
    .collect();
    assert_eq!(by_answer, expected);
    assert_eq!(report["answer_times"]["answered"], 7);
    assert_eq!(report["answer_times"]["unanswered"], 0);
    assert_eq!(report["final_version"], 2);
    assert_eq!(report["summary"]["ru"], "Итоги обсуждения.");
    let channels: Vec<&str> = report["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(channels, vec!["citizen", "public_council"]);
    let by_region = |code: &str| {
        report["by_region"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["region"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(by_region("almaty")["proposals"], 6);
    assert!(
        by_region("shymkent")["proposals"].is_null(),
        "small counts are withheld"
    );
    assert_eq!(by_region("shymkent")["fewer_than"], 5);
    assert_eq!(
        report["by_region"].as_array().unwrap().len(),
        21,
        "every region and `unspecified`, so that a withheld count cannot be derived"
    );

    let csv = platform
        .client()
        .get(format!(
            "{}{}",
            platform.query_url(),
            c.path("/report.csv?lang=ru")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "provision,comment,answer,likes,dislikes,decision,reason,changed_provision,comment_id,channel,posted_at,answered_at"
    );
    assert_eq!(lines.len(), 9, "{text}");
    let first = lines.iter().find(|l| l.contains(&on_p1)).unwrap();
    assert!(first.starts_with("a1.p1,Тридцати дней мало: нужно не меньше 45.,Принято,1,2,accepted,Срок увеличен до 45 дней.,v2 a1.p1,"), "{first}");
    let injected = lines.iter().find(|l| l.contains(&formula)).unwrap();
    assert!(
        injected.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""),
        "{injected}"
    );
    assert!(injected.contains(",'=1+1,"), "{injected}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&abusive) && l.contains("[hidden by a moderator]"))
    );

    // The projection rebuilt from the event store equals the live one.
    let live = snapshot(&platform).await;
    let rebuilt = tyndau_projector_consultations::rebuild(platform.pool())
        .await
        .unwrap();
    assert!(rebuilt.events > 30);
    let after = snapshot(&platform).await;
    // A difference is reported with the log in replay order, to tell a replay bug from a race.
    let log = if live == after {
        Value::Null
    } else {
        let query = "(SELECT tx_id::text AS tx, global_position, aggregate_type, aggregate_id, sequence, event_type FROM events)";
        platform
            .snapshot_tables(&[(query, "tx::xid8, global_position")])
            .await
            .into_values()
            .next()
            .unwrap_or_default()
    };
    for (table, rows) in &live {
        assert_eq!(
            rows, &after[table],
            "{table} differs after the rebuild; the log: {log:#}"
        );
    }
    platform.shutdown().await;
}

async fn snapshot(platform: &TestPlatform) -> BTreeMap<&'static str, Value> {
    let tables = [
        ("consultation_view", "consultation_id"),
        ("consultation_versions", "consultation_id, version"),
        ("consultation_provisions", "consultation_id, version, ordinal"),
        ("consultation_comments", "comment_id"),
        ("consultation_provision_counts", "consultation_id, path"),
        ("comment_answers", "comment_id, sequence"),
        ("comment_edits", "comment_id, sequence"),
        ("comment_anchorings", "comment_id, sequence"),
        ("comment_reactions", "reaction_id"),
    ];
    platform.snapshot_tables(&tables).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drafts_must_be_complete_and_well_formed() {
    let platform = TestPlatform::spawn().await;
    let official = platform.official_token(BODY);
    let mut body = consultation_body();
    body["provisions"] = json!([provision("a1.p1", "мәтін", "текст")]);
    platform
        .post("/consultations", Some(&official), Some(body))
        .await
        .assert_problem(422, "missing_parent_provision");
    let mut body = consultation_body();
    body["provisions"] = json!([
        provision("a1", "мәтін", "текст"),
        provision("a1", "мәтін", "текст")
    ]);
    platform
        .post("/consultations", Some(&official), Some(body))
        .await
        .assert_problem(422, "duplicate_provision");
    let mut body = consultation_body();
    body["provisions"] = json!([{ "path": "article-1", "text": { "ru": "текст" } }]);
    let reply = platform.post("/consultations", Some(&official), Some(body)).await;
    assert_eq!(reply.status.as_u16(), 422, "{reply:?}");
    platform
        .post(
            "/consultations",
            Some(&platform.citizen_token(1)),
            Some(consultation_body()),
        )
        .await
        .assert_problem(403, "forbidden");

    // Russian only: it can be drafted, but not opened until Kazakh is there too.
    let mut body = consultation_body();
    body["provisions"] = json!([{ "path": "a1", "text": { "ru": "Только по-русски." } }]);
    let id = platform
        .post("/consultations", Some(&official), Some(body))
        .await
        .expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closes_at = OffsetDateTime::now_utc() + Duration::days(40);
    platform
        .post(
            &format!("/consultations/{id}/open"),
            Some(&official),
            Some(json!({ "closes_at": rfc3339(closes_at) })),
        )
        .await
        .assert_problem(422, "translations_missing");

    // A long draft act fits (the draft routes take up to 4 MiB).
    let long: Vec<Value> = (1..=300)
        .map(|n| {
            provision(
                &format!("a{n}"),
                &"Мемлекеттік тіл. ".repeat(40),
                &"Государственный язык. ".repeat(40),
            )
        })
        .collect();
    let mut body = consultation_body();
    body["provisions"] = Value::Array(long);
    platform
        .post("/consultations", Some(&official), Some(body))
        .await
        .expect_status(201);
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn threads_page_by_provision_and_survive_a_projector_crash() {
    let platform = TestPlatform::spawn().await;
    let (c, _) = open_consultation(&platform).await;
    // 120 proposals on one provision and 30 on another, posted concurrently.
    let posts = (0..150u32).map(|n| {
        let token = platform.citizen_token(100 + n);
        let path = if n < 120 { "a1.p1" } else { "a2" };
        let c = &c;
        async move {
            c.comment(
                &token,
                json!({ "path": path, "language": "ru", "text": format!("Предложение {n}") }),
            )
            .await
            .expect_status(201);
        }
    });
    let half = posts.collect::<Vec<_>>();
    let mut iter = half.into_iter();
    let first: Vec<_> = iter.by_ref().take(75).collect();
    futures::future::join_all(first).await;
    platform.crash_consultation_projector().await;
    futures::future::join_all(iter).await;
    platform.start_consultation_projector().await;
    c.detail_where(|d| d["proposals"] == 150).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => c.path(&format!("/comments?provision=a1.p1&limit=50&cursor={cursor}")),
            None => c.path("/comments?provision=a1.p1&limit=50"),
        };
        let page = platform.get(&path).await.expect_status(200).clone();
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["anchor"]["path"], "a1.p1");
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 120, "no proposal repeats across pages");
    // A page that fills exactly: the next one is empty, and so is a provision nobody commented.
    let first = platform
        .get(&c.path("/comments?provision=a2&limit=30"))
        .await
        .expect_status(200)
        .clone();
    assert_eq!(first["items"].as_array().unwrap().len(), 30);
    assert_eq!(first["next_cursor"], Value::Null);
    let page = platform
        .get(&c.path("/comments?provision=a2&limit=29"))
        .await
        .expect_status(200)
        .clone();
    let after = page["next_cursor"].as_str().unwrap().to_owned();
    let last = platform
        .get(&c.path(&format!("/comments?provision=a2&limit=29&cursor={after}")))
        .await
        .expect_status(200)
        .clone();
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    assert_eq!(last["items"][0]["id"], first["items"][29]["id"]);
    let empty = platform
        .get(&c.path("/comments?provision=a4"))
        .await
        .expect_status(200)
        .clone();
    assert_eq!(empty, json!({ "items": [], "next_cursor": null }));
    // A thread cursor is refused by the replies listing; any cursor on no consultation is a 404.
    let thread = first["items"][0]["id"].as_str().unwrap();
    platform
        .get(&c.path(&format!("/comments/{thread}/replies?cursor={after}")))
        .await
        .assert_problem(400, "invalid_cursor");
    platform
        .get(&c.path("/comments?provision=a2&cursor=bm90LWEtY3Vyc29y"))
        .await
        .assert_problem(400, "invalid_cursor");
    let nowhere = format!("/consultations/{}/comments?provision=a2", uuid::Uuid::new_v4());
    platform
        .get(&nowhere)
        .await
        .assert_problem(404, "consultation_not_found");
    platform
        .get(&format!("{nowhere}&cursor={after}"))
        .await
        .assert_problem(404, "consultation_not_found");
    let draft = platform.get(&c.path("/draft")).await.expect_status(200).clone();
    let a2 = draft["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "a2")
        .unwrap()
        .clone();
    assert_eq!(a2["proposals"], 30);

    platform
        .get(&c.path("/comments?scope=sideways"))
        .await
        .assert_problem(400, "invalid_query");
    let other = c.path("/comments?limit=5");
    let page = platform.get(&other).await.expect_status(200).clone();
    let cursor = page["next_cursor"].as_str().unwrap();
    platform
        .get(&format!("/consultations?cursor={cursor}"))
        .await
        .assert_problem(400, "invalid_cursor");
    platform.shutdown().await;
}
