//! The notifier's configuration: the projector's (database, bus, health address), the secret it
//! signs unsubscribe links with, and the mail relay.

use serde::Deserialize;
use tyndau_config::{DatabaseSettings, HttpSettings, NatsSettings, SecretString};

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub nats: NatsSettings,
    pub http: Option<HttpSettings>,
    pub notifications: LinkSettings,
    #[serde(default)]
    pub mail: MailSettings,
    #[serde(default)]
    pub webhooks: crate::hooks::HookSettings,
}

impl Settings {
    pub fn projector(&self) -> tyndau_projection::Settings {
        tyndau_projection::Settings {
            database: self.database.clone(),
            nats: self.nats.clone(),
            http: self.http.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkSettings {
    /// Hex-encoded secret (at least 32 bytes) one-click unsubscribe links are signed with; the
    /// command API, which checks them, has the same.
    pub link_secret: SecretString,
}

/// The relay and how hard to drive it.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    /// `smtp://host:port` (plain, loopback only), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://host:port`, with `user:password@` when the relay wants it.
    pub smtp_url: SecretString,
    /// The sender, e.g. `Tyndau <no-reply@tyndau.kz>`.
    pub from: String,
    /// The web front's public address: links in emails point there.
    pub public_url: String,
    /// The domain part of every `Message-ID`.
    pub message_id_domain: String,
    /// Pooled SMTP connections, and so emails in flight at once.
    pub connections: u32,
    /// Most emails sent per second (the relay's or the provider's limit); 0: no limit.
    pub per_second: u32,
    /// Outbox rows leased per round.
    pub batch: i64,
    /// How long a leased row waits before another attempt may take it (a crash mid-send).
    pub lease_secs: f64,
    /// Temporary failures before an email is given up.
    pub max_attempts: i32,
    /// How often an idle sender looks at the outbox.
    pub idle_poll_ms: u64,
    /// How often due digests are looked for.
    pub digest_poll_secs: u64,
    /// Per SMTP command.
    pub timeout_secs: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: SecretString::from("smtp://127.0.0.1:2525"),
            from: "Tyndau <no-reply@tyndau.localhost>".to_owned(),
            public_url: "http://127.0.0.1:8087".to_owned(),
            message_id_domain: "tyndau.localhost".to_owned(),
            connections: 8,
            per_second: 5_000,
            batch: 500,
            lease_secs: 60.0,
            max_attempts: 10,
            idle_poll_ms: 200,
            digest_poll_secs: 60,
            timeout_secs: 30,
        }
    }
}
