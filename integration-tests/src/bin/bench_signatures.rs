//! `bench-signatures`: the signature-intake benchmark (`just bench-signatures`).
//!
//! It starts an isolated copy of the write and read paths (a fresh database and NATS prefix on
//! the local servers, fresh dev keys and pepper, the four services as child processes), opens one
//! national petition through the command API, then signs it through the public HTTP API from many
//! concurrent clients, each a distinct citizen with a real token. It reports the accepted rate,
//! request latency, projection lag (accepted → visible in the query API), each service's peak
//! resident memory, and the CPU the platform and the load spent per accepted signature (from the
//! start of the measured phase until the read API shows every signature: services, PostgreSQL,
//! NATS and the client; it moves far less than the rate on a shared machine). With
//! `--signatures 1000000` it also says whether one petition's rate holds: the first and the last
//! 100,000 signatures. The last stdout line is machine-readable:
//!
//! `signatures_per_s=N p99_ms=N lag_p99_ms=N max_rss_mb=N cpu_us_per_signature=N`
//!
//! Everything is torn down at the end, on error and on Ctrl-C: children killed, database
//! dropped, stream deleted, temporary directory removed. All traffic stays on 127.0.0.1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use tokio::sync::watch;
use tyndau_auth::Role;
use tyndau_auth::dev::DevClaims;
use tyndau_integration_tests::harness::{
    AUDIENCE, Bench, CLOCK_TICKS_PER_S, CpuSnapshot, ISSUER, SAMPLE_EVERY, ServerArgs, Target, citizens,
    count_client, describe_errors, drive, established_to, histogram_of, lag_ms, lags, load_client, mint,
    mint_citizen_tokens, ms, num_cpus, open_petition, print_last_line, sample_counts, wait_for_count,
    watch_rss,
};

/// The services under test, in start order: the signing path as deployed, including the notifier,
/// which subscribes every signer to the petition.
const SERVICES: &[&str] = &[
    "tyndau-event-relay",
    "tyndau-projector-thresholds",
    "tyndau-notifier",
    "tyndau-query-api",
    "tyndau-command-api",
];
/// The field of `GET /petitions/{id}/count` holding the projected count.
const COUNT_FIELD: &str = "signatures";
/// The windows compared to tell whether one petition's intake rate holds as its count grows.
const RATE_WINDOW: usize = 100_000;

#[derive(Debug, Parser)]
#[command(
    name = "bench-signatures",
    about = "Signature-intake benchmark: signs one petition through the HTTP API from many concurrent citizens"
)]
struct Args {
    /// Signatures in the measured phase (one distinct citizen each).
    #[arg(long, default_value_t = 60_000)]
    signatures: usize,
    /// Concurrent client tasks (each keeps its HTTP/1.1 connection alive).
    #[arg(long, default_value_t = 128)]
    concurrency: usize,
    /// Unmeasured signatures sent first (distinct citizens too).
    #[arg(long, default_value_t = 2_000)]
    warmup: usize,
    /// Upper bound on the measured phase; unsent signatures are reported as not sent.
    #[arg(long, default_value_t = 600)]
    max_load_seconds: u64,
    /// How long to wait after the load for the read API to show every accepted signature.
    #[arg(long, default_value_t = 60)]
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
    anyhow::ensure!(args.signatures > 0, "--signatures must be positive");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be positive");

    let bench = Bench::prepare(SERVICES, &args.servers).await?;
    let Some(report) = bench.supervise(async |bench| run(bench, &args).await).await else {
        // Already reported, with the services' last log lines; everything is torn down.
        std::process::exit(1);
    };
    print_last_line(&last_line(&report))
}

// ------------------------------------------------------------------------------------- run

struct Report {
    rate: f64,
    p99_us: u64,
    lag_p99_ms: Option<u64>,
    max_rss_kb: u64,
    cpu_us_per_signature: f64,
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
    let total = 1 + args.warmup + args.signatures;
    let people = citizens(total)?;
    let signer = bench.signer()?;
    let moderator = mint(
        &signer,
        DevClaims::new(ISSUER, AUDIENCE, "bench-moderator", Role::Moderator),
    )
    .context("cannot mint the moderator token")?;
    let mut tokens = tokio::task::block_in_place(|| mint_citizen_tokens(&signer, &people[..total], 0))?;
    let measured: Vec<String> = tokens.split_off(1 + args.warmup);
    let warmup: Vec<String> = tokens.split_off(1);
    let author = tokens.pop().context("no author token")?;
    eprintln!(
        "minted {} citizen tokens in {:.2} s",
        total,
        started.elapsed().as_secs_f64()
    );

    let client = load_client(args.concurrency)?;
    let petition = open_petition(
        &client,
        &command_url,
        &author,
        &moderator,
        "how many signatures the platform accepts per second",
    )
    .await?;
    eprintln!("petition {petition} published");
    let count_url = format!("{query_url}/petitions/{petition}/count");
    wait_for_count(&client, &count_url, COUNT_FIELD, 0, Duration::from_secs(30))
        .await
        .context("the published petition never appeared in the query API")?;
    let sign = Target::post(&format!("{command_url}/petitions/{petition}/signature"))?;

    // Warm-up: unmeasured, but it must land before the measured phase starts.
    let mut baseline = 0;
    if !warmup.is_empty() {
        let w = drive(
            &sign,
            Arc::new(warmup),
            args.concurrency,
            Duration::from_secs(args.max_load_seconds),
            |_| None,
        )
        .await?;
        let accepted = i64::try_from(w.accepts.len()).context("count")?;
        eprintln!(
            "warm-up: {} accepted in {:.2} s, errors: {}",
            accepted,
            w.elapsed.as_secs_f64(),
            describe_errors(&w.errors)
        );
        baseline = wait_for_count(
            &client,
            &count_url,
            COUNT_FIELD,
            accepted,
            Duration::from_secs(60),
        )
        .await
        .context("the warm-up signatures never all appeared in the query API")?;
    }
    bench.check_alive()?;

    // Measured phase, with the count sampler running alongside.
    let cpu_before = CpuSnapshot::take(&pids);
    let (sampler_goal, sampler_goal_rx) = watch::channel(None);
    let sampler = tokio::spawn(sample_counts(
        count_client()?,
        count_url.clone(),
        COUNT_FIELD,
        sampler_goal_rx,
        Duration::from_secs(args.max_load_seconds + args.lag_timeout_seconds + 30),
    ));
    eprintln!(
        "measured phase: {} signatures, {} concurrent clients",
        measured.len(),
        args.concurrency
    );
    let load = drive(
        &sign,
        Arc::new(measured),
        args.concurrency,
        Duration::from_secs(args.max_load_seconds),
        |_| None,
    )
    .await?;
    let cpu_after = CpuSnapshot::take(&pids);
    let connections = established_to(bench.service("tyndau-command-api")?.addr.port());
    let accepted = i64::try_from(load.accepts.len()).context("count")?;
    let _sent = sampler_goal.send(Some((
        baseline + accepted,
        Instant::now() + Duration::from_secs(args.lag_timeout_seconds),
    )));
    let samples = sampler.await.context("the count sampler panicked")?;
    // Every accepted signature is now projected (or the lag timeout passed): the CPU since the
    // phase began is what intake, relay, projection and notification cost, client included.
    let cpu_settled = CpuSnapshot::take(&pids);
    bench.check_alive()?;
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
    let final_count = samples.last().map_or(0, |s| s.1);

    eprintln!();
    eprintln!("== bench-signatures ==");
    eprintln!(
        "requests: {} sent, {} accepted (201) in {:.2} s; {} not sent (time bound)",
        load.sent,
        load.accepts.len(),
        elapsed,
        args.signatures - load.sent
    );
    eprintln!("errors: {}", describe_errors(&load.errors));
    for (status, body) in &load.error_samples {
        eprintln!("  e.g. {status}: {body}");
    }
    eprintln!(
        "latency (all requests): p50 {} p90 {} p99 {} p99.9 {} max {}",
        ms(load.latency.value_at_quantile(0.50)),
        ms(load.latency.value_at_quantile(0.90)),
        ms(load.latency.value_at_quantile(0.99)),
        ms(load.latency.value_at_quantile(0.999)),
        ms(load.latency.max()),
    );
    eprintln!(
        "projection lag (accepted → visible in /count, {} samples every {} ms): p50 {} p99 {} max {}{}",
        samples.len(),
        SAMPLE_EVERY.as_millis(),
        lag_ms(&lag_hist, 0.50, unseen),
        lag_ms(&lag_hist, 0.99, unseen),
        lag_ms(&lag_hist, 1.0, unseen),
        if unseen > 0 {
            format!(
                "; {unseen} accepted signatures never became visible within {} s (read API count {final_count}, expected {})",
                args.lag_timeout_seconds,
                baseline + accepted
            )
        } else {
            String::new()
        }
    );
    eprintln!(
        "client connections to the command API still open after the run: {}",
        connections.map_or("unknown".to_owned(), |n| n.to_string())
    );
    eprintln!(
        "CPU during the measured phase ({:.2} s wall, {} cores):",
        cpu_after.at.duration_since(cpu_before.at).as_secs_f64(),
        num_cpus()
    );
    cpu_before.print_delta(&cpu_after);
    let per_signature =
        |ticks: u64| ticks as f64 / CLOCK_TICKS_PER_S * 1e6 / (load.accepts.len().max(1) as f64);
    let cpu_us_per_signature = per_signature(cpu_settled.platform_ticks_since(&cpu_before));
    eprintln!(
        "CPU per accepted signature, until all were visible ({:.2} s): {:.0} µs (platform and client), {:.0} µs (whole machine)",
        cpu_settled.at.duration_since(cpu_before.at).as_secs_f64(),
        cpu_us_per_signature,
        per_signature(cpu_settled.machine_ticks_since(&cpu_before)),
    );
    let flat = load.first_and_last_rates(RATE_WINDOW);
    if let Some((first, last)) = flat {
        eprintln!(
            "one petition's rate: first {RATE_WINDOW} signatures {first:.0}/s, last {RATE_WINDOW} {last:.0}/s ({:+.1} %)",
            (last / first - 1.0) * 100.0
        );
    }
    eprintln!("peak resident memory (VmHWM):");
    for (name, kb) in &rss {
        eprintln!("  {name:<30} {:>8.1} MB", *kb as f64 / 1024.0);
    }
    let max_rss_kb = rss.iter().map(|(_, kb)| *kb).max().unwrap_or(0);
    let p99_us = load.latency.value_at_quantile(0.99);
    let lag_p99_ms = (unseen * 100 <= lags.len()).then(|| lag_hist.value_at_quantile(0.99).div_ceil(1000));
    let targets = [
        ("≥ 15,000 signatures/s", rate >= 15_000.0),
        ("p99 < 50 ms", p99_us < 50_000),
        ("lag p99 < 1 s", lag_p99_ms.is_some_and(|l| l < 1_000)),
        ("every service ≤ 300 MB", max_rss_kb <= 300 * 1024),
        ("≤ 130 µs CPU per signature", cpu_us_per_signature <= 130.0),
        ("no errors", load.errors.is_empty()),
    ];
    let targets: Vec<_> = targets
        .into_iter()
        .chain(flat.map(|(first, last)| ("last 100,000 within 10 % of the first", last >= first * 0.9)))
        .collect();
    eprintln!(
        "targets: {}",
        targets
            .iter()
            .map(|(what, ok)| format!("{what}: {}", if *ok { "met" } else { "MISSED" }))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(Report {
        rate,
        p99_us,
        lag_p99_ms,
        max_rss_kb,
        cpu_us_per_signature,
    })
}

/// Integers, rounded against us: the rate down, latencies, lag and memory up. A lag that could
/// not be measured (too many signatures never visible) is reported as the timeout sentinel.
fn last_line(report: &Report) -> String {
    format!(
        "signatures_per_s={} p99_ms={} lag_p99_ms={} max_rss_mb={} cpu_us_per_signature={}",
        report.rate.floor() as u64,
        report.p99_us.div_ceil(1000),
        report.lag_p99_ms.unwrap_or(u64::from(u32::MAX)),
        report.max_rss_kb.div_ceil(1024),
        report.cpu_us_per_signature.ceil() as u64,
    )
}
