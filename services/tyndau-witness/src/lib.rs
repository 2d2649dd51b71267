//! A transparency-log witness (C2SP tlog-witness): `POST /add-checkpoint`.
//!
//! It knows the logs it witnesses by their verifier keys and remembers, per log, the latest
//! checkpoint it cosigned, in a file of its own: a witness is worth something only if it does
//! not share the log operator's database. A checkpoint is cosigned only when a consistency proof
//! links it to that one; checking and persisting happen under one lock, and the file is replaced
//! atomically and synced before the answer leaves (the spec's rollback race).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{StatusCode, header};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;
use tyndau_config::HttpSettings;
use tyndau_http::Problem;
use tyndau_tlog::keys::{CosignerKey, LogVerifier, log_verifier};
use tyndau_tlog::witness::{AddCheckpoint, Cosigned, Refusal, decide, origin_of};

#[derive(Debug, Deserialize)]
pub struct Settings {
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    pub witness: WitnessSettings,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8092).into())
}

#[derive(Debug, Deserialize)]
pub struct WitnessSettings {
    /// The cosigner key, `PRIVATE+KEY+<name>+<id>+<key>` of type 0x04 (C2SP tlog-cosignature).
    pub key: SecretString,
    /// The verifier keys of the logs this witness cosigns for; each key's name is its origin.
    pub log_keys: Vec<String>,
    /// Where the latest cosigned checkpoint of each log is kept.
    pub state_path: PathBuf,
}

/// The persisted record: origin → latest cosigned checkpoint.
type Record = BTreeMap<String, Cosigned>;

pub struct Witness {
    key: CosignerKey,
    logs: BTreeMap<String, LogVerifier>,
    state_path: PathBuf,
    record: Mutex<Record>,
}

impl Witness {
    pub fn new(settings: &WitnessSettings) -> anyhow::Result<Self> {
        let key = CosignerKey::new(settings.key.expose_secret())
            .context("witness.key is not a cosignature signer key")?;
        let mut logs = BTreeMap::new();
        for vkey in &settings.log_keys {
            let verifier = log_verifier(vkey)
                .with_context(|| format!("witness.log_keys: {vkey:?} is not a log verifier key"))?;
            logs.insert(signed_note::Verifier::name(&verifier).to_owned(), verifier);
        }
        anyhow::ensure!(
            !logs.is_empty(),
            "witness.log_keys is empty: there is no log to witness"
        );
        let record = load(&settings.state_path)?;
        Ok(Self {
            key,
            logs,
            state_path: settings.state_path.clone(),
            record: Mutex::new(record),
        })
    }

    /// The whole `add-checkpoint` call: decide, persist, answer.
    pub async fn add_checkpoint(&self, body: &[u8]) -> Result<Vec<u8>, WitnessError> {
        let request = AddCheckpoint::parse(body)?;
        let origin = origin_of(&request)?;
        let log = self.logs.get(&origin).ok_or(Refusal::UnknownLog)?;
        let mut record = self.record.lock().await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let (cosigned, lines) = decide(&request, log, record.get(&origin).copied(), &self.key, now)?;
        let mut next = record.clone();
        next.insert(origin.clone(), cosigned);
        let path = self.state_path.clone();
        let saved = next.clone();
        tokio::task::spawn_blocking(move || save(&path, &saved))
            .await
            .map_err(|e| WitnessError::Persist(anyhow::anyhow!(e)))?
            .map_err(WitnessError::Persist)?;
        *record = next;
        tracing::info!(origin, size = cosigned.size, "cosigned");
        Ok(lines)
    }

    /// The latest cosigned checkpoint of a log.
    pub async fn latest(&self, origin: &str) -> Option<Cosigned> {
        self.record.lock().await.get(origin).copied()
    }
}

fn load(path: &Path) -> anyhow::Result<Record> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a witness record", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Record::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Replaces the record atomically: a new file, synced, renamed over the old, directory synced.
fn save(path: &Path, record: &Record) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(&serde_json::to_vec_pretty(record)?)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("the checkpoint is refused")]
    Refused(#[from] Refusal),
    #[error("the witness record could not be saved")]
    Persist(#[source] anyhow::Error),
}

impl IntoResponse for WitnessError {
    fn into_response(self) -> Response {
        match &self {
            // C2SP tlog-witness: a 409 names the latest cosigned size, as text/x.tlog.size.
            WitnessError::Refused(refusal) if refusal.status() == 409 => (
                StatusCode::CONFLICT,
                [(header::CONTENT_TYPE, "text/x.tlog.size")],
                format!("{}\n", refusal.latest_size().unwrap_or(0)),
            )
                .into_response(),
            WitnessError::Refused(refusal) => {
                let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
                let code = match refusal {
                    Refusal::Malformed(_) | Refusal::OldSizeTooLarge => "malformed_request",
                    Refusal::UnknownLog => "unknown_log",
                    Refusal::BadSignature => "bad_signature",
                    Refusal::BadProof => "bad_consistency_proof",
                    Refusal::OldSizeMismatch { .. } | Refusal::SameSizeOtherRoot { .. } => "conflict",
                };
                Problem::new(status, code, refusal.to_string()).into_response()
            }
            WitnessError::Persist(cause) => {
                Problem::internal("saving the witness record failed", cause.as_ref()).into_response()
            }
        }
    }
}

pub struct WitnessService {
    witness: Arc<Witness>,
    http: HttpSettings,
}

impl WitnessService {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Ok(Self {
            witness: Arc::new(Witness::new(&settings.witness)?),
            http: settings.http,
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.http.addr).await?;
        self.serve_on(listener, shutdown).await
    }

    /// Serves on `listener` until `shutdown`.
    pub async fn serve_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let router = tyndau_http::middleware::apply(
            tyndau_http::health_routes(tyndau_http::HealthCheck::new()).merge(router(self.witness)),
            &self.http,
        );
        tracing::info!(addr = %listener.local_addr()?, "witness started");
        tyndau_http::serve(listener, router, shutdown).await?;
        Ok(())
    }
}

pub fn router(witness: Arc<Witness>) -> Router {
    Router::new()
        .route("/add-checkpoint", axum::routing::post(add_checkpoint))
        .with_state(witness)
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: Bytes) -> Result<Response, WitnessError> {
    let outcome = witness.add_checkpoint(&body).await;
    let label = match &outcome {
        Ok(_) => "cosigned".to_owned(),
        Err(WitnessError::Refused(refusal)) => refusal.status().to_string(),
        Err(WitnessError::Persist(_)) => "500".to_owned(),
    };
    metrics::counter!(tyndau_telemetry::metrics::WITNESS_REQUESTS, "outcome" => label).increment(1);
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], outcome?).into_response())
}
