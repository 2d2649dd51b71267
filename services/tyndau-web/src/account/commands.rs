//! The command API, called server to server with the signed-in person's access token: the web
//! front decides nothing itself, so every rule, limit and audit record stays the command API's.
//! The browser's address goes along in `X-Forwarded-For` (the command API believes it from this
//! front's address only: `http.trusted_proxies`), so its per-address limits and the audit
//! trail see the citizen, not the web front.

use std::net::IpAddr;
use std::time::Duration;

use http::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandApiSettings {
    /// The command API's base URL as this server reaches it.
    #[serde(default = "CommandApiSettings::default_url")]
    pub url: String,
    #[serde(default = "CommandApiSettings::default_timeout_ms")]
    pub timeout_ms: u64,
}

impl CommandApiSettings {
    fn default_url() -> String {
        "http://127.0.0.1:8081".to_owned()
    }

    fn default_timeout_ms() -> u64 {
        10_000
    }
}

impl Default for CommandApiSettings {
    fn default() -> Self {
        Self {
            url: Self::default_url(),
            timeout_ms: Self::default_timeout_ms(),
        }
    }
}

/// Why a command did not go through.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CommandError {
    /// The command API refused it: its problem code says why (shown translated to the person).
    #[error("refused: {code} ({status})")]
    Refused {
        status: StatusCode,
        code: String,
        /// Seconds to wait, for a rate limit.
        retry_after: Option<u64>,
    },
    /// The command API could not be reached or failed; the person is asked to try again.
    #[error("the command API is unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl CommandError {
    pub(crate) fn code(&self) -> Option<&str> {
        match self {
            CommandError::Refused { code, .. } => Some(code),
            CommandError::Unavailable(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Commands {
    base: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct ProblemBody {
    code: Option<String>,
}

impl Commands {
    pub(crate) fn new(settings: &CommandApiSettings) -> anyhow::Result<Self> {
        Ok(Self {
            base: settings.url.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_millis(settings.timeout_ms))
                .build()?,
        })
    }

    /// One call: `body` as JSON when given; the JSON answer on success.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: &str,
        client: Option<IpAddr>,
        body: Option<&Value>,
    ) -> Result<T, CommandError> {
        self.send(method, path, Some(token), client, body).await
    }

    /// A call that carries its own authority instead of a person's token (a one-click
    /// unsubscribe link).
    pub(crate) async fn call_without_token<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        client: Option<IpAddr>,
        body: Option<&Value>,
    ) -> Result<T, CommandError> {
        self.send(method, path, None, client, body).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        client: Option<IpAddr>,
        body: Option<&Value>,
    ) -> Result<T, CommandError> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(addr) = client {
            request = request.header("x-forwarded-for", addr.to_string());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| CommandError::Unavailable(Box::new(e)))?;
        let status = response.status();
        if status == StatusCode::NO_CONTENT {
            // Nothing to read: the answer is `null` (callers of such commands ask for `Value`).
            return serde_json::from_value(Value::Null).map_err(|e| CommandError::Unavailable(Box::new(e)));
        }
        if status.is_success() {
            return response
                .json::<T>()
                .await
                .map_err(|e| CommandError::Unavailable(Box::new(e)));
        }
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let code = response
            .json::<ProblemBody>()
            .await
            .ok()
            .and_then(|p| p.code)
            .unwrap_or_default();
        if status.is_server_error() || code.is_empty() {
            return Err(CommandError::Unavailable(
                format!("the command API answered {status}").into(),
            ));
        }
        Err(CommandError::Refused {
            status,
            code,
            retry_after,
        })
    }

    /// A public read of the command side (the policy's terms).
    pub(crate) async fn public<T: DeserializeOwned>(&self, path: &str) -> Result<T, CommandError> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| CommandError::Unavailable(Box::new(e)))?;
        response
            .json::<T>()
            .await
            .map_err(|e| CommandError::Unavailable(Box::new(e)))
    }
}
