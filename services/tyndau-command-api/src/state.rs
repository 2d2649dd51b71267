use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use sqlx::PgPool;
use tyndau_auth::{Pseudonymizer, Verifier};
use tyndau_db::sqlx;
use tyndau_domain::{
    Comment, Consultation, ConsultationServices, PetitionServices, Reaction, SignatureServices, SigningTerms,
};
use tyndau_ids::PetitionId;
use tyndau_store::{
    BatcherSettings, ConsultationStates, Cqrs, LoadMode, PetitionCqrs, PetitionRepository, Repository,
    SignatureBatcher, SignatureCqrs, SignatureGate, SignatureStore, cqrs, petition_cqrs, signature_cqrs,
};

use crate::settings::Settings;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub pseudonymizer: Arc<Pseudonymizer>,
    pub petitions: Arc<PetitionCqrs>,
    pub petition_repository: PetitionRepository,
    pub petition_services: Arc<PetitionServices>,
    /// Signing appends blind (the primary key is the uniqueness check).
    pub signing: Arc<SignatureCqrs>,
    /// Withdrawing (and explaining a refused signature) loads the signature's history.
    pub signatures_loaded: Arc<SignatureCqrs>,
    /// Reads one citizen's signature for themselves.
    pub signature_reader: SignatureStore,
    pub gate: SignatureGate,
    pub consultations: Arc<Cqrs<Consultation>>,
    /// The comment-period and answer terms, for `/consultation-terms`.
    pub consultation_policy: Arc<tyndau_domain::ConsultationPolicy>,
    pub consultation_states: ConsultationStates,
    pub comments: Arc<Cqrs<Comment>>,
    pub comment_repository: Repository<Comment>,
    pub reactions: Arc<Cqrs<Reaction>>,
    pub privacy: Arc<Cqrs<tyndau_domain::Privacy>>,
    pub limits: Arc<crate::limits::RateLimits>,
    /// Checks the one-click unsubscribe links the notifier signs.
    pub links: Arc<tyndau_auth::links::UnsubscribeLinks>,
    /// `webhooks.allow_internal_addresses`.
    pub webhooks_allow_internal: bool,
    /// Signers' receipts for the transparency log, when `privacy.receipt_key` is set.
    pub receipts: Option<Arc<crate::receipts::Receipts>>,
    terms: moka::sync::Cache<PetitionId, SigningTerms>,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

impl AppState {
    pub fn new(
        pool: PgPool,
        verifier: Arc<Verifier>,
        pseudonymizer: Arc<Pseudonymizer>,
        links: Arc<tyndau_auth::links::UnsubscribeLinks>,
        receipts: Option<Arc<crate::receipts::Receipts>>,
        settings: &Settings,
    ) -> Self {
        let services = PetitionServices {
            policy: settings.policy.clone(),
            ..PetitionServices::default()
        };
        let signature_services = SignatureServices::from_policy(&services.policy);
        let batcher = SignatureBatcher::spawn(
            pool.clone(),
            BatcherSettings {
                collectors: settings.signatures.batch_collectors,
                max_batch: settings.signatures.max_batch,
                queue: settings.signatures.queue,
            },
        );
        let consultation_services = ConsultationServices {
            policy: settings.consultation_policy.clone(),
            ..ConsultationServices::default()
        };
        let store = |mode| SignatureStore::new(pool.clone(), batcher.clone(), mode);
        Self {
            petitions: petition_cqrs(pool.clone(), services.clone()),
            petition_repository: PetitionRepository::new(pool.clone()),
            petition_services: Arc::new(services),
            signing: signature_cqrs(store(LoadMode::Blind), signature_services.clone()),
            signatures_loaded: signature_cqrs(store(LoadMode::Full), signature_services),
            signature_reader: store(LoadMode::Full),
            gate: SignatureGate::new(pool.clone()),
            consultation_policy: Arc::new(settings.consultation_policy.clone()),
            consultations: cqrs(pool.clone(), consultation_services),
            consultation_states: ConsultationStates::new(pool.clone()),
            comments: cqrs(pool.clone(), settings.consultation_policy.clone()),
            comment_repository: Repository::new(pool.clone()),
            reactions: cqrs(pool.clone(), ()),
            privacy: cqrs(pool.clone(), ()),
            limits: crate::limits::RateLimits::new(&settings.rate_limits),
            terms: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_millis(settings.signatures.terms_cache_ms))
                .build(),
            pool,
            verifier,
            pseudonymizer,
            links,
            webhooks_allow_internal: settings.webhooks.allow_internal_addresses,
            receipts,
        }
    }

    /// The petition's signing terms, cached briefly: a stale "open" is harmless because the
    /// batch transaction re-checks the gate under its lock.
    pub async fn signing_terms(&self, petition_id: PetitionId) -> Result<Option<SigningTerms>, sqlx::Error> {
        if let Some(terms) = self.terms.get(&petition_id) {
            return Ok(Some(terms));
        }
        let terms = self.gate.terms(petition_id).await?;
        if let Some(terms) = &terms {
            self.terms.insert(petition_id, *terms);
        }
        Ok(terms)
    }
}
