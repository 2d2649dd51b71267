//! What the verifier checks. Each returns a report on success and an error naming the mismatch.

use anyhow::{Context, bail, ensure};
use futures::StreamExt;
use tyndau_tlog::checkpoint::{self, Verified};
use tyndau_tlog::leaf::{INVALIDATED, Leaf, Receipt, SIGNATURE, SIGNED, WITHDRAWN};
use tyndau_tlog::tiles::{Frontier, WIDTH};
use tyndau_tlog::{TileHashReader, check_record, check_tree, prove_record, prove_tree, record_hash};

use crate::remote::{RemoteLog, RemoteTiles};

/// The receipt's leaf is in the log under the current checkpoint.
pub async fn receipt(log: &RemoteLog, receipt: &Receipt) -> anyhow::Result<String> {
    let leaf = receipt
        .leaf()
        .context("the receipt's secret is not 64 hexadecimal digits")?;
    let bytes = leaf.encode();
    let hash = record_hash(&bytes);
    ensure!(
        hex::encode(hash.0) == receipt.leaf_hash.trim().to_lowercase(),
        "the receipt does not fit together: its petition, event and secret give leaf hash {}, not {}",
        hex::encode(hash.0),
        receipt.leaf_hash
    );
    let index = match receipt.leaf_index {
        Some(index) => index,
        None => {
            let located: serde_json::Value =
                serde_json::from_slice(&log.get(&format!("receipts/{}", hex::encode(hash.0))).await?)?;
            located["leaf_index"]
                .as_u64()
                .context("the log does not say where the leaf is")?
        }
    };
    let (verified, _) = log.checkpoint().await?;
    let (size, root) = (verified.checkpoint.size(), *verified.checkpoint.hash());
    ensure!(
        index < size,
        "leaf {index} is not under the current checkpoint (size {size}) yet; try again in a few seconds"
    );
    // The leaf as the log holds it, byte for byte.
    let bundle = log
        .bundle(index / WIDTH, (size - index / WIDTH * WIDTH).min(WIDTH))
        .await?;
    let held = &bundle[(index % WIDTH) as usize];
    ensure!(
        *held == bytes,
        "leaf {index} of the log is not this receipt's: the log holds {}",
        String::from_utf8_lossy(held)
    );
    let tiles = RemoteTiles(log);
    let reader = TileHashReader::new(size, root, &tiles);
    let proof = tokio::task::block_in_place(|| prove_record(size, index, &reader))
        .context("the log's tiles do not prove the leaf (a tile does not match the checkpoint)")?;
    check_record(&proof, size, root, index, hash).context("the inclusion proof does not verify")?;
    Ok(format!(
        "receipt: leaf {index} (petition {}, {} #{}) is included in the checkpoint of {size} leaves",
        receipt.petition_id, receipt.event, receipt.seq
    ))
}

/// A petition's count from the log: its signature leaves, every leaf checked by recomputing the
/// checkpoint's root from all of them.
pub struct LogCount {
    pub size: u64,
    pub signed: u64,
    pub withdrawn: u64,
    pub invalidated: u64,
}

impl LogCount {
    pub fn count(&self) -> i64 {
        self.signed as i64 - self.withdrawn as i64 - self.invalidated as i64
    }
}

pub async fn count_from_log(
    log: &RemoteLog,
    verified: &Verified,
    petition: &str,
) -> anyhow::Result<LogCount> {
    let size = verified.checkpoint.size();
    let mut frontier = Frontier::default();
    let mut done = Vec::new();
    let mut count = LogCount {
        size,
        signed: 0,
        withdrawn: 0,
        invalidated: 0,
    };
    let mut bundles = std::pin::pin!(log.leaves(size));
    while let Some(bundle) = bundles.next().await {
        for bytes in bundle? {
            frontier.push(record_hash(&bytes), &mut done);
            done.clear();
            // Cheap filter before parsing: most leaves are other petitions' signatures.
            if !contains(&bytes, petition.as_bytes()) {
                continue;
            }
            let leaf = Leaf::decode(&bytes)
                .with_context(|| format!("leaf {} is not a leaf", frontier.size() - 1))?;
            if leaf.aggregate != SIGNATURE || leaf.id != petition {
                continue;
            }
            match leaf.event.as_str() {
                SIGNED => count.signed += 1,
                WITHDRAWN => count.withdrawn += 1,
                INVALIDATED => count.invalidated += 1,
                _ => {}
            }
        }
    }
    ensure!(
        frontier.root() == *verified.checkpoint.hash(),
        "the log's entries do not hash to the checkpoint's root: the entries served are not the ones signed"
    );
    Ok(count)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The count the query API shows.
pub async fn count_from_api(http: &reqwest::Client, query: &str, petition: &str) -> anyhow::Result<i64> {
    let url = format!("{}/petitions/{petition}/count", query.trim_end_matches('/'));
    let body: serde_json::Value = http.get(&url).send().await?.error_for_status()?.json().await?;
    body["signatures"]
        .as_i64()
        .with_context(|| format!("GET {url}: no signatures count"))
}

/// The count the web page shows (the number in its live counter).
pub async fn count_from_web(http: &reqwest::Client, web: &str, petition: &str) -> anyhow::Result<i64> {
    let url = format!("{}/en/petitions/{petition}", web.trim_end_matches('/'));
    let page = http.get(&url).send().await?.error_for_status()?.text().await?;
    let start = page
        .find("data-live-count>")
        .with_context(|| format!("GET {url}: no count on the page"))?
        + "data-live-count>".len();
    let text = &page[start..];
    let digits: String = text[..text.find('<').unwrap_or(text.len())]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .with_context(|| format!("GET {url}: the count is not a number"))
}

/// A checkpoint saved earlier is a prefix of the current one.
pub async fn consistency(log: &RemoteLog, saved: &[u8]) -> anyhow::Result<String> {
    let old = checkpoint::verify(saved, &log.log_key, Some(&log.witness_key))
        .context("the saved checkpoint does not verify")?;
    let (current, _) = log.checkpoint().await?;
    let (old_size, old_root) = (old.checkpoint.size(), *old.checkpoint.hash());
    let (size, root) = (current.checkpoint.size(), *current.checkpoint.hash());
    if size < old_size {
        bail!("the log shrank: the current checkpoint has {size} leaves, the saved one {old_size}");
    }
    if size == old_size {
        ensure!(
            root == old_root,
            "two checkpoints of {size} leaves with different roots: the log forked"
        );
    } else if old_size > 0 {
        let tiles = RemoteTiles(log);
        let reader = TileHashReader::new(size, root, &tiles);
        let proof = tokio::task::block_in_place(|| prove_tree(size, old_size, &reader)).context(
            "the log's tiles do not give a consistency proof (a tile does not match the checkpoint)",
        )?;
        check_tree(&proof, size, root, old_size, old_root).context(
            "the saved checkpoint is not a prefix of the current one: the log's history was rewritten",
        )?;
    }
    Ok(format!(
        "consistency: the saved checkpoint ({old_size} leaves) is a prefix of the current one ({size} leaves)"
    ))
}
