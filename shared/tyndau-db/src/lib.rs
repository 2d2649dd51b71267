//! The database: one PostgreSQL schema, created by the migrations in `migrations/`.
//!
//! The event store (`events`) is the source of truth; `signature_gate` is a write-side index that
//! makes "no signature after closing" and the exact closing count hold under concurrency; every
//! other table is a read model that can be rebuilt from `events`.
//!
//! This crate owns the event log (`events`, `snapshots`), the checkpoints of its readers and the
//! subject keys: the storage both sides share. Nothing else writes SQL against them; the command
//! side appends and loads streams, the relay and the projections read in commit order, all
//! through [`eventlog`] (checked by the tidy test of table owners).

pub mod audit;
pub mod eventlog;
pub mod projected;
pub mod subject_keys;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use tyndau_config::{DatabaseSettings, ExposeSecret};
use tyndau_telemetry::metrics::{PG_CONNECTIONS_OPENED, PG_POOL_CONNECTIONS};

pub use sqlx;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database URL is invalid")]
    InvalidUrl(#[source] sqlx::Error),
    #[error("could not connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("could not apply the migrations")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A pool that does not ping on every acquire (a round trip per command otherwise) and logs
/// slow statements only.
pub async fn connect(settings: &DatabaseSettings) -> Result<PgPool, DbError> {
    let options: PgConnectOptions = settings
        .url
        .expose_secret()
        .parse()
        .map_err(DbError::InvalidUrl)?;
    let options = options
        .log_statements(tracing::log::LevelFilter::Trace)
        .log_slow_statements(tracing::log::LevelFilter::Warn, std::time::Duration::from_secs(1));
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout())
        .test_before_acquire(false)
        .after_connect(|_, _| {
            Box::pin(async {
                metrics::counter!(PG_CONNECTIONS_OPENED).increment(1);
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
    tokio::spawn(sample_pool(pool.clone()));
    Ok(pool)
}

/// The pool's idle and busy connections as gauges, every few seconds until the pool closes.
async fn sample_pool(pool: PgPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    while !pool.is_closed() {
        every.tick().await;
        let idle = pool.num_idle();
        let size = pool.size() as usize;
        metrics::gauge!(PG_POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
        metrics::gauge!(PG_POOL_CONNECTIONS, "state" => "in_use").set(size.saturating_sub(idle) as f64);
    }
}

/// Whether `error` is the database being unreachable, failing over or saturated (worth a retry,
/// a 503 to a client) rather than a bug in the query: the pool or the connection failing;
/// SQLSTATE classes 08 (connection), 53 (insufficient resources) and 57P (shutting down,
/// crashed, starting up); and 25006, a write reaching a primary that has just been demoted.
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            true
        }
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            code.starts_with("08") || code.starts_with("53") || code.starts_with("57P") || code == "25006"
        }),
        _ => false,
    }
}

/// Whether a `sqlx::Error` anywhere in `error`'s chain of causes [`is_transient`]: for errors
/// that reach us wrapped, as postgres-es wraps every database error it does not recognise.
pub fn caused_by_transient(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(cause) = next {
        if cause.downcast_ref::<sqlx::Error>().is_some_and(is_transient) {
            return true;
        }
        next = cause.source();
    }
    false
}

/// Readiness: the database answers a trivial query.
pub async fn ping(pool: PgPool) -> Result<(), String> {
    sqlx::query("SELECT 1")
        .execute(&pool)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await.map_err(DbError::Migrate)
}

/// Fails start-up when a durability setting the design relies on is off.
pub async fn check_durability(pool: &PgPool) -> Result<(), String> {
    for (setting, expected) in [("fsync", "on"), ("synchronous_commit", "on")] {
        let value: String = sqlx::query_scalar(&format!("SHOW {setting}"))
            .fetch_one(pool)
            .await
            .map_err(|e| format!("cannot read {setting}: {e}"))?;
        if value != expected
            && !(setting == "synchronous_commit" && matches!(value.as_str(), "remote_apply" | "remote_write"))
        {
            return Err(format!(
                "PostgreSQL {setting} is {value}; the event store needs {expected}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that wraps another, as cqrs-es and postgres-es wrap the driver's.
    #[derive(Debug, thiserror::Error)]
    #[error("the store failed")]
    struct Wrapped(#[source] sqlx::Error);

    #[test]
    fn a_lost_connection_or_an_exhausted_pool_is_transient_and_a_bad_query_is_not() {
        let reset = || sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(is_transient(&reset()));
        assert!(is_transient(&sqlx::Error::PoolTimedOut));
        assert!(!is_transient(&sqlx::Error::RowNotFound));
        assert!(!is_transient(&sqlx::Error::ColumnNotFound("signatures".into())));

        assert!(caused_by_transient(&Wrapped(reset())));
        assert!(caused_by_transient(&reset()));
        assert!(!caused_by_transient(&Wrapped(sqlx::Error::RowNotFound)));
    }
}
