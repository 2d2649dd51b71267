//! The load: many concurrent client tasks sending one request per token ([`drive`]), and readers
//! repeating one `GET` until told to stop ([`read_repeatedly`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use serde_json::Value;

/// A latency histogram in microseconds, up to an hour, 3 significant digits.
pub fn new_histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).context("cannot create a histogram")
}

/// The first 300 bytes of a response body, for error reports.
fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned()
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// What [`drive`] measured.
pub struct Load {
    pub sent: usize,
    /// Completion instants of the 201 responses, sorted.
    pub accepts: Vec<Instant>,
    /// Non-201 outcomes by status (or transport error).
    pub errors: BTreeMap<String, u64>,
    /// Non-201 responses by status and problem code (`422 unknown_provision`), when the body is
    /// a problem document; the status alone otherwise.
    pub problems: BTreeMap<String, u64>,
    /// The first few error bodies, one per status.
    pub error_samples: BTreeMap<String, String>,
    /// Request latency in microseconds, every request.
    pub latency: Histogram<u64>,
    /// From the first request to the last completion.
    pub elapsed: Duration,
}

/// Outcome of one request: accepted, or (status kind, problem key, body excerpt).
type Outcome = Result<(), (String, String, String)>;

/// Sends one request per token from `concurrency` tasks; bounded by the token count and `limit`.
/// `request(client, i, token)` builds the request for the `i`-th token (0-based); a 201 response
/// counts as accepted.
pub async fn drive<F>(
    client: &reqwest::Client,
    tokens: Arc<Vec<String>>,
    concurrency: usize,
    limit: Duration,
    request: F,
) -> anyhow::Result<Load>
where
    F: Fn(&reqwest::Client, usize, &str) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + limit;
    let tasks: Vec<_> = (0..concurrency.min(tokens.len()))
        .map(|_| {
            let (client, tokens, next, request) =
                (client.clone(), tokens.clone(), next.clone(), request.clone());
            tokio::spawn(async move {
                let mut latency = new_histogram()?;
                let mut accepts = Vec::with_capacity(tokens.len() / concurrency + 1);
                let mut errors: BTreeMap<String, u64> = BTreeMap::new();
                let mut problems: BTreeMap<String, u64> = BTreeMap::new();
                let mut samples: BTreeMap<String, String> = BTreeMap::new();
                let mut sent = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tokens.len() || Instant::now() >= deadline {
                        break;
                    }
                    sent += 1;
                    let t0 = Instant::now();
                    let outcome: Outcome = match request(&client, i, &tokens[i]).send().await {
                        Ok(response) => {
                            let status = response.status();
                            match response.bytes().await {
                                Ok(_) if status == reqwest::StatusCode::CREATED => Ok(()),
                                Ok(body) => {
                                    let code = serde_json::from_slice::<Value>(&body)
                                        .ok()
                                        .and_then(|v| v["code"].as_str().map(str::to_owned));
                                    let status = status.as_u16().to_string();
                                    let problem = match code {
                                        Some(code) => format!("{status} {code}"),
                                        None => status.clone(),
                                    };
                                    Err((status, problem, excerpt(&body)))
                                }
                                Err(e) => {
                                    Err(("body error".to_owned(), "body error".to_owned(), e.to_string()))
                                }
                            }
                        }
                        Err(e) if e.is_timeout() => {
                            Err(("timeout".to_owned(), "timeout".to_owned(), e.to_string()))
                        }
                        Err(e) => Err((
                            "transport error".to_owned(),
                            "transport error".to_owned(),
                            format!("{e:#}"),
                        )),
                    };
                    let done = Instant::now();
                    latency.saturating_record(micros(done - t0));
                    match outcome {
                        Ok(()) => accepts.push(done),
                        Err((kind, problem, body)) => {
                            *errors.entry(kind.clone()).or_default() += 1;
                            *problems.entry(problem).or_default() += 1;
                            samples.entry(kind).or_insert(body);
                        }
                    }
                }
                anyhow::Ok((sent, accepts, errors, problems, samples, latency))
            })
        })
        .collect();
    let mut load = Load {
        sent: 0,
        accepts: Vec::with_capacity(tokens.len()),
        errors: BTreeMap::new(),
        problems: BTreeMap::new(),
        error_samples: BTreeMap::new(),
        latency: new_histogram()?,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (sent, accepts, errors, problems, samples, latency) =
            task.await.context("a client task panicked")??;
        load.sent += sent;
        load.accepts.extend(accepts);
        for (k, v) in errors {
            *load.errors.entry(k).or_default() += v;
        }
        for (k, v) in problems {
            *load.problems.entry(k).or_default() += v;
        }
        for (k, v) in samples {
            load.error_samples.entry(k).or_insert(v);
        }
        load.latency.add(&latency).context("cannot merge histograms")?;
    }
    load.accepts.sort_unstable();
    let last = load.accepts.last().copied().unwrap_or_else(Instant::now);
    load.elapsed = last.duration_since(started);
    Ok(load)
}

/// What [`read_repeatedly`] measured.
pub struct Reads {
    /// Responses that passed the check.
    pub ok: u64,
    /// Failures by kind (status, `wrong page`, timeout…).
    pub failures: BTreeMap<String, u64>,
    /// The first body of each failure kind.
    pub failure_samples: BTreeMap<String, String>,
    /// Latency in microseconds of every request (to the end of the body).
    pub latency: Histogram<u64>,
    pub elapsed: Duration,
}

impl Reads {
    pub fn total(&self) -> u64 {
        self.ok + self.failures.values().sum::<u64>()
    }
}

/// `readers` tasks each sending `GET url` until `stop` is set or `deadline` passes: back to back,
/// or with `every`, at most one request per period each (visitors, not a saturating loop).
/// A read passes when it is 200 and, with `expect_items`, its JSON `items` array has that length.
pub async fn read_repeatedly(
    client: &reqwest::Client,
    url: Arc<str>,
    readers: usize,
    every: Option<Duration>,
    stop: Arc<AtomicBool>,
    deadline: Instant,
    expect_items: Option<usize>,
) -> anyhow::Result<Reads> {
    let started = Instant::now();
    let tasks: Vec<_> = (0..readers)
        .map(|_| {
            let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
            tokio::spawn(async move {
                let mut latency = new_histogram()?;
                let mut ok = 0u64;
                let mut failures: BTreeMap<String, u64> = BTreeMap::new();
                let mut samples: BTreeMap<String, String> = BTreeMap::new();
                let mut pace = every.map(|period| {
                    let mut ticks = tokio::time::interval(period);
                    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    ticks
                });
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    if let Some(ticks) = pace.as_mut() {
                        ticks.tick().await;
                    }
                    let t0 = Instant::now();
                    let outcome = match client.get(&*url).send().await {
                        Ok(response) => {
                            let status = response.status();
                            match response.bytes().await {
                                Ok(body) => Ok((status, body)),
                                Err(e) => Err(("body error".to_owned(), e.to_string())),
                            }
                        }
                        Err(e) if e.is_timeout() => Err(("timeout".to_owned(), e.to_string())),
                        Err(e) => Err(("transport error".to_owned(), format!("{e:#}"))),
                    };
                    latency.saturating_record(micros(t0.elapsed()));
                    let failure = match outcome {
                        Ok((status, body)) if status != reqwest::StatusCode::OK => {
                            Some((status.as_u16().to_string(), excerpt(&body)))
                        }
                        Ok((_, body)) => expect_items.and_then(|n| {
                            let items = serde_json::from_slice::<Value>(&body)
                                .ok()
                                .and_then(|v| v["items"].as_array().map(Vec::len));
                            (items != Some(n)).then(|| {
                                (
                                    format!(
                                        "wrong page ({} items)",
                                        items.map_or("no".to_owned(), |i| i.to_string())
                                    ),
                                    excerpt(&body),
                                )
                            })
                        }),
                        Err(e) => Some(e),
                    };
                    match failure {
                        None => ok += 1,
                        Some((kind, body)) => {
                            *failures.entry(kind.clone()).or_default() += 1;
                            samples.entry(kind).or_insert(body);
                        }
                    }
                }
                anyhow::Ok((ok, failures, samples, latency))
            })
        })
        .collect();
    let mut reads = Reads {
        ok: 0,
        failures: BTreeMap::new(),
        failure_samples: BTreeMap::new(),
        latency: new_histogram()?,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (ok, failures, samples, latency) = task.await.context("a reader task panicked")??;
        reads.ok += ok;
        for (k, v) in failures {
            *reads.failures.entry(k).or_default() += v;
        }
        for (k, v) in samples {
            reads.failure_samples.entry(k).or_insert(v);
        }
        reads.latency.add(&latency).context("cannot merge histograms")?;
    }
    reads.elapsed = started.elapsed();
    Ok(reads)
}
