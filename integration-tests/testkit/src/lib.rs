//! A whole Tyndau platform per test, in-process, against the local PostgreSQL and NATS servers.
//!
//! [`TestPlatform::spawn`] creates a fresh database (`t_<uuid>`) and migrates it, picks a unique
//! NATS prefix, generates dev keys in memory, and runs the command API and the query API on
//! `127.0.0.1:0`, the event relay and the thresholds projector as tasks (each can be stopped and
//! started again). The scheduler has no loop: tests call [`TestPlatform::scheduler`]'s `tick`
//! with the instant they want. Tokens for any principal come from [`TestPlatform`]'s helpers,
//! and [`eventually`] replaces sleeps.
//!
//! The servers come from `scripts/dev-env.sh` (`source .data/env` sets `DATABASE_URL` and
//! `NATS_URL`).

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tyndau_auth::dev::{DevClaims, DevKeys, DevSigner};
use tyndau_auth::{AuthConfig, JwksSource, Pseudonymizer, Role, Verifier};
use tyndau_bus::Bus;
use tyndau_config::{DatabaseSettings, HttpSettings, NatsSettings};
use tyndau_db::sqlx::{self, Connection, PgPool};
use tyndau_event_relay::{Relay, RelayTuning};
use tyndau_ids::{BodyId, Iin, Region, Sex, synthesize_iin};
use tyndau_scheduler::Scheduler;

pub use tyndau_ids;

mod mailbox;
pub use mailbox::{Delivered, Mailbox};

/// The dev issuer's `iss` and `aud` in every test token.
pub const ISSUER: &str = "https://idp.test";
pub const AUDIENCE: &str = "tyndau-test";
/// The citizen number of the default petition author (never used as a signer by convention).
pub const AUTHOR: u32 = 17_000_000;
/// The default `eventually` timeout: generous, for a slow shared machine.
pub const PATIENCE: Duration = Duration::from_secs(60);

const PROBLEM_JSON: &str = "application/problem+json";

/// A long-running task that can be stopped (its token cancelled, then awaited) and restarted.
struct Worker {
    token: CancellationToken,
    handle: JoinHandle<()>,
}

impl Worker {
    fn spawn<F, Fut>(parent: &CancellationToken, run: F) -> Self
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let token = parent.child_token();
        let handle = tokio::spawn(run(token.clone()));
        Self { token, handle }
    }

    async fn stop(self) {
        self.token.cancel();
        if let Err(e) = self.handle.await {
            assert!(!e.is_panic(), "a worker panicked: {e}");
        }
    }
}

pub struct TestPlatform {
    admin_url: String,
    database: String,
    /// Relay, projector, scheduler and the tests' own SQL.
    pool: PgPool,
    /// The two APIs.
    api_pool: PgPool,
    bus: Bus,
    signer: DevSigner,
    /// The `iss` of every token: [`ISSUER`], or a real identity provider's.
    issuer: String,
    client: reqwest::Client,
    command_url: String,
    query_url: String,
    scheduler: Scheduler,
    root: CancellationToken,
    servers: Mutex<Vec<JoinHandle<std::io::Result<()>>>>,
    relay: Mutex<Option<Worker>>,
    projector: Mutex<Option<Worker>>,
    consultation_projector: Mutex<Option<Worker>>,
    notifier: Mutex<Option<Worker>>,
    mailer: Mutex<Option<Worker>>,
    hooks: Mutex<Option<Worker>>,
    /// Signs the one-click unsubscribe links (hex); the command API checks them with it.
    link_secret: String,
    /// Signature commitments in the transparency log are derived under it (hex); the command API
    /// gives receipts with it.
    receipt_key: String,
}

/// The transparency log and its witness, served from this process on the platform's database.
#[derive(Debug, Clone)]
pub struct TestLedger {
    pub log_url: String,
    pub witness_url: String,
    /// The log's verifier key (its name is the origin).
    pub log_key: String,
    /// The log's signer key: what an operator rewriting history would sign with.
    pub log_secret: String,
    /// The witness's verifier key.
    pub witness_key: String,
    /// The witness's record file.
    pub witness_state: std::path::PathBuf,
}

impl std::fmt::Debug for TestPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPlatform")
            .field("database", &self.database)
            .field("command_url", &self.command_url)
            .field("query_url", &self.query_url)
            .finish_non_exhaustive()
    }
}

fn required_env(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value,
        _ => panic!(
            "{name} is not set: the integration tests need the local PostgreSQL and NATS servers. \
             Run `scripts/dev-env.sh` (or `just env`), then `source .data/env`."
        ),
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buffer).expect("the system random generator works");
    hex::encode(buffer)
}

/// Replaces the database name in a `postgres://` URL (keeps any query string).
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{database}?{query}"),
        None => format!("{root}/{database}"),
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _already = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

impl TestPlatform {
    /// Starts a fresh, isolated platform. Panics (naming `scripts/dev-env.sh`) when the servers
    /// are not configured or not reachable.
    pub async fn spawn() -> Self {
        Self::spawn_with(json!({})).await
    }

    /// Like [`spawn`](Self::spawn), with top-level command API settings replaced by those in
    /// `command_overrides` (e.g. `{"rate_limits": {...}}`). By default the rate limits are off:
    /// tests drive many citizens from one address, and limits get their own tests.
    pub async fn spawn_with(command_overrides: Value) -> Self {
        let keys = DevKeys::generate().expect("dev key generation works");
        Self::spawn_for(command_overrides, ISSUER, keys).await
    }

    /// A platform whose command API trusts tokens of `issuer` signed with `keys`: the tests of
    /// the web front run a real identity provider with this key, so the tokens it issues and
    /// those the test mints are alike to the command API.
    pub async fn spawn_for(command_overrides: Value, issuer: &str, keys: DevKeys) -> Self {
        init_tracing();
        let admin_url = required_env("DATABASE_URL");
        let nats_url = required_env("NATS_URL");
        let id = uuid::Uuid::now_v7().simple().to_string();
        let database = format!("t_{id}");
        create_database(&admin_url, &database).await;

        let url = with_database(&admin_url, &database);
        let settings = |max_connections| DatabaseSettings {
            max_connections,
            acquire_timeout_ms: 30_000,
            ..DatabaseSettings::with_url(&url)
        };
        let pool = tyndau_db::connect(&settings(12))
            .await
            .unwrap_or_else(|e| panic!("connecting to {database}: {e}"));
        tyndau_db::migrate(&pool)
            .await
            .unwrap_or_else(|e| panic!("migrating {database}: {e:?}"));
        let api_pool = tyndau_db::connect(&settings(40))
            .await
            .unwrap_or_else(|e| panic!("connecting to {database}: {e}"));

        // The random part of a v7 uuid: unique among parallel tests.
        let prefix = format!("t{}", &id[id.len() - 12..]);
        let bus = Bus::connect(&NatsSettings::new(&nats_url, &prefix))
            .await
            .unwrap_or_else(|e| {
                panic!("connecting to NATS at {nats_url} (is `scripts/dev-env.sh` running?): {e}")
            });
        bus.ensure_stream()
            .await
            .unwrap_or_else(|e| panic!("creating the test stream: {e}"));

        let signer = keys.signer().expect("a fresh dev key signs");
        let auth = AuthConfig::new(
            issuer,
            AUDIENCE,
            JwksSource::Path("/nonexistent/jwks.json".into()),
        );
        let verifier = Arc::new(
            Verifier::from_jwks_json(auth, keys.jwks_json().as_bytes()).expect("the dev JWKS is valid"),
        );
        let pepper = random_hex(32);
        let link_secret = random_hex(32);
        let receipt_key = random_hex(32);
        let pseudonymizer = Arc::new(
            Pseudonymizer::new(hex::decode(&pepper).expect("hex").into()).expect("32 bytes suffice"),
        );

        let root = CancellationToken::new();
        let mut servers = Vec::new();

        let http = HttpSettings {
            request_timeout_ms: 30_000,
            ..HttpSettings::on(([127, 0, 0, 1], 0).into())
        };
        let mut settings = json!({
            "database": { "url": url, "max_connections": 40, "acquire_timeout_ms": 30_000 },
            "http": { "addr": "127.0.0.1:0", "request_timeout_ms": 30_000 },
            "auth": { "issuer": issuer, "audience": AUDIENCE, "jwks": { "path": "/nonexistent/jwks.json" } },
            "privacy": { "signer_pepper": pepper, "receipt_key": receipt_key },
            "notifications": { "link_secret": link_secret },
            "webhooks": { "allow_internal_addresses": true },
            "rate_limits": {
                "per_address_per_s": 0, "per_citizen_per_min": 0, "per_petition_per_s": 0, "comments_per_min": 0
            },
        });
        if let (Some(settings), Some(overrides)) = (settings.as_object_mut(), command_overrides.as_object()) {
            settings.extend(overrides.clone());
        }
        let links = Arc::new(
            tyndau_auth::links::UnsubscribeLinks::new(&hex::decode(&link_secret).expect("hex"))
                .expect("32 bytes suffice"),
        );
        let command_settings: tyndau_command_api::Settings =
            serde_json::from_value(settings).expect("the command API settings are well-formed");
        let state = tyndau_command_api::AppState::new(
            api_pool.clone(),
            verifier,
            pseudonymizer,
            links,
            Some(Arc::new(
                tyndau_command_api::receipts::Receipts::from_hex(&receipt_key)
                    .expect("32 random bytes are a receipt key"),
            )),
            &command_settings,
        );
        let command_router = tyndau_command_api::router(state, &command_settings);
        let (command_url, server) = serve(command_router, &root).await;
        servers.push(server);

        // Tests read their own writes as soon as they are projected: no page cache (it has its
        // own tests, and the benchmarks run the binary with its defaults).
        let query_router = tyndau_query_api::QueryApi::router(
            api_pool.clone(),
            &http,
            &tyndau_query_api::CacheSettings::off(),
        );
        let (query_url, server) = serve(query_router, &root).await;
        servers.push(server);

        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("a reqwest client builds");

        let platform = Self {
            admin_url,
            database,
            scheduler: Scheduler::new(pool.clone()),
            pool,
            api_pool,
            bus,
            signer,
            issuer: issuer.to_owned(),
            client,
            command_url,
            query_url,
            root,
            servers: Mutex::new(servers),
            relay: Mutex::new(None),
            projector: Mutex::new(None),
            consultation_projector: Mutex::new(None),
            notifier: Mutex::new(None),
            mailer: Mutex::new(None),
            hooks: Mutex::new(None),
            link_secret,
            receipt_key,
        };
        platform.start_relay().await;
        platform.start_projector().await;
        platform.start_consultation_projector().await;
        platform
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn command_url(&self) -> &str {
        &self.command_url
    }

    pub fn query_url(&self) -> &str {
        &self.query_url
    }

    pub fn database_name(&self) -> &str {
        &self.database
    }

    /// The scheduler, for explicit ticks: `scheduler().tick(now)`.
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Starts the event relay (no-op if it runs).
    pub async fn start_relay(&self) {
        let mut slot = self.relay.lock().await;
        if slot.is_none() {
            let relay = Relay::new(self.pool.clone(), self.bus.clone(), RelayTuning::default());
            *slot = Some(Worker::spawn(&self.root, move |token| relay.run(token)));
        }
    }

    /// Stops the event relay and waits until it has stopped.
    pub async fn stop_relay(&self) {
        let worker = self.relay.lock().await.take();
        if let Some(worker) = worker {
            worker.stop().await;
        }
    }

    /// Aborts the thresholds projector wherever it is (mid-batch included), like a crash: no
    /// graceful shutdown, unacknowledged messages stay pending on the consumer.
    pub async fn crash_projector(&self) {
        let worker = self.projector.lock().await.take();
        if let Some(worker) = worker {
            worker.handle.abort();
            let _ = worker.handle.await;
        }
    }

    /// Aborts the event relay wherever it is (between publish and checkpoint included), like a
    /// crash.
    pub async fn crash_relay(&self) {
        let worker = self.relay.lock().await.take();
        if let Some(worker) = worker {
            worker.handle.abort();
            let _ = worker.handle.await;
        }
    }

    /// Starts the thresholds projector (no-op if it runs).
    pub async fn start_projector(&self) {
        let mut slot = self.projector.lock().await;
        if slot.is_none() {
            let projector = tyndau_projector_thresholds::projector(self.pool.clone(), self.bus.clone());
            *slot = Some(Worker::spawn(&self.root, move |token| projector.run(token)));
        }
    }

    /// Stops the thresholds projector and waits until it has stopped.
    pub async fn stop_projector(&self) {
        let worker = self.projector.lock().await.take();
        if let Some(worker) = worker {
            worker.stop().await;
        }
    }

    /// Starts the consultations projector (no-op if it runs).
    pub async fn start_consultation_projector(&self) {
        let mut slot = self.consultation_projector.lock().await;
        if slot.is_none() {
            let projector = tyndau_projector_consultations::projector(self.pool.clone(), self.bus.clone());
            *slot = Some(Worker::spawn(&self.root, move |token| projector.run(token)));
        }
    }

    /// Starts the notifier (no-op if it runs). Tests that read inboxes start it.
    pub async fn start_notifier(&self) {
        let mut slot = self.notifier.lock().await;
        if slot.is_none() {
            let projector = tyndau_notifier::projector(self.pool.clone(), self.bus.clone());
            *slot = Some(Worker::spawn(&self.root, move |token| projector.run(token)));
        }
    }

    /// Starts the notifier's mail sender against `mailbox` (no-op if it runs). `overrides` are
    /// mail settings in JSON (e.g. `{"max_attempts": 3}`); the public address is `public_url`.
    pub async fn start_mailer(&self, mailbox: &Mailbox, public_url: &str, overrides: Value) {
        let mut slot = self.mailer.lock().await;
        if slot.is_some() {
            return;
        }
        let mut settings = json!({
            "smtp_url": mailbox.smtp_url(),
            "from": "Tyndau <no-reply@tyndau.test>",
            "public_url": public_url,
            "message_id_domain": "tyndau.test",
            "idle_poll_ms": 20,
            "lease_secs": 2.0,
            "timeout_secs": 5,
        });
        if let (Some(settings), Some(overrides)) = (settings.as_object_mut(), overrides.as_object()) {
            settings.extend(overrides.clone());
        }
        let settings: tyndau_notifier::settings::MailSettings =
            serde_json::from_value(settings).expect("the mail settings are well-formed");
        let secret = hex::decode(&self.link_secret).expect("hex");
        let sender = tyndau_notifier::mail::Sender::new(self.pool.clone(), &settings, &secret)
            .expect("the mail sender starts");
        *slot = Some(Worker::spawn(&self.root, move |token| sender.run(token)));
    }

    /// Starts the notifier's webhook sender (no-op if it runs); `overrides` are its settings in
    /// JSON (e.g. `{"max_attempts": 3, "retry_base_secs": 0.1}`).
    pub async fn start_hooks(&self, overrides: Value) {
        let mut slot = self.hooks.lock().await;
        if slot.is_some() {
            return;
        }
        let mut settings = json!({ "idle_poll_ms": 20, "lease_secs": 30.0 });
        if let (Some(settings), Some(overrides)) = (settings.as_object_mut(), overrides.as_object()) {
            settings.extend(overrides.clone());
        }
        let settings: tyndau_notifier::hooks::HookSettings =
            serde_json::from_value(settings).expect("the webhook settings are well-formed");
        let sender = tyndau_notifier::hooks::HookSender::new(self.pool.clone(), &settings)
            .expect("the webhook sender starts");
        *slot = Some(Worker::spawn(&self.root, move |token| sender.run(token)));
    }

    /// Aborts the mail sender wherever it is (mid-send included), like `kill -9`.
    pub async fn crash_mailer(&self) {
        let worker = self.mailer.lock().await.take();
        if let Some(worker) = worker {
            worker.handle.abort();
            let _ = worker.handle.await;
        }
    }

    /// The secret unsubscribe links are signed with (hex), for forging tests.
    pub fn link_secret(&self) -> &str {
        &self.link_secret
    }

    /// The database URL of this platform's own database.
    pub fn database_url(&self) -> String {
        with_database(&self.admin_url, &self.database)
    }

    /// Starts a witness and the ledger (appending, checkpointing every 200 ms, cosigned by the
    /// witness), each on its own port, until the platform stops.
    pub async fn start_ledger(&self) -> TestLedger {
        use tyndau_tlog::keys::{KeyKind, generate};
        let (log_secret, log_key) = generate("localhost/tyndau-test/ledger", KeyKind::Log);
        let (witness_secret, witness_key) = generate("localhost/tyndau-test/witness", KeyKind::Cosigner);
        let witness_state = std::env::temp_dir().join(format!("tyndau-witness-{}.json", random_hex(8)));
        let witness = tyndau_witness::WitnessService::build(
            serde_json::from_value(json!({
                "http": { "addr": "127.0.0.1:0" },
                "witness": { "key": witness_secret, "log_keys": [log_key], "state_path": witness_state },
            }))
            .expect("the witness settings are well-formed"),
        )
        .await
        .expect("the witness starts");
        let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into())
            .await
            .expect("binding works");
        let witness_url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(witness.serve_on(listener, self.root.child_token()));

        let ledger = tyndau_ledger::LedgerService::build(
            serde_json::from_value(json!({
                "database": { "url": self.database_url(), "max_connections": 8 },
                "http": { "addr": "127.0.0.1:0" },
                "ledger": {
                    "key": log_secret.clone(), "witness_url": witness_url, "witness_key": witness_key,
                    "checkpoint_interval_ms": 200, "idle_poll_ms": 20,
                },
                "privacy": { "receipt_key": self.receipt_key },
            }))
            .expect("the ledger settings are well-formed"),
        )
        .await
        .expect("the ledger starts");
        let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into())
            .await
            .expect("binding works");
        let log_url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(ledger.serve_on(listener, self.root.child_token()));
        TestLedger {
            log_url,
            witness_url,
            log_key,
            log_secret,
            witness_key,
            witness_state,
        }
    }

    /// Aborts the notifier wherever it is (mid-batch included), like `kill -9`.
    pub async fn crash_notifier(&self) {
        let worker = self.notifier.lock().await.take();
        if let Some(worker) = worker {
            worker.handle.abort();
            let _ = worker.handle.await;
        }
    }

    /// Aborts the consultations projector wherever it is, like a crash.
    pub async fn crash_consultation_projector(&self) {
        let worker = self.consultation_projector.lock().await.take();
        if let Some(worker) = worker {
            worker.handle.abort();
            let _ = worker.handle.await;
        }
    }

    /// Every row of each `(table, ordering key)` as JSON, every column, for comparing a
    /// projection before and after a rebuild.
    pub async fn snapshot_tables(&self, tables: &[(&'static str, &str)]) -> BTreeMap<&'static str, Value> {
        let mut snapshot = BTreeMap::new();
        for (table, key) in tables {
            let rows: Value = sqlx::query_scalar(&format!(
                "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY {key}), '[]'::jsonb) FROM {table} t"
            ))
            .fetch_one(&self.pool)
            .await
            .expect("the table can be read");
            snapshot.insert(*table, rows);
        }
        snapshot
    }

    /// Stops everything, then deletes the stream and drops the database (best effort).
    pub async fn shutdown(self) {
        self.stop_relay().await;
        self.stop_projector().await;
        if let Some(worker) = self.consultation_projector.lock().await.take() {
            worker.stop().await;
        }
        if let Some(worker) = self.notifier.lock().await.take() {
            worker.stop().await;
        }
        if let Some(worker) = self.mailer.lock().await.take() {
            worker.stop().await;
        }
        if let Some(worker) = self.hooks.lock().await.take() {
            worker.stop().await;
        }
        self.root.cancel();
        let servers = std::mem::take(&mut *self.servers.lock().await);
        for server in servers {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
        if let Err(e) = self.bus.delete_stream().await {
            tracing::warn!(error = %e, "could not delete the test stream");
        }
        self.pool.close().await;
        self.api_pool.close().await;
        drop_database(&self.admin_url, &self.database).await;
    }

    // ----- tokens -----

    fn mint(&self, claims: &DevClaims) -> String {
        self.signer.mint(claims).expect("minting a dev token works")
    }

    /// A distinct adult citizen per `n`, resident in Almaty city.
    pub fn citizen_token(&self, n: u32) -> String {
        self.citizen_token_in(n, Region::Almaty)
    }

    /// A distinct adult citizen per `n` in Almaty whose token carries a full name.
    pub fn citizen_token_named(&self, n: u32, name: &str) -> String {
        self.mint(&DevClaims {
            name: Some(name.to_owned()),
            ..DevClaims::citizen(
                &self.issuer,
                AUDIENCE,
                format!("citizen-{n}"),
                adult_iin(n),
                Region::Almaty,
            )
        })
    }

    /// A distinct adult citizen per `n`, resident in `region`.
    pub fn citizen_token_in(&self, n: u32, region: Region) -> String {
        self.mint(&DevClaims::citizen(
            &self.issuer,
            AUDIENCE,
            format!("citizen-{n}"),
            adult_iin(n),
            region,
        ))
    }

    /// A distinct citizen per `n`, 10 to 12 years old, resident in Almaty city.
    pub fn minor_token(&self, n: u32) -> String {
        self.mint(&DevClaims::citizen(
            &self.issuer,
            AUDIENCE,
            format!("minor-{n}"),
            minor_iin(n),
            Region::Almaty,
        ))
    }

    pub fn admin_token(&self) -> String {
        self.mint(&DevClaims::new(&self.issuer, AUDIENCE, "admin-1", Role::Admin))
    }

    pub fn moderator_token(&self) -> String {
        self.mint(&DevClaims::new(
            &self.issuer,
            AUDIENCE,
            "moderator-1",
            Role::Moderator,
        ))
    }

    /// An official of the state body `org` (e.g. `akimat-almaty`).
    pub fn official_token(&self, org: &str) -> String {
        let body: BodyId = org.parse().unwrap_or_else(|_| panic!("{org} is not a body id"));
        self.mint(&DevClaims::official(
            &self.issuer,
            AUDIENCE,
            format!("official-{org}"),
            body,
        ))
    }

    // ----- HTTP -----

    /// A request to the command API (`path` starts with `/`), with a bearer token if given.
    pub fn command(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.command_url));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// POST to the command API with an optional JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let request = self.command(Method::POST, path, token);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        Reply::read(request).await
    }

    /// GET from the query API.
    pub async fn get(&self, path: &str) -> Reply {
        Reply::read(self.client.get(format!("{}{path}", self.query_url))).await
    }

    /// `POST /petitions/{id}/signature`.
    pub async fn sign(&self, petition: &str, token: &str) -> Reply {
        self.post(&format!("/petitions/{petition}/signature"), Some(token), None)
            .await
    }

    /// `DELETE /petitions/{id}/signature`.
    pub async fn withdraw(&self, petition: &str, token: &str) -> Reply {
        Reply::read(self.command(
            Method::DELETE,
            &format!("/petitions/{petition}/signature"),
            Some(token),
        ))
        .await
    }

    /// Signs with every token, `concurrency` requests at a time; the replies' statuses in token
    /// order.
    pub async fn sign_all(&self, petition: &str, tokens: Vec<String>, concurrency: usize) -> Vec<StatusCode> {
        let mut statuses: Vec<(usize, StatusCode)> = futures::stream::iter(tokens.into_iter().enumerate())
            .map(|(index, token)| async move {
                let reply = self.sign(petition, &token).await;
                (index, reply.status)
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        statuses.sort_by_key(|(index, _)| *index);
        statuses.into_iter().map(|(_, status)| status).collect()
    }

    /// Drafts a petition by `author` (a token) to `addressee`, in Kazakh and Russian; its id.
    pub async fn draft(&self, author: &str, addressee: &str) -> String {
        let reply = self
            .post("/petitions", Some(author), Some(petition_body(addressee)))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "drafting: {reply:?}");
        reply.body["petition_id"]
            .as_str()
            .expect("the reply names the petition")
            .to_owned()
    }

    /// A petition to `addressee` by citizen [`AUTHOR`], submitted and published: open for
    /// signatures. Its id.
    pub async fn open_petition(&self, addressee: &str) -> String {
        let author = self.citizen_token(AUTHOR);
        let id = self.draft(&author, addressee).await;
        let reply = self
            .post(&format!("/petitions/{id}/submit"), Some(&author), None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "submitting: {reply:?}");
        let reply = self
            .post(
                &format!("/petitions/{id}/publish"),
                Some(&self.moderator_token()),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "publishing: {reply:?}");
        id
    }

    /// A Government consultation on a one-article draft, open for 40 days (not waiting for the
    /// projection); returns its id.
    pub async fn open_consultation(&self) -> String {
        let official = self.official_token("government");
        let created = self
            .post(
                "/consultations",
                Some(&official),
                Some(json!({
                    "content": {
                        "kk": { "title": "Заң жобасы", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
                        "ru": { "title": "Проект закона", "summary": "Кратко.", "explanatory_note": "Записка." }
                    },
                    "provisions": [{ "path": "a1", "text": { "kk": "Бірінші бап.", "ru": "Первая статья." } }],
                })),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "drafting: {created:?}");
        let id = created.body["consultation_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let closes_at = (time::OffsetDateTime::now_utc() + time::Duration::days(40))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let opened = self
            .post(
                &format!("/consultations/{id}/open"),
                Some(&official),
                Some(json!({ "closes_at": closes_at })),
            )
            .await;
        assert_eq!(opened.status, StatusCode::OK, "opening: {opened:?}");
        id
    }

    /// The public live count (`GET /petitions/{id}/count`), if the petition is visible yet.
    /// Fires the scheduler and waits until the petition (past its threshold) awaits its answer.
    pub async fn await_answer_due(&self, petition: &str) {
        self.scheduler()
            .tick(time::OffsetDateTime::now_utc())
            .await
            .unwrap_or_else(|e| panic!("the scheduler's tick failed: {e}"));
        eventually(
            || async {
                let detail = self.get(&format!("/petitions/{petition}")).await;
                (!detail.body["dates"]["answer_due"].is_null()).then_some(())
            },
            PATIENCE,
        )
        .await;
    }

    pub async fn public_count(&self, petition: &str) -> Option<i64> {
        let reply = self.get(&format!("/petitions/{petition}/count")).await;
        (reply.status == StatusCode::OK).then(|| reply.body["signatures"].as_i64())?
    }

    /// Waits until the public count equals `expected`; panics after [`PATIENCE`] with the last
    /// value seen.
    pub async fn await_count(&self, petition: &str, expected: i64) {
        self.await_count_within(petition, expected, PATIENCE).await;
    }

    pub async fn await_count_within(&self, petition: &str, expected: i64, timeout: Duration) {
        let started = Instant::now();
        loop {
            let seen = self.public_count(petition).await;
            if seen == Some(expected) {
                return;
            }
            assert!(
                started.elapsed() < timeout,
                "the count of {petition} is {seen:?}, not {expected}, after {timeout:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for TestPlatform {
    fn drop(&mut self) {
        self.root.cancel();
    }
}

/// The JSON body of `POST /petitions`: Kazakh and Russian texts.
pub fn petition_body(addressee: &str) -> Value {
    json!({
        "addressee": addressee,
        "content": {
            "kk": {
                "title": "Саябаққа көбірек орындық қойыңыз",
                "text": "Қала саябақтарында отыратын орын жетіспейді, әсіресе қарт адамдарға.",
                "request": "Әр саябаққа кемінде жиырма орындық орнатуды сұраймыз."
            },
            "ru": {
                "title": "Поставьте больше скамеек в парках",
                "text": "В городских парках не хватает мест, чтобы присесть, особенно пожилым людям.",
                "request": "Просим установить не менее двадцати скамеек в каждом парке."
            }
        }
    })
}

async fn serve(router: axum::Router, root: &CancellationToken) -> (String, JoinHandle<std::io::Result<()>>) {
    let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into())
        .await
        .expect("binding 127.0.0.1:0 works");
    let addr = listener.local_addr().expect("a bound listener has an address");
    let handle = tokio::spawn(tyndau_http::serve(listener, router, root.child_token()));
    (format!("http://{addr}"), handle)
}

async fn admin_connection(admin_url: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL (is `scripts/dev-env.sh` running?): {e}"))
}

async fn create_database(admin_url: &str, database: &str) {
    let mut admin = admin_connection(admin_url).await;
    let mut attempt = 0;
    loop {
        // Concurrent CREATE DATABASE from the same template can collide; retry briefly.
        match sqlx::query(&format!("CREATE DATABASE \"{database}\""))
            .execute(&mut admin)
            .await
        {
            Ok(_) => break,
            Err(e) if attempt < 20 => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "CREATE DATABASE failed; retrying");
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
            Err(e) => panic!("cannot create the test database {database}: {e}"),
        }
    }
    let _ = admin.close().await;
}

async fn drop_database(admin_url: &str, database: &str) {
    let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await else {
        return;
    };
    if let Err(e) = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
    {
        tracing::warn!(error = %e, database, "could not drop the test database");
    }
    let _ = admin.close().await;
}

// ----- synthetic people -----

/// A valid, distinct IIN per `n`, born 1950–1999: the date is spread over ~49 years and the
/// serial picks one of ten consecutive candidates, so distinct `n` never collide.
pub fn adult_iin(n: u32) -> Iin {
    const DAYS: u32 = 18_000;
    let birth = date(1950, 1, 1) + time::Duration::days(i64::from(n % DAYS));
    let sex = if n.is_multiple_of(2) {
        Sex::Female
    } else {
        Sex::Male
    };
    iin_in_block(birth, sex, n / DAYS)
}

/// A valid, distinct IIN per `n` of someone 10 to 12 years old today.
pub fn minor_iin(n: u32) -> Iin {
    const DAYS: u32 = 700;
    let today = OffsetDateTime::now_utc().date();
    let birth = today - time::Duration::days(10 * 366 + i64::from(n % DAYS));
    iin_in_block(birth, Sex::Male, n / DAYS)
}

fn iin_in_block(birth: Date, sex: Sex, block: u32) -> Iin {
    let base = u16::try_from(block * 10)
        .ok()
        .filter(|b| *b < 9_990)
        .expect("citizen number out of range");
    (0..10)
        .find_map(|k| synthesize_iin(birth, sex, base + k))
        .expect("one of ten serials has a check digit")
}

fn date(year: i32, month: u8, day: u8) -> Date {
    let month = time::Month::try_from(month).expect("valid month");
    Date::from_calendar_date(year, month, day).expect("valid date")
}

// ----- replies -----

/// An HTTP reply, read whole: status, content type and JSON body (`Null` when empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: Value,
}

impl Reply {
    /// Sends the request and reads the reply. Panics on transport errors.
    pub async fn read(request: RequestBuilder) -> Self {
        let response = request.send().await.expect("the request reaches the server");
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.expect("the reply body is readable");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Self {
            status,
            content_type,
            body,
        }
    }

    /// The problem's `code`, if this is a problem.
    pub fn code(&self) -> Option<&str> {
        self.body["code"].as_str()
    }

    /// Asserts a problem+json reply with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "unexpected status: {self:?}");
        assert_eq!(
            self.content_type.as_deref(),
            Some(PROBLEM_JSON),
            "not problem+json: {self:?}"
        );
        assert_eq!(self.code(), Some(code), "unexpected problem code: {self:?}");
    }

    /// Asserts a success status and returns the body.
    #[track_caller]
    pub fn expect_status(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status: {self:?}");
        &self.body
    }
}

// ----- eventually -----

/// How often [`eventually`] polls.
pub const POLL: Duration = Duration::from_millis(20);

/// What an [`eventually`] check returns: `bool` or `Option<T>`.
pub trait Ready {
    type Value;
    fn ready(self) -> Option<Self::Value>;
}

impl Ready for bool {
    type Value = ();
    fn ready(self) -> Option<()> {
        self.then_some(())
    }
}

impl<T> Ready for Option<T> {
    type Value = T;
    fn ready(self) -> Option<T> {
        self
    }
}

/// Polls `check` every 20 ms until it returns `true` or `Some`, and returns the value; panics
/// after `timeout`.
pub async fn eventually<F, Fut, R>(mut check: F, timeout: Duration) -> R::Value
where
    F: FnMut() -> Fut,
    Fut: Future<Output = R>,
    R: Ready,
{
    let deadline = Instant::now() + timeout;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if let Ok(outcome) = tokio::time::timeout(remaining.max(POLL), check()).await
            && let Some(value) = outcome.ready()
        {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "the condition did not hold within {timeout:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

// ----- crafted tokens, for negative tests -----

impl TestPlatform {
    /// The platform's dev signer, for tokens with any header and claims
    /// (`signer().sign_parts(&header, &claims)`): signed with the trusted key, validated by nothing.
    pub fn signer(&self) -> &DevSigner {
        &self.signer
    }
}

/// HMAC-SHA-256 of `message` keyed with `key`: the signature of an `HS256` token, for
/// algorithm-confusion attacks (a public key or JWKS text used as the HMAC secret).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key);
    aws_lc_rs::hmac::sign(&key, message).as_ref().to_vec()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn citizens_are_distinct_adults_and_minors_are_minors() {
        let mut seen = std::collections::HashSet::new();
        let today = OffsetDateTime::now_utc().date();
        for n in (0..40_000).chain([AUTHOR, AUTHOR + 1]) {
            let iin = adult_iin(n);
            assert!(today.year() - iin.birth_date().year() > 19);
            assert!(seen.insert(iin.expose_digits()), "duplicate IIN for {n}");
        }
        for n in 0..2_000 {
            let iin = minor_iin(n);
            assert!(today.year() - iin.birth_date().year() <= 13);
            assert!(seen.insert(iin.expose_digits()), "duplicate minor IIN for {n}");
        }
    }

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("postgres://u@h:5432/tyndau", "t_1"),
            "postgres://u@h:5432/t_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/tyndau?sslmode=disable", "t_1"),
            "postgres://u:p@h/t_1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t_1"), "postgres://h/t_1");
    }
}
