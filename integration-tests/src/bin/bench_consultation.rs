//! `bench-consultation`: the public-consultation benchmark (`just bench-consultation`).
//!
//! It starts an isolated copy of the write and read paths (a fresh database and NATS prefix on
//! the local servers, fresh dev keys and pepper, the consultation services as child processes).
//! An official of the Government opens one consultation on a draft law of 20 articles with 3
//! paragraphs each; then many concurrent clients, each a distinct citizen with a real token, post
//! proposals through the public HTTP API: spread over the paragraphs, a third of them on `a1.p1`
//! (one deep thread), one in twenty on the whole draft. It reports the accepted rate, request
//! latency, projection lag (accepted → counted in the query API), and, once everything is
//! projected, the latency of reading the first page of the deep provision's threads from many
//! concurrent readers. The last stdout line is machine-readable:
//!
//! `comments_per_s=N lag_p99_ms=N thread_page_p99_ms=N`
//!
//! Everything is torn down at the end, on error and on Ctrl-C: children killed, database
//! dropped, stream deleted, temporary directory removed. All traffic stays on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use serde_json::{Value, json};
use tokio::sync::watch;
use tyndau_auth::dev::DevClaims;
use tyndau_ids::BodyId;
use tyndau_integration_tests::harness::{
    AUDIENCE, Bench, CpuSnapshot, ISSUER, Load, Reads, SAMPLE_EVERY, ServerArgs, Target, citizens,
    count_client, describe_errors, drive, established_to, histogram_of, lag_ms, lags, load_client, mint,
    mint_citizen_tokens, ms, num_cpus, open_consultation, print_last_line, read_repeatedly, sample_counts,
    wait_for_count, watch_rss,
};

/// The services under test, in start order.
const SERVICES: &[&str] = &[
    "tyndau-event-relay",
    "tyndau-projector-consultations",
    "tyndau-query-api",
    "tyndau-command-api",
];
/// The developing body: the official who opens the consultation works there.
const BODY: &str = "government";
/// The field of `GET /consultations/{id}` holding the projected number of comments.
const COUNT_FIELD: &str = "comments";
const ARTICLES: usize = 20;
const PARAGRAPHS_PER_ARTICLE: usize = 3;
const PARAGRAPHS: usize = ARTICLES * PARAGRAPHS_PER_ARTICLE;
/// The provision that gets a third of the proposals, and whose threads the readers page through.
const DEEP: &str = "a1.p1";
/// Threads per page in the read phase.
const PAGE: usize = 20;
/// Readers of the deep provision's first page during the load phase (for information), each
/// reading every `LOAD_READ_EVERY`: visitors, so they do not take the cores the writes need.
const LOAD_READERS: usize = 4;
const LOAD_READ_EVERY: Duration = Duration::from_millis(20);

#[derive(Debug, Parser)]
#[command(
    name = "bench-consultation",
    about = "Consultation benchmark: many concurrent citizens comment on one draft law, then many readers page its busiest provision"
)]
struct Args {
    /// Proposals in the measured phase (one distinct citizen each).
    #[arg(long, default_value_t = 100_000)]
    comments: usize,
    /// Concurrent client tasks posting comments (each keeps its HTTP/1.1 connection alive).
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Unmeasured proposals sent first (distinct citizens too).
    #[arg(long, default_value_t = 1_000)]
    warmup: usize,
    /// Concurrent readers of the first thread page of `a1.p1` in the read phase.
    #[arg(long, default_value_t = 32)]
    readers: usize,
    /// Length of the read phase.
    #[arg(long, default_value_t = 20)]
    read_seconds: u64,
    /// Upper bound on the measured load phase; unsent comments are reported as not sent.
    #[arg(long, default_value_t = 600)]
    max_load_seconds: u64,
    /// How long to wait after the load for the read API to count every accepted comment.
    #[arg(long, default_value_t = 120)]
    lag_timeout_seconds: u64,
    #[command(flatten)]
    servers: ServerArgs,
}

// The load generator's CPU counts in the figures: the same allocator as the services.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.comments > 0, "--comments must be positive");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be positive");
    anyhow::ensure!(args.readers > 0, "--readers must be positive");
    anyhow::ensure!(args.read_seconds > 0, "--read-seconds must be positive");

    let bench = Bench::prepare(SERVICES, &args.servers).await?;
    let Some(report) = bench.supervise(async |bench| run(bench, &args).await).await else {
        // Already reported, with the services' last log lines; everything is torn down.
        std::process::exit(1);
    };
    print_last_line(&last_line(&report))
}

// ---------------------------------------------------------------------------------- draft

/// The path of the `p`-th paragraph (0-based): `a1.p1`, `a1.p2`, `a1.p3`, `a2.p1`…
fn paragraph(p: usize) -> String {
    format!(
        "a{}.p{}",
        p / PARAGRAPHS_PER_ARTICLE + 1,
        p % PARAGRAPHS_PER_ARTICLE + 1
    )
}

/// The draft law: 20 articles, each with a heading, a lead sentence and 3 paragraphs; every
/// provision in Kazakh and Russian.
fn provisions() -> Value {
    let mut out = Vec::with_capacity(ARTICLES * (1 + PARAGRAPHS_PER_ARTICLE));
    for a in 1..=ARTICLES {
        out.push(json!({
            "path": format!("a{a}"),
            "heading": { "kk": format!("{a}-бап. Жалпы ережелер"), "ru": format!("Статья {a}. Общие положения") },
            "text": {
                "kk": format!("Осы бап жергілікті бюджеттің ашықтығы туралы {a}-ережені белгілейді."),
                "ru": format!("Настоящая статья устанавливает {a}-е правило открытости местного бюджета."),
            },
        }));
        for p in 1..=PARAGRAPHS_PER_ARTICLE {
            let days = 10 * p + a;
            out.push(json!({
                "path": format!("a{a}.p{p}"),
                "text": {
                    "kk": format!(
                        "Әкімдік бюджет жобасын бекітуге дейін {days} күн бұрын интернет-ресурста жариялайды. \
                         Азаматтар осы мерзім ішінде ұсыныс бере алады."
                    ),
                    "ru": format!(
                        "Акимат публикует проект бюджета на интернет-ресурсе за {days} дней до его утверждения. \
                         Граждане вправе вносить предложения в течение этого срока."
                    ),
                },
            }));
        }
    }
    Value::Array(out)
}

fn consultation_body() -> Value {
    json!({
        "content": {
            "kk": {
                "title": "Жергілікті бюджеттің ашықтығы туралы заң жобасы (бенчмарк)",
                "summary": "Бюджет жобасын жариялау және азаматтардың ұсыныстарын қабылдау тәртібі.",
                "explanatory_note": "Түсіндірме жазба: жоба жергілікті бюджеттің ашықтығын арттырады.",
            },
            "ru": {
                "title": "Проект закона об открытости местного бюджета (бенчмарк)",
                "summary": "Порядок публикации проекта бюджета и приёма предложений граждан.",
                "explanatory_note": "Пояснительная записка: проект повышает открытость местного бюджета.",
            },
        },
        "provisions": provisions(),
    })
}

/// Where the `i`-th comment of the run goes: one in twenty on the whole draft (`None`), a third
/// on [`DEEP`] (the first paragraph), the rest spread evenly over the other paragraphs.
fn comment_path(i: usize) -> Option<String> {
    match i % 60 {
        0..3 => None,
        3..23 => Some(DEEP.to_owned()),
        r => Some(paragraph(1 + (i / 60 * 37 + (r - 23)) % (PARAGRAPHS - 1))),
    }
}

fn comment_body(i: usize) -> Value {
    let text = format!(
        "Предложение № {i}: уточнить формулировку, указать конкретный срок и ответственный орган, \
         а также порядок обжалования решений."
    );
    match comment_path(i) {
        Some(path) => json!({ "path": path, "language": "ru", "text": text }),
        None => json!({ "language": "ru", "text": text }),
    }
}

// ------------------------------------------------------------------------------------- run

struct Report {
    rate: f64,
    lag_p99_ms: Option<u64>,
    thread_page_p99_us: Option<u64>,
}

/// Posts one comment per token, the `i`-th token writing comment `first + i`.
async fn post_comments(url: &str, tokens: Vec<String>, first: usize, args: &Args) -> anyhow::Result<Load> {
    let target = Target::post(url)?;
    drive(
        &target,
        Arc::new(tokens),
        args.concurrency,
        Duration::from_secs(args.max_load_seconds),
        move |i| Some(comment_body(first + i).to_string().into()),
    )
    .await
}

async fn run(bench: &mut Bench, args: &Args) -> anyhow::Result<Report> {
    bench.setup().await?;
    let command_url = bench.url("tyndau-command-api")?;
    let query_url = bench.url("tyndau-query-api")?;

    let pids = bench.pids();
    let (rss_stop, rss_stop_rx) = watch::channel(false);
    let rss_task = tokio::spawn(watch_rss(pids.clone(), rss_stop_rx));

    // Identities and tokens, all minted before anything is timed.
    let started = Instant::now();
    let total = args.warmup + args.comments;
    let people = citizens(total)?;
    let signer = bench.signer()?;
    let body: BodyId = BODY.parse().context("the body id")?;
    let official = mint(
        &signer,
        DevClaims::official(ISSUER, AUDIENCE, "bench-official", body),
    )
    .context("cannot mint the official's token")?;
    let mut warmup = tokio::task::block_in_place(|| mint_citizen_tokens(&signer, &people, 0))?;
    let measured: Vec<String> = warmup.split_off(args.warmup);
    eprintln!(
        "minted {} citizen tokens in {:.2} s",
        total,
        started.elapsed().as_secs_f64()
    );

    let client = load_client(args.concurrency)?;
    let read_client = load_client(args.readers.max(LOAD_READERS))?;
    let consultation = open_consultation(&client, &command_url, &official, &consultation_body()).await?;
    eprintln!(
        "consultation {consultation} opened: {ARTICLES} articles, {PARAGRAPHS} paragraphs, closes in 60 days"
    );
    let detail_url = format!("{query_url}/consultations/{consultation}");
    wait_for_count(&client, &detail_url, COUNT_FIELD, 0, Duration::from_secs(30))
        .await
        .context("the opened consultation never appeared in the query API")?;
    let comment_url: Arc<str> = format!("{command_url}/consultations/{consultation}/comments").into();
    let page_url: Arc<str> =
        format!("{query_url}/consultations/{consultation}/comments?provision={DEEP}&limit={PAGE}").into();

    // Warm-up: unmeasured, but it must land before the measured phase starts.
    let mut baseline = 0;
    if !warmup.is_empty() {
        let w = post_comments(&comment_url, warmup, 0, args).await?;
        let accepted = i64::try_from(w.accepts.len()).context("count")?;
        eprintln!(
            "warm-up: {} accepted in {:.2} s, errors: {}",
            accepted,
            w.elapsed.as_secs_f64(),
            describe_errors(&w.problems)
        );
        baseline = wait_for_count(
            &client,
            &detail_url,
            COUNT_FIELD,
            accepted,
            Duration::from_secs(60),
        )
        .await
        .context("the warm-up comments never all appeared in the query API")?;
    }
    bench.check_alive()?;

    // Measured phase, with the count sampler and a few thread-page readers running alongside.
    let cpu_before = CpuSnapshot::take(&pids);
    let (sampler_goal, sampler_goal_rx) = watch::channel(None);
    let sampler = tokio::spawn(sample_counts(
        count_client()?,
        detail_url.clone(),
        COUNT_FIELD,
        sampler_goal_rx,
        Duration::from_secs(args.max_load_seconds + args.lag_timeout_seconds + 30),
    ));
    let readers_stop = Arc::new(AtomicBool::new(false));
    let load_readers = {
        let (client, url, stop) = (read_client.clone(), page_url.clone(), readers_stop.clone());
        let deadline = Instant::now() + Duration::from_secs(args.max_load_seconds + 30);
        tokio::spawn(async move {
            read_repeatedly(
                &client,
                url,
                LOAD_READERS,
                Some(LOAD_READ_EVERY),
                stop,
                deadline,
                None,
            )
            .await
        })
    };
    eprintln!(
        "measured phase: {} comments, {} concurrent clients, {LOAD_READERS} readers of {DEEP}'s first page every {} ms",
        measured.len(),
        args.concurrency,
        LOAD_READ_EVERY.as_millis()
    );
    let load = post_comments(&comment_url, measured, args.warmup, args).await;
    readers_stop.store(true, Ordering::Relaxed);
    let load = load?;
    let cpu_after = CpuSnapshot::take(&pids);
    let load_reads = load_readers.await.context("the load-phase readers panicked")??;
    let connections = established_to(bench.service("tyndau-command-api")?.addr.port());
    let accepted = i64::try_from(load.accepts.len()).context("count")?;
    let _sent = sampler_goal.send(Some((
        baseline + accepted,
        Instant::now() + Duration::from_secs(args.lag_timeout_seconds),
    )));
    let samples = sampler.await.context("the count sampler panicked")?;
    let final_count = samples.last().map_or(0, |s| s.1);
    let all_projected = final_count >= baseline + accepted;
    let projected_after = samples
        .last()
        .map(|(at, _)| at.saturating_duration_since(cpu_after.at));
    bench.check_alive()?;

    // Read phase: everything is projected (or the lag timeout passed); many readers, one page.
    if !all_projected {
        eprintln!(
            "warning: the read API counts {final_count} comments, expected {}; reading anyway",
            baseline + accepted
        );
    }
    eprintln!(
        "read phase: {} readers of {DEEP}'s first page ({PAGE} threads) for {} s",
        args.readers, args.read_seconds
    );
    let cpu_reads_before = CpuSnapshot::take(&pids);
    let reads = read_repeatedly(
        &read_client,
        page_url.clone(),
        args.readers,
        None,
        Arc::new(AtomicBool::new(false)),
        Instant::now() + Duration::from_secs(args.read_seconds),
        Some(PAGE),
    )
    .await?;
    let cpu_reads_after = CpuSnapshot::take(&pids);
    bench.check_alive()?;
    let detail: Option<Value> = async {
        let response = client.get(&detail_url).send().await.ok()?;
        response.json().await.ok()
    }
    .await;
    let _sent = rss_stop.send(true);
    let rss = rss_task.await.context("the memory watcher panicked")?;

    // ---- report
    let elapsed = load.elapsed.as_secs_f64();
    let rate = if elapsed > 0.0 {
        load.accepts.len() as f64 / elapsed
    } else {
        0.0
    };
    let lags = lags(&load.accepts, &samples, baseline);
    let lag_hist = histogram_of(lags.iter().map(|l| l.unwrap_or(Duration::MAX)))?;
    let unseen = lags.iter().filter(|l| l.is_none()).count();

    eprintln!();
    eprintln!("== bench-consultation ==");
    eprintln!(
        "comments: {} sent, {} accepted (201) in {:.2} s ({:.0}/s); {} not sent (time bound)",
        load.sent,
        load.accepts.len(),
        elapsed,
        rate,
        args.comments - load.sent
    );
    eprintln!("errors: {}", describe_errors(&load.problems));
    for (status, body) in &load.error_samples {
        eprintln!("  e.g. {status}: {body}");
    }
    eprintln!(
        "latency (all comment posts): p50 {} p90 {} p99 {} p99.9 {} max {}",
        ms(load.latency.value_at_quantile(0.50)),
        ms(load.latency.value_at_quantile(0.90)),
        ms(load.latency.value_at_quantile(0.99)),
        ms(load.latency.value_at_quantile(0.999)),
        ms(load.latency.max()),
    );
    eprintln!(
        "projection lag (accepted → counted in /consultations/{{id}}, {} samples every {} ms): p50 {} p99 {} max {}{}",
        samples.len(),
        SAMPLE_EVERY.as_millis(),
        lag_ms(&lag_hist, 0.50, unseen),
        lag_ms(&lag_hist, 0.99, unseen),
        lag_ms(&lag_hist, 1.0, unseen),
        if unseen > 0 {
            format!(
                "; {unseen} accepted comments never became visible within {} s (read API count {final_count}, expected {})",
                args.lag_timeout_seconds,
                baseline + accepted
            )
        } else {
            String::new()
        }
    );
    if let Some(after) = projected_after {
        eprintln!(
            "projection caught up {:.2} s after the last accepted comment",
            after.as_secs_f64()
        );
    }
    if let Some(detail) = &detail {
        eprintln!(
            "consultation totals in the read API: comments {}, proposals {}",
            detail["comments"], detail["proposals"]
        );
    }
    print_reads(
        &format!(
            "thread-page reads during the load ({LOAD_READERS} readers, one read each every {} ms, for information)",
            LOAD_READ_EVERY.as_millis()
        ),
        &load_reads,
    );
    print_reads(
        &format!("thread-page reads after the load ({} readers)", args.readers),
        &reads,
    );
    eprintln!(
        "client connections to the command API still open after the run: {}",
        connections.map_or("unknown".to_owned(), |n| n.to_string())
    );
    eprintln!(
        "CPU during the measured load phase ({:.2} s wall, {} cores):",
        cpu_after.at.duration_since(cpu_before.at).as_secs_f64(),
        num_cpus()
    );
    cpu_before.print_delta(&cpu_after);
    eprintln!(
        "CPU during the read phase ({:.2} s wall):",
        cpu_reads_after
            .at
            .duration_since(cpu_reads_before.at)
            .as_secs_f64(),
    );
    cpu_reads_before.print_delta(&cpu_reads_after);
    eprintln!("peak resident memory (VmHWM):");
    for (name, kb) in &rss {
        eprintln!("  {name:<30} {:>8.1} MB", *kb as f64 / 1024.0);
    }
    if !reads.failures.is_empty() {
        eprintln!(
            "warning: {} of {} thread-page reads failed (each must be 200 with {PAGE} threads): {}",
            reads.total() - reads.ok,
            reads.total(),
            describe_errors(&reads.failures)
        );
    }
    let lag_p99_ms = (unseen * 100 <= lags.len()).then(|| lag_hist.value_at_quantile(0.99).div_ceil(1000));
    let thread_page_p99_us = (reads.total() > 0).then(|| reads.latency.value_at_quantile(0.99));
    Ok(Report {
        rate,
        lag_p99_ms,
        thread_page_p99_us,
    })
}

fn print_reads(what: &str, reads: &Reads) {
    let secs = reads.elapsed.as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: {} in {:.1} s ({:.0}/s), failures: {}",
        reads.total(),
        secs,
        reads.total() as f64 / secs,
        describe_errors(&reads.failures)
    );
    for (kind, body) in &reads.failure_samples {
        eprintln!("  e.g. {kind}: {body}");
    }
    if reads.total() > 0 {
        eprintln!(
            "  latency: p50 {} p90 {} p99 {} p99.9 {} max {}",
            ms(reads.latency.value_at_quantile(0.50)),
            ms(reads.latency.value_at_quantile(0.90)),
            ms(reads.latency.value_at_quantile(0.99)),
            ms(reads.latency.value_at_quantile(0.999)),
            ms(reads.latency.max()),
        );
    }
}

/// Integers, rounded against us: the rate down, lag and latency up. A lag that could not be
/// measured (too many comments never counted), or a read phase without a single read, is
/// reported as the timeout sentinel.
fn last_line(report: &Report) -> String {
    let sentinel = u64::from(u32::MAX);
    format!(
        "comments_per_s={} lag_p99_ms={} thread_page_p99_ms={}",
        report.rate.floor() as u64,
        report.lag_p99_ms.unwrap_or(sentinel),
        report.thread_page_p99_us.map_or(sentinel, |us| us.div_ceil(1000)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_spread_as_described() {
        let n = 60_000;
        let paths: Vec<Option<String>> = (0..n).map(comment_path).collect();
        let whole = paths.iter().filter(|p| p.is_none()).count();
        let deep = paths.iter().filter(|p| p.as_deref() == Some(DEEP)).count();
        assert_eq!(whole, n / 20);
        assert_eq!(deep, n / 3);
        let mut per_paragraph = std::collections::BTreeMap::new();
        for p in paths.iter().flatten().filter(|p| *p != DEEP) {
            *per_paragraph.entry(p.clone()).or_insert(0usize) += 1;
        }
        // Every paragraph but the deep one gets its share; the shares differ by at most one round.
        assert_eq!(per_paragraph.len(), PARAGRAPHS - 1);
        let (min, max) = (
            per_paragraph.values().min().copied().unwrap_or(0),
            per_paragraph.values().max().copied().unwrap_or(0),
        );
        assert!(max - min <= 1, "{min}..{max}");
    }

    #[test]
    fn the_draft_has_every_paragraph() {
        let draft = provisions();
        let paths: Vec<&str> = draft
            .as_array()
            .map(|a| a.iter().filter_map(|p| p["path"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(paths.len(), ARTICLES * (1 + PARAGRAPHS_PER_ARTICLE));
        for p in 0..PARAGRAPHS {
            assert!(paths.contains(&paragraph(p).as_str()));
        }
        assert_eq!(paragraph(0), DEEP);
    }
}
