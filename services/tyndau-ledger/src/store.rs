//! The ledger's tables (migration 0017): the only SQL that names them.

use std::collections::BTreeMap;

use tyndau_db::eventlog::LogPosition;
use tyndau_db::sqlx::{self, PgConnection, PgExecutor};
use tyndau_tlog::Hash;
use tyndau_tlog::tiles::{TileData, TileKey};

const LOG: &str = "main";

/// The tree after the last appended batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeState {
    pub size: u64,
    pub root: Hash,
    /// How far the event log was read.
    pub cursor: LogPosition,
}

fn hash(bytes: Vec<u8>) -> Result<Hash, sqlx::Error> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| sqlx::Error::Decode("a stored hash is not 32 bytes".into()))?;
    Ok(Hash(array))
}

fn size(n: i64) -> Result<u64, sqlx::Error> {
    u64::try_from(n).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The tree's state; `lock` takes its row lock for the caller's transaction.
pub async fn tree(conn: &mut PgConnection, lock: bool) -> Result<TreeState, sqlx::Error> {
    let row: (i64, Vec<u8>, String, i64) = sqlx::query_as(&format!(
        "SELECT size, root, tx_id::text, global_position FROM ledger_tree WHERE log = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    ))
    .bind(LOG)
    .fetch_one(conn)
    .await?;
    Ok(TreeState {
        size: size(row.0)?,
        root: hash(row.1)?,
        cursor: LogPosition {
            tx_id: row.2.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            global_position: row.3,
        },
    })
}

/// Takes the publisher's lock for the caller's transaction, if no other process holds it (the
/// two-key form, apart from the relay's and the projections' locks).
pub async fn lock_publishing(tx: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_xact_lock(hashtext('tyndau ledger'), hashtext('publisher'))")
        .fetch_one(tx)
        .await
}

/// The tiles at `keys` that exist.
pub async fn tiles<'e>(
    executor: impl PgExecutor<'e>,
    keys: impl IntoIterator<Item = TileKey>,
) -> Result<BTreeMap<TileKey, Vec<u8>>, sqlx::Error> {
    let (levels, indexes): (Vec<i16>, Vec<i64>) = keys
        .into_iter()
        .map(|(level, index)| (i16::from(level), index as i64))
        .unzip();
    let rows: Vec<(i16, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT t.level, t.tile_index, t.hashes
           FROM ledger_tiles t
           JOIN UNNEST($1::smallint[], $2::bigint[]) AS k(level, tile_index) USING (level, tile_index)",
    )
    .bind(levels)
    .bind(indexes)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(level, index, hashes)| ((level as u8, index as u64), hashes))
        .collect())
}

/// The leaves, tiles and tree state of one batch, in the caller's transaction.
pub async fn append(
    tx: &mut PgConnection,
    first_index: u64,
    leaves: &[(Vec<u8>, Hash)],
    tiles: &[TileData],
    state: &TreeState,
) -> Result<(), sqlx::Error> {
    if !leaves.is_empty() {
        let indexes: Vec<i64> = (0..leaves.len() as i64).map(|i| first_index as i64 + i).collect();
        let hashes: Vec<&[u8]> = leaves.iter().map(|(_, h)| h.0.as_slice()).collect();
        let data: Vec<&[u8]> = leaves.iter().map(|(d, _)| d.as_slice()).collect();
        sqlx::query(
            "INSERT INTO ledger_leaves (leaf_index, leaf_hash, data)
             SELECT * FROM UNNEST($1::bigint[], $2::bytea[], $3::bytea[])",
        )
        .bind(indexes)
        .bind(hashes)
        .bind(data)
        .execute(&mut *tx)
        .await?;
    }
    if !tiles.is_empty() {
        let levels: Vec<i16> = tiles.iter().map(|t| i16::from(t.level)).collect();
        let indexes: Vec<i64> = tiles.iter().map(|t| t.index as i64).collect();
        let hashes: Vec<&[u8]> = tiles.iter().map(|t| t.hashes.as_slice()).collect();
        // A tile only grows: its stored prefix is what was published.
        sqlx::query(
            "INSERT INTO ledger_tiles (level, tile_index, hashes)
             SELECT * FROM UNNEST($1::smallint[], $2::bigint[], $3::bytea[])
             ON CONFLICT (level, tile_index) DO UPDATE SET hashes = excluded.hashes
              WHERE length(excluded.hashes) > length(ledger_tiles.hashes)
                AND substring(excluded.hashes FROM 1 FOR length(ledger_tiles.hashes)) = ledger_tiles.hashes",
        )
        .bind(levels)
        .bind(indexes)
        .bind(hashes)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE ledger_tree SET size = $2, root = $3, tx_id = $4::text::xid8, global_position = $5 WHERE log = $1",
    )
    .bind(LOG)
    .bind(state.size as i64)
    .bind(state.root.0.as_slice())
    .bind(state.cursor.tx_id.to_string())
    .bind(state.cursor.global_position)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The leaves `[start, end)` that exist, in order.
pub async fn leaves<'e>(
    executor: impl PgExecutor<'e>,
    start: u64,
    end: u64,
) -> Result<Vec<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT data FROM ledger_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index",
    )
    .bind(start as i64)
    .bind(end as i64)
    .fetch_all(executor)
    .await
}

/// The index of the leaf with this hash.
pub async fn index_of<'e>(
    executor: impl PgExecutor<'e>,
    leaf_hash: &[u8],
) -> Result<Option<u64>, sqlx::Error> {
    let index: Option<i64> =
        sqlx::query_scalar("SELECT min(leaf_index) FROM ledger_leaves WHERE leaf_hash = $1")
            .bind(leaf_hash)
            .fetch_one(executor)
            .await?;
    index.map(size).transpose()
}

/// A signed checkpoint.
#[derive(Clone, Debug)]
pub struct SignedCheckpoint {
    pub size: u64,
    pub root: Hash,
    pub note: Vec<u8>,
    pub witnessed: bool,
}

pub async fn save_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    checkpoint: &SignedCheckpoint,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ledger_checkpoints (size, root, note, witnessed) VALUES ($1, $2, $3, $4)
         ON CONFLICT (size) DO UPDATE SET note = excluded.note, witnessed = excluded.witnessed
          WHERE ledger_checkpoints.root = excluded.root AND NOT ledger_checkpoints.witnessed",
    )
    .bind(checkpoint.size as i64)
    .bind(checkpoint.root.0.as_slice())
    .bind(&checkpoint.note)
    .bind(checkpoint.witnessed)
    .execute(executor)
    .await?;
    Ok(())
}

/// The newest checkpoint signed; `witnessed` keeps to cosigned ones.
pub async fn latest_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    witnessed: bool,
) -> Result<Option<SignedCheckpoint>, sqlx::Error> {
    let row: Option<(i64, Vec<u8>, Vec<u8>, bool)> = sqlx::query_as(
        "SELECT size, root, note, witnessed FROM ledger_checkpoints
          WHERE witnessed OR NOT $1 ORDER BY size DESC LIMIT 1",
    )
    .bind(witnessed)
    .fetch_optional(executor)
    .await?;
    row.map(|(s, root, note, witnessed)| {
        Ok(SignedCheckpoint {
            size: size(s)?,
            root: hash(root)?,
            note,
            witnessed,
        })
    })
    .transpose()
}
