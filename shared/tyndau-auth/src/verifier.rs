//! Per-request token verification against a hot-swappable pinned key set.

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use crate::config::{AuthConfig, JwksSource};
use crate::error::{AuthError, AuthSetupError};
use crate::jwks::Jwks;
use crate::principal::{Principal, RawClaims};

/// Tokens longer than this are refused before any decoding (ours are well under 1 KiB).
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Upper bound on a fetched JWKS document.
const MAX_JWKS_BYTES: usize = 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Verifies bearer tokens. Share it as `Arc<Verifier>`; [`Verifier::verify`] is synchronous and
/// lock-free (one `ArcSwap` load), and every `DecodingKey`/`Validation` is built at (re)load.
pub struct Verifier {
    config: AuthConfig,
    keys: ArcSwap<Jwks>,
    http: Option<reqwest::Client>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("config", &self.config)
            .field("keys", &**self.keys.load())
            .finish()
    }
}

/// The JOSE header members we look at. We parse the header ourselves so that `alg` is compared as
/// a plain string with the key's pinned algorithm (`none`, `noNE`, `HS256` all fail the same way).
#[derive(Deserialize)]
struct JoseHeader {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    /// We implement no JWS extensions, so any `crit` header must be refused (RFC 7515 §4.1.11).
    crit: Option<serde::de::IgnoredAny>,
}

impl Verifier {
    /// Validates the config and loads the key set from its file or URL.
    pub async fn new(config: AuthConfig) -> Result<Self, AuthSetupError> {
        config.validate()?;
        let http = match &config.jwks {
            JwksSource::Path(_) => None,
            JwksSource::Url(url) => Some(http_client(url)?),
        };
        let jwks = load(&config, http.as_ref()).await?;
        tracing::info!(keys = ?jwks, "JWKS loaded");
        Ok(Self {
            config,
            keys: ArcSwap::from_pointee(jwks),
            http,
        })
    }

    /// Builds a verifier from a JWKS document already in memory (tests, embedded tools), without
    /// IO. Later reloads still read `config.jwks`.
    pub fn from_jwks_json(config: AuthConfig, document: &[u8]) -> Result<Self, AuthSetupError> {
        config.validate()?;
        let jwks = Jwks::from_json(document, &config)?;
        let http = match &config.jwks {
            JwksSource::Path(_) => None,
            JwksSource::Url(url) => Some(http_client(url)?),
        };
        Ok(Self {
            config,
            keys: ArcSwap::from_pointee(jwks),
            http,
        })
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// The key set in use right now.
    pub fn keys(&self) -> Arc<Jwks> {
        self.keys.load_full()
    }

    /// Verifies a compact JWS (without the `Bearer ` prefix, see [`bearer_token`]) and maps its
    /// claims to a [`Principal`].
    ///
    /// Order: shape → header (`typ`, `kid`, pinned `alg`) → signature and registered claims
    /// (jsonwebtoken, with the key's precomputed `Validation`) → role claims.
    pub fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        if token.is_empty() {
            return Err(AuthError::MissingToken);
        }
        if token.len() > MAX_TOKEN_BYTES {
            return Err(AuthError::MalformedToken);
        }
        let header = parse_header(token)?;
        if header.crit.is_some() {
            return Err(AuthError::MalformedToken);
        }
        if let Some(typ) = &header.typ
            && !(typ.eq_ignore_ascii_case("JWT") || typ.eq_ignore_ascii_case("at+jwt"))
        {
            return Err(AuthError::WrongTokenType);
        }
        // A missing kid cannot select a key: same outcome as an unknown one. We never refresh on an
        // unknown kid, so a flood of random kids causes no outbound requests.
        let kid = header.kid.ok_or(AuthError::UnknownKey)?;
        let keys = self.keys.load();
        let key = keys.get(&kid).ok_or(AuthError::UnknownKey)?;
        if header.alg != key.algorithm.name() {
            return Err(AuthError::AlgorithmNotAllowed);
        }
        let data = jsonwebtoken::decode::<RawClaims>(token, &key.decoding, &key.validation)
            .map_err(|e| AuthError::from_jwt(&e))?;
        data.claims
            .into_principal(jsonwebtoken::get_current_timestamp(), self.config.leeway_seconds)
    }

    /// Reloads the key set now and swaps it in atomically; on error the old keys stay.
    /// Returns the number of keys loaded.
    pub async fn reload(&self) -> Result<usize, AuthSetupError> {
        let jwks = load(&self.config, self.http.as_ref()).await?;
        let count = jwks.len();
        self.keys.store(Arc::new(jwks));
        Ok(count)
    }

    /// Reloads the key set every `refresh_seconds` until `shutdown` is cancelled, so a key
    /// rotation at the identity provider needs no restart. A failed reload logs a warning and
    /// keeps the previous keys (an IdP outage must not lock everybody out).
    pub fn spawn_refresh(self: &Arc<Self>, shutdown: CancellationToken) -> JoinHandle<()> {
        let this = Arc::clone(self);
        let period = Duration::from_secs(self.config.refresh_seconds);
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval_at(Instant::now() + period, period);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    () = shutdown.cancelled() => break,
                    _ = ticker.tick() => match this.reload().await {
                        Ok(keys) => tracing::debug!(keys, "JWKS reloaded"),
                        Err(error) => tracing::warn!(error = %error, cause = ?std::error::Error::source(&error),
                            "JWKS reload failed; keeping the previous keys"),
                    },
                }
            }
        })
    }
}

/// Extracts the token from an `Authorization` header value (`Bearer <token>`, scheme
/// case-insensitive). Absent or empty → `missing_token`; another scheme → `malformed_token`.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, AuthError> {
    let value = authorization
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(AuthError::MissingToken)?;
    if value.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::MissingToken);
    }
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::MalformedToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::MalformedToken);
    }
    match token.trim() {
        "" => Err(AuthError::MissingToken),
        token => Ok(token),
    }
}

fn parse_header(token: &str) -> Result<JoseHeader, AuthError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AuthError::MalformedToken);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| AuthError::MalformedToken)?;
    serde_json::from_slice(&bytes).map_err(|_| AuthError::MalformedToken)
}

/// No redirects (a redirect could move key fetching to an attacker-chosen host) and a timeout, so
/// a hung IdP cannot stall the refresh task forever.
fn http_client(url: &str) -> Result<reqwest::Client, AuthSetupError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| AuthSetupError::Config("jwks.url is not a URL"))?;
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(AuthSetupError::Config(
                "jwks.url must use https (http only for loopback)",
            ));
        }
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(FETCH_TIMEOUT)
        .build()
        .map_err(|source| AuthSetupError::Fetch {
            url: url.to_owned(),
            source,
        })
}

async fn load(config: &AuthConfig, http: Option<&reqwest::Client>) -> Result<Jwks, AuthSetupError> {
    let document = match (&config.jwks, http) {
        (JwksSource::Path(path), _) => {
            tokio::fs::read(path)
                .await
                .map_err(|source| AuthSetupError::Read {
                    path: path.clone(),
                    source,
                })?
        }
        (JwksSource::Url(url), Some(client)) => fetch(client, url).await?,
        (JwksSource::Url(url), None) => fetch(&http_client(url)?, url).await?,
    };
    if document.len() > MAX_JWKS_BYTES {
        return Err(AuthSetupError::TooLarge {
            limit: MAX_JWKS_BYTES,
        });
    }
    Jwks::from_json(&document, config)
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, AuthSetupError> {
    let fetch_error = |source| AuthSetupError::Fetch {
        url: url.to_owned(),
        source,
    };
    let mut response = client.get(url).send().await.map_err(fetch_error)?;
    if !response.status().is_success() {
        return Err(AuthSetupError::FetchStatus {
            url: url.to_owned(),
            status: response.status().as_u16(),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fetch_error)? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(AuthSetupError::TooLarge {
                limit: MAX_JWKS_BYTES,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
