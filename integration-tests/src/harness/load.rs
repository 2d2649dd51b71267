//! The load: many concurrent client tasks sending one request per token ([`drive`]), and readers
//! repeating one `GET` until told to stop ([`read_repeatedly`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use hdrhistogram::Histogram;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use http::uri::PathAndQuery;
use http::{HeaderValue, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
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
    /// When the first request was sent.
    pub started: Instant,
    /// From the first request to the last completion.
    pub elapsed: Duration,
}

impl Load {
    /// Accepted per second over the first and over the last `window` acceptances (each measured
    /// from the acceptance before the window, the first from the start of the load): whether the
    /// rate holds as the petition grows. `None` when fewer than two windows were accepted.
    pub fn first_and_last_rates(&self, window: usize) -> Option<(f64, f64)> {
        let n = self.accepts.len();
        if window == 0 || n < 2 * window {
            return None;
        }
        let rate =
            |from: Instant, to: Instant| window as f64 / to.duration_since(from).as_secs_f64().max(1e-9);
        let first = rate(self.started, self.accepts[window - 1]);
        let last = rate(self.accepts[n - window - 1], self.accepts[n - 1]);
        Some((first, last))
    }
}

/// Outcome of one request: accepted, or (status kind, problem key, body excerpt).
type Outcome = Result<(), (String, String, String)>;

/// Where a load goes: every request a `POST` to one URL with the citizen's bearer token.
#[derive(Clone, Debug)]
pub struct Target {
    /// `host:port` to connect to.
    addr: String,
    authority: HeaderValue,
    path: PathAndQuery,
}

impl Target {
    /// An `http://` URL (the services listen on loopback without TLS).
    pub fn post(url: &str) -> anyhow::Result<Self> {
        let uri: Uri = url.parse().with_context(|| format!("not a URL: {url}"))?;
        anyhow::ensure!(uri.scheme_str() == Some("http"), "not an http:// URL: {url}");
        let authority = uri.authority().with_context(|| format!("no host in {url}"))?;
        let port = authority.port_u16().unwrap_or(80);
        Ok(Self {
            addr: format!("{}:{port}", authority.host()),
            authority: HeaderValue::from_str(authority.as_str()).context("invalid host")?,
            path: uri
                .path_and_query()
                .cloned()
                .unwrap_or_else(|| PathAndQuery::from_static("/")),
        })
    }
}

/// A request of the load that got no answer within this is counted as a timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client task's own keep-alive HTTP/1.1 connection, as a citizen's browser keeps one. Plain
/// hyper rather than a pooled client: the load generator's CPU counts in the benchmarks' figures
/// (a reqwest client cost about 37 µs per request here), so it should cost what a request costs.
type Connection = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(target: &Target) -> anyhow::Result<Connection> {
    let stream = tokio::net::TcpStream::connect(&target.addr)
        .await
        .with_context(|| format!("cannot connect to {}", target.addr))?;
    stream.set_nodelay(true).context("cannot set TCP_NODELAY")?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1.1 handshake failed")?;
    tokio::spawn(async move {
        // Ends when the server closes the connection; the next request reconnects.
        let _closed = connection.await;
    });
    Ok(sender)
}

/// Sends one request on the task's connection (opening it first if needed): status and body.
async fn send(
    target: &Target,
    connection: &mut Option<Connection>,
    token: &str,
    body: Option<Bytes>,
) -> anyhow::Result<(StatusCode, Bytes)> {
    let sender = match connection {
        Some(sender) if !sender.is_closed() => sender,
        _ => connection.insert(connect(target).await?),
    };
    sender.ready().await.context("connection lost")?;
    let mut request = Request::post(target.path.clone())
        .header(HOST, target.authority.clone())
        .header(AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        request = request.header(CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(Full::new(body.unwrap_or_default()))
        .context("cannot build the request")?;
    let response = sender.send_request(request).await.context("request failed")?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .context("response body failed")?
        .to_bytes();
    Ok((status, body))
}

/// Sends one request per token from `concurrency` tasks, each on its own connection; bounded by
/// the token count and `limit`. `body(i)` is the JSON body for the `i`-th token (0-based), if
/// any; a 201 response counts as accepted.
pub async fn drive<F>(
    target: &Target,
    tokens: Arc<Vec<String>>,
    concurrency: usize,
    limit: Duration,
    body: F,
) -> anyhow::Result<Load>
where
    F: Fn(usize) -> Option<Bytes> + Send + Sync + 'static,
{
    let body = Arc::new(body);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + limit;
    let tasks: Vec<_> = (0..concurrency.min(tokens.len()))
        .map(|_| {
            let (target, tokens, next, body) = (target.clone(), tokens.clone(), next.clone(), body.clone());
            tokio::spawn(async move {
                let mut latency = new_histogram()?;
                let mut accepts = Vec::with_capacity(tokens.len() / concurrency + 1);
                let mut errors: BTreeMap<String, u64> = BTreeMap::new();
                let mut problems: BTreeMap<String, u64> = BTreeMap::new();
                let mut samples: BTreeMap<String, String> = BTreeMap::new();
                let mut sent = 0usize;
                let mut connection = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tokens.len() || Instant::now() >= deadline {
                        break;
                    }
                    sent += 1;
                    let t0 = Instant::now();
                    let sending = send(&target, &mut connection, &tokens[i], body(i));
                    let outcome: Outcome = match tokio::time::timeout(REQUEST_TIMEOUT, sending).await {
                        Ok(Ok((status, _))) if status == StatusCode::CREATED => Ok(()),
                        Ok(Ok((status, body))) => {
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
                        Ok(Err(e)) => {
                            connection = None;
                            Err((
                                "transport error".to_owned(),
                                "transport error".to_owned(),
                                format!("{e:#}"),
                            ))
                        }
                        Err(_) => {
                            connection = None;
                            Err((
                                "timeout".to_owned(),
                                "timeout".to_owned(),
                                "no answer in 30 s".to_owned(),
                            ))
                        }
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
        started,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(started: Instant, accepted_at_ms: impl IntoIterator<Item = u64>) -> Load {
        Load {
            sent: 0,
            accepts: accepted_at_ms
                .into_iter()
                .map(|ms| started + Duration::from_millis(ms))
                .collect(),
            errors: BTreeMap::new(),
            problems: BTreeMap::new(),
            error_samples: BTreeMap::new(),
            latency: new_histogram().unwrap(),
            started,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn first_and_last_windows_are_timed_from_the_acceptance_before_them() {
        let started = Instant::now();
        // Ten acceptances 10 ms apart, then ten 20 ms apart: the rate halves.
        let times = (1..=10).map(|i| i * 10).chain((1..=10).map(|i| 100 + i * 20));
        let (first, last) = load(started, times).first_and_last_rates(10).unwrap();
        assert!((first - 100.0).abs() < 1.0, "{first}");
        assert!((last - 50.0).abs() < 1.0, "{last}");
    }

    #[test]
    fn too_few_acceptances_give_no_comparison() {
        let started = Instant::now();
        assert!(load(started, 1..=19).first_and_last_rates(10).is_none());
        assert!(load(started, 1..=20).first_and_last_rates(10).is_some());
        assert!(load(started, 1..=20).first_and_last_rates(0).is_none());
    }

    #[test]
    fn a_target_is_an_http_url_split_into_address_host_and_path() {
        let target = Target::post("http://127.0.0.1:8081/petitions/x/signature?show_name=true").unwrap();
        assert_eq!(target.addr, "127.0.0.1:8081");
        assert_eq!(target.authority, "127.0.0.1:8081");
        assert_eq!(target.path.as_str(), "/petitions/x/signature?show_name=true");
        assert_eq!(Target::post("http://localhost/").unwrap().addr, "localhost:80");
        assert!(Target::post("https://127.0.0.1:8081/").is_err());
        assert!(Target::post("not a url").is_err());
    }
}
