//! What a browser's server-side session holds, and its timeouts.
//!
//! Sessions live in PostgreSQL (`tower_sessions.session`, through tower-sessions' store); the
//! cookie holds only the id: `__Host-` prefixed, `Secure`, `HttpOnly`, `SameSite=Lax` (Lax, not
//! Strict, so the browser still sends it when the identity provider redirects back). A visitor
//! who never signs in gets no session and no cookie. The id is replaced at sign-in. A session
//! ends after `idle_minutes` without a request and `absolute_hours` after sign-in, whichever
//! comes first; the browser then counts as signed out.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;
use tyndau_auth::Principal;

/// The one key under which the state lives in the session record.
const KEY: &str = "tyndau";
/// A sign-in must come back from the provider within this many seconds.
pub(crate) const SIGN_IN_WINDOW_S: i64 = 600;
/// The idle clock is moved (and the row written) at most this often.
const TOUCH_EVERY_S: i64 = 60;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    #[serde(default = "SessionSettings::default_cookie_name")]
    pub cookie_name: String,
    /// Only for plain-HTTP development hosts other than localhost: a `__Host-` cookie must be
    /// `Secure`, and browsers accept `Secure` cookies over http only from localhost/127.0.0.1.
    #[serde(default = "SessionSettings::default_secure")]
    pub secure_cookie: bool,
    #[serde(default = "SessionSettings::default_idle_minutes")]
    pub idle_minutes: i64,
    #[serde(default = "SessionSettings::default_absolute_hours")]
    pub absolute_hours: i64,
}

impl SessionSettings {
    fn default_cookie_name() -> String {
        "__Host-tyndau-session".to_owned()
    }

    fn default_secure() -> bool {
        true
    }

    fn default_idle_minutes() -> i64 {
        30
    }

    fn default_absolute_hours() -> i64 {
        12
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            cookie_name: Self::default_cookie_name(),
            secure_cookie: Self::default_secure(),
            idle_minutes: Self::default_idle_minutes(),
            absolute_hours: Self::default_absolute_hours(),
        }
    }
}

/// A sign-in on its way to the provider and back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PendingSignIn {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// A path of this site, checked before it was stored.
    pub return_to: String,
    pub started_at: i64,
}

/// Who the signed-in person is, as the pages need it, and the tokens the command API needs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SignedIn {
    pub subject: String,
    /// `citizen`, `official`, `moderator` or `admin`.
    pub role: String,
    pub display_name: Option<String>,
    /// A citizen's region of residence (code).
    pub region: Option<String>,
    /// An official's body (id).
    pub organisation: Option<String>,
    pub access_token: String,
    pub access_expires_at: i64,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub signed_in_at: i64,
    pub last_seen: i64,
    /// The anti-forgery token every form of this session carries.
    pub csrf: String,
}

impl SignedIn {
    pub(crate) fn new(principal: &Principal, tokens: super::oidc::Tokens, csrf: String, now: i64) -> Self {
        let (display_name, region, organisation) = match principal {
            Principal::Citizen(c) => (c.display_name.clone(), Some(c.region.code().to_owned()), None),
            Principal::Official(o) => (None, None, Some(o.organisation.as_str().to_owned())),
            Principal::Moderator(_) | Principal::Admin(_) => (None, None, None),
        };
        Self {
            subject: principal.subject().to_owned(),
            role: principal.role_name().to_owned(),
            display_name,
            region,
            organisation,
            access_token: tokens.access_token,
            access_expires_at: tokens.access_expires_at,
            refresh_token: tokens.refresh_token,
            id_token: tokens.id_token,
            signed_in_at: now,
            last_seen: now,
            csrf,
        }
    }

    pub(crate) fn is_citizen(&self) -> bool {
        self.role == "citizen"
    }

    /// The name the header shows: the display name, else the role.
    pub(crate) fn shown_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
}

/// A one-time message for the next page (after a POST/redirect/GET).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Flash {
    Signed {
        petition: String,
    },
    Withdrawn {
        petition: String,
    },
    PetitionSubmitted {
        petition: String,
    },
    CommentPosted,
    ReplyPosted,
    CommentEdited,
    StanceTaken,
    Flagged,
    Erased {
        keys: u64,
    },
    SignedIn,
    SessionEnded,
    SignInCancelled,
    NotificationsRead,
    /// A back-office action done; `message` is the id of its office message.
    Office {
        message: String,
    },
    /// A webhook endpoint registered: its signing secret, shown this once.
    WebhookAdded {
        secret: String,
    },
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub pending: Option<PendingSignIn>,
    pub user: Option<SignedIn>,
    pub flash: Option<Flash>,
}

/// Reads the state; an unreadable session (a store failure, a record from another version)
/// counts as empty: the visitor is signed out, never shown an error for it.
pub(crate) async fn load(session: &Session) -> State {
    match session.get::<State>(KEY).await {
        Ok(state) => state.unwrap_or_default(),
        Err(error) => {
            tyndau_telemetry::log_error_chain("session unreadable; treated as signed out", &error);
            State::default()
        }
    }
}

pub(crate) async fn store(session: &Session, state: &State) -> Result<(), tower_sessions::session::Error> {
    session.insert(KEY, state).await
}

/// Whether a signed-in session is past its idle or absolute limit at `now`.
pub(crate) fn expired(user: &SignedIn, settings: &SessionSettings, now: i64) -> bool {
    now - user.last_seen > settings.idle_minutes * 60
        || now - user.signed_in_at > settings.absolute_hours * 3600
}

/// Whether the idle clock should be moved (and the record written) at `now`.
pub(crate) fn due_for_touch(user: &SignedIn, now: i64) -> bool {
    now - user.last_seen >= TOUCH_EVERY_S
}

pub(crate) fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A random token: 32 bytes from the system generator, base64url.
pub(crate) fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        // The system generator does not fail on supported platforms; if it ever did, a token
        // from the time alone would be guessable, so refuse to hand one out.
        return String::new();
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(signed_in_at: i64, last_seen: i64) -> SignedIn {
        SignedIn {
            subject: "s".into(),
            role: "citizen".into(),
            display_name: None,
            region: None,
            organisation: None,
            access_token: String::new(),
            access_expires_at: 0,
            refresh_token: None,
            id_token: None,
            signed_in_at,
            last_seen,
            csrf: String::new(),
        }
    }

    #[test]
    fn sessions_end_on_inactivity_and_after_the_absolute_limit() {
        let settings = SessionSettings::default();
        let start = 1_000_000;
        assert!(!expired(&user(start, start), &settings, start + 29 * 60));
        assert!(expired(&user(start, start), &settings, start + 31 * 60));
        // Active all along, but past twelve hours since signing in.
        let late = start + 12 * 3600 + 1;
        assert!(expired(&user(start, late - 10), &settings, late));
        assert!(!due_for_touch(&user(start, start), start + 59));
        assert!(due_for_touch(&user(start, start), start + 60));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
