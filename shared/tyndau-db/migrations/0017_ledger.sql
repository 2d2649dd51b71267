-- The public transparency log (tyndau-ledger, ADR 0018). Append-only: a leaf, a full tile and a
-- published checkpoint are never changed; only the right edge's partial tiles grow.

-- One leaf per logged event, in commit order; `data` is the leaf as published (proto-docs/ledger).
CREATE TABLE ledger_leaves (
    leaf_index bigint PRIMARY KEY,
    leaf_hash bytea NOT NULL,
    data bytea NOT NULL
);
-- A receipt names its leaf by hash.
CREATE INDEX ledger_leaves_by_hash ON ledger_leaves (leaf_hash);

-- C2SP tlog-tiles hash tiles (256 hashes of 32 bytes when full).
CREATE TABLE ledger_tiles (
    level smallint NOT NULL,
    tile_index bigint NOT NULL,
    hashes bytea NOT NULL,
    PRIMARY KEY (level, tile_index)
);

-- The tree after the last appended batch, and how far the event log was read for it. One row,
-- locked by every append, so two ledger processes never append from the same state.
CREATE TABLE ledger_tree (
    log text PRIMARY KEY,
    size bigint NOT NULL,
    root bytea NOT NULL,
    tx_id xid8 NOT NULL,
    global_position bigint NOT NULL
);
INSERT INTO ledger_tree (log, size, root, tx_id, global_position)
VALUES ('main', 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), '0', 0);

-- Every checkpoint the log signed, with the witness's cosignature when it has one.
CREATE TABLE ledger_checkpoints (
    size bigint PRIMARY KEY,
    root bytea NOT NULL,
    note bytea NOT NULL,
    witnessed boolean NOT NULL,
    signed_at timestamptz NOT NULL DEFAULT now()
);
