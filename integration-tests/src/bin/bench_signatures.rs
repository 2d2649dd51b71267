//! `bench-signatures`: the signature-intake benchmark (`just bench-signatures`).
//!
//! It starts an isolated copy of the write and read paths (a fresh database and NATS prefix on
//! the local servers, fresh dev keys and pepper, the four services as child processes), opens one
//! national petition through the command API, then signs it through the public HTTP API from many
//! concurrent clients, each a distinct citizen with a real token. It reports the accepted rate,
//! request latency, projection lag (accepted → visible in the query API) and each service's peak
//! resident memory. The last stdout line is machine-readable:
//!
//! `signatures_per_s=N p99_ms=N lag_p99_ms=N max_rss_mb=N`
//!
//! Everything is torn down at the end, on error and on Ctrl-C: children killed, database
//! dropped, stream deleted, temporary directory removed. All traffic stays on 127.0.0.1.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use clap::Parser;
use hdrhistogram::Histogram;
use rand::Rng;
use serde_json::{Value, json};
use tokio::process::{Child, Command};
use tokio::sync::watch;
use tyndau_auth::Role;
use tyndau_auth::dev::{DevClaims, DevKeys, DevSigner};
use tyndau_db::sqlx::{Connection, Executor, PgConnection};
use tyndau_ids::{Iin, Region, Sex, synthesize_iin};

/// The services under test, in start order.
const SERVICES: [&str; 4] = [
    "tyndau-event-relay",
    "tyndau-projector-thresholds",
    "tyndau-query-api",
    "tyndau-command-api",
];
const CLI: &str = "tyndau-cli";
const ISSUER: &str = "https://idp.bench.tyndau.local";
const AUDIENCE: &str = "tyndau-bench";
/// Long enough for a slow run plus the preparation; the tokens die with the bench keys anyway.
const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);
const SAMPLE_EVERY: Duration = Duration::from_millis(20);
const RSS_EVERY: Duration = Duration::from_millis(200);
/// Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ).
const CLOCK_TICKS_PER_S: f64 = 100.0;

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
    /// PostgreSQL server to create the bench database on (default: scripts/dev-env.sh's server).
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// NATS JetStream server (default: scripts/dev-env.sh's server).
    #[arg(long, env = "NATS_URL")]
    nats_url: Option<String>,
    /// Use the binaries in the target directory as they are (no `cargo build --release --bins`).
    #[arg(long)]
    no_build: bool,
    /// Keep the temporary directory with the service logs.
    #[arg(long)]
    keep_logs: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.signatures > 0, "--signatures must be positive");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be positive");

    let root = workspace_root();
    let bin_dir = binaries(&root, args.no_build).await?;
    let (admin_url, nats_url) = servers(&root, &args).await?;

    let mut rng = rand::rng();
    let tag = format!("{:016x}", rng.random::<u64>());
    let mut bench = Bench {
        admin_url,
        nats_url,
        db_name: format!("bench_{tag}"),
        db_created: false,
        prefix: format!("bench{}", &tag[..8]),
        dir: std::env::temp_dir().join(format!("tyndau-bench-{tag}")),
        bin_dir,
        services: Vec::new(),
        keep_logs: args.keep_logs,
    };
    let outcome = tokio::select! {
        outcome = run(&mut bench, &args) => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
    };
    if let Err(e) = &outcome {
        eprintln!("error: {e:#}");
        bench.print_log_tails();
    }
    bench.teardown().await;
    let Ok(report) = outcome else {
        // Already reported above, with the services' last log lines; everything is torn down.
        std::process::exit(1);
    };
    print_last_line(&report)
}

/// The workspace root: this crate's parent directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

// ------------------------------------------------------------------------------------ setup

/// The release binaries sit next to this one (`target/release/`). Builds them unless told not to;
/// a failed build (e.g. someone's half-finished edit) falls back to binaries already there.
async fn binaries(root: &Path, no_build: bool) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot locate the benchmark binary")?;
    let dir = exe
        .parent()
        .context("the benchmark binary has no directory")?
        .to_path_buf();
    let missing = || {
        SERVICES
            .iter()
            .chain(std::iter::once(&CLI))
            .filter(|name| !dir.join(name).is_file())
            .copied()
            .collect::<Vec<_>>()
    };
    if !no_build || !missing().is_empty() {
        eprintln!("building the release binaries: cargo build --release --bins");
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--bins"])
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .status()
            .await
            .context("cannot run cargo")?;
        if !status.success() {
            let missing = missing();
            if !missing.is_empty() {
                bail!("cargo build failed ({status}) and {missing:?} are missing");
            }
            eprintln!(
                "warning: cargo build failed ({status}); using the binaries already in {}",
                dir.display()
            );
        }
    }
    let missing = missing();
    anyhow::ensure!(
        missing.is_empty(),
        "missing binaries in {}: {missing:?}",
        dir.display()
    );
    Ok(dir)
}

/// PostgreSQL and NATS: the ones given (flags or `DATABASE_URL`/`NATS_URL`) when they answer,
/// otherwise whatever `scripts/dev-env.sh` starts or finds (it writes `.data/env`).
async fn servers(root: &Path, args: &Args) -> anyhow::Result<(String, String)> {
    if let (Some(db), Some(nats)) = (&args.database_url, &args.nats_url) {
        if pg_answers(db).await && nats_answers(nats).await {
            return Ok((db.clone(), nats.clone()));
        }
        eprintln!("the configured PostgreSQL/NATS do not answer; running scripts/dev-env.sh");
    } else {
        eprintln!("DATABASE_URL/NATS_URL not set; running scripts/dev-env.sh");
    }
    let status = Command::new(root.join("scripts/dev-env.sh"))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .await
        .context("cannot run scripts/dev-env.sh")?;
    anyhow::ensure!(status.success(), "scripts/dev-env.sh failed ({status})");
    let env_file = root.join(".data/env");
    let text =
        std::fs::read_to_string(&env_file).with_context(|| format!("cannot read {}", env_file.display()))?;
    let var = |name: &str| {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim_matches(['"', '\'']).to_owned())
            .with_context(|| format!("{} has no {name}", env_file.display()))
    };
    let (db, nats) = (var("DATABASE_URL")?, var("NATS_URL")?);
    anyhow::ensure!(
        pg_answers(&db).await,
        "PostgreSQL at DATABASE_URL does not answer"
    );
    anyhow::ensure!(nats_answers(&nats).await, "NATS at {nats} does not answer");
    Ok((db, nats))
}

async fn pg_answers(url: &str) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(url)).await,
        Ok(Ok(_))
    )
}

async fn nats_answers(url: &str) -> bool {
    let Some(hostport) = url
        .split(',')
        .next()
        .map(|u| u.trim_start_matches("nats://"))
        .map(|h| h.rsplit_once('@').map_or(h, |(_, h)| h))
    else {
        return false;
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(3), tokio::net::TcpStream::connect(hostport)).await,
        Ok(Ok(_))
    )
}

/// `url` with its database name replaced (query string kept).
fn with_database(url: &str, db: &str) -> anyhow::Result<String> {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").context("DATABASE_URL is not a URL")? + 3;
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{db}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

/// Free ports on 127.0.0.1, bound together (so they differ) and released.
fn free_ports(n: usize) -> anyhow::Result<Vec<SocketAddr>> {
    let listeners = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot find a free port")?;
    listeners
        .iter()
        .map(|l| l.local_addr().context("no local address"))
        .collect()
}

struct Service {
    name: &'static str,
    addr: SocketAddr,
    pid: u32,
    child: Child,
    log: PathBuf,
}

/// Everything the run creates, so that teardown can undo it whatever happened.
struct Bench {
    admin_url: String,
    nats_url: String,
    db_name: String,
    db_created: bool,
    prefix: String,
    dir: PathBuf,
    bin_dir: PathBuf,
    services: Vec<Service>,
    keep_logs: bool,
}

impl Bench {
    fn db_url(&self) -> anyhow::Result<String> {
        with_database(&self.admin_url, &self.db_name)
    }

    /// A command for one of our binaries: inherited `TYNDAU_*` variables removed, ours set, run
    /// in the temporary directory (so no `config/tyndau.toml` is picked up).
    fn command(&self, program: &str, env: &[(&str, String)]) -> Command {
        let mut cmd = Command::new(self.bin_dir.join(program));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("TYNDAU_") {
                cmd.env_remove(key);
            }
        }
        cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    fn base_env(&self, pepper: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
        Ok(vec![
            ("TYNDAU_ENVIRONMENT", "development".to_owned()),
            ("TYNDAU_DATABASE__URL", self.db_url()?),
            ("TYNDAU_NATS__URL", self.nats_url.clone()),
            ("TYNDAU_NATS__PREFIX", self.prefix.clone()),
            (
                "TYNDAU_AUTH__JWKS__PATH",
                self.dir.join("keys/jwks.json").display().to_string(),
            ),
            ("TYNDAU_AUTH__ISSUER", ISSUER.to_owned()),
            ("TYNDAU_AUTH__AUDIENCE", AUDIENCE.to_owned()),
            ("TYNDAU_PRIVACY__SIGNER_PEPPER", pepper.to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ])
    }

    async fn run_cli(&self, env: &[(&str, String)], args: &[&str]) -> anyhow::Result<()> {
        let log = self.dir.join("tyndau-cli.log");
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .with_context(|| format!("cannot open {}", log.display()))?;
        let err = out.try_clone().context("cannot duplicate the log handle")?;
        let status = self
            .command(CLI, env)
            .args(args)
            .stdout(out)
            .stderr(err)
            .status()
            .await
            .with_context(|| format!("cannot run {CLI}"))?;
        if !status.success() {
            let tail = tail(&log, 20);
            bail!("`{CLI} {}` failed ({status}):\n{tail}", args.join(" "));
        }
        Ok(())
    }

    /// Database, keys, migrations, services: ready to serve when it returns.
    async fn setup(&mut self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        eprintln!(
            "isolation: database {} on the local server, NATS prefix {}, files in {}",
            self.db_name,
            self.prefix,
            self.dir.display()
        );
        let mut admin = PgConnection::connect(&self.admin_url)
            .await
            .context("cannot connect to PostgreSQL")?;
        admin
            .execute(format!("CREATE DATABASE \"{}\"", self.db_name).as_str())
            .await
            .context("cannot create the bench database")?;
        self.db_created = true;
        let _closed = admin.close().await;

        let pepper = hex::encode(rand::rng().random::<[u8; 32]>());
        let env = self.base_env(&pepper)?;
        let keys_dir = self.dir.join("keys").display().to_string();
        self.run_cli(&env, &["dev-keys", "--out", &keys_dir]).await?;
        self.run_cli(&env, &["migrate"]).await?;

        let ports = free_ports(SERVICES.len())?;
        for (name, addr) in SERVICES.into_iter().zip(ports) {
            let log = self.dir.join(format!("{name}.log"));
            let out =
                std::fs::File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
            let err = out.try_clone().context("cannot duplicate the log handle")?;
            let mut env = env.clone();
            env.push(("TYNDAU_HTTP__ADDR", addr.to_string()));
            let child = self
                .command(name, &env)
                .stdout(out)
                .stderr(err)
                .spawn()
                .with_context(|| format!("cannot start {name}"))?;
            let pid = child.id().with_context(|| format!("{name} exited at once"))?;
            self.services.push(Service {
                name,
                addr,
                pid,
                child,
                log,
            });
        }
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .context("cannot build the HTTP client")?;
        for service in &mut self.services {
            wait_ready(&client, service).await?;
        }
        eprintln!("services ready: {}", self.describe_services());
        Ok(())
    }

    fn describe_services(&self) -> String {
        self.services
            .iter()
            .map(|s| format!("{} (pid {}, {})", s.name, s.pid, s.addr))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn service(&self, name: &str) -> anyhow::Result<&Service> {
        self.services
            .iter()
            .find(|s| s.name == name)
            .with_context(|| format!("{name} is not running"))
    }

    /// Fails if any service has exited.
    fn check_alive(&mut self) -> anyhow::Result<()> {
        for service in &mut self.services {
            if let Some(status) = service.child.try_wait().context("cannot poll a child")? {
                bail!("{} exited during the run ({status})", service.name);
            }
        }
        Ok(())
    }

    fn print_log_tails(&self) {
        for service in &self.services {
            let tail = tail(&service.log, 15);
            if !tail.trim().is_empty() {
                eprintln!("--- last lines of {} ---\n{tail}", service.name);
            }
        }
    }

    async fn teardown(&mut self) {
        for service in &self.services {
            // SIGTERM first so the services close their connections and exit cleanly.
            let _sent = std::process::Command::new("kill")
                .args(["-TERM", &service.pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        for service in &mut self.services {
            if tokio::time::timeout(Duration::from_secs(5), service.child.wait())
                .await
                .is_err()
            {
                eprintln!("{} did not stop within 5 s; killing it", service.name);
                let _killed = service.child.kill().await;
            }
        }
        self.services.clear();

        if self.db_created
            && let Err(e) = drop_database(&self.admin_url, &self.db_name).await
        {
            eprintln!("warning: cannot drop database {}: {e:#}", self.db_name);
        }
        let settings = tyndau_config::NatsSettings::new(&self.nats_url, &self.prefix);
        let deleted = tokio::time::timeout(Duration::from_secs(10), async {
            let bus = tyndau_bus::Bus::connect(&settings).await?;
            bus.delete_stream().await
        })
        .await;
        match deleted {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("note: stream for prefix {} not deleted: {e}", self.prefix),
            Err(_) => eprintln!("note: stream for prefix {} not deleted: timed out", self.prefix),
        }
        if self.keep_logs {
            eprintln!("logs kept in {}", self.dir.display());
        } else if self.dir.exists()
            && let Err(e) = std::fs::remove_dir_all(&self.dir)
        {
            eprintln!("warning: cannot remove {}: {e}", self.dir.display());
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let mut admin = PgConnection::connect(admin_url).await?;
    let forced = admin
        .execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
        .await;
    if forced.is_err() {
        // Servers before PostgreSQL 13 have no FORCE.
        admin
            .execute(format!("DROP DATABASE IF EXISTS \"{name}\"").as_str())
            .await?;
    }
    let _closed = admin.close().await;
    Ok(())
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

async fn wait_ready(client: &reqwest::Client, service: &mut Service) -> anyhow::Result<()> {
    let url = format!("http://{}/ready", service.addr);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = service.child.try_wait().context("cannot poll a child")? {
            bail!("{} exited before it was ready ({status})", service.name);
        }
        if let Ok(response) = client.get(&url).send().await
            && response.status() == reqwest::StatusCode::OK
        {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("{} was not ready within 60 s", service.name);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ------------------------------------------------------------------------------- identities

/// `count` distinct adult citizens (born 1950–2004) with valid IINs, regions spread evenly.
fn citizens(count: usize) -> anyhow::Result<Vec<(Iin, Region)>> {
    const DAYS: u64 = 20_000;
    let first = time::macros::date!(1950 - 01 - 01);
    let mut out = Vec::with_capacity(count);
    let mut n: u64 = 0;
    while out.len() < count {
        let rest = n / DAYS;
        let serial = u16::try_from(rest / 2 + 1)
            .ok()
            .filter(|s| *s < 10_000)
            .context("ran out of synthetic IINs")?;
        let day = i64::try_from(n % DAYS).context("day offset")?;
        let born = first
            .checked_add(time::Duration::days(day))
            .context("birth date out of range")?;
        let sex = if rest.is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        };
        if let Some(iin) = synthesize_iin(born, sex, serial) {
            let region = Region::ALL[out.len() % Region::ALL.len()];
            out.push((iin, region));
        }
        n += 1;
    }
    Ok(out)
}

/// Mints one citizen token per identity, on every core.
fn mint_citizen_tokens(
    signer: &DevSigner,
    people: &[(Iin, Region)],
    first_subject: usize,
) -> anyhow::Result<Vec<String>> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let chunk = people.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, (iin, region))| {
                            let mut claims = DevClaims::citizen(
                                ISSUER,
                                AUDIENCE,
                                format!("bench-citizen-{}", first_subject + c * chunk + i),
                                iin.clone(),
                                *region,
                            );
                            claims.lifetime = TOKEN_LIFETIME;
                            signer.mint(&claims).context("cannot mint a token")
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        let mut tokens = Vec::with_capacity(people.len());
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| anyhow!("a token-minting thread panicked"))??;
            tokens.extend(part);
        }
        Ok(tokens)
    })
}

// ------------------------------------------------------------------------------------- run

struct Report {
    rate: f64,
    p99_us: u64,
    lag_p99_ms: Option<u64>,
    max_rss_kb: u64,
}

async fn run(bench: &mut Bench, args: &Args) -> anyhow::Result<Report> {
    bench.setup().await?;
    let command_url = format!("http://{}", bench.service("tyndau-command-api")?.addr);
    let query_url = format!("http://{}", bench.service("tyndau-query-api")?.addr);

    let pids: Vec<(&'static str, u32)> = bench.services.iter().map(|s| (s.name, s.pid)).collect();
    let (rss_stop, rss_stop_rx) = watch::channel(false);
    let rss_task = tokio::spawn(watch_rss(pids.clone(), rss_stop_rx));

    // Identities and tokens, all minted before anything is timed.
    let started = Instant::now();
    let total = 1 + args.warmup + args.signatures;
    let people = citizens(total)?;
    let keys = DevKeys::load_from(&bench.dir.join("keys")).context("cannot load the bench dev keys")?;
    let signer = keys.signer().context("cannot parse the bench dev key")?;
    let mut moderator = DevClaims::new(ISSUER, AUDIENCE, "bench-moderator", Role::Moderator);
    moderator.lifetime = TOKEN_LIFETIME;
    let moderator = signer
        .mint(&moderator)
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
    let petition = open_petition(&client, &command_url, &author, &moderator).await?;
    eprintln!("petition {petition} published");
    let count_url = format!("{query_url}/petitions/{petition}/count");
    wait_for_count(&client, &count_url, 0, Duration::from_secs(30))
        .await
        .context("the published petition never appeared in the query API")?;
    let sign_url: Arc<str> = format!("{command_url}/petitions/{petition}/signature").into();

    // Warm-up: unmeasured, but it must land before the measured phase starts.
    let mut baseline = 0;
    if !warmup.is_empty() {
        let w = drive(
            &client,
            sign_url.clone(),
            Arc::new(warmup),
            args.concurrency,
            Duration::from_secs(args.max_load_seconds),
        )
        .await?;
        let accepted = i64::try_from(w.accepts.len()).context("count")?;
        eprintln!(
            "warm-up: {} accepted in {:.2} s, errors: {}",
            accepted,
            w.elapsed.as_secs_f64(),
            describe_errors(&w.errors)
        );
        baseline = wait_for_count(&client, &count_url, accepted, Duration::from_secs(60))
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
        sampler_goal_rx,
        Duration::from_secs(args.max_load_seconds + args.lag_timeout_seconds + 30),
    ));
    eprintln!(
        "measured phase: {} signatures, {} concurrent clients",
        measured.len(),
        args.concurrency
    );
    let load = drive(
        &client,
        sign_url,
        Arc::new(measured),
        args.concurrency,
        Duration::from_secs(args.max_load_seconds),
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
    eprintln!("peak resident memory (VmHWM):");
    for (name, kb) in &rss {
        eprintln!("  {name:<30} {:>8.1} MB", *kb as f64 / 1024.0);
    }
    let max_rss_kb = rss.iter().map(|(_, kb)| *kb).max().unwrap_or(0);
    let p99_us = load.latency.value_at_quantile(0.99);
    let lag_p99_ms = (unseen * 100 <= lags.len()).then(|| lag_hist.value_at_quantile(0.99).div_ceil(1000));
    let targets = [
        ("≥ 5000 signatures/s", rate >= 5_000.0),
        ("p99 < 100 ms", p99_us < 100_000),
        ("lag p99 < 1 s", lag_p99_ms.is_some_and(|l| l < 1_000)),
        ("every service ≤ 300 MB", max_rss_kb <= 300 * 1024),
        ("no errors", load.errors.is_empty()),
    ];
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
    })
}

#[allow(clippy::print_stdout)] // The machine-readable result line is the program's output.
fn print_last_line(report: &Report) -> anyhow::Result<()> {
    use std::io::Write;
    // Integers, rounded against us: the rate down, latencies, lag and memory up. A lag that could
    // not be measured (too many signatures never visible) is reported as the timeout sentinel.
    let line = format!(
        "signatures_per_s={} p99_ms={} lag_p99_ms={} max_rss_mb={}",
        report.rate.floor() as u64,
        report.p99_us.div_ceil(1000),
        report.lag_p99_ms.unwrap_or(u64::from(u32::MAX)),
        report.max_rss_kb.div_ceil(1024),
    );
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .context("cannot write the result to stdout")
}

fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1000.0)
}

fn lag_ms(hist: &Histogram<u64>, q: f64, unseen: usize) -> String {
    let v = hist.value_at_quantile(q);
    if unseen > 0 && v >= hist.high() / 2 {
        "never".to_owned()
    } else {
        ms(v)
    }
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn describe_errors(errors: &BTreeMap<String, u64>) -> String {
    if errors.is_empty() {
        "none".to_owned()
    } else {
        errors
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ---------------------------------------------------------------------------- HTTP clients

/// One shared HTTP/1.1 client: its pool keeps one keep-alive connection per client task.
fn load_client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
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

fn count_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(5))
        .build()
        .context("cannot build the HTTP client")
}

async fn post_json(
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

/// Drafts, submits and publishes one national petition; returns its id.
async fn open_petition(
    client: &reqwest::Client,
    command_url: &str,
    author: &str,
    moderator: &str,
) -> anyhow::Result<String> {
    let text = |lang: &str| {
        json!({
            "title": format!("Bench petition ({lang})"),
            "text": "A petition opened by the signature-intake benchmark to measure how many signatures the platform accepts per second.",
            "request": "Please count every signature quickly and correctly.",
        })
    };
    let body = json!({
        "addressee": "government",
        "content": { "kk": text("kk"), "ru": text("ru") },
    });
    let created = post_json(
        client,
        &format!("{command_url}/petitions"),
        author,
        Some(&body),
        201,
    )
    .await?;
    let id = created["petition_id"]
        .as_str()
        .context("the create response has no petition_id")?
        .to_owned();
    post_json(
        client,
        &format!("{command_url}/petitions/{id}/submit"),
        author,
        None,
        200,
    )
    .await?;
    post_json(
        client,
        &format!("{command_url}/petitions/{id}/publish"),
        moderator,
        None,
        200,
    )
    .await?;
    Ok(id)
}

async fn read_count(client: &reqwest::Client, url: &str) -> Option<i64> {
    let response = client.get(url).send().await.ok()?;
    if response.status() != reqwest::StatusCode::OK {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body["signatures"].as_i64()
}

/// Polls the count until it is visible and at least `target`; returns it.
async fn wait_for_count(
    client: &reqwest::Client,
    url: &str,
    target: i64,
    timeout: Duration,
) -> anyhow::Result<i64> {
    let deadline = Instant::now() + timeout;
    let mut last = None;
    loop {
        if let Some(count) = read_count(client, url).await {
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

// ------------------------------------------------------------------------------------ load

struct Load {
    sent: usize,
    /// Completion instants of the 201 responses, sorted.
    accepts: Vec<Instant>,
    /// Non-201 outcomes by status (or transport error).
    errors: BTreeMap<String, u64>,
    /// The first few error bodies, one per status.
    error_samples: BTreeMap<String, String>,
    /// Request latency in microseconds, every request.
    latency: Histogram<u64>,
    /// From the first request to the last completion.
    elapsed: Duration,
}

fn new_histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).context("cannot create a histogram")
}

/// Sends one signature per token from `concurrency` tasks; bounded by the token count and `limit`.
async fn drive(
    client: &reqwest::Client,
    url: Arc<str>,
    tokens: Arc<Vec<String>>,
    concurrency: usize,
    limit: Duration,
) -> anyhow::Result<Load> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + limit;
    let tasks: Vec<_> = (0..concurrency.min(tokens.len()))
        .map(|_| {
            let (client, url, tokens, next) = (client.clone(), url.clone(), tokens.clone(), next.clone());
            tokio::spawn(async move {
                let mut latency = new_histogram()?;
                let mut accepts = Vec::with_capacity(tokens.len() / concurrency + 1);
                let mut errors: BTreeMap<String, u64> = BTreeMap::new();
                let mut samples: BTreeMap<String, String> = BTreeMap::new();
                let mut sent = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= tokens.len() || Instant::now() >= deadline {
                        break;
                    }
                    sent += 1;
                    let t0 = Instant::now();
                    let outcome = match client.post(&*url).bearer_auth(&tokens[i]).send().await {
                        Ok(response) => {
                            let status = response.status();
                            match response.bytes().await {
                                Ok(_) if status == reqwest::StatusCode::CREATED => Ok(()),
                                Ok(body) => Err((
                                    status.as_u16().to_string(),
                                    String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
                                )),
                                Err(e) => Err(("body error".to_owned(), e.to_string())),
                            }
                        }
                        Err(e) if e.is_timeout() => Err(("timeout".to_owned(), e.to_string())),
                        Err(e) => Err(("transport error".to_owned(), format!("{e:#}"))),
                    };
                    let done = Instant::now();
                    latency.saturating_record(u64::try_from((done - t0).as_micros()).unwrap_or(u64::MAX));
                    match outcome {
                        Ok(()) => accepts.push(done),
                        Err((kind, body)) => {
                            *errors.entry(kind.clone()).or_default() += 1;
                            samples.entry(kind).or_insert(body);
                        }
                    }
                }
                anyhow::Ok((sent, accepts, errors, samples, latency))
            })
        })
        .collect();
    let mut load = Load {
        sent: 0,
        accepts: Vec::with_capacity(tokens.len()),
        errors: BTreeMap::new(),
        error_samples: BTreeMap::new(),
        latency: new_histogram()?,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (sent, accepts, errors, samples, latency) = task.await.context("a client task panicked")??;
        load.sent += sent;
        load.accepts.extend(accepts);
        for (k, v) in errors {
            *load.errors.entry(k).or_default() += v;
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

// ------------------------------------------------------------------------------------- lag

/// Polls the public count every [`SAMPLE_EVERY`] until told the goal (count, deadline) and the
/// count reaches it or the deadline passes; never longer than `bound`. Returns (instant the
/// response arrived, count), the count made monotone.
async fn sample_counts(
    client: reqwest::Client,
    url: String,
    goal: watch::Receiver<Option<(i64, Instant)>>,
    bound: Duration,
) -> Vec<(Instant, i64)> {
    let hard_stop = Instant::now() + bound;
    let mut samples: Vec<(Instant, i64)> = Vec::new();
    let mut highest = 0;
    loop {
        let tick = Instant::now();
        if let Some(count) = read_count(&client, &url).await {
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

/// For the k-th accepted signature (by completion time): the first sample showing at least
/// `baseline + k` minus its acceptance; `None` if no sample ever did.
fn lags(accepts: &[Instant], samples: &[(Instant, i64)], baseline: i64) -> Vec<Option<Duration>> {
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

fn histogram_of(values: impl Iterator<Item = Duration>) -> anyhow::Result<Histogram<u64>> {
    let mut hist = new_histogram()?;
    for v in values {
        hist.saturating_record(u64::try_from(v.as_micros()).unwrap_or(u64::MAX));
    }
    Ok(hist)
}

// -------------------------------------------------------------------------------- /proc

/// Peak resident memory (VmHWM, kB) of each child, read every [`RSS_EVERY`] until told to stop;
/// a child that exits keeps its last reading.
async fn watch_rss(
    pids: Vec<(&'static str, u32)>,
    mut stop: watch::Receiver<bool>,
) -> Vec<(&'static str, u64)> {
    let mut peak: Vec<(&'static str, u64)> = pids.iter().map(|(n, _)| (*n, 0)).collect();
    loop {
        for ((_, pid), (_, best)) in pids.iter().zip(peak.iter_mut()) {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            for key in ["VmHWM:", "VmRSS:"] {
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .and_then(|v| v.split_whitespace().next())
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    *best = (*best).max(kb);
                }
            }
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(RSS_EVERY) => {}
            changed = stop.changed() => if changed.is_err() { break },
        }
    }
    peak
}

/// CPU ticks (user + system) of a process.
fn cpu_ticks(pid: &str) -> Option<(String, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_owned();
    let fields: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    // After the command: state is field 3, utime field 14, stime field 15 (1-based).
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

struct CpuSnapshot {
    at: Instant,
    /// Our services, by name.
    services: Vec<(&'static str, u64)>,
    /// All processes by command name (postgres, nats-server…), summed.
    by_comm: BTreeMap<String, u64>,
    own: u64,
    /// Machine-wide (busy, total) ticks from /proc/stat.
    machine: (u64, u64),
}

impl CpuSnapshot {
    fn take(pids: &[(&'static str, u32)]) -> Self {
        let services = pids
            .iter()
            .map(|(name, pid)| (*name, cpu_ticks(&pid.to_string()).map_or(0, |(_, t)| t)))
            .collect();
        let mut by_comm = BTreeMap::new();
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.bytes().all(|b| b.is_ascii_digit())
                    && let Some((comm, ticks)) = cpu_ticks(&name)
                    && (comm == "postgres" || comm.starts_with("nats-server"))
                {
                    *by_comm.entry(comm).or_default() += ticks;
                }
            }
        }
        let own = cpu_ticks("self").map_or(0, |(_, t)| t);
        let machine = std::fs::read_to_string("/proc/stat")
            .ok()
            .and_then(|s| {
                let line = s.lines().next()?.strip_prefix("cpu ")?.to_owned();
                let v: Vec<u64> = line.split_whitespace().filter_map(|x| x.parse().ok()).collect();
                let total: u64 = v.iter().sum();
                let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
                Some((total - idle, total))
            })
            .unwrap_or((0, 0));
        Self {
            at: Instant::now(),
            services,
            by_comm,
            own,
            machine,
        }
    }

    fn print_delta(&self, after: &Self) {
        let wall = after.at.duration_since(self.at).as_secs_f64().max(1e-6);
        let pct = |ticks: u64| ticks as f64 / CLOCK_TICKS_PER_S / wall * 100.0;
        let mut ours = 0;
        let mut line = |what: &str, ticks: u64| {
            ours += ticks;
            eprintln!("  {what:<30} {:>6.0}% of a core", pct(ticks));
        };
        for ((name, b), (_, a)) in self.services.iter().zip(&after.services) {
            line(name, a.saturating_sub(*b));
        }
        for (comm, a) in &after.by_comm {
            let b = self.by_comm.get(comm).copied().unwrap_or(0);
            line(&format!("{comm} (all processes)"), a.saturating_sub(b));
        }
        line("bench client (this process)", after.own.saturating_sub(self.own));
        let busy = after.machine.0.saturating_sub(self.machine.0);
        let total = after.machine.1.saturating_sub(self.machine.1);
        if total > 0 {
            // /proc/stat counts in the same USER_HZ ticks: whatever is busy and not listed above
            // belongs to other processes on the machine (builds, other tests…).
            eprintln!(
                "  {:<30} {:>6.0}% of a core",
                "everything else on the machine",
                pct(busy.saturating_sub(ours))
            );
            eprintln!(
                "  {:<30} {:>6.0}% busy",
                "machine (all cores)",
                busy as f64 / total as f64 * 100.0
            );
        }
    }
}

/// Established TCP connections to 127.0.0.1:`port` (client side), from /proc/net/tcp.
fn established_to(port: u16) -> Option<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let wanted = format!(":{port:04X}");
    Some(
        table
            .lines()
            .skip(1)
            .filter(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                fields.get(2).is_some_and(|remote| remote.ends_with(&wanted)) && fields.get(3) == Some(&"01")
            })
            .count(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("postgres://u:p@h:1/db?sslmode=disable", "x")
                .ok()
                .as_deref(),
            Some("postgres://u:p@h:1/x?sslmode=disable")
        );
        assert_eq!(
            with_database("postgres://h", "x").ok().as_deref(),
            Some("postgres://h/x")
        );
    }

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

    #[test]
    fn citizens_are_distinct() {
        let people = citizens(5_000).ok().unwrap_or_default();
        let mut digits: Vec<String> = people.iter().map(|(iin, _)| iin.expose_digits()).collect();
        digits.sort();
        digits.dedup();
        assert_eq!(digits.len(), 5_000);
    }
}
