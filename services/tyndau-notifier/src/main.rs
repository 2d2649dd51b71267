use std::net::SocketAddr;

use anyhow::Context;
use tyndau_config::ExposeSecret;
use tyndau_notifier::{Notifications, Settings, mail::Sender};
use tyndau_projection::ProjectorService;

const DEFAULT_ADDR: ([u8; 4], u16) = ([127, 0, 0, 1], 8088);

// mimalloc instead of glibc's malloc: the profile of the signing path showed glibc's
// `_int_malloc`/`_int_free`/`malloc_consolidate` at about a tenth of the service's CPU
// (proto-docs/decisions/0013).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_telemetry::init("tyndau-notifier");
    let settings: Settings = tyndau_config::load()?;
    match std::env::args().nth(1).as_deref() {
        // Rebuild subscriptions and inboxes from the event store, then exit (no email).
        Some("rebuild") => {
            let pool = tyndau_db::connect(&settings.database).await?;
            let report = tyndau_notifier::rebuild(&pool).await?;
            tracing::info!(events = report.events, "rebuild finished");
            Ok(())
        }
        None | Some("run") => {
            let link_secret = hex::decode(settings.notifications.link_secret.expose_secret())
                .context("notifications.link_secret must be hex")?;
            let shutdown = tyndau_http::shutdown_signal();
            let pool = tyndau_db::connect(&settings.database).await?;
            let sender = Sender::new(pool.clone(), &settings.mail, &link_secret)?;
            let mailing = tokio::spawn(sender.run(shutdown.clone()));
            let hooks = tyndau_notifier::hooks::HookSender::new(pool, &settings.webhooks)?;
            let hooking = tokio::spawn(hooks.run(shutdown.clone()));
            ProjectorService::build(
                Notifications,
                settings.projector(),
                SocketAddr::from(DEFAULT_ADDR),
            )
            .await?
            .run(shutdown)
            .await?;
            mailing.await?;
            hooking.await?;
            Ok(())
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; use `run` (default) or `rebuild`"),
    }
}
