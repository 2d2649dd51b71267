//! The log as a client sees it: plain GETs under one base URL (C2SP tlog-tiles), nothing trusted
//! until checked against a checkpoint the log's and the witness's keys verify.

use std::time::Duration;

use anyhow::{Context, bail};
use futures::{StreamExt, TryStreamExt};
use tyndau_tlog::checkpoint::{self, Verified};
use tyndau_tlog::keys::{CosignatureVerifier, LogVerifier};
use tyndau_tlog::tiles::{TilePath, WIDTH, decode_bundle};
use tyndau_tlog::{Tile, TlogError};

/// Entry bundles fetched at once.
const CONCURRENT_FETCHES: usize = 16;

pub struct RemoteLog {
    pub base: String,
    pub http: reqwest::Client,
    pub log_key: LogVerifier,
    pub witness_key: CosignatureVerifier,
}

impl RemoteLog {
    pub fn new(base: &str, log_key: LogVerifier, witness_key: CosignatureVerifier) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            log_key,
            witness_key,
        })
    }

    pub fn witness_key_name(&self) -> &str {
        signed_note::Verifier::name(&self.witness_key)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        let url = format!("{}/{path}", self.base);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        if !response.status().is_success() {
            bail!("GET {url}: {}", response.status());
        }
        Ok(response
            .bytes()
            .await
            .with_context(|| format!("GET {url}"))?
            .to_vec())
    }

    /// The current checkpoint, with both signatures checked; and its note as served.
    pub async fn checkpoint(&self) -> anyhow::Result<(Verified, Vec<u8>)> {
        let note = self.get("checkpoint").await?;
        let verified = checkpoint::verify(&note, &self.log_key, Some(&self.witness_key))
            .context("the log's checkpoint does not verify")?;
        Ok((verified, note))
    }

    /// The leaves of entry bundle `index`, `width` of them.
    pub async fn bundle(&self, index: u64, width: u64) -> anyhow::Result<Vec<Vec<u8>>> {
        let path = TilePath::entries(index, width).path();
        let bytes = self.get(&path).await?;
        let entries = decode_bundle(&bytes).with_context(|| format!("{path} is not an entry bundle"))?;
        if entries.len() as u64 != width {
            bail!("{path} holds {} entries, not {width}", entries.len());
        }
        Ok(entries.into_iter().map(<[u8]>::to_vec).collect())
    }

    /// Every leaf of a tree of `size`, in order, in bundles.
    pub fn leaves(&self, size: u64) -> impl futures::Stream<Item = anyhow::Result<Vec<Vec<u8>>>> + '_ {
        let bundles = size.div_ceil(WIDTH);
        futures::stream::iter(0..bundles)
            .map(move |n| {
                let width = if (n + 1) * WIDTH <= size {
                    WIDTH
                } else {
                    size - n * WIDTH
                };
                self.bundle(n, width)
            })
            .buffered(CONCURRENT_FETCHES)
            .into_stream()
    }

    /// Hash tiles, fetched from synchronous code (`tlog_tiles`' readers) inside a multi-threaded
    /// runtime.
    pub fn tiles_blocking(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, TlogError> {
        let handle = tokio::runtime::Handle::current();
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                let mut out = Vec::with_capacity(tiles.len());
                for tile in tiles {
                    let path =
                        TilePath::hashes(tile.level(), tile.level_index(), u64::from(tile.width())).path();
                    let data = self
                        .get(&path)
                        .await
                        .map_err(|e| TlogError::InvalidInput(format!("{e:#}")))?;
                    out.push(data);
                }
                Ok(out)
            })
        })
    }
}

/// `tlog_tiles`' tile reader over the remote log: every tile it returns is authenticated by
/// `TileHashReader` against the checkpoint before a hash from it is used.
pub struct RemoteTiles<'a>(pub &'a RemoteLog);

impl tyndau_tlog::TileReader for RemoteTiles<'_> {
    fn height(&self) -> u8 {
        tyndau_tlog::tiles::HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, TlogError> {
        self.0.tiles_blocking(tiles)
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}
