//! The public transparency log (ADR 0018) from outside: the verifier against a running ledger
//! and witness, and each way of tampering the issue names.

#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

mod scripting;

use std::time::{Duration, Instant};

use http::StatusCode;
use serde_json::Value;
use tyndau_testkit::{TestLedger, TestPlatform};
use tyndau_tlog::checkpoint;
use tyndau_tlog::keys::{CosignatureVerifier, log_verifier};
use tyndau_tlog::leaf::Receipt;
use tyndau_verify::remote::RemoteLog;
use tyndau_verify::{Mismatch, checks};

fn remote(ledger: &TestLedger) -> RemoteLog {
    RemoteLog::new(
        &ledger.log_url,
        log_verifier(&ledger.log_key).unwrap(),
        CosignatureVerifier::new(&ledger.witness_key).unwrap(),
    )
    .unwrap()
}

/// Waits until a witnessed checkpoint covers at least `size` leaves.
async fn await_checkpoint(log: &RemoteLog, size: u64) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok((verified, note)) = log.checkpoint().await
            && verified.checkpoint.size() >= size
        {
            return note;
        }
        assert!(
            Instant::now() < deadline,
            "no witnessed checkpoint of {size} leaves within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn leaf_count(platform: &TestPlatform) -> u64 {
    let n: i64 = sqlx_count(
        platform,
        "SELECT count(*) FROM events WHERE aggregate_type IN ('petition', 'signature', 'consultation')",
    )
    .await;
    n as u64
}

async fn sqlx_count(platform: &TestPlatform, sql: &str) -> i64 {
    tyndau_db::sqlx::query_scalar(sql)
        .fetch_one(platform.pool())
        .await
        .unwrap()
}

async fn sign_with_receipts(
    platform: &TestPlatform,
    petition: &str,
    citizens: std::ops::Range<u32>,
) -> Vec<Receipt> {
    let mut receipts = Vec::new();
    for n in citizens {
        let reply = platform.sign(petition, &platform.citizen_token(n)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        receipts.push(
            serde_json::from_value(reply.body["receipt"].clone())
                .expect("a signing answer carries a receipt"),
        );
    }
    receipts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verifier_confirms_counts_receipts_and_consistency_and_catches_an_event_altered_after_logging() {
    let platform = TestPlatform::spawn().await;
    let ledger = platform.start_ledger().await;
    let log = remote(&ledger);
    let petition = platform.open_petition("government").await;
    let other = platform.open_petition("government").await;
    let receipts = sign_with_receipts(&platform, &petition, 1..6).await;
    sign_with_receipts(&platform, &other, 1..3).await;
    assert_eq!(
        platform
            .withdraw(&petition, &platform.citizen_token(5))
            .await
            .status,
        StatusCode::OK
    );
    platform.await_count(&petition, 4).await;
    let saved = await_checkpoint(&log, leaf_count(&platform).await).await;

    // (c) the count: 5 signed - 1 withdrawn, as the query API shows.
    let report = tyndau_verify::count(&log, &petition, Some(platform.query_url()), None)
        .await
        .unwrap();
    assert!(
        report.contains("the log counts 4 (5 signed - 1 withdrawn - 0 invalidated)"),
        "{report}"
    );

    // (b) a receipt, located by its hash; nothing in a leaf names the signer.
    let report = checks::receipt(&log, &receipts[0]).await.unwrap();
    assert!(report.contains("is included in the checkpoint"), "{report}");
    let leaves: Vec<Vec<u8>> = tyndau_db::sqlx::query_scalar("SELECT data FROM ledger_leaves")
        .fetch_all(platform.pool())
        .await
        .unwrap();
    for leaf in &leaves {
        let text = String::from_utf8_lossy(leaf);
        assert!(
            !text.contains("signer") && !text.contains("region"),
            "a leaf says who signed: {text}"
        );
    }

    // A receipt for another petition: its parts do not give its hash; made consistent, the leaf
    // at its index is someone else's.
    let mut foreign = receipts[1].clone();
    foreign.petition_id = other.clone();
    let error = checks::receipt(&log, &foreign).await.unwrap_err().to_string();
    assert!(error.contains("does not fit together"), "{error}");
    let index: u64 = serde_json::from_slice::<Value>(
        &log.get(&format!("receipts/{}", receipts[1].leaf_hash))
            .await
            .unwrap(),
    )
    .unwrap()["leaf_index"]
        .as_u64()
        .unwrap();
    let leaf = foreign.leaf().unwrap();
    foreign.leaf_hash = hex::encode(tyndau_tlog::record_hash(&leaf.encode()).0);
    foreign.leaf_index = Some(index);
    let error = checks::receipt(&log, &foreign).await.unwrap_err().to_string();
    assert!(error.contains("is not this receipt's"), "{error}");

    // (d) a later checkpoint is consistent with the saved one.
    sign_with_receipts(&platform, &petition, 6..8).await;
    await_checkpoint(&log, leaf_count(&platform).await).await;
    let report = checks::consistency(&log, &saved).await.unwrap();
    assert!(report.contains("is a prefix of the current one"), "{report}");

    // An operator deletes a logged signature from the store and rebuilds the read models: the
    // site now shows one less than the log holds.
    tyndau_db::sqlx::raw_sql(&format!(
        "ALTER TABLE events DISABLE TRIGGER events_no_update;
         DELETE FROM events WHERE aggregate_type = 'signature' AND aggregate_id LIKE '{petition}:%' AND event_type = 'SignatureRecorded'
            AND aggregate_id = (SELECT min(aggregate_id) FROM events WHERE aggregate_id LIKE '{petition}:%' AND event_type = 'SignatureRecorded'
                                  AND aggregate_id NOT IN (SELECT aggregate_id FROM events WHERE event_type = 'SignatureWithdrawn'));
         ALTER TABLE events ENABLE TRIGGER events_no_update;"
    ))
    .execute(platform.pool())
    .await
    .unwrap();
    tyndau_projection::rebuild(&tyndau_projector_thresholds::Thresholds, platform.pool())
        .await
        .unwrap();
    platform.await_count(&petition, 5).await;
    let error = tyndau_verify::count(&log, &petition, Some(platform.query_url()), None)
        .await
        .unwrap_err();
    assert!(error.downcast_ref::<Mismatch>().is_some(), "{error:#}");
    assert!(
        error.to_string().contains("the log counts 6") && error.to_string().contains("the query API shows 5"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_tile_or_entry_and_an_unwitnessed_checkpoint_fail_verification() {
    let platform = TestPlatform::spawn().await;
    let ledger = platform.start_ledger().await;
    let log = remote(&ledger);
    let petition = platform.open_petition("government").await;
    let receipts = sign_with_receipts(&platform, &petition, 1..4).await;
    await_checkpoint(&log, leaf_count(&platform).await).await;
    checks::receipt(&log, &receipts[0]).await.unwrap();

    // A hash tile served with a wrong hash: the proof's tiles no longer give the signed root.
    tyndau_db::sqlx::query(
        "UPDATE ledger_tiles SET hashes = overlay(hashes PLACING '\\xffff'::bytea FROM 1) WHERE level = 0",
    )
    .execute(platform.pool())
    .await
    .unwrap();
    let error = format!("{:#}", checks::receipt(&log, &receipts[0]).await.unwrap_err());
    assert!(error.contains("a tile does not match the checkpoint"), "{error}");

    // An entry altered: the entries no longer hash to the signed root.
    tyndau_db::sqlx::query("UPDATE ledger_leaves SET data = convert_to(replace(convert_from(data, 'UTF8'), 'Signature', 'Xignature'), 'UTF8') WHERE leaf_index = (SELECT max(leaf_index) FROM ledger_leaves)")
        .execute(platform.pool())
        .await
        .unwrap();
    let error = format!(
        "{:#}",
        tyndau_verify::count(&log, &petition, None, None)
            .await
            .unwrap_err()
    );
    assert!(error.contains("do not hash to the checkpoint's root"), "{error}");

    // The published program says so too: `OK …` and 0 before, `FAILED: …` and 1 after.
    let program = tokio::task::block_in_place(|| scripting::debug_binaries().join("tyndau-verify"));
    let verify = |args: &[&str]| {
        let output = std::process::Command::new(&program)
            .args([
                "--log",
                &ledger.log_url,
                "--log-key",
                &ledger.log_key,
                "--witness-key",
                &ledger.witness_key,
            ])
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    };
    let (code, out) = tokio::task::block_in_place(|| verify(&["checkpoint"]));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("OK checkpoint: "), "{out}");
    let (code, out) = tokio::task::block_in_place(|| verify(&["count", "--petition", &petition]));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("FAILED: ") && out.contains("do not hash to the checkpoint's root"),
        "{out}"
    );

    // A checkpoint signed by the log alone is not accepted.
    let latest: Vec<u8> =
        tyndau_db::sqlx::query_scalar("SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1")
            .fetch_one(platform.pool())
            .await
            .unwrap();
    let body = checkpoint::body(&latest).unwrap();
    let unwitnessed = checkpoint::sign(
        String::from_utf8_lossy(&body).lines().next().unwrap(),
        tyndau_tlog::Checkpoint::from_bytes(&body).unwrap().size(),
        *tyndau_tlog::Checkpoint::from_bytes(&body).unwrap().hash(),
        &tyndau_tlog::keys::log_signer(&ledger.log_secret).unwrap(),
    )
    .unwrap();
    tyndau_db::sqlx::query(
        "UPDATE ledger_checkpoints SET note = $1 WHERE size = (SELECT max(size) FROM ledger_checkpoints)",
    )
    .bind(&unwitnessed)
    .execute(platform.pool())
    .await
    .unwrap();
    let error = format!("{:#}", log.checkpoint().await.unwrap_err());
    assert!(error.contains("no valid cosignature from the witness"), "{error}");
    let (code, out) = tokio::task::block_in_place(|| verify(&["checkpoint"]));
    assert_eq!(code, Some(1), "{out}");
    // An unreachable log is not a verdict: 2.
    let output = std::process::Command::new(&program)
        .args([
            "--log",
            "http://127.0.0.1:9",
            "--log-key",
            &ledger.log_key,
            "--witness-key",
            &ledger.witness_key,
            "checkpoint",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_witness_refuses_a_rewritten_history_and_malformed_requests_and_keeps_its_record() {
    use tyndau_tlog::tiles::{Frontier, TileHashes};
    use tyndau_tlog::witness::AddCheckpoint;

    let platform = TestPlatform::spawn().await;
    let ledger = platform.start_ledger().await;
    let log = remote(&ledger);
    let petition = platform.open_petition("government").await;
    sign_with_receipts(&platform, &petition, 1..3).await;
    let note = await_checkpoint(&log, leaf_count(&platform).await).await;
    let witnessed = tyndau_tlog::Checkpoint::from_bytes(&checkpoint::body(&note).unwrap()).unwrap();
    let record = std::fs::read(&ledger.witness_state).unwrap();
    let origin = witnessed.origin().to_owned();
    let signer = tyndau_tlog::keys::log_signer(&ledger.log_secret).unwrap();
    let http = reqwest::Client::new();
    let add = |body: Vec<u8>| {
        let http = http.clone();
        let url = format!("{}/add-checkpoint", ledger.witness_url);
        async move {
            let response = http.post(url).body(body).send().await.unwrap();
            (
                response.status(),
                response.headers().get("content-type").cloned(),
                response.text().await.unwrap(),
            )
        }
    };

    // The log's key signs another history, longer than the witnessed one, with a proof from it.
    let mut forged = Frontier::default();
    let mut tiles = std::collections::BTreeMap::new();
    let mut done = Vec::new();
    for i in 0..witnessed.size() + 10 {
        forged.push(
            tyndau_tlog::record_hash(format!("forged {i}").as_bytes()),
            &mut done,
        );
    }
    for t in done.into_iter().chain(forged.edge_tiles()) {
        tiles.insert((t.level, t.index), t.hashes);
    }
    let proof = tyndau_tlog::prove_tree(
        forged.size(),
        witnessed.size(),
        &TileHashes::new(|k| tiles.get(&k).map(Vec::as_slice)),
    )
    .unwrap();
    let forged_note = checkpoint::sign(&origin, forged.size(), forged.root(), &signer).unwrap();
    let request = AddCheckpoint {
        old_size: witnessed.size(),
        proof: proof.clone(),
        checkpoint: forged_note.clone(),
    };
    let (status, _, _) = add(request.encode()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A truncated proof is refused the same way.
    let truncated = AddCheckpoint {
        old_size: witnessed.size(),
        proof: proof[..proof.len() - 1].to_vec(),
        checkpoint: forged_note.clone(),
    };
    assert_eq!(add(truncated.encode()).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // A stale old size: 409 with the witnessed size.
    let stale = AddCheckpoint {
        old_size: 0,
        proof: vec![],
        checkpoint: forged_note.clone(),
    };
    let (status, content_type, body) = add(stale.encode()).await;
    assert_eq!(
        (status, body.trim().parse::<u64>().ok()),
        (StatusCode::CONFLICT, Some(witnessed.size()))
    );
    assert_eq!(content_type.unwrap(), "text/x.tlog.size");
    // Malformed bodies and unknown logs.
    for body in [&b""[..], b"old x\n\nnote", b"old 1\n\nnot a note", &[0xff; 10]] {
        assert_eq!(add(body.to_vec()).await.0, StatusCode::BAD_REQUEST, "{body:?}");
    }
    let (stranger, _) = tyndau_tlog::keys::generate("localhost/other-log", tyndau_tlog::keys::KeyKind::Log);
    let stranger_note = checkpoint::sign(
        "localhost/other-log",
        1,
        forged.root(),
        &tyndau_tlog::keys::log_signer(&stranger).unwrap(),
    )
    .unwrap();
    assert_eq!(
        add(AddCheckpoint {
            old_size: 0,
            proof: vec![],
            checkpoint: stranger_note
        }
        .encode())
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // Nothing of that reached the witness's record.
    assert_eq!(std::fs::read(&ledger.witness_state).unwrap(), record);

    // The log goes on being witnessed.
    sign_with_receipts(&platform, &petition, 3..4).await;
    await_checkpoint(&log, leaf_count(&platform).await).await;
}
