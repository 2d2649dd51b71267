//! The tree as C2SP tlog-tiles: tiles of 256 hashes (height 8), entry bundles of 256 leaves.
//!
//! The appender keeps only the tree's right edge, one partial tile per level ([`Frontier`]);
//! a tile that fills is handed back to be stored, and its subtree hash goes one level up. Every
//! hash a proof or a root needs is then in a stored tile or on the edge, read through
//! [`TileHashes`]; the proofs themselves are `tlog_tiles`'s.

use std::collections::{BTreeMap, BTreeSet};

use tlog_tiles::{Error, Hash, HashReader, Tile};

/// Tile height: 2^8 = 256 hashes or entries per full tile.
pub const HEIGHT: u8 = 8;
pub const WIDTH: u64 = 1 << HEIGHT;
pub const HASH_BYTES: usize = tlog_tiles::HASH_SIZE;
const HASH_SIZE: usize = HASH_BYTES;
const FULL_TILE_BYTES: usize = WIDTH as usize * HASH_SIZE;

/// A tile's place: its level (0 holds leaf hashes) and its index within the level.
pub type TileKey = (u8, u64);

/// A tile's hashes, complete or partial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileData {
    pub level: u8,
    pub index: u64,
    pub hashes: Vec<u8>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TileError {
    #[error("the stored edge of the tree does not fit its size {0}")]
    Edge(u64),
    #[error("not a tile path")]
    Path,
    #[error("an entry bundle is malformed")]
    Bundle,
}

/// The right edge of the tree: everything needed to append and to compute the root.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    size: u64,
    /// `edge[L]`: the hashes of level `L`'s partial tile (never a full one).
    edge: Vec<Vec<u8>>,
}

impl Frontier {
    /// Resumes from the partial tiles stored for a tree of `size` leaves: `tiles` may hold more
    /// (full tiles, wider ones); only the edge is kept, checked against the size.
    pub fn resume(size: u64, tiles: &BTreeMap<TileKey, Vec<u8>>) -> Result<Self, TileError> {
        let mut edge = Vec::new();
        for level in 0..levels(size) {
            let (index, width) = edge_tile(size, level);
            let bytes = width as usize * HASH_SIZE;
            let hashes = if width == 0 {
                Vec::new()
            } else {
                let stored = tiles.get(&(level, index)).ok_or(TileError::Edge(size))?;
                stored.get(..bytes).ok_or(TileError::Edge(size))?.to_vec()
            };
            edge.push(hashes);
        }
        Ok(Self { size, edge })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends one leaf's hash; tiles it completes are pushed onto `completed`.
    pub fn push(&mut self, leaf: Hash, completed: &mut Vec<TileData>) {
        let mut hash = leaf;
        let mut level = 0usize;
        // The position of `hash` among the hashes of its level.
        let mut position = self.size;
        loop {
            if self.edge.len() == level {
                self.edge.push(Vec::with_capacity(FULL_TILE_BYTES));
            }
            let tile = &mut self.edge[level];
            tile.extend_from_slice(&hash.0);
            if tile.len() < FULL_TILE_BYTES {
                break;
            }
            let full = std::mem::take(tile);
            hash = Tile::subtree_hash(&full);
            completed.push(TileData {
                level: level as u8,
                index: position / WIDTH,
                hashes: full,
            });
            position /= WIDTH;
            level += 1;
        }
        self.size += 1;
    }

    /// The partial tiles of the right edge, to store beside the completed ones.
    pub fn edge_tiles(&self) -> Vec<TileData> {
        self.edge
            .iter()
            .enumerate()
            .filter(|(_, hashes)| !hashes.is_empty())
            .map(|(level, hashes)| TileData {
                level: level as u8,
                index: edge_tile(self.size, level as u8).0,
                hashes: hashes.clone(),
            })
            .collect()
    }

    /// The tree's root hash (RFC 6962 `MTH`), from the edge alone.
    pub fn root(&self) -> Hash {
        let tiles: BTreeMap<TileKey, &[u8]> = self
            .edge
            .iter()
            .enumerate()
            .map(|(level, hashes)| {
                (
                    (level as u8, edge_tile(self.size, level as u8).0),
                    hashes.as_slice(),
                )
            })
            .collect();
        // Every subtree of the root's decomposition lies in an edge tile.
        tlog_tiles::tree_hash(self.size, &TileHashes::new(|key| tiles.get(&key).copied()))
            .unwrap_or(tlog_tiles::EMPTY_HASH)
    }
}

/// How many tile levels a tree of `size` leaves has hashes on.
fn levels(size: u64) -> u8 {
    let mut levels = 0;
    while size >> (u32::from(HEIGHT) * u32::from(levels)) > 0 {
        levels += 1;
    }
    levels
}

/// The index and width of level `level`'s partial tile in a tree of `size` leaves.
fn edge_tile(size: u64, level: u8) -> (u64, u64) {
    let hashes = size
        .checked_shr(u32::from(HEIGHT) * u32::from(level))
        .unwrap_or(0);
    (hashes / WIDTH, hashes % WIDTH)
}

/// A [`HashReader`] over tiles found by `lookup(level, index)`: any stored hash is a hash in a
/// tile or a subtree hash of consecutive hashes in one.
pub struct TileHashes<F> {
    lookup: F,
}

impl<'a, F: Fn(TileKey) -> Option<&'a [u8]>> TileHashes<F> {
    pub fn new(lookup: F) -> Self {
        Self { lookup }
    }
}

impl<'a, F: Fn(TileKey) -> Option<&'a [u8]>> HashReader for TileHashes<F> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|&index| {
                let tile = Tile::from_index(HEIGHT, index);
                let data =
                    (self.lookup)((tile.level(), tile.level_index())).ok_or(Error::IndexesNotInTree)?;
                tile.hash_at_index(data, index)
            })
            .collect()
    }
}

/// Records which hashes a computation reads (answering with placeholders): a proof reads the
/// same hashes whatever they are, so a caller can fetch exactly the tiles it needs first.
#[derive(Default)]
pub struct NeededHashes {
    indexes: std::cell::RefCell<BTreeSet<u64>>,
}

impl NeededHashes {
    /// The tiles holding the hashes read so far.
    pub fn tiles(&self) -> BTreeSet<TileKey> {
        self.indexes
            .borrow()
            .iter()
            .map(|&index| {
                let tile = Tile::from_index(HEIGHT, index);
                (tile.level(), tile.level_index())
            })
            .collect()
    }
}

impl HashReader for NeededHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.indexes.borrow_mut().extend(indexes);
        Ok(vec![tlog_tiles::EMPTY_HASH; indexes.len()])
    }
}

/// What a tile path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TilePath {
    /// `None` for an entry bundle.
    pub level: Option<u8>,
    pub index: u64,
    /// 256 for a full tile, else the partial width.
    pub width: u64,
}

impl TilePath {
    pub fn hashes(level: u8, index: u64, width: u64) -> Self {
        Self {
            level: Some(level),
            index,
            width,
        }
    }

    pub fn entries(index: u64, width: u64) -> Self {
        Self {
            level: None,
            index,
            width,
        }
    }

    /// Parses a C2SP path: `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, where `N` is
    /// written in groups of three digits, all but the last prefixed with `x`.
    pub fn parse(path: &str) -> Result<Self, TileError> {
        // tlog_tiles parses Go's sumdb paths, which also name the height. It panics on a width
        // of 0 and a level above 63, so those are refused first.
        if path.len() > 64 || path.rsplit_once(".p/").is_some_and(|(_, w)| w.starts_with('0')) {
            return Err(TileError::Path);
        }
        let sumdb = if let Some(rest) = path.strip_prefix("tile/entries/") {
            format!("tile/{HEIGHT}/data/{rest}")
        } else if let Some(rest) = path.strip_prefix("tile/") {
            let level = rest.split('/').next().and_then(|l| l.parse::<u8>().ok());
            if level.is_none_or(|l| l >= 64) {
                return Err(TileError::Path);
            }
            format!("tile/{HEIGHT}/{rest}")
        } else {
            return Err(TileError::Path);
        };
        let tile = Tile::from_path(&sumdb).map_err(|_| TileError::Path)?;
        let parsed = Self {
            level: (!tile.is_data()).then_some(tile.level()),
            index: tile.level_index(),
            width: u64::from(tile.width()),
        };
        // One spelling per tile: the round trip must give the path back.
        if parsed.path() == path {
            Ok(parsed)
        } else {
            Err(TileError::Path)
        }
    }

    /// The C2SP path.
    pub fn path(&self) -> String {
        let width = u32::try_from(self.width.clamp(1, WIDTH)).unwrap_or(1 << HEIGHT);
        let mut tile = Tile::new(HEIGHT, self.level.unwrap_or(0), self.index, width, false);
        if self.level.is_none() {
            tile.set_is_data();
        }
        let sumdb = tile.path();
        let rest = sumdb.strip_prefix(&format!("tile/{HEIGHT}/")).unwrap_or(&sumdb);
        match rest.strip_prefix("data/") {
            Some(rest) => format!("tile/entries/{rest}"),
            None => format!("tile/{rest}"),
        }
    }

    /// The leaves `[start, end)` an entry bundle (or a level-0 tile) covers.
    pub fn leaves(&self) -> std::ops::Range<u64> {
        let start = self.index * WIDTH;
        start..start + self.width
    }
}

/// An entry bundle: each entry as a big-endian 16-bit length, then its bytes.
pub fn encode_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        let len = u16::try_from(entry.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&entry[..usize::from(len)]);
    }
    out
}

/// The entries of a bundle.
pub fn decode_bundle(mut bytes: &[u8]) -> Result<Vec<&[u8]>, TileError> {
    let mut entries = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_at_checked(2).ok_or(TileError::Bundle)?;
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let (entry, rest) = rest.split_at_checked(len).ok_or(TileError::Bundle)?;
        entries.push(entry);
        bytes = rest;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends `n` leaves, keeping every tile as the ledger would store it.
    fn grow(n: u64) -> (Frontier, BTreeMap<TileKey, Vec<u8>>, Vec<Hash>) {
        let mut frontier = Frontier::default();
        let mut tiles = BTreeMap::new();
        let mut leaves = Vec::new();
        let mut completed = Vec::new();
        for i in 0..n {
            let leaf = tlog_tiles::record_hash(format!("leaf {i}").as_bytes());
            leaves.push(leaf);
            frontier.push(leaf, &mut completed);
        }
        for tile in completed.into_iter().chain(frontier.edge_tiles()) {
            tiles.insert((tile.level, tile.index), tile.hashes);
        }
        (frontier, tiles, leaves)
    }

    /// The root as tlog_tiles computes it from every stored hash (Go's sumdb way).
    fn reference_root(leaves: &[Hash]) -> Hash {
        struct All(Vec<Hash>);
        impl HashReader for All {
            fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
                Ok(indexes.iter().map(|&i| self.0[i as usize]).collect())
            }
        }
        let mut all = All(Vec::new());
        for (n, leaf) in leaves.iter().enumerate() {
            let hashes = tlog_tiles::stored_hashes_for_record_hash(n as u64, *leaf, &all).unwrap();
            all.0.extend(hashes);
        }
        tlog_tiles::tree_hash(leaves.len() as u64, &all).unwrap()
    }

    #[test]
    fn the_edge_gives_the_rfc_6962_root_at_every_size_across_tile_boundaries() {
        for n in [
            0, 1, 2, 3, 255, 256, 257, 511, 512, 513, 65_535, 65_536, 65_537, 70_000,
        ] {
            let (frontier, _, leaves) = grow(n);
            assert_eq!(frontier.root(), reference_root(&leaves), "size {n}");
        }
    }

    #[test]
    fn a_resumed_frontier_continues_the_same_tree() {
        let (whole, _, _) = grow(70_001);
        let (part, tiles, _) = grow(66_000);
        let mut resumed = Frontier::resume(66_000, &tiles).unwrap();
        let mut completed = Vec::new();
        for i in 66_000..70_001u64 {
            resumed.push(
                tlog_tiles::record_hash(format!("leaf {i}").as_bytes()),
                &mut completed,
            );
        }
        assert_eq!(part.size(), 66_000);
        assert_eq!(resumed.root(), whole.root());
        assert_eq!(
            Frontier::resume(66_001, &tiles).unwrap_err(),
            TileError::Edge(66_001)
        );
    }

    #[test]
    fn proofs_from_stored_tiles_verify_and_name_the_tiles_they_need() {
        let (old, _, _) = grow(1_000);
        let (frontier, tiles, leaves) = grow(70_000);
        let reader = TileHashes::new(|key| tiles.get(&key).map(Vec::as_slice));
        let root = frontier.root();

        let proof = tlog_tiles::prove_tree(70_000, 1_000, &reader).unwrap();
        tlog_tiles::check_tree(&proof, 70_000, root, 1_000, old.root()).unwrap();
        let needed = NeededHashes::default();
        tlog_tiles::prove_tree(70_000, 1_000, &needed).unwrap();
        assert!(needed.tiles().iter().all(|key| tiles.contains_key(key)));

        let proof = tlog_tiles::prove_record(70_000, 4_321, &reader).unwrap();
        tlog_tiles::check_record(&proof, 70_000, root, 4_321, leaves[4_321]).unwrap();
        assert!(tlog_tiles::check_record(&proof, 70_000, root, 4_322, leaves[4_321]).is_err());
    }

    #[test]
    fn c2sp_paths_round_trip_and_odd_spellings_are_refused() {
        for (path, parsed) in [
            ("tile/0/000", TilePath::hashes(0, 0, 256)),
            ("tile/1/x001/234.p/5", TilePath::hashes(1, 1_234, 5)),
            ("tile/entries/x002/000", TilePath::entries(2_000, 256)),
            ("tile/entries/007.p/255", TilePath::entries(7, 255)),
        ] {
            assert_eq!(TilePath::parse(path), Ok(parsed), "{path}");
            assert_eq!(parsed.path(), path);
        }
        for bad in [
            "tile/0/1",
            "tile/0/000.p/256",
            "tile/0/000.p/0",
            "tile/x/000",
            "tiles/0/000",
            "tile/0/x000/001",
            "tile/entries/../000",
            "tile/64/000",
            "tile/0/000.p/00",
            "tile/entries/000.p/",
        ] {
            assert_eq!(TilePath::parse(bad), Err(TileError::Path), "{bad}");
        }
    }

    #[test]
    fn bundles_round_trip_and_a_truncated_one_is_refused() {
        let entries: [&[u8]; 3] = [b"a", b"", b"{\"v\":1}"];
        let bundle = encode_bundle(entries);
        assert_eq!(decode_bundle(&bundle).unwrap(), entries);
        assert_eq!(decode_bundle(&bundle[..bundle.len() - 1]), Err(TileError::Bundle));
    }
}
