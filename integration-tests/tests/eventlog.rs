//! The event log is read in commit order (transaction id, then position) by the relay and by
//! rebuilds. Transaction ids are numbers: the order must hold where their decimal text would
//! sort differently (999 before 1000), which a young cluster crosses within its first minutes.
//! And a server ending a session (as a crashing or failing-over primary does) is a transient
//! error, for a 503 and a retry, not a bug.

use tyndau_db::eventlog::{self, LogPosition};
use tyndau_db::sqlx;
use tyndau_testkit::TestPlatform;

const PROBE: &str = "ordering-probe";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_read_in_numeric_commit_order_page_by_page() {
    let platform = TestPlatform::spawn().await;
    // Written as if by transactions with these ids, in an order that is neither numeric nor text.
    let tx_ids: [u64; 8] = [1_000, 999, 10_000, 9_999, 100, 99, 100_000, 99_999];
    for (i, tx) in tx_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, tx_id)
             VALUES ($1, $2, 1, 'Probed', '1.0', '{}', '{}', $3::text::xid8)",
        )
        .bind(PROBE)
        .bind(format!("probe-{i}"))
        .bind(tx.to_string())
        .execute(platform.pool())
        .await
        .expect("a probe event is written");
    }

    // Small pages, so a page boundary falls between ids of different lengths.
    for page_size in [1, 2, 3, 100] {
        let mut cursor = LogPosition::default();
        let mut seen = Vec::new();
        loop {
            let page = eventlog::read_snapshot_after(platform.pool(), cursor, page_size)
                .await
                .expect("the log is readable");
            let Some(last) = page.last() else { break };
            assert!(last.position > cursor, "the cursor moves forward");
            cursor = last.position;
            let positions: Vec<LogPosition> = page.iter().map(|e| e.position).collect();
            assert!(positions.is_sorted(), "a page is in commit order: {positions:?}");
            seen.extend(
                page.into_iter()
                    .filter(|e| e.aggregate_type == PROBE)
                    .map(|e| e.position.tx_id),
            );
        }
        let mut expected = tx_ids.to_vec();
        expected.sort_unstable();
        assert_eq!(
            seen, expected,
            "pages of {page_size}: every event once, in numeric order"
        );
    }
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_the_server_ends_is_a_transient_failure() {
    use sqlx::Connection;
    let url =
        std::env::var("DATABASE_URL").expect("DATABASE_URL: run scripts/dev-env.sh, then `source .data/env`");
    let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
    // SQLSTATE 57P01, the class a crashed or demoted primary's sessions end with (57P).
    let ended = sqlx::query("SELECT pg_terminate_backend(pg_backend_pid())")
        .execute(&mut connection)
        .await
        .unwrap_err();
    assert!(tyndau_db::is_transient(&ended), "{ended:?}");
    let rejected = sqlx::query("SELECT no_such_column FROM pg_class")
        .execute(&mut sqlx::PgConnection::connect(&url).await.unwrap())
        .await
        .unwrap_err();
    assert!(!tyndau_db::is_transient(&rejected), "{rejected:?}");
}
