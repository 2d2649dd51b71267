//! `bench-web`: the public web front's benchmark (`just bench-web`).
//!
//! It starts an isolated copy of the platform (a fresh database and NATS prefix on the local
//! servers, fresh dev keys and pepper, the write path, the thresholds projector, the query API and
//! the web front as child processes), publishes one national petition and gives it a history of
//! signatures from every region, then measures two things:
//!
//! 1. **The petition page at a fixed rate.** `GET /{lang}/petitions/{id}` (Kazakh, Russian and
//!    English in turn) is requested at `--rate` per second on a fixed schedule, open loop, while
//!    citizens keep signing. Latency runs from the moment a request was due to the end of its
//!    body, so a server that falls behind is charged for the queue it builds (no coordinated
//!    omission).
//! 2. **Live viewers.** For each level of `--viewers` (500 to 8,000 by default) that
//!    many Server-Sent Events streams watch the petition's live counter while citizens sign it at
//!    a steady pace. For every viewer and every signature: the time from the signature's `201` to
//!    the first event showing a count that includes it. A level is held when every viewer stayed
//!    connected and saw every signature within `--max-behind-ms`; the escalation stops at the
//!    first level that is not held.
//!
//! The last stdout line is machine-readable: the page's p99 latency and the largest level held.
//!
//! `page_p99_ms=N sse_viewers=N`
//!
//! Everything is torn down at the end, on error and on Ctrl-C: children killed, database
//! dropped, stream deleted, temporary directory removed. All traffic stays on 127.0.0.1.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use hdrhistogram::Histogram;
use serde_json::Value;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tyndau_auth::Role;
use tyndau_auth::dev::DevClaims;
use tyndau_integration_tests::harness::{
    AUDIENCE, Bench, CpuSnapshot, ISSUER, ServerArgs, Target, citizens, describe_errors, drive,
    established_to, histogram_of, lags, load_client, mint, mint_citizen_tokens, ms, new_histogram, num_cpus,
    open_petition, print_last_line, wait_for_count, watch_rss,
};

/// The services under test, in start order.
const SERVICES: &[&str] = &[
    "tyndau-event-relay",
    "tyndau-projector-thresholds",
    "tyndau-query-api",
    "tyndau-command-api",
    "tyndau-web",
];
/// The field of `GET /petitions/{id}/count` holding the projected count.
const COUNT_FIELD: &str = "signatures";
/// The page is requested in each interface language in turn.
const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];
/// Concurrent signers loading the history (unmeasured).
const HISTORY_SIGNERS: usize = 32;
/// Viewers connecting at once: a crowd arriving, not a SYN flood.
const CONNECTING_AT_ONCE: usize = 64;

#[derive(Debug, Parser)]
#[command(
    name = "bench-web",
    about = "Web front benchmark: the petition page at a fixed request rate, and how many live viewers keep up"
)]
struct Args {
    /// Signatures made before measuring, so the page has regions, a chart and a timeline to show.
    #[arg(long, default_value_t = 2_000)]
    history: usize,
    /// Petition-page requests per second, on a fixed schedule.
    #[arg(long, default_value_t = 500)]
    rate: u32,
    /// Length of the page phase.
    #[arg(long, default_value_t = 30)]
    page_seconds: u64,
    /// Signatures per second made during the page phase (the page shows live data).
    #[arg(long, default_value_t = 20)]
    signing_rate: u32,
    /// Page requests allowed in flight at once; beyond that, requests wait (and are charged for it).
    #[arg(long, default_value_t = 1_024)]
    in_flight: usize,
    /// Live-viewer levels tried in turn, until one is not held.
    #[arg(long, value_delimiter = ',', default_values_t = [500, 1_000, 2_000, 4_000, 8_000])]
    viewers: Vec<usize>,
    /// Signatures made while each level of viewers watches.
    #[arg(long, default_value_t = 24)]
    updates: usize,
    /// Signatures per second while viewers watch (not a divisor of the web front's 4 polls a
    /// second, so the signatures land at every phase of its polling cycle).
    #[arg(long, default_value_t = 3.0)]
    update_rate: f64,
    /// A viewer keeps up when it sees every signature within this many milliseconds.
    #[arg(long, default_value_t = 1_000)]
    max_behind_ms: u64,
    #[command(flatten)]
    servers: ServerArgs,
}

// The load generator's CPU counts in the figures: the same allocator as the services.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.rate > 0, "--rate must be positive");
    anyhow::ensure!(args.page_seconds > 0, "--page-seconds must be positive");
    anyhow::ensure!(args.in_flight > 0, "--in-flight must be positive");
    anyhow::ensure!(args.updates > 0, "--updates must be positive");
    anyhow::ensure!(
        args.update_rate > 0.0 && args.update_rate.is_finite(),
        "--update-rate must be positive"
    );
    anyhow::ensure!(
        !args.viewers.is_empty() && args.viewers.iter().all(|v| *v > 0),
        "--viewers needs positive levels"
    );

    // Every viewer is a socket here and in the web front (which inherits the limit): raise the
    // soft limit on open files as far as the hard limit allows, often 1,024 → 1,048,576.
    let open_files = rlimit::increase_nofile_limit(u64::MAX).context("cannot raise the open-files limit")?;
    let largest = args.viewers.iter().max().copied().unwrap_or(0) as u64;
    anyhow::ensure!(
        largest + 1_000 <= open_files,
        "{largest} viewers need more open files than the limit allows ({open_files}); lower --viewers"
    );

    let bench = Bench::prepare(SERVICES, &args.servers).await?;
    let Some(report) = bench.supervise(async |bench| run(bench, &args).await).await else {
        // Already reported, with the services' last log lines; everything is torn down.
        std::process::exit(1);
    };
    print_last_line(&last_line(&report))
}

struct Report {
    page_p99_us: Option<u64>,
    viewers_held: usize,
}

/// Integers, rounded against us: latency up. A page phase without a single successful request
/// is reported as the timeout sentinel.
fn last_line(report: &Report) -> String {
    format!(
        "page_p99_ms={} sse_viewers={}",
        report
            .page_p99_us
            .map_or(u64::from(u32::MAX), |us| us.div_ceil(1000)),
        report.viewers_held
    )
}

async fn run(bench: &mut Bench, args: &Args) -> anyhow::Result<Report> {
    bench.setup().await?;
    let command_url = bench.url("tyndau-command-api")?;
    let query_url = bench.url("tyndau-query-api")?;
    let web_url = bench.url("tyndau-web")?;
    let web_port = bench.service("tyndau-web")?.addr.port();

    let pids = bench.pids();
    let (rss_stop, rss_stop_rx) = watch::channel(false);
    let rss_task = tokio::spawn(watch_rss(pids.clone(), rss_stop_rx));

    // Identities and tokens, all minted before anything is timed.
    let page_signatures = usize::try_from(u64::from(args.signing_rate) * args.page_seconds)?;
    let total = 1 + args.history + page_signatures + args.viewers.len() * args.updates;
    let started = Instant::now();
    let people = citizens(total)?;
    let signer = bench.signer()?;
    let moderator = mint(
        &signer,
        DevClaims::new(ISSUER, AUDIENCE, "bench-moderator", Role::Moderator),
    )
    .context("cannot mint the moderator token")?;
    let mut tokens = tokio::task::block_in_place(|| mint_citizen_tokens(&signer, &people, 0))?.into_iter();
    let mut take = |n: usize| -> Vec<String> { tokens.by_ref().take(n).collect() };
    let author = take(1).pop().context("no author token")?;
    let history = take(args.history);
    let during_pages = take(page_signatures);
    let per_level: Vec<Vec<String>> = args.viewers.iter().map(|_| take(args.updates)).collect();
    eprintln!(
        "minted {total} citizen tokens in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let client = load_client(HISTORY_SIGNERS)?;
    let petition = open_petition(
        &client,
        &command_url,
        &author,
        &moderator,
        "how fast its public page is served and how many people can watch it live",
    )
    .await?;
    let sign_url: Arc<str> = format!("{command_url}/petitions/{petition}/signature").into();
    let count_url = format!("{query_url}/petitions/{petition}/count");
    let mut signed = 0;

    // History: unmeasured, and it must be projected before anything is measured.
    if !history.is_empty() {
        let load = drive(
            &Target::post(&sign_url)?,
            Arc::new(history),
            HISTORY_SIGNERS,
            Duration::from_secs(600),
            |_| None,
        )
        .await?;
        signed += i64::try_from(load.accepts.len())?;
        eprintln!(
            "history: {signed} signatures in {:.2} s, errors: {}",
            load.elapsed.as_secs_f64(),
            describe_errors(&load.problems)
        );
    }
    wait_for_count(&client, &count_url, COUNT_FIELD, signed, Duration::from_secs(60))
        .await
        .context("the history never all appeared in the query API")?;
    bench.check_alive()?;

    // ---- 1. the petition page at a fixed rate, while citizens sign
    let page_urls: Vec<String> = LANGUAGES
        .iter()
        .map(|lang| format!("{web_url}/{lang}/petitions/{petition}"))
        .collect();
    eprintln!(
        "page phase: {} petition pages per second for {} s (kk/ru/en in turn), {} signatures per second alongside",
        args.rate, args.page_seconds, args.signing_rate
    );
    let cpu_before = CpuSnapshot::take(&pids);
    let signing = tokio::spawn(sign_paced(
        client.clone(),
        sign_url.clone(),
        during_pages,
        f64::from(args.signing_rate),
    ));
    let pages = request_pages(
        &load_client(args.in_flight)?,
        &page_urls,
        &petition,
        args.rate,
        args.page_seconds,
        args.in_flight,
    )
    .await?;
    let cpu_after = CpuSnapshot::take(&pids);
    let page_signing = signing.await.context("the signer panicked")?;
    signed += i64::try_from(page_signing.accepts.len())?;
    bench.check_alive()?;
    print_pages(&pages, args);
    eprintln!(
        "signatures during the page phase: {} accepted, errors: {}",
        page_signing.accepts.len(),
        describe_errors(&page_signing.errors)
    );
    eprintln!(
        "CPU during the page phase ({:.2} s wall, {} cores):",
        cpu_after.at.duration_since(cpu_before.at).as_secs_f64(),
        num_cpus()
    );
    cpu_before.print_delta(&cpu_after);

    // ---- 2. live viewers, level by level
    let max_behind = Duration::from_millis(args.max_behind_ms);
    let mut viewers_held = 0;
    for (&viewers, tokens) in args.viewers.iter().zip(per_level) {
        let baseline = wait_for_count(&client, &count_url, COUNT_FIELD, signed, Duration::from_secs(60))
            .await
            .context("earlier signatures never all appeared in the query API")?;
        let level = watch_live(
            &format!("{web_url}/kk/petitions/{petition}/live"),
            viewers,
            baseline,
            max_behind,
            async || sign_paced(client.clone(), sign_url.clone(), tokens, args.update_rate).await,
            web_port,
        )
        .await?;
        signed += i64::try_from(level.signing.accepts.len())?;
        bench.check_alive()?;
        print_level(&level, max_behind);
        if !level.held() {
            break;
        }
        viewers_held = viewers;
    }

    let _sent = rss_stop.send(true);
    let rss = rss_task.await.context("the memory watcher panicked")?;
    eprintln!("peak resident memory (VmHWM):");
    for (name, kb) in &rss {
        eprintln!("  {name:<30} {:>8.1} MB", *kb as f64 / 1024.0);
    }
    Ok(Report {
        page_p99_us: (pages.ok > 0).then(|| pages.latency.value_at_quantile(0.99)),
        viewers_held,
    })
}

// ----------------------------------------------------------------------------------- signing

/// What [`sign_paced`] saw.
struct Signing {
    /// Completion instants of the `201` responses, in order.
    accepts: Vec<Instant>,
    /// Everything else, by status (or transport error).
    errors: BTreeMap<String, u64>,
}

/// Signs once per token, one signature every `1 / per_second` seconds, one at a time.
async fn sign_paced(client: reqwest::Client, url: Arc<str>, tokens: Vec<String>, per_second: f64) -> Signing {
    let period = Duration::from_secs_f64(1.0 / per_second);
    let start = Instant::now();
    let mut signing = Signing {
        accepts: Vec::with_capacity(tokens.len()),
        errors: BTreeMap::new(),
    };
    for (i, token) in tokens.iter().enumerate() {
        let due = start + period.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        match client.post(&*url).bearer_auth(token).send().await {
            Ok(response) if response.status() == reqwest::StatusCode::CREATED => {
                signing.accepts.push(Instant::now());
            }
            Ok(response) => {
                *signing
                    .errors
                    .entry(response.status().as_u16().to_string())
                    .or_default() += 1
            }
            Err(_) => *signing.errors.entry("transport error".to_owned()).or_default() += 1,
        }
    }
    signing
}

// ------------------------------------------------------------------------------------ pages

/// What [`request_pages`] measured.
struct Pages {
    due: usize,
    ok: u64,
    failures: BTreeMap<String, u64>,
    failure_samples: BTreeMap<String, String>,
    /// Microseconds from the moment each request was due to the end of its body.
    latency: Histogram<u64>,
    /// From the first due time to the last completion.
    elapsed: Duration,
    /// Bytes of the successful pages.
    bytes: u64,
}

/// Requests `urls` in turn, `rate` per second for `seconds`, each at its due time whatever the
/// earlier ones are doing (at most `in_flight` outstanding).
async fn request_pages(
    client: &reqwest::Client,
    urls: &[String],
    petition: &str,
    rate: u32,
    seconds: u64,
    in_flight: usize,
) -> anyhow::Result<Pages> {
    let due = usize::try_from(u64::from(rate) * seconds)?;
    let period = Duration::from_secs_f64(1.0 / f64::from(rate));
    let slots = Arc::new(Semaphore::new(in_flight));
    let petition: Arc<str> = petition.into();
    let mut pages = Pages {
        due,
        ok: 0,
        failures: BTreeMap::new(),
        failure_samples: BTreeMap::new(),
        latency: new_histogram()?,
        elapsed: Duration::ZERO,
        bytes: 0,
    };
    let mut running = JoinSet::new();
    let start = Instant::now() + Duration::from_millis(50);
    for i in 0..due {
        let at = start + period.mul_f64(i as f64);
        tokio::time::sleep_until(at.into()).await;
        let slot = slots
            .clone()
            .acquire_owned()
            .await
            .context("the request slots closed")?;
        let (client, url, petition) = (client.clone(), urls[i % urls.len()].clone(), petition.clone());
        running.spawn(async move {
            let outcome = fetch_page(&client, &url, &petition).await;
            drop(slot);
            (at.elapsed(), outcome)
        });
        while let Some(done) = running.try_join_next() {
            record_page(&mut pages, done.context("a page request panicked")?);
        }
    }
    while let Some(done) = running.join_next().await {
        record_page(&mut pages, done.context("a page request panicked")?);
    }
    pages.elapsed = start.elapsed();
    Ok(pages)
}

/// A page passes when it is `200 text/html` and is the petition's own page.
async fn fetch_page(client: &reqwest::Client, url: &str, petition: &str) -> Result<usize, (String, String)> {
    let response = client.get(url).send().await.map_err(|e| {
        let kind = if e.is_timeout() {
            "timeout"
        } else {
            "transport error"
        };
        (kind.to_owned(), format!("{e:#}"))
    })?;
    let status = response.status();
    let html = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let body = response
        .text()
        .await
        .map_err(|e| ("body error".to_owned(), e.to_string()))?;
    let excerpt = || body.chars().take(300).collect::<String>();
    if status != reqwest::StatusCode::OK {
        return Err((status.as_u16().to_string(), excerpt()));
    }
    if !html || !body.contains(petition) {
        return Err(("not the petition page".to_owned(), excerpt()));
    }
    Ok(body.len())
}

fn record_page(pages: &mut Pages, (latency, outcome): (Duration, Result<usize, (String, String)>)) {
    pages
        .latency
        .saturating_record(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    match outcome {
        Ok(bytes) => {
            pages.ok += 1;
            pages.bytes += bytes as u64;
        }
        Err((kind, body)) => {
            *pages.failures.entry(kind.clone()).or_default() += 1;
            pages.failure_samples.entry(kind).or_insert(body);
        }
    }
}

fn print_pages(pages: &Pages, args: &Args) {
    let secs = pages.elapsed.as_secs_f64().max(1e-6);
    eprintln!();
    eprintln!("== petition page ==");
    eprintln!(
        "{} due at {}/s, {} served in {:.2} s ({:.0}/s, {:.1} KiB a page), failures: {}",
        pages.due,
        args.rate,
        pages.ok,
        secs,
        pages.ok as f64 / secs,
        pages.bytes as f64 / pages.ok.max(1) as f64 / 1024.0,
        describe_errors(&pages.failures)
    );
    for (kind, body) in &pages.failure_samples {
        eprintln!("  e.g. {kind}: {body}");
    }
    eprintln!(
        "latency (due → body received): p50 {} p90 {} p99 {} p99.9 {} max {}",
        ms(pages.latency.value_at_quantile(0.50)),
        ms(pages.latency.value_at_quantile(0.90)),
        ms(pages.latency.value_at_quantile(0.99)),
        ms(pages.latency.value_at_quantile(0.999)),
        ms(pages.latency.max()),
    );
}

// ------------------------------------------------------------------------------ live viewers

/// What one level of live viewers saw.
struct Level {
    viewers: usize,
    /// Viewers that received their first event, and how long the whole crowd took to get there.
    connected: usize,
    connect_time: Duration,
    /// Open connections to the web front while the signatures were made.
    established: Option<usize>,
    signing: Signing,
    /// Viewers that stayed connected and saw every signature in time.
    kept_up: usize,
    /// Why the others did not, by reason.
    behind: BTreeMap<String, u64>,
    /// Every (viewer, signature) pair: accepted → shown.
    lag: Histogram<u64>,
    /// Pairs never shown before the viewer gave up.
    unseen: usize,
}

impl Level {
    fn held(&self) -> bool {
        self.kept_up == self.viewers && self.signing.errors.is_empty()
    }
}

/// One viewer's stream: each count event as it arrived, and how the stream ended if it failed.
struct Viewer {
    counts: Vec<(Instant, i64)>,
    failure: Option<String>,
}

/// Connects `viewers` streams to `url`, waits until each has its first count, lets `sign` make
/// signatures, then waits until every viewer shows them all (or is too late to count).
async fn watch_live(
    url: &str,
    viewers: usize,
    baseline: i64,
    max_behind: Duration,
    sign: impl AsyncFnOnce() -> Signing,
    web_port: u16,
) -> anyhow::Result<Level> {
    eprintln!();
    eprintln!("== {viewers} live viewers ==");
    let client = reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .context("cannot build the viewers' HTTP client")?;
    let url: Arc<str> = url.into();
    let connecting = Arc::new(Semaphore::new(CONNECTING_AT_ONCE));
    let crowd = Arc::new(Crowd::default());
    // The goal is set once the signatures are made: (count, give up at).
    let (goal, goal_rx) = watch::channel(None::<(i64, Instant)>);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..viewers {
        tasks.spawn(view(
            client.clone(),
            url.clone(),
            connecting.clone(),
            crowd.clone(),
            goal_rx.clone(),
        ));
    }
    let crowd_deadline = started + Duration::from_secs(120);
    while crowd.arrived() < viewers && Instant::now() < crowd_deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let connect_time = started.elapsed();
    let connected = crowd.connected.load(Ordering::Relaxed);
    eprintln!(
        "{connected} of {viewers} viewers connected with their first count in {:.2} s",
        connect_time.as_secs_f64()
    );

    let signing = sign().await;
    let established = established_to(web_port);
    let target = baseline + i64::try_from(signing.accepts.len())?;
    let last = signing.accepts.last().copied().unwrap_or_else(Instant::now);
    // Waiting longer than `max_behind` would not change the verdict, only the lag figures.
    let _sent = goal.send(Some((target, last + max_behind + Duration::from_secs(5))));

    let mut lag = new_histogram()?;
    let mut kept_up = 0;
    let mut unseen = 0;
    let mut behind: BTreeMap<String, u64> = BTreeMap::new();
    while let Some(viewer) = tasks.join_next().await {
        let viewer = viewer.context("a viewer panicked")?;
        let seen = lags(&signing.accepts, &viewer.counts, baseline);
        unseen += seen.iter().filter(|l| l.is_none()).count();
        lag.add(histogram_of(seen.iter().map(|l| l.unwrap_or(Duration::MAX)))?)
            .context("cannot merge histograms")?;
        let verdict = match viewer.failure {
            Some(failure) => Some(failure),
            None if seen.iter().any(Option::is_none) => Some("missed a signature".to_owned()),
            None if seen.iter().flatten().any(|l| *l > max_behind) => Some("too late".to_owned()),
            None => None,
        };
        match verdict {
            None => kept_up += 1,
            Some(reason) => *behind.entry(reason).or_default() += 1,
        }
    }
    Ok(Level {
        viewers,
        connected,
        connect_time,
        established,
        signing,
        kept_up,
        behind,
        lag,
        unseen,
    })
}

/// How many viewers have their first count, and how many gave up before it.
#[derive(Default)]
struct Crowd {
    connected: AtomicUsize,
    failed: AtomicUsize,
}

impl Crowd {
    fn arrived(&self) -> usize {
        self.connected.load(Ordering::Relaxed) + self.failed.load(Ordering::Relaxed)
    }
}

/// One live viewer: connects, reads count events until the goal count shows or the goal's time
/// is up.
async fn view(
    client: reqwest::Client,
    url: Arc<str>,
    connecting: Arc<Semaphore>,
    crowd: Arc<Crowd>,
    mut goal: watch::Receiver<Option<(i64, Instant)>>,
) -> Viewer {
    let mut counts = Vec::new();
    let failure = async {
        let response = {
            let _slot = connecting.acquire().await.map_err(|_| "closed".to_owned())?;
            client
                .get(&*url)
                .header(reqwest::header::ACCEPT, "text/event-stream")
                .send()
                .await
                .map_err(|e| format!("cannot connect: {e}"))?
        };
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("status {}", response.status().as_u16()));
        }
        let mut events = response.bytes_stream().eventsource();
        let mut highest = i64::MIN;
        loop {
            let give_up = goal.borrow().map(|(_, at)| at);
            let next = match give_up {
                Some(at) => match tokio::time::timeout_at(at.into(), events.next()).await {
                    Ok(next) => next,
                    Err(_) => return Ok(()),
                },
                None => tokio::select! {
                    next = events.next() => next,
                    changed = goal.changed() => match changed {
                        Ok(()) => continue,
                        // The run is over without a goal: nothing left to measure.
                        Err(_) => return Ok(()),
                    },
                },
            };
            let event = match next {
                Some(Ok(event)) => event,
                Some(Err(e)) => return Err(format!("stream error: {e}")),
                None => return Err("stream ended".to_owned()),
            };
            if event.event != "count" {
                continue;
            }
            let count = serde_json::from_str::<Value>(&event.data)
                .ok()
                .and_then(|v| v["signatures"].as_i64())
                .ok_or_else(|| format!("not a count: {}", event.data))?;
            if counts.is_empty() {
                crowd.connected.fetch_add(1, Ordering::Relaxed);
            }
            highest = highest.max(count);
            counts.push((Instant::now(), highest));
            if goal.borrow().is_some_and(|(target, _)| highest >= target) {
                return Ok(());
            }
        }
    }
    .await
    .err();
    if failure.is_some() && counts.is_empty() {
        crowd.failed.fetch_add(1, Ordering::Relaxed);
    }
    Viewer { counts, failure }
}

fn print_level(level: &Level, max_behind: Duration) {
    eprintln!(
        "signatures while watching: {} accepted, errors: {}; connections to the web front: {}",
        level.signing.accepts.len(),
        describe_errors(&level.signing.errors),
        level.established.map_or("unknown".to_owned(), |n| n.to_string())
    );
    eprintln!(
        "accepted → shown to each viewer ({} pairs): p50 {} p99 {} max {}{}",
        level.lag.len(),
        ms(level.lag.value_at_quantile(0.50)),
        ms(level.lag.value_at_quantile(0.99)),
        ms(level.lag.max()),
        if level.unseen > 0 {
            format!(" ({} never shown)", level.unseen)
        } else {
            String::new()
        }
    );
    eprintln!(
        "{} of {} viewers kept up within {} ms{}; connected {} in {:.2} s",
        level.kept_up,
        level.viewers,
        max_behind.as_millis(),
        if level.behind.is_empty() {
            String::new()
        } else {
            format!(" (the others: {})", describe_errors(&level.behind))
        },
        level.connected,
        level.connect_time.as_secs_f64()
    );
    eprintln!("level {}", if level.held() { "held" } else { "NOT held" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_rounds_latency_up() {
        let line = last_line(&Report {
            page_p99_us: Some(12_001),
            viewers_held: 2_000,
        });
        assert_eq!(line, "page_p99_ms=13 sse_viewers=2000");
        let line = last_line(&Report {
            page_p99_us: None,
            viewers_held: 0,
        });
        assert_eq!(line, format!("page_p99_ms={} sse_viewers=0", u32::MAX));
    }
}
