//! One codec for stored events: an event written in an older version is read the same way by
//! every reader — the signature store, postgres-es loads, the relay (and so the live
//! projection), and a rebuild — and the signature gate follows the petition in the very
//! transaction of its event.
//!
//! Needs the local servers: `scripts/dev-env.sh`, then `source .data/env`.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tyndau_db::sqlx::{self, Row};
use tyndau_domain::{Signature, SignatureStatus};
use tyndau_ids::Region;
use tyndau_store::Repository;
use tyndau_testkit::{Reply, TestPlatform};

const SIGNER: u32 = 40;

/// Writes a withdrawal the way Tyndau wrote it before `SignatureWithdrawn` 1.1 (no signer in
/// the payload), with the gate moved as that writer moved it.
async fn withdraw_as_version_1_0(platform: &TestPlatform, petition: &str) -> String {
    let row = sqlx::query(
        "SELECT aggregate_id, metadata FROM events
          WHERE aggregate_type = 'signature' AND aggregate_id LIKE $1 || ':%'",
    )
    .bind(petition)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    let id: String = row.get("aggregate_id");
    let metadata: Value = row.get("metadata");
    let payload = json!({"SignatureWithdrawn": {
        "petition_id": petition,
        "withdrawn_at": OffsetDateTime::now_utc().format(&Rfc3339).unwrap(),
    }});
    let mut tx = platform.pool().begin().await.unwrap();
    sqlx::query(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
         VALUES ('signature', $1, 2, 'SignatureWithdrawn', '1.0', $2, $3)",
    )
    .bind(&id)
    .bind(payload)
    .bind(metadata)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("UPDATE signature_gate SET signatures = signatures - 1 WHERE petition_id = $1::uuid")
        .bind(petition)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn tally_row(platform: &TestPlatform, petition: &str) -> (bool, bool) {
    let row = sqlx::query(
        "SELECT recorded, withdrawn_at IS NOT NULL AS withdrawn FROM signature_tally WHERE petition_id = $1::uuid",
    )
    .bind(petition)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    (row.get("recorded"), row.get("withdrawn"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_withdrawal_stored_before_1_1_is_read_alike_by_every_reader() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("government").await;
    let token = platform.citizen_token(SIGNER);
    platform.sign(&petition, &token).await.expect_status(201);
    platform.await_count(&petition, 1).await;

    let id = withdraw_as_version_1_0(&platform, &petition).await;

    // The relay lifts it to 1.1 before publishing: the live projection needs the signer the
    // new version carries, and takes the signature out of every count.
    platform.await_count(&petition, 0).await;
    assert_eq!(tally_row(&platform, &petition).await, (true, true));

    // The signature store (the citizen's own view, and the check before signing again).
    let own = Reply::read(platform.command(
        reqwest::Method::GET,
        &format!("/petitions/{petition}/signature"),
        Some(&token),
    ))
    .await;
    assert_eq!(own.expect_status(200)["status"], "withdrawn", "{own:?}");
    platform
        .sign(&petition, &token)
        .await
        .assert_problem(409, "withdrawn_earlier");

    // postgres-es, through the same upcasters.
    let loaded: Signature = Repository::new(platform.pool().clone()).load(&id).await.unwrap();
    assert_eq!(loaded.status(), SignatureStatus::Withdrawn);

    // A rebuild reads the row through the codec too, and comes to the same place.
    tyndau_projector_thresholds::rebuild_in_pages(platform.pool(), 1)
        .await
        .unwrap();
    assert_eq!(tally_row(&platform, &petition).await, (true, true));
    assert_eq!(platform.public_count(&petition).await, Some(0));
    platform.shutdown().await;
}

async fn gate(platform: &TestPlatform, petition: &str) -> Option<(bool, OffsetDateTime, Option<String>)> {
    sqlx::query("SELECT open, closes_at, scope_region FROM signature_gate WHERE petition_id = $1::uuid")
        .bind(petition)
        .fetch_optional(platform.pool())
        .await
        .unwrap()
        .map(|row| (row.get("open"), row.get("closes_at"), row.get("scope_region")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_gate_opens_and_shuts_in_the_transaction_of_the_petitions_event() {
    let platform = TestPlatform::spawn().await;
    let author = platform.citizen_token(tyndau_testkit::AUTHOR);
    let petition = platform.draft(&author, "akimat-almaty").await;
    platform
        .post(&format!("/petitions/{petition}/submit"), Some(&author), None)
        .await
        .expect_status(200);
    assert_eq!(
        gate(&platform, &petition).await,
        None,
        "no gate before publication"
    );
    platform
        .post(
            &format!("/petitions/{petition}/publish"),
            Some(&platform.moderator_token()),
            None,
        )
        .await
        .expect_status(200);

    // Read straight after the reply, with no projection in between: the terms are the
    // petition's, from its events.
    let closes_at: String = sqlx::query_scalar(
        "SELECT payload -> 'PetitionPublished' ->> 'closes_at' FROM events
          WHERE aggregate_type = 'petition' AND aggregate_id = $1 AND event_type = 'PetitionPublished'",
    )
    .bind(&petition)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    // The column keeps microseconds: the event's instant, truncated (never later than it).
    let closes_at = OffsetDateTime::parse(&closes_at, &Rfc3339).unwrap();
    let closes_at = closes_at
        .replace_nanosecond(closes_at.nanosecond() / 1_000 * 1_000)
        .unwrap();
    assert_eq!(
        gate(&platform, &petition).await,
        Some((true, closes_at, Some(Region::Almaty.code().to_owned())))
    );
    let outsider = platform.citizen_token_in(SIGNER, Region::Astana);
    platform
        .sign(&petition, &outsider)
        .await
        .assert_problem(403, "not_resident");
    let resident = platform.citizen_token_in(SIGNER + 1, Region::Almaty);
    platform.sign(&petition, &resident).await.expect_status(201);

    platform
        .post(
            &format!("/petitions/{petition}/stop"),
            Some(&platform.moderator_token()),
            Some(json!({"reason": "fraud", "explanation": "Bought signatures."})),
        )
        .await
        .expect_status(200);
    let (open, _, _) = gate(&platform, &petition).await.unwrap();
    assert!(!open, "the stop shut the gate");
    let late = platform.citizen_token_in(SIGNER + 2, Region::Almaty);
    platform
        .sign(&petition, &late)
        .await
        .assert_problem(410, "petition_closed");
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stored_event_with_unreadable_metadata_is_still_delivered_as_an_unknown_actors() {
    let platform = TestPlatform::spawn().await;
    let petition = platform.open_petition("government").await;
    let token = platform.citizen_token(SIGNER);
    platform.sign(&petition, &token).await.expect_status(201);
    platform.await_count(&petition, 1).await;
    // A row written by hand, without Tyndau's metadata: every reader takes it by one rule.
    let row = sqlx::query(
        "SELECT aggregate_id, payload FROM events WHERE aggregate_type = 'signature' AND aggregate_id LIKE $1 || ':%'",
    )
    .bind(&petition)
    .fetch_one(platform.pool())
    .await
    .unwrap();
    let id: String = row.get("aggregate_id");
    let payload = json!({"SignatureWithdrawn": {
        "petition_id": petition,
        "signer": id.rsplit(':').next().unwrap(),
        "withdrawn_at": OffsetDateTime::now_utc().format(&Rfc3339).unwrap(),
    }});
    sqlx::query(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
         VALUES ('signature', $1, 2, 'SignatureWithdrawn', '1.1', $2, '{}')",
    )
    .bind(&id)
    .bind(payload)
    .execute(platform.pool())
    .await
    .unwrap();
    platform.await_count(&petition, 0).await;
    let events = tyndau_db::eventlog::load_streams(platform.pool(), "signature", &[id.as_str()])
        .await
        .unwrap();
    assert_eq!(events[1].metadata, tyndau_events::EventMetadata::unreadable());
    assert_eq!(events[0].metadata.actor.kind, tyndau_events::ActorKind::Citizen);
    platform.shutdown().await;
}
