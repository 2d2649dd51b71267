//! The checks behind `tyndau-verify`, usable as a library (the tests run them in-process).

pub mod checks;
pub mod remote;

use std::time::Duration;

use crate::remote::RemoteLog;

/// A check that ran and found a mismatch, as opposed to one that could not run.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Mismatch(pub String);

/// The log's count against the site's. Signatures keep arriving and the log follows the store
/// within seconds, so a difference is rechecked a few times before it is reported.
pub async fn count(
    log: &RemoteLog,
    petition: &str,
    query: Option<&str>,
    web: Option<&str>,
) -> anyhow::Result<String> {
    let mut last = String::new();
    for attempt in 0..6 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        let (verified, _) = log.checkpoint().await?;
        let from_log = checks::count_from_log(log, &verified, petition).await?;
        let mut shown = Vec::new();
        if let Some(query) = query {
            shown.push((
                "query API",
                checks::count_from_api(&log.http, query, petition).await?,
            ));
        }
        if let Some(web) = web {
            shown.push((
                "web page",
                checks::count_from_web(&log.http, web, petition).await?,
            ));
        }
        let summary = format!(
            "petition {petition}: the log counts {} ({} signed - {} withdrawn - {} invalidated) in {} leaves{}",
            from_log.count(),
            from_log.signed,
            from_log.withdrawn,
            from_log.invalidated,
            from_log.size,
            shown
                .iter()
                .map(|(what, n)| format!("; the {what} shows {n}"))
                .collect::<String>()
        );
        if shown.iter().all(|(_, n)| *n == from_log.count()) {
            return Ok(format!("count: {summary}"));
        }
        last = summary;
    }
    Err(Mismatch(format!("the counts differ: {last}")).into())
}
