//! `bench-ledger`: the transparency log under a million signatures (`just bench-ledger`).
//!
//! An isolated platform (a fresh database on the local server; the command API and a witness as
//! child processes) gets a petition and one real signature through the API; the event store is
//! then filled with `--signatures` signature events of that petition, cloned from the real one
//! in SQL (the log reads them exactly as it reads signed ones; intake has its own benchmark).
//! Then the ledger starts and is timed:
//!
//! 1. `leaves_per_s`: appending the whole backlog, until a witnessed checkpoint covers it;
//! 2. `checkpoint_lag_p99_ms`: events keep arriving (`--steady-rate` a second, in commits every
//!    100 ms) and each commit's wait for a signed, witnessed checkpoint covering it is measured;
//! 3. `verify_count_s`: `tyndau-verify count` recomputing the petition's count from the tiles
//!    and entry bundles over HTTP, checked to equal the signatures inserted.
//!
//! The last stdout line: `leaves_per_s=N checkpoint_lag_p99_ms=N verify_count_s=N`.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use clap::Parser;
use tyndau_auth::Role;
use tyndau_auth::dev::DevClaims;
use tyndau_db::sqlx::{self, PgPool};
use tyndau_integration_tests::harness::{
    AUDIENCE, Bench, CLOCK_TICKS_PER_S, CpuSnapshot, ISSUER, ServerArgs, citizens, free_ports, load_client,
    mint, mint_citizen_tokens, new_histogram, open_petition, post_json, print_last_line,
};
use tyndau_tlog::keys::{KeyKind, generate};

const SERVICES: &[&str] = &["tyndau-command-api", "tyndau-witness", "tyndau-ledger"];
const ORIGIN: &str = "localhost/tyndau-bench/ledger";

#[derive(Debug, Parser)]
#[command(
    name = "bench-ledger",
    about = "Transparency log benchmark: append, checkpoint lag, verifying a count"
)]
struct Args {
    /// Signature events of one petition in the log.
    #[arg(long, default_value_t = 1_000_000)]
    signatures: u64,
    /// Events per INSERT while filling the store.
    #[arg(long, default_value_t = 50_000)]
    chunk: u64,
    /// Events a second while measuring the checkpoint lag.
    #[arg(long, default_value_t = 2_000)]
    steady_rate: u64,
    /// How long to measure the checkpoint lag.
    #[arg(long, default_value_t = 20)]
    steady_seconds: u64,
    #[command(flatten)]
    servers: ServerArgs,
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    ensure!(
        args.signatures > 0 && args.chunk > 0,
        "--signatures and --chunk must be positive"
    );
    let mut bench = Bench::prepare(SERVICES, &args.servers).await?;
    let (log_secret, log_key) = generate(ORIGIN, KeyKind::Log);
    let (witness_secret, witness_key) = generate("localhost/tyndau-bench/witness", KeyKind::Cosigner);
    let witness_addr = free_ports(1)?[0];
    let state = bench.dir().join("witness.json").display().to_string();
    bench.set_env("tyndau-witness", "TYNDAU_HTTP__ADDR", witness_addr.to_string());
    bench.set_env("tyndau-witness", "TYNDAU_WITNESS__KEY", witness_secret);
    bench.set_env(
        "tyndau-witness",
        "TYNDAU_WITNESS__LOG_KEYS",
        format!("[\"{log_key}\"]"),
    );
    bench.set_env("tyndau-witness", "TYNDAU_WITNESS__STATE_PATH", state);
    bench.set_env("tyndau-ledger", "TYNDAU_LEDGER__KEY", log_secret);
    bench.set_env(
        "tyndau-ledger",
        "TYNDAU_LEDGER__WITNESS_URL",
        format!("http://{witness_addr}"),
    );
    bench.set_env("tyndau-ledger", "TYNDAU_LEDGER__WITNESS_KEY", witness_key.clone());
    bench.defer("tyndau-ledger");
    let keys = (log_key, witness_key);
    let Some(line) = bench
        .supervise(async |bench| run(bench, &args, &keys).await)
        .await
    else {
        std::process::exit(1);
    };
    print_last_line(&line)
}

async fn run(
    bench: &mut Bench,
    args: &Args,
    (log_key, witness_key): &(String, String),
) -> anyhow::Result<String> {
    bench.setup().await?;
    let pool = PgPool::connect(&bench.db_url()?).await?;
    let command_url = bench.url("tyndau-command-api")?;
    let signer = bench.signer()?;
    let people = citizens(2)?;
    let tokens = tokio::task::block_in_place(|| mint_citizen_tokens(&signer, &people, 0))?;
    let moderator = mint(
        &signer,
        DevClaims::new(ISSUER, AUDIENCE, "bench-moderator", Role::Moderator),
    )?;
    let client = load_client(4)?;
    let petition = open_petition(
        &client,
        &command_url,
        &tokens[0],
        &moderator,
        "the transparency log",
    )
    .await?;
    post_json(
        &client,
        &format!("{command_url}/petitions/{petition}/signature"),
        &tokens[1],
        None,
        201,
    )
    .await?;

    // The backlog: clones of the real signature event under synthetic signers.
    let started = Instant::now();
    let mut inserted = 1u64;
    while inserted < args.signatures {
        let n = args.chunk.min(args.signatures - inserted);
        clone_signatures(&pool, &petition, inserted, n).await?;
        inserted += n;
    }
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE aggregate_type IN ('petition', 'signature')")
            .fetch_one(&pool)
            .await?;
    eprintln!(
        "store: {inserted} signature events of one petition ({logged} events to log) inserted in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The bulk load's aftermath (autovacuum analysing a million fresh rows) is not the log's
    // work: done before the clock starts.
    sqlx::query("VACUUM (ANALYZE) events").execute(&pool).await?;

    // 1. Appending the backlog, until a witnessed checkpoint covers it.
    bench.start("tyndau-ledger").await?;
    let log_url = bench.url("tyndau-ledger")?;
    let pids = bench.pids();
    let before = CpuSnapshot::take(&pids);
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()?;
    let started = Instant::now();
    let logged = logged as u64;
    wait_for_checkpoint(&http, &log_url, logged, Duration::from_secs(600)).await?;
    let append_s = started.elapsed().as_secs_f64();
    let after = CpuSnapshot::take(&pids);
    let ledger_ticks = ticks_of(&before, &after, "tyndau-ledger");
    let leaves_per_s = logged as f64 / append_s;
    eprintln!(
        "append: {logged} leaves under a witnessed checkpoint in {append_s:.1} s = {leaves_per_s:.0} leaves/s; \
         ledger CPU {:.1} µs per leaf; platform (ledger, witness, PostgreSQL, this process) {:.1} µs per leaf",
        ledger_ticks as f64 / CLOCK_TICKS_PER_S / logged as f64 * 1e6,
        after.platform_ticks_since(&before) as f64 / CLOCK_TICKS_PER_S / logged as f64 * 1e6
    );
    before.print_delta(&after);

    // 2. Checkpoint lag under a steady flow.
    let per_commit = (args.steady_rate / 10).max(1);
    let mut lags = new_histogram()?;
    let mut size = logged;
    let mut pending: Vec<(u64, Instant)> = Vec::new();
    let until = Instant::now() + Duration::from_secs(args.steady_seconds);
    let mut next_commit = Instant::now();
    let mut steady_events = 0u64;
    while Instant::now() < until || !pending.is_empty() {
        if Instant::now() >= next_commit && Instant::now() < until {
            clone_signatures(&pool, &petition, inserted, per_commit).await?;
            inserted += per_commit;
            steady_events += per_commit;
            size += per_commit;
            pending.push((size, Instant::now()));
            next_commit += Duration::from_millis(100);
        }
        let covered = checkpoint_size(&http, &log_url).await.unwrap_or(0);
        pending.retain(|(needed, committed)| {
            if covered >= *needed {
                let _ = lags.record(committed.elapsed().as_micros() as u64);
                false
            } else {
                true
            }
        });
        ensure!(
            pending
                .first()
                .is_none_or(|(_, at)| at.elapsed() < Duration::from_secs(60)),
            "a commit waited a minute for a checkpoint"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let lag_p99_ms = lags.value_at_quantile(0.99) as f64 / 1000.0;
    eprintln!(
        "checkpoint lag: {steady_events} events in {} commits over {} s; p50 {:.0} ms, p99 {lag_p99_ms:.0} ms, max {:.0} ms",
        lags.len(),
        args.steady_seconds,
        lags.value_at_quantile(0.5) as f64 / 1000.0,
        lags.max() as f64 / 1000.0
    );

    // 3. The verifier recomputes the count from the log over HTTP.
    let verifier = bench.bin_dir().join("tyndau-verify");
    let started = Instant::now();
    let output = tokio::process::Command::new(&verifier)
        .args([
            "--log",
            &log_url,
            "--log-key",
            log_key,
            "--witness-key",
            witness_key,
            "count",
            "--petition",
            &petition,
        ])
        .output()
        .await
        .with_context(|| format!("cannot run {}", verifier.display()))?;
    let verify_s = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    ensure!(
        output.status.success(),
        "tyndau-verify failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    ensure!(
        stdout.contains(&format!("the log counts {inserted} ")),
        "tyndau-verify counted otherwise than the {inserted} signatures inserted: {stdout}"
    );
    eprintln!("verify: {} in {verify_s:.1} s", stdout.trim());

    Ok(format!(
        "leaves_per_s={leaves_per_s:.0} checkpoint_lag_p99_ms={lag_p99_ms:.0} verify_count_s={verify_s:.1}"
    ))
}

/// Inserts `n` clones of the petition's first signature event, signers numbered from `from`.
async fn clone_signatures(pool: &PgPool, petition: &str, from: u64, n: u64) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
         SELECT 'signature', $1 || ':' || k.signer, 1, t.event_type, t.event_version,
                json_build_object('SignatureRecorded',
                    (t.payload -> 'SignatureRecorded')::jsonb || jsonb_build_object('signer', k.signer)),
                t.metadata
           FROM (SELECT lpad(to_hex(g), 64, '0') AS signer FROM generate_series($2::bigint, $3::bigint) g) k,
                (SELECT event_type, event_version, payload, metadata FROM events
                  WHERE aggregate_type = 'signature' AND event_type = 'SignatureRecorded' LIMIT 1) t",
    )
    .bind(petition)
    .bind(from as i64)
    .bind((from + n - 1) as i64)
    .execute(pool)
    .await
    .context("cloning signature events")?;
    Ok(())
}

fn ticks_of(before: &CpuSnapshot, after: &CpuSnapshot, name: &str) -> u64 {
    let of = |s: &CpuSnapshot| {
        s.cpu_ticks()
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, t)| *t)
    };
    of(after).saturating_sub(of(before))
}

async fn checkpoint_size(http: &reqwest::Client, log_url: &str) -> anyhow::Result<u64> {
    let note = http
        .get(format!("{log_url}/checkpoint"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    note.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .context("the checkpoint has no size line")
}

async fn wait_for_checkpoint(
    http: &reqwest::Client,
    log_url: &str,
    size: u64,
    timeout: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if checkpoint_size(http, log_url).await.unwrap_or(0) >= size {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "no witnessed checkpoint of {size} leaves within {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
