//! HTTP clients for the load and the samplers, and a JSON `POST` for the scenario's setup steps.

use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;

/// One shared HTTP/1.1 client for a benchmark's setup steps and readers (the writing load goes
/// through [`super::drive`], one plain connection per task): its pool keeps up to `concurrency`
/// idle keep-alive connections.
pub fn load_client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(concurrency)
        .pool_idle_timeout(Duration::from_secs(90))
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

/// A client for the count sampler: short timeout, its own connection.
pub fn count_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(5))
        .build()
        .context("cannot build the HTTP client")
}

/// `POST url` with `token` and an optional JSON body; the response must have status `expect` and
/// a JSON body, which is returned.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: Option<&Value>,
    expect: u16,
) -> anyhow::Result<Value> {
    let mut request = client.post(url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.with_context(|| format!("POST {url}"))?;
    let status = response.status();
    let text = response.text().await.with_context(|| format!("POST {url}"))?;
    if status.as_u16() != expect {
        bail!("POST {url}: expected {expect}, got {status}: {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("POST {url}: not JSON: {text}"))
}
