//! `bench-notify`: telling 100,000 signers of an answer by email (`just bench-notify`).
//!
//! It starts an isolated platform (a fresh database and NATS prefix on the local servers, the
//! services as child processes) and the development mailbox (`deploy/mail`, a real SMTP server
//! on a loopback port). Through the command API, `--signers` citizens sign one petition and
//! each gives an email address (kk, ru and en in turn); the petition reaches its threshold (the
//! scheduler fires it and everyone is emailed: the warm-up of the same path), then the
//! Government answers it. Measured: from the answer's commit (its 200) to the last answer email
//! the mailbox accepted. The last stdout line is machine-readable:
//!
//! `notified=N emails_per_s=N last_delivery_s=N duplicates=N`
//!
//! `duplicates` counts emails beyond one per signer: a second answer email to anyone, and any
//! message the sender re-sent under a Message-ID the mailbox already held.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::Parser;
use futures::StreamExt;
use serde_json::json;
use tokio::sync::watch;
use tyndau_auth::Role;
use tyndau_auth::dev::DevClaims;
use tyndau_integration_tests::harness::{
    AUDIENCE, Bench, CpuSnapshot, ISSUER, ServerArgs, Target, citizens, describe_errors, drive, load_client,
    mint, mint_citizen_tokens, num_cpus, open_petition, post_json, print_last_line, wait_for_count,
    watch_rss,
};
use tyndau_testkit::Mailbox;

const SERVICES: &[&str] = &[
    "tyndau-event-relay",
    "tyndau-projector-thresholds",
    "tyndau-notifier",
    "tyndau-scheduler",
    "tyndau-query-api",
    "tyndau-command-api",
];

#[derive(Debug, Parser)]
#[command(
    name = "bench-notify",
    about = "Email benchmark: a petition with many signers, each with an address, is answered; measures until the last email is accepted"
)]
struct Args {
    /// Signers, each with an email address.
    #[arg(long, default_value_t = 100_000)]
    signers: usize,
    /// Concurrent clients while signing and giving addresses.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Pooled SMTP connections of the notifier.
    #[arg(long, default_value_t = 8)]
    connections: u32,
    /// How long to wait for every email of one wave.
    #[arg(long, default_value_t = 300)]
    wave_timeout_seconds: u64,
    #[command(flatten)]
    servers: ServerArgs,
}

// The load generator's CPU counts in the figures: the same allocator as the services.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.signers > 0, "--signers must be positive");
    let mailbox = Mailbox::start().await;
    let mut bench = Bench::prepare(SERVICES, &args.servers).await?;
    bench.set_env("tyndau-notifier", "TYNDAU_MAIL__SMTP_URL", mailbox.smtp_url());
    bench.set_env(
        "tyndau-notifier",
        "TYNDAU_MAIL__CONNECTIONS",
        args.connections.to_string(),
    );
    // No relay limit: the point is what the notifier and the mailbox can do.
    bench.set_env("tyndau-notifier", "TYNDAU_MAIL__PER_SECOND", "0".to_owned());
    bench.set_env("tyndau-notifier", "TYNDAU_MAIL__BATCH", "1000".to_owned());
    for service in ["tyndau-command-api", "tyndau-scheduler"] {
        bench.set_env(
            service,
            "TYNDAU_POLICY__GOVERNMENT_THRESHOLD",
            args.signers.to_string(),
        );
        bench.set_env(service, "TYNDAU_POLICY__STARTUP_SIGNATURES", "1".to_owned());
    }
    bench.set_env("tyndau-scheduler", "TYNDAU_INTERVAL_MS", "500".to_owned());
    bench.set_env(
        "tyndau-command-api",
        "TYNDAU_RATE_LIMITS__PER_CITIZEN_PER_MIN",
        "0".to_owned(),
    );
    let Some(report) = bench
        .supervise(async |bench| run(bench, &args, &mailbox).await)
        .await
    else {
        std::process::exit(1);
    };
    print_last_line(&report)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Waits until the mailbox holds `count` messages; the time of the last one (ms since the epoch).
async fn wave(bench: &mut Bench, mailbox: &Mailbox, count: usize, timeout: Duration) -> anyhow::Result<u64> {
    let deadline = Instant::now() + timeout;
    let mut last_report = Instant::now();
    loop {
        let delivered = mailbox.delivered();
        if delivered.len() >= count {
            return Ok(delivered.iter().map(|d| d.accepted_at_ms).max().unwrap_or(0));
        }
        bench.check_alive()?;
        anyhow::ensure!(
            Instant::now() < deadline,
            "only {} of {count} emails arrived within {} s",
            delivered.len(),
            timeout.as_secs()
        );
        if last_report.elapsed() > Duration::from_secs(10) {
            eprintln!("  … {} emails so far", delivered.len());
            last_report = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn run(bench: &mut Bench, args: &Args, mailbox: &Mailbox) -> anyhow::Result<String> {
    bench.setup().await?;
    let command_url = bench.url("tyndau-command-api")?;
    let query_url = bench.url("tyndau-query-api")?;
    let mut pids = bench.pids();
    if let Some(pid) = mailbox.pid() {
        pids.push(("tyndau-mailbox (node)", pid));
    }
    let (rss_stop, rss_stop_rx) = watch::channel(false);
    let rss_task = tokio::spawn(watch_rss(pids.clone(), rss_stop_rx));

    let people = citizens(1 + args.signers)?;
    let signer = bench.signer()?;
    let moderator = mint(
        &signer,
        DevClaims::new(ISSUER, AUDIENCE, "bench-moderator", Role::Moderator),
    )?;
    let government: tyndau_ids::BodyId = "government".parse().context("the Government's id")?;
    let official = mint(
        &signer,
        DevClaims::official(ISSUER, AUDIENCE, "bench-official", government),
    )?;
    let mut tokens = tokio::task::block_in_place(|| mint_citizen_tokens(&signer, &people, 0))?;
    let signers: Vec<String> = tokens.split_off(1);
    let author = tokens.pop().context("no author token")?;
    let client = load_client(args.concurrency)?;
    let petition = open_petition(
        &client,
        &command_url,
        &author,
        &moderator,
        "how fast an answer reaches every signer by email",
    )
    .await?;
    let signers = Arc::new(signers);

    // Addresses first: the threshold's fan-out (the warm-up) reaches only who has one by then.
    let started = Instant::now();
    let settings_url: Arc<str> = format!("{command_url}/me/notification-settings").into();
    let failures = futures::stream::iter(signers.iter().enumerate())
        .map(|(i, token)| {
            let (client, url) = (client.clone(), settings_url.clone());
            async move {
                let language = ["kk", "ru", "en"][i % 3];
                let body = json!({
                    "language": language,
                    "frequency": "immediate",
                    "email": format!("s{i}@bench.tyndau.test"),
                });
                match client.put(&*url).bearer_auth(token).json(&body).send().await {
                    Ok(r) if r.status().is_success() => 0,
                    _ => 1,
                }
            }
        })
        .buffer_unordered(args.concurrency)
        .fold(0usize, |n, failed| async move { n + failed })
        .await;
    eprintln!(
        "addresses: {} given in {:.1} s, {failures} failed",
        args.signers,
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(failures == 0, "{failures} addresses were refused");

    let sign = Target::post(&format!("{command_url}/petitions/{petition}/signature"))?;
    let signed = drive(
        &sign,
        signers.clone(),
        args.concurrency,
        Duration::from_secs(600),
        |_| None,
    )
    .await?;
    eprintln!(
        "signed: {} in {:.1} s, errors: {}",
        signed.accepts.len(),
        signed.elapsed.as_secs_f64(),
        describe_errors(&signed.errors)
    );
    anyhow::ensure!(
        signed.accepts.len() == args.signers,
        "not every signature was taken"
    );

    let count_url = format!("{query_url}/petitions/{petition}/count");
    wait_for_count(
        &client,
        &count_url,
        "signatures",
        i64::try_from(args.signers)?,
        Duration::from_secs(120),
    )
    .await?;

    // Warm-up: the threshold (fired by the scheduler) emails everyone once.
    let t_threshold = Instant::now();
    let last = wave(
        bench,
        mailbox,
        args.signers,
        Duration::from_secs(args.wave_timeout_seconds),
    )
    .await?;
    eprintln!(
        "warm-up: the threshold's {} emails in {:.1} s",
        args.signers,
        t_threshold.elapsed().as_secs_f64()
    );
    let _ = last;
    let detail_url = format!("{query_url}/petitions/{petition}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let detail: serde_json::Value = client.get(&detail_url).send().await?.json().await?;
        if !detail["dates"]["answer_due"].is_null() {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the petition never awaited an answer");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Measured: the answer, from its commit to the last email accepted.
    let cpu_before = CpuSnapshot::take(&pids);
    let answer =
        json!({ "decision": "satisfied", "text": { "kk": "Орындалады.", "ru": "Будет исполнено." } });
    post_json(
        &client,
        &format!("{command_url}/petitions/{petition}/answer"),
        &official,
        Some(&answer),
        200,
    )
    .await?;
    let committed_ms = now_ms();
    let last_ms = wave(
        bench,
        mailbox,
        2 * args.signers,
        Duration::from_secs(args.wave_timeout_seconds),
    )
    .await?;
    let cpu_after = CpuSnapshot::take(&pids);
    // Anything late (a duplicate) shows up in the next moments.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _sent = rss_stop.send(true);
    let rss = rss_task.await.context("the memory watcher panicked")?;

    let delivered = mailbox.delivered();
    let answer_emails: Vec<_> = delivered
        .iter()
        .filter(|d| d.accepted_at_ms + 5 >= committed_ms)
        .collect();
    let mut per_recipient: HashMap<&str, usize> = HashMap::new();
    for d in &answer_emails {
        *per_recipient.entry(d.recipient.as_str()).or_default() += 1;
    }
    let notified = per_recipient.len();
    let duplicates = per_recipient.values().map(|n| n - 1).sum::<usize>() + mailbox.redelivered();
    let last_delivery_s = last_ms.saturating_sub(committed_ms) as f64 / 1000.0;
    let rate = if last_delivery_s > 0.0 {
        notified as f64 / last_delivery_s
    } else {
        0.0
    };

    eprintln!();
    eprintln!("== bench-notify ==");
    eprintln!(
        "answer emails: {notified} signers told, {duplicates} duplicates; last accepted {last_delivery_s:.2} s after the answer's commit ({rate:.0} emails/s)"
    );
    let wall = cpu_after.at.duration_since(cpu_before.at).as_secs_f64();
    eprintln!(
        "CPU from the answer to the last email ({wall:.2} s wall, {} cores):",
        num_cpus()
    );
    cpu_before.print_delta(&cpu_after);
    for ((name, before), (_, after)) in cpu_before.cpu_ticks().iter().zip(cpu_after.cpu_ticks()) {
        let seconds = after.saturating_sub(*before) as f64 / 100.0;
        eprintln!(
            "  {name:<30} {:>8.1} µs CPU per email",
            seconds * 1e6 / notified.max(1) as f64
        );
    }
    eprintln!("peak resident memory:");
    for (name, kb) in &rss {
        eprintln!("  {name:<30} {:>6} MB", kb / 1024);
    }
    Ok(format!(
        "notified={notified} emails_per_s={rate:.0} last_delivery_s={last_delivery_s:.1} duplicates={duplicates}"
    ))
}
