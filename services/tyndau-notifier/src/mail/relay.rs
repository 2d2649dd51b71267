//! Where emails go. A TLS or authenticated relay (`smtps://`, `smtp://…?tls=required`,
//! credentials in the URL) goes through lettre's pooled transport. A plain `smtp://host:port`
//! relay (a local MTA, the development mailbox) gets connections we open ourselves with
//! `TCP_NODELAY`: lettre 0.11.23 leaves Nagle's algorithm on, so the five-byte end of every
//! message waits for the relay's delayed ACK, 40 ms per email on Linux (measured here: 8 pooled
//! connections delivered 172 emails/s with the machine 94% idle). The fix is merged upstream
//! (lettre#1159) but not released; when it is, the plain path can go.

use std::time::Duration;

use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;
use lettre::transport::smtp::{Error as SmtpError, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Mutex;

/// Why an email did not go.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The relay answered (4xx or 5xx) or the SMTP exchange failed.
    #[error(transparent)]
    Smtp(#[from] SmtpError),
    /// The relay could not be reached or did not answer in time.
    #[error("the relay could not be reached")]
    Unreachable,
}

pub enum Relay {
    Pooled(AsyncSmtpTransport<Tokio1Executor>),
    Plain(PlainRelay),
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pooled(_) => "Relay::Pooled",
            Self::Plain(_) => "Relay::Plain",
        })
    }
}

impl Relay {
    pub fn from_url(smtp_url: &str, connections: u32, timeout: Duration) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(smtp_url).map_err(|e| anyhow::anyhow!("mail.smtp_url: {e}"))?;
        let plain = parsed.scheme() == "smtp"
            && parsed.query().is_none()
            && parsed.username().is_empty()
            && parsed.password().is_none();
        if plain {
            let host = parsed
                .host_str()
                .ok_or_else(|| anyhow::anyhow!("mail.smtp_url has no host"))?;
            return Ok(Self::Plain(PlainRelay {
                addr: format!("{host}:{}", parsed.port().unwrap_or(25)),
                idle: Mutex::new(Vec::new()),
                timeout,
            }));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| anyhow::anyhow!("mail.smtp_url: {e}"))?
            .timeout(Some(timeout))
            .pool_config(PoolConfig::new().max_size(connections.max(1)))
            .build();
        Ok(Self::Pooled(transport))
    }

    pub async fn send(&self, message: &Message) -> Result<Response, SendError> {
        match self {
            Self::Pooled(transport) => transport.send(message.clone()).await.map_err(|error| {
                if error.status().is_some() {
                    SendError::Smtp(error)
                } else {
                    SendError::Unreachable
                }
            }),
            Self::Plain(relay) => relay.send(message).await,
        }
    }
}

/// Connections to a plain relay, reused: at most as many as emails in flight.
pub struct PlainRelay {
    addr: String,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
    timeout: Duration,
}

impl PlainRelay {
    async fn send(&self, message: &Message) -> Result<Response, SendError> {
        let envelope = message.envelope();
        let raw = message.formatted();
        // A connection kept from before may have been closed by the relay meanwhile: then the
        // email goes once more, on a fresh one.
        let reused = self.idle.lock().await.pop();
        if let Some(mut connection) = reused {
            match self.within(connection.send(envelope, &raw)).await {
                Ok(response) => {
                    self.idle.lock().await.push(connection);
                    return Ok(response);
                }
                Err(SendError::Smtp(error)) if error.status().is_some() => {
                    connection.abort().await;
                    return Err(SendError::Smtp(error));
                }
                Err(_) => connection.abort().await,
            }
        }
        let mut connection = self.connect().await?;
        let response = self.within(connection.send(envelope, &raw)).await;
        match &response {
            Ok(_) => self.idle.lock().await.push(connection),
            Err(_) => connection.abort().await,
        }
        response
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let stream = tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect(&self.addr))
            .await
            .map_err(|_| SendError::Unreachable)?
            .map_err(|_| SendError::Unreachable)?;
        stream.set_nodelay(true).map_err(|_| SendError::Unreachable)?;
        self.within(AsyncSmtpConnection::connect_with_transport(
            Box::new(stream),
            &ClientId::default(),
        ))
        .await
        .map_err(|_| SendError::Unreachable)
    }

    async fn within<T>(&self, step: impl Future<Output = Result<T, SmtpError>>) -> Result<T, SendError> {
        match tokio::time::timeout(self.timeout, step).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(SendError::Smtp(error)),
            Err(_) => Err(SendError::Unreachable),
        }
    }
}
