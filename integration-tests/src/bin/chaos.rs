//! `just chaos`: faults under load against `just cluster-up`'s cluster, then an exact audit.
//!
//! Citizens sign three petitions and comment on a draft law through HAProxy for the whole run,
//! each from an address of their own, retrying through faults. Meanwhile, one at a time with
//! recovery in between: SIGKILL a NATS node (then restart it); SIGKILL the PostgreSQL primary
//! (Patroni promotes the synchronous standby; the old primary rejoins as a standby); SIGKILL a
//! command API; SIGKILL the active relay, a thresholds projector and a scheduler (each then
//! restarted); SIGSTOP a NATS node for 20 s, then SIGCONT. Then the audit:
//! every acknowledged signature and comment is in the store exactly once, nothing refused was
//! stored, the stream holds every stored event exactly once, every read model equals a rebuild
//! from the store, and the public counts equal the store.
//!
//! The environment is `.data/env` with `.data/cluster/env` on top (the justfile sources both).
//! Last line: `acked=N lost=N duplicated=N replay_equal=B max_unavailable_s=N p99_ms=N`. Exits
//! non-zero when the audit fails or a fault kept signatures unacknowledged longer than the
//! issue allows (15 s around the PostgreSQL failover, 3 s around any other fault).

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use secrecy::SecretSlice;
use serde_json::{Value, json};
use tokio::sync::watch;
use tyndau_auth::Pseudonymizer;
use tyndau_auth::Role;
use tyndau_auth::dev::{DevClaims, DevKeys};
use tyndau_bus::Bus;
use tyndau_config::NatsSettings;
use tyndau_db::sqlx::postgres::PgPoolOptions;
use tyndau_ids::{BodyId, PetitionId};
use tyndau_integration_tests::chaos::audit::{self, Evidence};
use tyndau_integration_tests::chaos::faults::{self, Cluster};
use tyndau_integration_tests::chaos::{evidence, load};
use tyndau_integration_tests::harness::{
    citizens, mint, open_consultation, open_petition, print_last_line, read_count,
};
use tyndau_read_model::projections::{consultations, thresholds};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(about = "Faults under load against `just cluster-up`, then an exact audit")]
struct Args {
    /// The cluster's state directory.
    #[arg(long, default_value = ".data/cluster")]
    cluster: PathBuf,
    /// Where the service binaries are (the projectors' `rebuild` runs from here).
    #[arg(long, default_value = "target/release")]
    bin_dir: PathBuf,
    /// Concurrent citizens.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// Each citizen's pause between two actions, in milliseconds.
    #[arg(long, default_value_t = 100)]
    pause_ms: u64,
    /// Every N-th action is a comment on the draft law.
    #[arg(long, default_value_t = 10)]
    comment_every: u64,
    /// Load without faults before the first and after the last, and between two faults.
    #[arg(long, default_value_t = 8)]
    settle_s: u64,
    /// How long a NATS node stays paused (SIGSTOP).
    #[arg(long, default_value_t = 20)]
    pause_node_s: u64,
}

/// The bounds on how long no signature may be acknowledged around a fault.
const PG_FAILOVER_BOUND: Duration = Duration::from_secs(15);
const OTHER_FAULT_BOUND: Duration = Duration::from_secs(3);

fn env(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set: run through `just chaos`"))
}

/// One fault as it happened: offsets from the load's start.
struct Fault {
    what: String,
    bound: Duration,
    started: Duration,
    /// When the faulty part was whole again (restarted and ready, or failed over and rejoined).
    recovered: Duration,
    notes: Vec<String>,
}

struct Run {
    cluster: Cluster,
    http: reqwest::Client,
    started: Instant,
    patroni: Vec<String>,
    nats_monitors: Vec<String>,
}

impl Run {
    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    /// SIGKILL `name`, wait `down`, start it again and wait until `ready` answers.
    async fn kill_and_restart(&self, name: &str, down: Duration, ready: &str) -> anyhow::Result<Fault> {
        let started = self.now();
        let captured = self.cluster.kill(name)?;
        tokio::time::sleep(down).await;
        let pid = self.cluster.restart(&captured).await?;
        let waited = faults::until(&format!("{name} ready again"), Duration::from_secs(90), || {
            faults::ok(&self.http, ready)
        })
        .await?;
        Ok(Fault {
            what: format!("kill -9 {name}"),
            bound: OTHER_FAULT_BOUND,
            started,
            recovered: self.now(),
            notes: vec![format!(
                "pid {} killed, started again after {:.1} s as pid {pid}, ready {:.1} s later",
                captured.pid,
                down.as_secs_f64(),
                waited.as_secs_f64()
            )],
        })
    }

    fn address_of(&self, name: &str) -> anyhow::Result<String> {
        let captured = self.cluster.capture(name)?;
        captured
            .env_var("TYNDAU_HTTP__ADDR")
            .map(|a| format!("http://{a}"))
            .with_context(|| format!("{name} has no TYNDAU_HTTP__ADDR"))
    }

    async fn postgres_failover(&self) -> anyhow::Result<Fault> {
        let old = faults::primary(&self.http, &self.patroni)
            .await
            .context("no PostgreSQL primary before the fault")?;
        let postmaster = self.cluster.postmaster(old)?;
        let started = self.now();
        faults::signal(postmaster, "KILL")?;
        let new = 3 - old;
        let (promotion, rejoin) = (
            format!("{}/primary", self.patroni[new - 1]),
            format!("{}/sync", self.patroni[old - 1]),
        );
        let promoted = faults::until("the standby promoted", Duration::from_secs(60), || {
            faults::ok(&self.http, &promotion)
        })
        .await?;
        let rejoined = faults::until(
            "the old primary back as a synchronous standby",
            Duration::from_secs(120),
            || faults::ok(&self.http, &rejoin),
        )
        .await?;
        Ok(Fault {
            what: format!("kill -9 the PostgreSQL primary (pg-{old}'s postmaster, pid {postmaster})"),
            bound: PG_FAILOVER_BOUND,
            started,
            recovered: self.now(),
            notes: vec![format!(
                "pg-{new} primary after {:.1} s; pg-{old} streaming again as the synchronous standby {:.1} s after the kill",
                promoted.as_secs_f64(),
                (promoted + rejoined).as_secs_f64()
            )],
        })
    }

    async fn kill_nats_node(&self, node: usize) -> anyhow::Result<Fault> {
        let name = format!("nats-{node}");
        let healthz = format!("{}/healthz", self.nats_monitors[node - 1]);
        self.kill_and_restart(&name, Duration::from_secs(5), &healthz)
            .await
    }

    async fn pause_nats_node(&self, node: usize, pause: Duration) -> anyhow::Result<Fault> {
        let name = format!("nats-{node}");
        let pid = self.cluster.pid(&name)?;
        let started = self.now();
        faults::signal(pid, "STOP")?;
        tokio::time::sleep(pause).await;
        faults::signal(pid, "CONT")?;
        let healthz = format!("{}/healthz", self.nats_monitors[node - 1]);
        let waited = faults::until("the paused node healthy", Duration::from_secs(60), || {
            faults::ok(&self.http, &healthz)
        })
        .await?;
        Ok(Fault {
            what: format!("kill -STOP {name} for {} s, then -CONT", pause.as_secs()),
            bound: OTHER_FAULT_BOUND,
            started,
            recovered: self.now(),
            notes: vec![format!("healthy {:.1} s after SIGCONT", waited.as_secs_f64())],
        })
    }

    async fn kill_active_relay(&self) -> anyhow::Result<Fault> {
        let relays = ["tyndau-event-relay-a", "tyndau-event-relay-b"]
            .into_iter()
            .map(|name| Ok((name.to_owned(), self.address_of(name)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let active = faults::active_relay(&self.http, &relays)
            .await
            .context("no relay reports itself active")?;
        let (standby, standby_url) = relays
            .iter()
            .find(|(name, _)| *name != active)
            .cloned()
            .context("no standby relay")?;
        let ready = relays
            .iter()
            .find(|(name, _)| *name == active)
            .map(|(_, url)| format!("{url}/ready"))
            .context("the active relay's address")?;
        let started = self.now();
        let captured = self.cluster.kill(&active)?;
        let took_over = faults::until("the standby relay active", Duration::from_secs(30), || async {
            faults::active_relay(
                &self.http,
                std::slice::from_ref(&(standby.clone(), standby_url.clone())),
            )
            .await
            .is_some()
        })
        .await?;
        let pid = self.cluster.restart(&captured).await?;
        faults::until("the killed relay ready again", Duration::from_secs(90), || {
            faults::ok(&self.http, &ready)
        })
        .await?;
        Ok(Fault {
            what: format!("kill -9 the active relay ({active})"),
            bound: OTHER_FAULT_BOUND,
            started,
            recovered: self.now(),
            notes: vec![format!(
                "{standby} active {:.1} s after the kill; {active} started again as pid {pid}, standing by",
                took_over.as_secs_f64()
            )],
        })
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let command_url = env("TYNDAU_COMMAND_URL")?;
    let query_url = env("TYNDAU_QUERY_URL")?;
    let issuer = env("TYNDAU_AUTH__ISSUER")?;
    let audience = env("TYNDAU_AUTH__AUDIENCE")?;
    let keys = DevKeys::load_from(&PathBuf::from(env("TYNDAU_DEV_KEYS_DIR")?)).context("the dev keys")?;
    let signer = keys.signer()?;
    let pepper =
        hex::decode(env("TYNDAU_PRIVACY__SIGNER_PEPPER")?).context("the signer pepper is not hex")?;
    let pseudonymizer = Pseudonymizer::new(SecretSlice::from(pepper)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect(&env("DATABASE_URL")?)
        .await?;
    let nats = NatsSettings {
        url: env("NATS_URL")?,
        prefix: std::env::var("TYNDAU_NATS__PREFIX").unwrap_or_else(|_| "tyndau".to_owned()),
        replicas: 3,
    };
    let context = Run {
        cluster: Cluster {
            dir: args.cluster.clone(),
        },
        http: http.clone(),
        started: Instant::now(),
        patroni: env("TYNDAU_CLUSTER_PATRONI")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        nats_monitors: env("TYNDAU_CLUSTER_NATS_MONITOR")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    anyhow::ensure!(
        context.patroni.len() == 2 && context.nats_monitors.len() == 3,
        "not cluster-up's cluster"
    );

    // Three petitions and a draft law, through HAProxy.
    let author = mint(
        &signer,
        DevClaims::citizen(
            &issuer,
            &audience,
            "chaos-author",
            citizens(1)?[0].0.clone(),
            tyndau_ids::Region::Astana,
        ),
    )?;
    let moderator = mint(
        &signer,
        DevClaims::new(&issuer, &audience, "chaos-moderator", Role::Moderator),
    )?;
    let official = mint(
        &signer,
        DevClaims::official(
            &issuer,
            &audience,
            "chaos-official",
            "government".parse::<BodyId>()?,
        ),
    )?;
    let mut petitions = Vec::new();
    for i in 0..3 {
        let id = open_petition(
            &http,
            &command_url,
            &author,
            &moderator,
            &format!("faults (chaos run, petition {i})"),
        )
        .await?;
        petitions.push(id.parse::<PetitionId>().context("a petition id")?);
    }
    let consultation = open_consultation(&http, &command_url, &official, &consultation_body()).await?;
    for petition in &petitions {
        faults::until(
            "the petition in the query API",
            Duration::from_secs(60),
            || async {
                read_count(
                    &http,
                    &format!("{query_url}/petitions/{petition}/count"),
                    "signatures",
                )
                .await
                .is_some()
            },
        )
        .await?;
    }
    eprintln!("petitions {petitions:?} and consultation {consultation} open");

    // Every citizen acts once; far more than a run uses.
    let people = tokio::task::block_in_place(|| citizens(2_000_000))?;
    let plan = Arc::new(load::Plan {
        command_url: command_url.clone(),
        petitions: petitions.clone(),
        consultation: consultation.clone(),
        signer,
        issuer,
        audience,
        pseudonymizer,
        citizens: people,
        clients: args.clients,
        pause: Duration::from_millis(args.pause_ms),
        comment_every: args.comment_every,
    });
    let (stop, stopped) = watch::channel(false);
    let started = context.started;
    let load = tokio::spawn(load::run(plan, started, stopped));
    let settle = Duration::from_secs(args.settle_s);
    let load_from = context.now();
    tokio::time::sleep(settle).await;

    let mut timeline: Vec<Fault> = Vec::new();
    let result = run_faults(&context, &args, settle, &mut timeline).await;
    tokio::time::sleep(settle).await;
    let load_to = context.now();
    let _ = stop.send(true);
    let outcome = load.await??;
    if let Err(e) = result {
        print_timeline(&timeline, &outcome.signature_acks);
        return Err(e.context("a fault could not be carried out"));
    }

    // Quiet: wait until every public count equals the store, then audit.
    let quiet = Instant::now();
    let mut counts = Vec::new();
    while quiet.elapsed() < Duration::from_secs(120) {
        counts = public_counts(&http, &pool, &query_url, &petitions, &consultation).await?;
        if counts.iter().all(|(_, shown, stored)| shown == stored) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    eprintln!(
        "read side caught up {:.1} s after the load stopped",
        quiet.elapsed().as_secs_f64()
    );

    let projections = [
        ("tyndau-projector-thresholds", thresholds::TABLES),
        ("tyndau-projector-consultations", consultations::TABLES),
    ];
    let all_tables: Vec<&str> = projections
        .iter()
        .flat_map(|(_, t)| evidence::tables(t))
        .collect();
    let live = evidence::digests(&pool, &all_tables).await?;
    evidence::keep_live_copy(&pool, &all_tables).await?;
    for (projector, _) in projections {
        rebuild(&context.cluster, &args.bin_dir, projector)?;
    }
    let rebuilt = evidence::digests(&pool, &all_tables).await?;
    let streamed = evidence::streamed(&Bus::connect(&nats).await?).await?;
    let proof = Evidence {
        acked: outcome.signed.iter().chain(&outcome.commented).cloned().collect(),
        refused: outcome.refused.clone(),
        created: evidence::created(&pool, &petitions, &consultation).await?,
        stored: evidence::stored(&pool).await?,
        streamed: streamed.iter().map(|s| s.key.clone()).collect(),
        live,
        rebuilt,
        counts,
    };
    let verdict = audit::audit(&proof);

    print_timeline(&timeline, &outcome.signature_acks);
    let max_unavailable = audit::longest_gap(&outcome.signature_acks, load_from, load_to);
    let p99 = audit::quantile(&outcome.latencies, 0.99);
    eprintln!(
        "load: {:.0} s; {} signatures and {} comments acknowledged; {} refused; {} never answered; attempts that met a fault: {:?}",
        (load_to - load_from).as_secs_f64(),
        outcome.signed.len(),
        outcome.commented.len(),
        outcome.refusals.len(),
        outcome.unanswered,
        outcome.retried
    );
    for refusal in outcome.refusals.iter().take(5) {
        eprintln!("  refused: {refusal}");
    }
    eprintln!(
        "audit: {} events stored, {} streamed; lost {:?} (stream missing {}), duplicated {:?} (stream twice {}), refused yet stored {:?}, streamed but not stored {}, diverged tables {:?}, wrong counts {:?}",
        proof.stored.len(),
        proof.streamed.len(),
        verdict.lost_acked.iter().take(5).collect::<Vec<_>>(),
        verdict.stream_missing,
        verdict.duplicated_created.iter().take(5).collect::<Vec<_>>(),
        verdict.stream_duplicated,
        verdict.refused_stored,
        verdict.stream_unknown,
        verdict.diverged_tables,
        verdict.wrong_counts
    );
    if verdict.stream_duplicated > 0 {
        let mut seen = std::collections::HashMap::new();
        for s in &streamed {
            seen.entry(&s.key).or_insert_with(Vec::new).push(s);
        }
        for copies in seen.values().filter(|c| c.len() > 1).take(3) {
            eprintln!("  on the stream {} times: {:?}", copies.len(), copies);
        }
    }
    for table in &verdict.diverged_tables {
        let (live_only, rebuilt_only) = evidence::differences(&pool, table, 3).await?;
        eprintln!("  {table}: live only {live_only:?}\n  {table}: rebuilt only {rebuilt_only:?}");
    }
    let slow: Vec<String> = timeline
        .iter()
        .filter_map(|f| {
            let gap = audit::longest_gap(&outcome.signature_acks, f.started, f.recovered + settle);
            (gap > f.bound)
                .then(|| format!("{}: {:.1} s > {} s", f.what, gap.as_secs_f64(), f.bound.as_secs()))
        })
        .collect();
    print_last_line(&audit::last_line(&verdict, max_unavailable, p99))?;
    if !verdict.passed() || !slow.is_empty() || outcome.unanswered > 0 {
        bail!(
            "the chaos run failed its targets: audit passed {}; over the bound: {slow:?}; never answered {}",
            verdict.passed(),
            outcome.unanswered
        );
    }
    Ok(())
}

async fn run_faults(
    context: &Run,
    args: &Args,
    settle: Duration,
    timeline: &mut Vec<Fault>,
) -> anyhow::Result<()> {
    let pause = || tokio::time::sleep(settle);
    timeline.push(context.kill_nats_node(2).await?);
    pause().await;
    timeline.push(context.postgres_failover().await?);
    pause().await;
    let command_api = format!("{}/ready", context.address_of("tyndau-command-api-a")?);
    timeline.push(
        context
            .kill_and_restart("tyndau-command-api-a", Duration::from_secs(3), &command_api)
            .await?,
    );
    pause().await;
    timeline.push(context.kill_active_relay().await?);
    pause().await;
    for name in ["tyndau-projector-thresholds-a", "tyndau-scheduler-a"] {
        let ready = format!("{}/ready", context.address_of(name)?);
        timeline.push(
            context
                .kill_and_restart(name, Duration::from_secs(3), &ready)
                .await?,
        );
        pause().await;
    }
    timeline.push(
        context
            .pause_nats_node(3, Duration::from_secs(args.pause_node_s))
            .await?,
    );
    Ok(())
}

fn print_timeline(timeline: &[Fault], acks: &[Duration]) {
    eprintln!("timeline (seconds from the load's start):");
    for fault in timeline {
        let gap = audit::longest_gap(acks, fault.started, fault.recovered);
        eprintln!(
            "  +{:6.1}  {}\n           whole again at +{:.1}; longest wait for a signature's acknowledgement {:.2} s (bound {} s); {}",
            fault.started.as_secs_f64(),
            fault.what,
            fault.recovered.as_secs_f64(),
            gap.as_secs_f64(),
            fault.bound.as_secs(),
            fault.notes.join("; ")
        );
    }
}

/// (what, the query API's count, the store's count) for each petition and the consultation.
async fn public_counts(
    http: &reqwest::Client,
    pool: &tyndau_db::sqlx::PgPool,
    query_url: &str,
    petitions: &[PetitionId],
    consultation: &str,
) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let mut counts = Vec::new();
    for petition in petitions {
        let shown = read_count(
            http,
            &format!("{query_url}/petitions/{petition}/count"),
            "signatures",
        )
        .await
        .unwrap_or(-1);
        counts.push((
            format!("petition {petition}"),
            shown,
            evidence::signatures_on(pool, *petition).await?,
        ));
    }
    let shown = read_count(
        http,
        &format!("{query_url}/consultations/{consultation}"),
        "comments",
    )
    .await
    .unwrap_or(-1);
    counts.push((
        format!("consultation {consultation}"),
        shown,
        evidence::comments_on(pool, consultation).await?,
    ));
    Ok(counts)
}

/// `PROJECTOR rebuild` with the environment of the projector's running standby instance.
fn rebuild(cluster: &Cluster, bin_dir: &std::path::Path, projector: &str) -> anyhow::Result<()> {
    let running = cluster.capture(&format!("{projector}-b"))?;
    let status = Command::new(bin_dir.join(projector))
        .arg("rebuild")
        .env_clear()
        .envs(running.environment())
        .env("TYNDAU_HTTP__ADDR", "127.0.0.1:0")
        .status()
        .with_context(|| format!("cannot run {projector} rebuild"))?;
    anyhow::ensure!(status.success(), "{projector} rebuild failed");
    Ok(())
}

/// A short draft law: one article, in Kazakh and Russian.
fn consultation_body() -> Value {
    let text = |kk: &str, ru: &str| json!({ "kk": kk, "ru": ru });
    json!({
        "content": {
            "kk": { "title": "Ашықтық туралы заң жобасы (chaos)", "summary": "Бюджет жобасын жариялау тәртібі.", "explanatory_note": "Түсіндірме жазба." },
            "ru": { "title": "Проект закона об открытости (chaos)", "summary": "Порядок публикации проекта бюджета.", "explanatory_note": "Пояснительная записка." },
        },
        "provisions": [
            { "path": "a1", "heading": text("1-бап. Жалпы ережелер", "Статья 1. Общие положения"),
              "text": text("Әкімдік бюджет жобасын жариялайды.", "Акимат публикует проект бюджета.") },
        ],
    })
}
