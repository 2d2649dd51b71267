//! The differencing attack on every public regional figure: a national petition (and a
//! consultation) where three people, all from Ulytau, took part. The headline count stays exact;
//! no regional cell of 1 to 4 may be recoverable by subtracting the shown cells from the total —
//! not from the API, the hourly series, the petition and statistics pages, nor the report exports.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio_util::sync::CancellationToken;
use tyndau_config::HttpSettings;
use tyndau_ids::Region;
use tyndau_testkit::{PATIENCE, TestPlatform, eventually};

/// Citizens numbered from here take part; all live in Ulytau.
const PEOPLE: u32 = 70_000;

/// A published cell: the exact count, or the bound "fewer than" (both null: withheld, 5 or more).
type Shown = (Option<i64>, Option<i64>);

/// What an attacker can conclude about each withheld cell from the published ones and the exact
/// total: the interval of values consistent with them ("fewer than 5" means 0 to 4, a cell
/// withheld without a bound means 5 or more). Returns the withheld cells pinned to one value.
fn derivable(cells: &[Shown], total: i64) -> Vec<usize> {
    let shown: i64 = cells.iter().filter_map(|(exact, _)| *exact).sum();
    let rest = total - shown;
    let hidden: Vec<(usize, (i64, i64))> = cells
        .iter()
        .enumerate()
        .filter(|(_, (exact, _))| exact.is_none())
        .map(|(i, (_, fewer_than))| match fewer_than {
            Some(limit) => (i, (0, limit - 1)),
            None => (i, (5, i64::MAX / 64)),
        })
        .collect();
    let (low, high): (i64, i64) = hidden
        .iter()
        .fold((0, 0), |(l, h), (_, (lo, hi))| (l + lo, h + hi));
    hidden
        .iter()
        .filter(|(_, (lo, hi))| {
            let from = (*lo).max(rest - (high - hi));
            let to = (*hi).min(rest - (low - lo));
            to <= from
        })
        .map(|(i, _)| *i)
        .collect()
}

fn cells(list: &Value, count: &str) -> Vec<Shown> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| (c[count].as_i64(), c["fewer_than"].as_i64()))
        .collect()
}

async fn serve_web(platform: &TestPlatform, shutdown: &CancellationToken) -> String {
    let router = tyndau_web::router_with(
        platform.pool().clone(),
        &HttpSettings::on(([127, 0, 0, 1], 0).into()),
        &tyndau_web::SiteSettings::with_query_api(platform.query_url()),
        None,
        shutdown.child_token(),
    );
    let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(tyndau_http::serve(listener, router, shutdown.child_token()));
    url
}

/// The cells of the region table on a page (`<td>` texts of the rows after the header),
/// as (exact, fewer-than) pairs like the API's, plus the table's total row.
fn page_table(html: &str, fewer_than: &str, withheld: &str) -> (Vec<Shown>, i64) {
    let table = &html[html.find("<table class=\"regions\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let mut rows: Vec<String> = table
        .split("<tr")
        .skip(2)
        .filter_map(|row| {
            let cell = row.split("<td").nth(1)?;
            let text = &cell[cell.find('>')? + 1..cell.find("</td>")?];
            Some(text.trim().to_owned())
        })
        .collect();
    let total = rows.pop().unwrap();
    let number = |text: &str| -> Option<i64> {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let cells = rows
        .iter()
        .map(|text| {
            if text == fewer_than {
                (None, Some(5))
            } else if text == withheld {
                (None, None)
            } else {
                (
                    Some(number(text).unwrap_or_else(|| panic!("not a count: {text}"))),
                    None,
                )
            }
        })
        .collect();
    (cells, number(&total).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_signers_from_one_region_cannot_be_recovered_by_subtraction() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("government").await;
    for n in PEOPLE..PEOPLE + 3 {
        platform
            .sign(&petition, &platform.citizen_token_in(n, Region::Ulytau))
            .await
            .expect_status(201);
    }
    platform.await_count(&petition, 3).await;

    // The API: Ulytau withheld, and so is at least one more cell; nothing is pinned down.
    let regions = platform.get(&format!("/petitions/{petition}/regions")).await;
    let regions = regions.expect_status(200).clone();
    assert_eq!(regions["total"], 3, "the total stays exact");
    let ulytau = regions["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "ulytau")
        .unwrap();
    assert_eq!(
        (ulytau["signatures"].clone(), ulytau["fewer_than"].clone()),
        (Value::Null, json!(5))
    );
    let mut api = cells(&regions["regions"], "signatures");
    api.push((
        regions["unspecified"]["signatures"].as_i64(),
        regions["unspecified"]["fewer_than"].as_i64(),
    ));
    assert!(
        api.iter().filter(|(exact, _)| exact.is_none()).count() >= 2,
        "{regions}"
    );
    assert_eq!(derivable(&api, 3), Vec::<usize>::new(), "{regions}");
    // Asking again gives the same pattern (no intersection of different complements).
    let again = platform.get(&format!("/petitions/{petition}/regions")).await;
    assert_eq!(again.expect_status(200), &regions);

    // The hourly series adds nothing regional: totals per hour that sum to the headline.
    let hourly = platform.get(&format!("/petitions/{petition}/hourly")).await;
    let points = hourly.expect_status(200)["points"].as_array().unwrap().clone();
    assert_eq!(
        points
            .iter()
            .map(|p| p["signatures"].as_i64().unwrap())
            .sum::<i64>(),
        3
    );
    assert!(
        points.iter().all(|p| p.as_object().unwrap().len() == 2),
        "{points:?}"
    );

    // The petition page and the statistics page, in every language.
    let shutdown = CancellationToken::new();
    let web = serve_web(&platform, &shutdown).await;
    let client = platform.client();
    for (lang, fewer_than, withheld) in [
        ("kk", "5-тен аз", "жасырылған"),
        ("ru", "менее 5", "скрыто"),
        ("en", "fewer than 5", "withheld"),
    ] {
        for path in [
            format!("/{lang}/petitions/{petition}"),
            format!("/{lang}/statistics"),
        ] {
            let html = eventually(
                || async {
                    let html = client
                        .get(format!("{web}{path}"))
                        .send()
                        .await
                        .ok()?
                        .text()
                        .await
                        .ok()?;
                    html.contains(fewer_than).then_some(html)
                },
                PATIENCE,
            )
            .await;
            let (shown, total) = page_table(&html, fewer_than, withheld);
            assert_eq!(total, 3, "{path}");
            assert_eq!(shown.len(), 21, "{path}: 20 regions and the unspecified row");
            assert!(shown.iter().filter(|(e, _)| e.is_none()).count() >= 2, "{path}");
            assert_eq!(derivable(&shown, total), Vec::<usize>::new(), "{path}");
        }
    }
    shutdown.cancel();

    // A consultation's report (JSON; the CSV has no regional column at all).
    let official = platform.official_token("government");
    let created = platform
        .post(
            "/consultations",
            Some(&official),
            Some(json!({
                "content": {
                    "kk": { "title": "Заң жобасы", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
                    "ru": { "title": "Проект закона", "summary": "Кратко.", "explanatory_note": "Записка." }
                },
                "provisions": [ { "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Статья первая." } } ]
            })),
        )
        .await;
    let consultation = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closes_at = (OffsetDateTime::now_utc() + time::Duration::days(40))
        .format(&Rfc3339)
        .unwrap();
    platform
        .post(
            &format!("/consultations/{consultation}/open"),
            Some(&official),
            Some(json!({ "closes_at": closes_at })),
        )
        .await
        .expect_status(200);
    for n in PEOPLE..PEOPLE + 3 {
        platform
            .post(
                &format!("/consultations/{consultation}/comments"),
                Some(&platform.citizen_token_in(n, Region::Ulytau)),
                Some(json!({ "language": "ru", "text": format!("Предложение {n}.") })),
            )
            .await
            .expect_status(201);
    }
    let report = eventually(
        || async {
            let reply = platform
                .get(&format!("/consultations/{consultation}/report"))
                .await;
            let total: i64 = reply.body["by_answer"]
                .as_array()?
                .iter()
                .filter_map(|t| t["proposals"].as_i64())
                .sum();
            (reply.status == 200 && total == 3).then_some(reply.body)
        },
        PATIENCE,
    )
    .await;
    let by_region = cells(&report["by_region"], "proposals");
    assert_eq!(by_region.len(), 21, "every region and `unspecified`: {report}");
    assert!(
        by_region.iter().filter(|(e, _)| e.is_none()).count() >= 2,
        "{report}"
    );
    assert_eq!(derivable(&by_region, 3), Vec::<usize>::new(), "{report}");
    let csv = client
        .get(format!(
            "{}/consultations/{consultation}/report.csv?lang=en",
            platform.query_url()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap().to_lowercase();
    assert!(!header.contains("region"), "{header}");
    assert!(!csv.contains("ulytau") && !csv.contains("Ulytau"), "{csv}");

    platform.shutdown().await;
}

#[test]
fn the_oracle_sees_the_attack_on_the_old_rule() {
    // Ulytau withheld alone, every other region 0, total 3: Ulytau = 3.
    let mut old = vec![(Some(0), None); 21];
    old[16] = (None, Some(5));
    assert_eq!(derivable(&old, 3), vec![16]);
    // With one zero withheld beside it, both could be 0 to 3.
    old[2] = (None, Some(5));
    assert_eq!(derivable(&old, 3), Vec::<usize>::new());
}
