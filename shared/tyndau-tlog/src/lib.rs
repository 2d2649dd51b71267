//! Tyndau's public transparency log, as data: what a leaf holds, how leaves become C2SP
//! tlog-tiles, how checkpoints are signed and cosigned, and what the witness protocol carries.
//!
//! The tree, the tiles and the proofs are `tlog_tiles`'s (RFC 6962 hashing); notes and their
//! Ed25519 signatures are `signed_note`'s. This crate adds only what those leave to a log: the
//! leaf format, the right edge of the tree kept as tiles, C2SP's tile paths, entry bundles, and
//! the `cosignature/v1` signer. No IO: the ledger service, the witness and the verifier do that.

pub mod checkpoint;
pub mod keys;
pub mod leaf;
pub mod tiles;
pub mod witness;

pub use tlog_tiles::Error as TlogError;
pub use tlog_tiles::{
    Checkpoint, Hash, HashReader, Tile, TileHashReader, TileReader, check_record, check_tree, prove_record,
    prove_tree, record_hash,
};
