//! The isolated platform a benchmark runs against: release binaries, the local servers, and a
//! [`Bench`] holding everything the run creates so that teardown can undo it.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use rand::Rng;
use tokio::process::{Child, Command};
use tyndau_auth::dev::{DevKeys, DevSigner};
use tyndau_db::sqlx::{Connection, Executor, PgConnection};

use super::identity::{AUDIENCE, ISSUER};

/// The command-line tool that writes the dev keys and migrates the database.
pub const CLI: &str = "tyndau-cli";

/// The command API is started with these settings on top of the base environment: every client
/// of a benchmark comes from 127.0.0.1, standing in for many citizens on many addresses, so the
/// per-address rate limit (meant for one abusive client) is off. The per-citizen, per-petition and
/// per-author limits stay at their defaults: each benchmark identity acts once.
const COMMAND_API_ENV: [(&str, &str); 1] = [("TYNDAU_RATE_LIMITS__PER_ADDRESS_PER_S", "0")];

/// Where the servers are and how to treat the binaries; shared by every benchmark's flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// PostgreSQL server to create the bench database on (default: scripts/dev-env.sh's server).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// NATS JetStream server (default: scripts/dev-env.sh's server).
    #[arg(long, env = "NATS_URL")]
    pub nats_url: Option<String>,
    /// Use the binaries in the target directory as they are (no `cargo build --workspace --release --bins`).
    #[arg(long)]
    pub no_build: bool,
    /// Keep the temporary directory with the service logs.
    #[arg(long)]
    pub keep_logs: bool,
    /// The token algorithm: `rs256` (RSA-2048, OpenID Connect's mandatory algorithm and what
    /// national identity providers sign with) or `eddsa` (the development provider's).
    #[arg(long, value_enum, default_value_t = TokenAlg::Rs256)]
    pub token_alg: TokenAlg,
    /// A setting for one service (or `*` for all), e.g.
    /// `tyndau-command-api:TYNDAU_SIGNATURES__BATCH_COLLECTORS=1`; repeatable. Inherited `TYNDAU_*`
    /// variables never reach the services, so this is how a run tries another tuning.
    #[arg(long = "service-env", value_name = "SERVICE:VARIABLE=VALUE", value_parser = parse_service_env)]
    pub service_env: Vec<(String, String, String)>,
}

fn parse_service_env(text: &str) -> Result<(String, String, String), String> {
    let (service, setting) = text.split_once(':').ok_or("expected SERVICE:VARIABLE=VALUE")?;
    let (variable, value) = setting.split_once('=').ok_or("expected SERVICE:VARIABLE=VALUE")?;
    if !variable.starts_with("TYNDAU_") {
        return Err(format!("{variable} is not a TYNDAU_ setting"));
    }
    Ok((service.to_owned(), variable.to_owned(), value.to_owned()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenAlg {
    Rs256,
    Eddsa,
}

impl TokenAlg {
    fn cli_name(self) -> &'static str {
        match self {
            Self::Rs256 => "rs256",
            Self::Eddsa => "eddsa",
        }
    }
}

/// The workspace root: this crate's parent directory.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The one build command of `just build`, `just up` and every benchmark: the same packages, hence
/// the same unified features, so none of them invalidates what another built.
pub const BUILD_ARGS: [&str; 4] = ["build", "--workspace", "--release", "--bins"];

/// The release binaries sit next to the running one (`target/release/`). Builds them unless told
/// not to; a failed build (e.g. someone's half-finished edit) falls back to binaries already there.
pub async fn binaries(root: &Path, programs: &[&str], no_build: bool) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot locate the benchmark binary")?;
    let dir = exe
        .parent()
        .context("the benchmark binary has no directory")?
        .to_path_buf();
    let missing = || {
        programs
            .iter()
            .chain(std::iter::once(&CLI))
            .filter(|name| !dir.join(name).is_file())
            .copied()
            .collect::<Vec<_>>()
    };
    if !no_build || !missing().is_empty() {
        eprintln!("building the release binaries: cargo {}", BUILD_ARGS.join(" "));
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(BUILD_ARGS)
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
pub async fn servers(
    root: &Path,
    database_url: Option<&str>,
    nats_url: Option<&str>,
) -> anyhow::Result<(String, String)> {
    if let (Some(db), Some(nats)) = (database_url, nats_url) {
        if pg_answers(db).await && nats_answers(nats).await {
            return Ok((db.to_owned(), nats.to_owned()));
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
pub fn with_database(url: &str, db: &str) -> anyhow::Result<String> {
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
pub fn free_ports(n: usize) -> anyhow::Result<Vec<SocketAddr>> {
    let listeners = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot find a free port")?;
    listeners
        .iter()
        .map(|l| l.local_addr().context("no local address"))
        .collect()
}

/// One running service.
pub struct Service {
    pub name: &'static str,
    pub addr: SocketAddr,
    pub pid: u32,
    child: Child,
    log: PathBuf,
}

/// Everything the run creates, so that teardown can undo it whatever happened.
pub struct Bench {
    admin_url: String,
    nats_url: String,
    db_name: String,
    db_created: bool,
    prefix: String,
    dir: PathBuf,
    bin_dir: PathBuf,
    /// The services to start, in start order.
    programs: &'static [&'static str],
    services: Vec<Service>,
    keep_logs: bool,
    token_alg: TokenAlg,
    /// More environment for one service: (service, variable, value).
    extra_env: Vec<(String, String, String)>,
    /// Programs [`setup`](Self::setup) leaves for [`start`](Self::start).
    deferred: Vec<&'static str>,
    /// Every service's environment, once [`setup`](Self::setup) made it.
    env: Vec<(&'static str, String)>,
}

impl Bench {
    /// Finds (or builds) the binaries of `programs` and the CLI, finds the servers, and names the
    /// run's database, NATS prefix and temporary directory. Nothing is created yet:
    /// [`setup`](Self::setup) does that, inside [`supervise`](Self::supervise).
    pub async fn prepare(programs: &'static [&'static str], args: &ServerArgs) -> anyhow::Result<Self> {
        super::services::check_known(programs)?;
        for (service, variable, _) in &args.service_env {
            anyhow::ensure!(
                service == "*" || programs.contains(&service.as_str()),
                "--service-env {service}:{variable}: this benchmark runs {programs:?}"
            );
        }
        let root = workspace_root();
        let bin_dir = binaries(&root, programs, args.no_build).await?;
        let (admin_url, nats_url) =
            servers(&root, args.database_url.as_deref(), args.nats_url.as_deref()).await?;
        let tag = format!("{:016x}", rand::rng().random::<u64>());
        Ok(Self {
            admin_url,
            nats_url,
            db_name: format!("bench_{tag}"),
            db_created: false,
            prefix: format!("bench{}", &tag[..8]),
            dir: std::env::temp_dir().join(format!("tyndau-bench-{tag}")),
            bin_dir,
            programs,
            services: Vec::new(),
            keep_logs: args.keep_logs,
            token_alg: args.token_alg,
            extra_env: args.service_env.clone(),
            deferred: Vec::new(),
            env: Vec::new(),
        })
    }

    /// Runs `run` (which starts with [`setup`](Self::setup)), stopping it on Ctrl-C; on error
    /// prints it with the services' last log lines. Tears everything down in every case.
    /// `None` when the run failed (already reported).
    pub async fn supervise<T>(mut self, run: impl AsyncFnOnce(&mut Self) -> anyhow::Result<T>) -> Option<T> {
        let outcome = tokio::select! {
            outcome = run(&mut self) => outcome,
            _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
        };
        if let Err(e) = &outcome {
            eprintln!("error: {e:#}");
            self.print_log_tails();
        }
        self.teardown().await;
        outcome.ok()
    }

    /// Sets `variable` for `service` (before [`setup`](Self::setup) starts it), and for every
    /// service when `service` is `*`.
    pub fn set_env(&mut self, service: &str, variable: &str, value: String) {
        self.extra_env
            .push((service.to_owned(), variable.to_owned(), value));
    }

    /// Where the release binaries are.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The run's temporary directory (keys, logs).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn db_url(&self) -> anyhow::Result<String> {
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

    fn base_env(&self, pepper: &str, link_secret: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
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
            ("TYNDAU_NOTIFICATIONS__LINK_SECRET", link_secret.to_owned()),
            (
                "TYNDAU_PRIVACY__RECEIPT_KEY",
                hex::encode(rand::rng().random::<[u8; 32]>()),
            ),
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
    pub async fn setup(&mut self) -> anyhow::Result<()> {
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
        let link_secret = hex::encode(rand::rng().random::<[u8; 32]>());
        let env = self.base_env(&pepper, &link_secret)?;
        let keys_dir = self.dir.join("keys").display().to_string();
        let alg = self.token_alg.cli_name();
        self.run_cli(&env, &["dev-keys", "--out", &keys_dir, "--alg", alg])
            .await?;
        eprintln!("tokens: {alg}");
        self.run_cli(&env, &["migrate"]).await?;

        let started: Vec<&'static str> = self
            .programs
            .iter()
            .copied()
            .filter(|name| !self.deferred.contains(name))
            .collect();
        let ports = free_ports(started.len())?;
        for (name, addr) in started.into_iter().zip(ports) {
            self.spawn(name, addr, &env)?;
        }
        self.env = env;
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

    /// Starts a service held back with [`defer`](Self::defer) (after loading data it should
    /// find waiting), and waits until it is ready.
    pub async fn start(&mut self, name: &'static str) -> anyhow::Result<()> {
        anyhow::ensure!(self.deferred.contains(&name), "{name} was not deferred");
        let addr = free_ports(1)?[0];
        let env = self.env.clone();
        self.spawn(name, addr, &env)?;
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .context("cannot build the HTTP client")?;
        if let Some(service) = self.services.last_mut() {
            wait_ready(&client, service).await?;
        }
        Ok(())
    }

    /// Holds `name` back from [`setup`](Self::setup): [`start`](Self::start) starts it.
    pub fn defer(&mut self, name: &'static str) {
        self.deferred.push(name);
    }

    fn spawn(
        &mut self,
        name: &'static str,
        addr: SocketAddr,
        env: &[(&'static str, String)],
    ) -> anyhow::Result<()> {
        let log = self.dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
        let err = out.try_clone().context("cannot duplicate the log handle")?;
        let mut env: Vec<(&str, String)> = env.to_vec();
        env.push(("TYNDAU_HTTP__ADDR", addr.to_string()));
        if name == "tyndau-command-api" {
            env.extend(COMMAND_API_ENV.iter().map(|(k, v)| (*k, (*v).to_owned())));
        }
        for (service, variable, value) in &self.extra_env {
            if service == name || service == "*" {
                env.push((variable.as_str(), value.clone()));
            }
        }
        // A benchmark may place a service itself (one another must know the address of first).
        let addr = env
            .iter()
            .rev()
            .find(|(k, _)| *k == "TYNDAU_HTTP__ADDR")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(addr);
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
        Ok(())
    }

    fn describe_services(&self) -> String {
        self.services
            .iter()
            .map(|s| format!("{} (pid {}, {})", s.name, s.pid, s.addr))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The running services, in start order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn service(&self, name: &str) -> anyhow::Result<&Service> {
        self.services
            .iter()
            .find(|s| s.name == name)
            .with_context(|| format!("{name} is not running"))
    }

    /// `http://addr` of a running service.
    pub fn url(&self, name: &str) -> anyhow::Result<String> {
        Ok(format!("http://{}", self.service(name)?.addr))
    }

    /// (name, pid) of each running service, for the `/proc` samplers.
    pub fn pids(&self) -> Vec<(&'static str, u32)> {
        self.services.iter().map(|s| (s.name, s.pid)).collect()
    }

    /// A token signer with the run's dev key (written by [`setup`](Self::setup)).
    pub fn signer(&self) -> anyhow::Result<DevSigner> {
        let keys = DevKeys::load_from(&self.dir.join("keys")).context("cannot load the bench dev keys")?;
        keys.signer().context("cannot parse the bench dev key")
    }

    /// Fails if any service has exited.
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        for service in &mut self.services {
            if let Some(status) = service.child.try_wait().context("cannot poll a child")? {
                bail!("{} exited during the run ({status})", service.name);
            }
        }
        Ok(())
    }

    pub fn print_log_tails(&self) {
        for service in &self.services {
            let tail = tail(&service.log, 15);
            if !tail.trim().is_empty() {
                eprintln!("--- last lines of {} ---\n{tail}", service.name);
            }
        }
    }

    pub async fn teardown(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_setting_names_the_service_a_tyndau_variable_and_its_value() {
        assert_eq!(
            parse_service_env("tyndau-command-api:TYNDAU_SIGNATURES__BATCH_COLLECTORS=1"),
            Ok((
                "tyndau-command-api".to_owned(),
                "TYNDAU_SIGNATURES__BATCH_COLLECTORS".to_owned(),
                "1".to_owned()
            ))
        );
        assert_eq!(
            parse_service_env("*:TYNDAU_X=a=b").map(|(_, _, value)| value),
            Ok("a=b".to_owned())
        );
        assert!(parse_service_env("TYNDAU_X=1").is_err());
        assert!(parse_service_env("tyndau-web:PATH=/tmp").is_err());
        assert!(parse_service_env("tyndau-web:TYNDAU_X").is_err());
    }

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
}
