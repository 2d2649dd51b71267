-- The event store. Columns 1-7 are exactly postgres-es 0.5.0's schema, so its repository reads and
-- writes this table unchanged; the two extra columns give a gap-safe commit order for the relay:
-- a transaction's rows become visible to the relay only once its xid is below every running
-- transaction's (pg_snapshot_xmin), so out-of-order commits cannot be skipped.
CREATE TABLE events (
    aggregate_type  text   NOT NULL,
    aggregate_id    text   NOT NULL,
    sequence        bigint NOT NULL CHECK (sequence >= 0),
    event_type      text   NOT NULL,
    event_version   text   NOT NULL,
    payload         json   NOT NULL,
    metadata        json   NOT NULL,
    global_position bigint GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8   NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);
CREATE INDEX events_commit_order ON events (tx_id, global_position);

-- Required by postgres-es's repository type; never written (snapshots in cqrs-es 0.5.0 apply
-- events twice, so we run in event-store mode only).
CREATE TABLE snapshots (
    aggregate_type   text   NOT NULL,
    aggregate_id     text   NOT NULL,
    last_sequence    bigint NOT NULL CHECK (last_sequence >= 0),
    current_snapshot bigint NOT NULL CHECK (current_snapshot >= 0),
    payload          json   NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);

-- The events are the archive: nobody edits or deletes them.
CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_immutable();

-- Where the relay has published up to, in commit order.
CREATE TABLE relay_checkpoint (
    relay           text        PRIMARY KEY,
    tx_id           xid8        NOT NULL,
    global_position bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The signature gate: one row per published petition. Signature batches lock it (FOR UPDATE),
-- so closing it serialises with in-flight signatures, and its count is the exact number of
-- standing signatures, updated once per batch (never once per signature).
CREATE TABLE signature_gate (
    petition_id  uuid        PRIMARY KEY,
    open         boolean     NOT NULL,
    closes_at    timestamptz NOT NULL,
    scope_region text,
    signatures   bigint      NOT NULL DEFAULT 0 CHECK (signatures >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Opening the gate is part of the transaction that publishes the petition, and a close or stop
-- shuts it in the same transaction as its event: no window where the two disagree.
CREATE FUNCTION signature_gate_follow_petition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event_type = 'PetitionPublished' THEN
        INSERT INTO signature_gate (petition_id, open, closes_at, scope_region)
        SELECT NEW.aggregate_id::uuid, true,
               (NEW.payload -> 'PetitionPublished' ->> 'closes_at')::timestamptz,
               d.payload -> 'PetitionDrafted' -> 'addressee' ->> 'region'
          FROM events d
         WHERE d.aggregate_type = 'petition' AND d.aggregate_id = NEW.aggregate_id AND d.sequence = 1
        ON CONFLICT (petition_id) DO NOTHING;
    ELSIF NEW.event_type IN ('PetitionClosed', 'PetitionStopped') THEN
        UPDATE signature_gate SET open = false, updated_at = now()
         WHERE petition_id = NEW.aggregate_id::uuid AND open;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER events_signature_gate AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.aggregate_type = 'petition'
                       AND NEW.event_type IN ('PetitionPublished', 'PetitionClosed', 'PetitionStopped'))
    EXECUTE FUNCTION signature_gate_follow_petition();
