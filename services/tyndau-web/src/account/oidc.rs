//! The web front as a relying party of the national identity provider (OpenID Connect,
//! authorization code flow with PKCE S256, `state` and `nonce`; RP-initiated logout).
//!
//! The protocol is the `openidconnect` crate's; what is ours is the policy around it:
//! - provider metadata and keys come from discovery, fetched again every `refresh_seconds` so a
//!   rotated key is picked up; until the provider answers, sign-in says it is unavailable and
//!   the public pages are served as ever;
//! - the ID token is checked by the crate (signature against the provider's JWKS, issuer,
//!   audience, expiry, nonce); the access token, which the command API will be shown, is checked
//!   here by the very verifier the command API uses (`tyndau_auth::Verifier`: asymmetric
//!   algorithms pinned per key, issuer, audience, expiry), and its claims become the same typed
//!   [`Principal`]. A principal the web front accepts is one the command API accepts;
//! - the provider's tokens stay on the server, in the session row; the browser holds only the
//!   session id;
//! - the HTTP client follows no redirects (the crate's SSRF advice).

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use openidconnect::core::{CoreClient, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LanguageTag, LogoutRequest, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RefreshToken, Scope, TokenResponse,
};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;
use tyndau_auth::{AuthConfig, JwksSource, Principal, Verifier};
use tyndau_config::{ExposeSecret, SecretString};

/// How the web front signs people in. Absent: the site is read-only (no sign-in links).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer identifier, exactly as in its discovery document and tokens.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// This site's callback, registered with the provider (`…/auth/callback`).
    pub redirect_url: String,
    /// Where the provider sends the browser after signing out (registered too).
    pub post_logout_redirect_url: String,
    /// The command API's audience: the access token must be for it.
    pub api_audience: String,
    /// Scopes beyond `openid`: the profile and the claims the command API reads.
    #[serde(default = "OidcSettings::default_scopes")]
    pub scopes: Vec<String>,
    /// How often discovery and the keys are fetched again.
    #[serde(default = "OidcSettings::default_refresh_seconds")]
    pub refresh_seconds: u64,
}

impl OidcSettings {
    fn default_scopes() -> Vec<String> {
        vec!["profile".to_owned(), "email".to_owned(), "tyndau".to_owned()]
    }

    fn default_refresh_seconds() -> u64 {
        300
    }
}

/// The client as discovery makes it: authorization endpoint set, token and userinfo endpoints
/// as the metadata says.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What discovery yields: the configured client, the logout endpoint, the access-token verifier.
struct Provider {
    client: Client,
    end_session: Option<EndSessionUrl>,
    verifier: Verifier,
}

/// Where a browser goes to sign in, and what the callback must find in its session.
#[derive(Debug)]
pub(crate) struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The tokens of a signed-in person and who they are.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub principal: Principal,
    pub access_token: String,
    /// Unix seconds.
    pub access_expires_at: i64,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    /// The address the provider vouches for (`email` with `email_verified`), at sign-in only.
    pub verified_email: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the identity provider has not been reached yet")]
    Unavailable,
    #[error("the identity provider's configuration is unusable")]
    Configuration(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the token request failed")]
    TokenRequest(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the provider returned no ID token")]
    NoIdToken,
    #[error("the ID token was refused")]
    IdToken(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the access token was refused")]
    AccessToken(#[source] tyndau_auth::AuthError),
}

pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    provider: ArcSwapOption<Provider>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.settings.issuer)
            .field("discovered", &self.provider.load().is_some())
            .finish()
    }
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        // Fail at start-up, not at the first sign-in, on URLs that cannot be right.
        IssuerUrl::new(settings.issuer.clone())?;
        RedirectUrl::new(settings.redirect_url.clone())?;
        PostLogoutRedirectUrl::new(settings.post_logout_redirect_url.clone())?;
        Ok(Self {
            settings,
            http,
            provider: ArcSwapOption::empty(),
        })
    }

    /// The provider's origin (`https://host[:port]`), which pages allow as a form target.
    pub fn issuer_origin(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.settings.issuer).ok()?;
        let origin = url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }

    /// Whether discovery has succeeded (sign-in can start).
    pub fn is_ready(&self) -> bool {
        self.provider.load().is_some()
    }

    /// Discovers the provider now; on success the new metadata and keys replace the old.
    pub async fn discover(&self) -> Result<(), SignInError> {
        let config = |e: Box<dyn std::error::Error + Send + Sync>| SignInError::Configuration(e);
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| config(Box::new(e)))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| config(Box::new(e)))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let jwks_uri = metadata.jwks_uri().url().to_string();
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.settings.redirect_url.clone()).map_err(|e| config(Box::new(e)))?,
        );
        let verifier = Verifier::new(AuthConfig::new(
            self.settings.issuer.clone(),
            self.settings.api_audience.clone(),
            JwksSource::Url(jwks_uri),
        ))
        .await
        .map_err(|e| config(Box::new(e)))?;
        self.provider.store(Some(Arc::new(Provider {
            client,
            end_session,
            verifier,
        })));
        Ok(())
    }

    /// Keeps the provider's metadata and keys fresh until `shutdown`: every few seconds until the
    /// first success, then every `refresh_seconds`.
    pub fn spawn_discovery(self: &Arc<Self>, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                let wait = match this.discover().await {
                    Ok(()) => Duration::from_secs(this.settings.refresh_seconds.max(1)),
                    Err(error) => {
                        tyndau_telemetry::log_error_chain("identity provider discovery failed", &error);
                        Duration::from_secs(if this.is_ready() { 30 } else { 3 })
                    }
                };
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(wait) => {}
                }
            }
        })
    }

    fn provider(&self) -> Result<Arc<Provider>, SignInError> {
        self.provider.load_full().ok_or(SignInError::Unavailable)
    }

    /// Starts a sign-in: the provider's URL with a fresh `state`, `nonce` and PKCE challenge, in
    /// the page's language.
    pub(crate) fn authorize(&self, ui_locale: &str) -> Result<Authorization, SignInError> {
        let provider = self.provider()?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = provider
            .client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .add_ui_locale(LanguageTag::new(ui_locale.to_owned()));
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-in: exchanges the code (with the PKCE verifier), checks the ID token
    /// against the nonce, and the access token as the command API will.
    pub(crate) async fn finish(
        &self,
        code: String,
        nonce: &str,
        pkce_verifier: String,
    ) -> Result<Tokens, SignInError> {
        let provider = self.provider()?;
        let response = provider
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SignInError::Configuration(Box::new(e)))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| SignInError::TokenRequest(Box::new(e)))?;
        let id_token = response.id_token().ok_or(SignInError::NoIdToken)?;
        let claims = id_token
            .claims(
                &provider.client.id_token_verifier(),
                &Nonce::new(nonce.to_owned()),
            )
            .map_err(|e| SignInError::IdToken(Box::new(e)))?;
        let verified_email = claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .map(|email| email.as_str().to_owned());
        let mut tokens = self.tokens(
            &provider,
            response.access_token().secret(),
            response.expires_in(),
            response.refresh_token().map(|t| t.secret().clone()),
            Some(id_token.to_string()),
        )?;
        tokens.verified_email = verified_email;
        Ok(tokens)
    }

    /// A fresh access token from the refresh token (rotated by the provider).
    pub(crate) async fn refresh(&self, refresh_token: &str) -> Result<Tokens, SignInError> {
        let provider = self.provider()?;
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        let response = provider
            .client
            .exchange_refresh_token(&refresh_token)
            .map_err(|e| SignInError::Configuration(Box::new(e)))?
            .request_async(&self.http)
            .await
            .map_err(|e| SignInError::TokenRequest(Box::new(e)))?;
        self.tokens(
            &provider,
            response.access_token().secret(),
            response.expires_in(),
            response.refresh_token().map(|t| t.secret().clone()),
            response.id_token().map(ToString::to_string),
        )
    }

    fn tokens(
        &self,
        provider: &Provider,
        access_token: &str,
        expires_in: Option<Duration>,
        refresh_token: Option<String>,
        id_token: Option<String>,
    ) -> Result<Tokens, SignInError> {
        let principal = provider
            .verifier
            .verify(access_token)
            .map_err(SignInError::AccessToken)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let lifetime = expires_in.map_or(300, |d| i64::try_from(d.as_secs()).unwrap_or(300));
        Ok(Tokens {
            principal,
            access_token: access_token.to_owned(),
            access_expires_at: now.saturating_add(lifetime),
            refresh_token,
            id_token,
            verified_email: None,
        })
    }

    /// The provider's sign-out URL (RP-initiated logout), or `None` when it has none.
    pub(crate) fn logout_url(&self, id_token_hint: Option<&str>, ui_locale: &str) -> Option<String> {
        let provider = self.provider().ok()?;
        let endpoint = provider.end_session.clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .add_ui_locale(LanguageTag::new(ui_locale.to_owned()));
        if let Ok(url) = PostLogoutRedirectUrl::new(self.settings.post_logout_redirect_url.clone()) {
            request = request.set_post_logout_redirect_uri(url);
        }
        if let Some(hint) = id_token_hint.and_then(|t| t.parse::<openidconnect::core::CoreIdToken>().ok()) {
            request = request.set_id_token_hint(&hint);
        }
        Some(request.http_get_url().to_string())
    }

    /// Checks an access token exactly as the sign-in does (tests present forged ones).
    pub fn verify_access_token(&self, token: &str) -> Result<Principal, SignInError> {
        self.provider()?
            .verifier
            .verify(token)
            .map_err(SignInError::AccessToken)
    }

    /// Checks an ID token exactly as the sign-in does (tests present forged ones).
    pub fn verify_id_token(&self, token: &str, nonce: &str) -> Result<(), SignInError> {
        let provider = self.provider()?;
        let id_token: openidconnect::core::CoreIdToken =
            token.parse().map_err(|e| SignInError::IdToken(Box::new(e)))?;
        id_token
            .claims(
                &provider.client.id_token_verifier(),
                &Nonce::new(nonce.to_owned()),
            )
            .map(|_| ())
            .map_err(|e| SignInError::IdToken(Box::new(e)))
    }
}
