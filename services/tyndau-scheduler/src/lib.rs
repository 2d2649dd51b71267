//! The scheduler: deadlines are fired by rules, not by people; the threshold is raised by a
//! process manager watching the count; consultations close on time and their proposals follow new
//! versions of the draft (see `consultations`).
//!
//! Each tick finds candidates in the read models (cheap, possibly a little stale) and sends the
//! petition the command; the aggregate decides. A stale candidate is refused with a typed
//! rejection and skipped, so ticks are idempotent and several schedulers could run at once.
//! Counts carried by commands come from the signature gate (exact), never from the read model.

mod consultations;

use std::time::Duration;

use cqrs_es::AggregateError;
use serde::Deserialize;
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use tyndau_config::{DatabaseSettings, HttpSettings};
use tyndau_domain::{ConsultationPolicy, PetitionCommand, PetitionError, PetitionPolicy, PetitionServices};
use tyndau_events::{Actor, EventMetadata};
use tyndau_ids::{CorrelationId, PetitionId};
use tyndau_read_model::due::PetitionDue;
use tyndau_store::closing::execute_with_final_count;
use tyndau_store::{PetitionCqrs, PetitionRepository, SignatureGate, petition_cqrs};
use tyndau_telemetry::metrics::ANSWERS_OVERDUE;

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    #[serde(default = "default_interval")]
    pub interval_ms: u64,
    /// The same policy as the command API's: it decides deadlines and thresholds.
    #[serde(default)]
    pub policy: PetitionPolicy,
    #[serde(default)]
    pub consultation_policy: ConsultationPolicy,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8085).into())
}

fn default_interval() -> u64 {
    500
}

pub struct SchedulerService {
    scheduler: Scheduler,
    settings: Settings,
}

impl SchedulerService {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = tyndau_db::connect(&settings.database).await?;
        Ok(Self {
            scheduler: Scheduler::with_policies(
                pool,
                settings.policy.clone(),
                settings.consultation_policy.clone(),
            ),
            settings,
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let pool = self.scheduler.pool.clone();
        let checks = tyndau_http::HealthCheck::new().with("postgres", move || tyndau_db::ping(pool.clone()));
        let router = tyndau_http::middleware::apply(tyndau_http::health_routes(checks), &self.settings.http);
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        let http = tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
        self.scheduler
            .run(Duration::from_millis(self.settings.interval_ms), shutdown)
            .await;
        http.await??;
        Ok(())
    }
}

#[derive(Clone)]
pub struct Scheduler {
    pool: PgPool,
    petitions: std::sync::Arc<PetitionCqrs>,
    repository: PetitionRepository,
    gate: SignatureGate,
    services: std::sync::Arc<PetitionServices>,
    consultations: consultations::ConsultationProcess,
}

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub listed: usize,
    pub thresholds: usize,
    pub closed: usize,
    pub overdue: usize,
    pub archived: usize,
    pub consultations_closed: usize,
    pub reanchored: usize,
    pub anonymised: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum TickError {
    #[error("reading the read models failed")]
    Read(#[from] sqlx::Error),
}

impl Scheduler {
    /// A scheduler applying Kazakhstan's default policy.
    pub fn new(pool: PgPool) -> Self {
        Self::with_policy(pool, PetitionPolicy::default())
    }

    pub fn with_policy(pool: PgPool, policy: PetitionPolicy) -> Self {
        Self::with_policies(pool, policy, ConsultationPolicy::default())
    }

    pub fn with_policies(
        pool: PgPool,
        policy: PetitionPolicy,
        consultation_policy: ConsultationPolicy,
    ) -> Self {
        let services = PetitionServices {
            policy,
            ..PetitionServices::default()
        };
        Self {
            petitions: petition_cqrs(pool.clone(), services.clone()),
            repository: PetitionRepository::new(pool.clone()),
            gate: SignatureGate::new(pool.clone()),
            services: std::sync::Arc::new(services),
            consultations: consultations::ConsultationProcess::new(pool.clone(), consultation_policy),
            pool,
        }
    }

    pub async fn run(self, interval: Duration, shutdown: CancellationToken) {
        tracing::info!(?interval, "scheduler started");
        while !shutdown.is_cancelled() {
            if let Err(e) = self.tick(OffsetDateTime::now_utc()).await {
                tyndau_telemetry::log_error_chain("scheduler tick failed", &e);
            }
            tokio::select! {
                () = shutdown.cancelled() => {},
                () = tokio::time::sleep(interval) => {},
            }
        }
        tracing::info!("scheduler stopped");
    }

    /// One pass over every rule, as of `now` (tests pass a future instant to fire deadlines).
    pub async fn tick(&self, now: OffsetDateTime) -> Result<TickReport, TickError> {
        let mut report = TickReport::default();
        for id in self.candidates(PetitionDue::Listing, now).await? {
            if let Some(signatures) = self.gate.count(id).await? {
                report.listed += self
                    .send(id, PetitionCommand::MarkListed { signatures, at: now }, now)
                    .await;
            }
        }
        for id in self.candidates(PetitionDue::Threshold, now).await? {
            if let Some(signatures) = self.gate.count(id).await? {
                report.thresholds += self
                    .send(
                        id,
                        PetitionCommand::MarkThresholdReached { signatures, at: now },
                        now,
                    )
                    .await;
            }
        }
        for id in self.candidates(PetitionDue::Closing, now).await? {
            report.closed += self.close(id, now).await;
        }
        for id in self.candidates(PetitionDue::AnswerOverdue, now).await? {
            report.overdue += self
                .send(id, PetitionCommand::MarkAnswerOverdue { at: now }, now)
                .await;
        }
        for id in self.candidates(PetitionDue::Archive, now).await? {
            report.archived += self.send(id, PetitionCommand::Archive { at: now }, now).await;
        }
        for id in self.anonymise_candidates(now).await? {
            report.anonymised += self.anonymise(id, now).await;
        }
        report.consultations_closed = self.consultations.close_due(now).await?;
        report.reanchored = self.consultations.reanchor(now).await?;
        let overdue = tyndau_read_model::due::answers_overdue(&self.pool, now).await?;
        metrics::gauge!(ANSWERS_OVERDUE).set(overdue as f64);
        if report != TickReport::default() {
            tracing::info!(?report, "scheduler tick");
        }
        Ok(report)
    }

    async fn candidates(
        &self,
        due: PetitionDue,
        now: OffsetDateTime,
    ) -> Result<Vec<PetitionId>, sqlx::Error> {
        tyndau_read_model::due::petitions_due(&self.pool, due, now).await
    }

    async fn close(&self, id: PetitionId, now: OffsetDateTime) -> usize {
        let close = |final_count| PetitionCommand::Close { final_count, at: now };
        let metadata = metadata(now);
        let mut result = execute_with_final_count(
            &self.petitions,
            &self.repository,
            &self.gate,
            &self.services,
            id,
            close,
            metadata.clone(),
        )
        .await;
        if let Err(AggregateError::UserError(PetitionError::ThresholdNotMarked)) = result {
            // The count crossed the threshold but the process manager has not marked it yet: the
            // answer clock must start before the petition closes.
            if let Ok(Some(signatures)) = self.gate.count(id).await {
                self.send(
                    id,
                    PetitionCommand::MarkThresholdReached { signatures, at: now },
                    now,
                )
                .await;
                result = execute_with_final_count(
                    &self.petitions,
                    &self.repository,
                    &self.gate,
                    &self.services,
                    id,
                    close,
                    metadata,
                )
                .await;
            }
        }
        outcome(id, "close", result.map(|_| ()))
    }

    async fn anonymise_candidates(&self, now: OffsetDateTime) -> Result<Vec<PetitionId>, sqlx::Error> {
        tyndau_read_model::due::petitions_past_retention(
            &self.pool,
            now,
            i32::from(self.services.policy.anonymise_after_months),
        )
        .await
    }

    /// Retention: the domain says whether it is due (a dry run), the keys go, then the record.
    async fn anonymise(&self, id: PetitionId, now: OffsetDateTime) -> usize {
        let due = match self.repository.load(id).await {
            Ok(petition) => petition
                .decide_now(
                    PetitionCommand::Anonymise {
                        keys_deleted: 0,
                        at: now,
                    },
                    &self.services,
                )
                .is_ok(),
            Err(error) => {
                tyndau_telemetry::log_error_chain("loading a petition to anonymise failed", &error);
                false
            }
        };
        if !due {
            return 0;
        }
        let keys_deleted = match tyndau_db::subject_keys::delete_for_petition(&self.pool, *id.as_uuid()).await
        {
            Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
            Err(error) => {
                tyndau_telemetry::log_error_chain("deleting subject keys failed", &error);
                return 0;
            }
        };
        self.send(
            id,
            PetitionCommand::Anonymise {
                keys_deleted,
                at: now,
            },
            now,
        )
        .await
    }

    async fn send(&self, id: PetitionId, command: PetitionCommand, now: OffsetDateTime) -> usize {
        let name = command.name();
        let result = self
            .petitions
            .execute_with_metadata(&id.to_string(), command, metadata(now))
            .await;
        outcome(id, name, result)
    }
}

fn metadata(now: OffsetDateTime) -> std::collections::HashMap<String, String> {
    EventMetadata::new(Actor::system("scheduler"), CorrelationId::new(), now).to_map()
}

fn outcome<E: std::error::Error + 'static>(
    id: impl std::fmt::Display,
    command: &str,
    result: Result<(), AggregateError<E>>,
) -> usize {
    match result {
        Ok(()) => 1,
        // The read model was behind, or another scheduler was first: nothing to do.
        Err(AggregateError::UserError(rejection)) => {
            tracing::debug!(%id, command, %rejection, "rule not applicable");
            0
        }
        Err(AggregateError::AggregateConflict) => 0,
        Err(error) => {
            tyndau_telemetry::log_error_chain(
                &format!("scheduler command {command} failed for {id}"),
                &error,
            );
            0
        }
    }
}
