//! The log's public face, GET only and cacheable (C2SP tlog-tiles): the checkpoint, hash tiles,
//! entry bundles, and where a receipt's leaf is.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use serde::Serialize;
use tyndau_db::sqlx::PgPool;
use tyndau_http::Problem;
use tyndau_tlog::tiles::{TilePath, encode_bundle};

use crate::store;

#[derive(Clone)]
pub struct LogState {
    pub pool: PgPool,
    /// Publish only cosigned checkpoints (a witness is configured).
    pub witnessed_only: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("no checkpoint has been published yet")]
    NoCheckpoint,
    #[error("not a tile path")]
    BadPath,
    #[error("no such tile")]
    NoTile,
    #[error("not a leaf hash")]
    BadHash,
    #[error("no leaf has this hash")]
    NoLeaf,
    #[error("reading the ledger failed")]
    Database(#[from] tyndau_db::sqlx::Error),
}

impl IntoResponse for LogError {
    fn into_response(self) -> Response {
        let problem = match &self {
            LogError::NoCheckpoint => Problem::new(
                StatusCode::NOT_FOUND,
                "no_checkpoint",
                "No checkpoint has been published yet",
            ),
            LogError::BadPath => Problem::new(StatusCode::NOT_FOUND, "not_a_tile", "Not a tile path")
                .with_detail("tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>] (C2SP tlog-tiles)"),
            LogError::NoTile => Problem::new(StatusCode::NOT_FOUND, "tile_not_found", "No such tile"),
            LogError::BadHash => {
                Problem::new(StatusCode::BAD_REQUEST, "invalid_leaf_hash", "Not a leaf hash")
                    .with_detail("64 hexadecimal digits")
            }
            LogError::NoLeaf => Problem::new(
                StatusCode::NOT_FOUND,
                "leaf_not_found",
                "No leaf has this hash (yet)",
            ),
            LogError::Database(cause) if tyndau_db::is_transient(cause) => {
                Problem::unavailable("ledger unavailable", &self)
            }
            LogError::Database(_) => Problem::internal("ledger query failed", &self),
        };
        problem.into_response()
    }
}

pub fn router(state: LogState) -> Router {
    Router::new()
        .route("/checkpoint", axum::routing::get(checkpoint))
        .route("/tile/{*path}", axum::routing::get(tile))
        .route("/receipts/{leaf_hash}", axum::routing::get(receipt))
        .with_state(state)
}

async fn checkpoint(State(state): State<LogState>) -> Result<Response, LogError> {
    let latest = store::latest_checkpoint(&state.pool, state.witnessed_only)
        .await?
        .ok_or(LogError::NoCheckpoint)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            // Mutable: a client may keep it a few seconds (C2SP tlog-tiles).
            (header::CACHE_CONTROL, "public, max-age=2"),
        ],
        latest.note,
    )
        .into_response())
}

async fn tile(State(state): State<LogState>, Path(path): Path<String>) -> Result<Response, LogError> {
    let tile = TilePath::parse(&format!("tile/{path}")).map_err(|_| LogError::BadPath)?;
    let body = match tile.level {
        Some(level) => {
            let stored = store::tiles(&state.pool, [(level, tile.index)]).await?;
            let hashes = stored.into_values().next().ok_or(LogError::NoTile)?;
            let bytes = tile.width as usize * tyndau_tlog::tiles::HASH_BYTES;
            // A full tile is served only once full; a partial one only as wide as asked.
            if tile.width == tyndau_tlog::tiles::WIDTH && hashes.len() != bytes {
                return Err(LogError::NoTile);
            }
            hashes.get(..bytes).ok_or(LogError::NoTile)?.to_vec()
        }
        None => {
            let range = tile.leaves();
            let leaves = store::leaves(&state.pool, range.start, range.end).await?;
            if leaves.len() as u64 != tile.width {
                return Err(LogError::NoTile);
            }
            encode_bundle(leaves.iter().map(Vec::as_slice))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            // Tiles never change once served at a width (C2SP tlog-tiles).
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize)]
struct ReceiptLocation {
    leaf_index: u64,
}

async fn receipt(State(state): State<LogState>, Path(leaf_hash): Path<String>) -> Result<Response, LogError> {
    let hash = hex::decode(&leaf_hash)
        .ok()
        .filter(|h| h.len() == 32)
        .ok_or(LogError::BadHash)?;
    let leaf_index = store::index_of(&state.pool, &hash)
        .await?
        .ok_or(LogError::NoLeaf)?;
    Ok(axum::Json(ReceiptLocation { leaf_index }).into_response())
}
