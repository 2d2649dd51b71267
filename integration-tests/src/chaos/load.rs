//! Citizens signing petitions and commenting on a draft law through HAProxy, paced, each from
//! an address of their own, and retrying as a patient citizen's browser would while the
//! platform cannot answer. Every outcome is recorded for the audit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::sync::watch;
use tyndau_auth::Pseudonymizer;
use tyndau_auth::dev::{DevClaims, DevSigner};
use tyndau_ids::{Iin, PetitionId, Region, SignatureId};

/// How long a citizen keeps retrying one action before giving up (longer than any fault).
const PATIENCE: Duration = Duration::from_secs(45);
/// Between retries.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// Where the load goes and who signs.
pub struct Plan {
    pub command_url: String,
    pub petitions: Vec<PetitionId>,
    pub consultation: String,
    pub signer: DevSigner,
    pub issuer: String,
    pub audience: String,
    pub pseudonymizer: Pseudonymizer,
    /// Synthetic citizens; the `n`-th action is taken by the `n`-th citizen.
    pub citizens: Vec<(Iin, Region)>,
    /// Concurrent clients, and the pause each takes between its actions.
    pub clients: usize,
    pub pause: Duration,
    /// Every `comment_every`-th action is a comment; the rest are signatures.
    pub comment_every: u64,
}

/// What the clients were told.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Signature aggregates acknowledged, and when (offset from the load's start).
    pub signed: Vec<String>,
    pub signature_acks: Vec<Duration>,
    /// The latency of each acknowledged signature's successful attempt.
    pub latencies: Vec<Duration>,
    /// Comment aggregates acknowledged.
    pub commented: Vec<String>,
    /// Signature aggregates definitely refused, with the answers.
    pub refused: Vec<String>,
    pub refusals: Vec<String>,
    /// Actions that never got a definite answer within [`PATIENCE`].
    pub unanswered: usize,
    /// Attempts that met a fault (transport error, 502, 503, 504), by what they met.
    pub retried: std::collections::BTreeMap<String, u64>,
}

/// Runs until `stop` turns true; returns what every client saw.
pub async fn run(plan: Arc<Plan>, started: Instant, stop: watch::Receiver<bool>) -> anyhow::Result<Outcome> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(plan.clients)
        .build()?;
    let next = Arc::new(AtomicU64::new(0));
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let mut tasks = Vec::with_capacity(plan.clients);
    for _ in 0..plan.clients {
        let (plan, client, next, outcome, mut stop) = (
            plan.clone(),
            client.clone(),
            next.clone(),
            outcome.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !*stop.borrow() {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(citizen) = usize::try_from(n).ok().and_then(|i| plan.citizens.get(i)) else {
                    break;
                };
                act(&plan, &client, n, citizen, started, &outcome).await;
                tokio::select! {
                    _ = stop.changed() => {},
                    () = tokio::time::sleep(plan.pause) => {},
                }
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let outcome = std::mem::take(&mut *outcome.lock().await);
    Ok(outcome)
}

/// A documentation-range address per citizen, for the command API's per-address limits.
fn address(n: u64) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

async fn act(
    plan: &Plan,
    client: &reqwest::Client,
    n: u64,
    (iin, region): &(Iin, Region),
    started: Instant,
    outcome: &Mutex<Outcome>,
) {
    let claims = DevClaims::citizen(
        &plan.issuer,
        &plan.audience,
        format!("chaos-citizen-{n}"),
        iin.clone(),
        *region,
    );
    let Ok(token) = plan.signer.mint(&claims) else {
        outcome.lock().await.unanswered += 1;
        return;
    };
    let comment = plan.comment_every > 0 && n % plan.comment_every == plan.comment_every - 1;
    let (url, body, aggregate) = if comment {
        let body = json!({ "language": "ru", "text": format!("Предложение № {n}: уточнить срок и ответственный орган.") });
        (
            format!(
                "{}/consultations/{}/comments",
                plan.command_url, plan.consultation
            ),
            Some(body),
            None,
        )
    } else {
        let petition = plan.petitions[usize::try_from(n).unwrap_or(0) % plan.petitions.len()];
        let id = SignatureId::new(petition, plan.pseudonymizer.signer_key(iin)).to_string();
        (
            format!("{}/petitions/{petition}/signature", plan.command_url),
            None,
            Some(id),
        )
    };

    let first = Instant::now();
    let mut retried = false;
    loop {
        let attempt = Instant::now();
        let mut request = client
            .post(&url)
            .bearer_auth(&token)
            .header("x-forwarded-for", address(n));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status();
                Ok((status, response.json::<Value>().await.unwrap_or(Value::Null)))
            }
            Err(error) => Err(if error.is_timeout() {
                "timeout"
            } else {
                "transport"
            }),
        };
        let fault = match &answer {
            Err(kind) => Some((*kind).to_owned()),
            Ok((status, _)) if matches!(status.as_u16(), 502..=504) => Some(status.as_u16().to_string()),
            Ok(_) => None,
        };
        if let Some(fault) = fault {
            *outcome.lock().await.retried.entry(fault).or_default() += 1;
            if first.elapsed() < PATIENCE {
                retried = true;
                tokio::time::sleep(RETRY_PAUSE).await;
                continue;
            }
            outcome.lock().await.unanswered += 1;
            return;
        }
        let Ok((status, body)) = answer else { return };
        let mut out = outcome.lock().await;
        // A retry of a signature whose first attempt was stored is told it is signed.
        let acked = status == StatusCode::CREATED
            || (retried && status == StatusCode::CONFLICT && body["code"] == "already_signed");
        match (acked, aggregate) {
            (true, Some(id)) => {
                out.signed.push(id);
                out.signature_acks.push(started.elapsed());
                out.latencies.push(attempt.elapsed());
            }
            (true, None) => match body["comment_id"].as_str() {
                Some(comment) => out.commented.push(format!("{}:{comment}", plan.consultation)),
                None => out
                    .refusals
                    .push(format!("a comment's 201 without comment_id: {body}")),
            },
            (false, id) => {
                out.refusals.push(format!("{status} {body}"));
                out.refused.extend(id);
            }
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn every_citizen_has_an_address_of_their_own() {
        assert_eq!(address(0), "10.0.0.0");
        assert_eq!(address(65_793), "10.1.1.1");
        let distinct: std::collections::HashSet<String> = (0..100_000).map(address).collect();
        assert_eq!(distinct.len(), 100_000);
    }
}
