//! Projection lag: a public count sampled every [`SAMPLE_EVERY`] while the load runs, and for
//! each accepted request the first sample that includes it.

use std::time::{Duration, Instant};

use anyhow::bail;
use hdrhistogram::Histogram;
use serde_json::Value;
use tokio::sync::watch;

use super::load::new_histogram;

pub const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// The integer `field` of the JSON at `url`; `None` unless 200 with that field.
pub async fn read_count(client: &reqwest::Client, url: &str, field: &str) -> Option<i64> {
    let response = client.get(url).send().await.ok()?;
    if response.status() != reqwest::StatusCode::OK {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body[field].as_i64()
}

/// Polls the count until it is visible and at least `target`; returns it.
pub async fn wait_for_count(
    client: &reqwest::Client,
    url: &str,
    field: &str,
    target: i64,
    timeout: Duration,
) -> anyhow::Result<i64> {
    let deadline = Instant::now() + timeout;
    let mut last = None;
    loop {
        if let Some(count) = read_count(client, url, field).await {
            if count >= target {
                return Ok(count);
            }
            last = Some(count);
        }
        if Instant::now() >= deadline {
            bail!("count {last:?} after {} s, expected {target}", timeout.as_secs());
        }
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
}

/// Polls the public count every [`SAMPLE_EVERY`] until told the goal (count, deadline) and the
/// count reaches it or the deadline passes; never longer than `bound`. Returns (instant the
/// response arrived, count), the count made monotone.
pub async fn sample_counts(
    client: reqwest::Client,
    url: String,
    field: &'static str,
    goal: watch::Receiver<Option<(i64, Instant)>>,
    bound: Duration,
) -> Vec<(Instant, i64)> {
    let hard_stop = Instant::now() + bound;
    let mut samples: Vec<(Instant, i64)> = Vec::new();
    let mut highest = 0;
    loop {
        let tick = Instant::now();
        if let Some(count) = read_count(&client, &url, field).await {
            highest = highest.max(count);
            samples.push((Instant::now(), highest));
        }
        let now = Instant::now();
        if let Some((target, deadline)) = *goal.borrow()
            && (highest >= target || now >= deadline)
        {
            break;
        }
        if now >= hard_stop {
            break;
        }
        tokio::time::sleep_until((tick + SAMPLE_EVERY).into()).await;
    }
    samples
}

/// For the k-th accepted request (by completion time): the first sample showing at least
/// `baseline + k` minus its acceptance; `None` if no sample ever did.
pub fn lags(accepts: &[Instant], samples: &[(Instant, i64)], baseline: i64) -> Vec<Option<Duration>> {
    let mut j = 0;
    accepts
        .iter()
        .enumerate()
        .map(|(k, accepted)| {
            let needed = baseline + i64::try_from(k + 1).unwrap_or(i64::MAX);
            while j < samples.len() && samples[j].1 < needed {
                j += 1;
            }
            samples
                .get(j)
                .map(|(seen, _)| seen.saturating_duration_since(*accepted))
        })
        .collect()
}

/// A histogram (in microseconds) of `values`.
pub fn histogram_of(values: impl Iterator<Item = Duration>) -> anyhow::Result<Histogram<u64>> {
    let mut hist = new_histogram()?;
    for v in values {
        hist.saturating_record(u64::try_from(v.as_micros()).unwrap_or(u64::MAX));
    }
    Ok(hist)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_is_measured_from_the_first_sample_showing_the_signature() {
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let accepts = [at(0), at(10), at(20)];
        let samples = [(at(5), 10), (at(30), 12), (at(50), 13)];
        let lags = lags(&accepts, &samples, 10);
        assert_eq!(
            lags,
            vec![
                Some(Duration::from_millis(30)),
                Some(Duration::from_millis(20)),
                Some(Duration::from_millis(30)),
            ]
        );
        assert_eq!(super::lags(&accepts, &samples[..1], 10), vec![None, None, None]);
    }
}
