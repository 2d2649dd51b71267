-- The batch a relay is publishing, written before it publishes: whoever publishes next (the same
-- relay after a failure, or a standby taking over) republishes exactly that batch first, packed
-- into the same messages with the same Nats-Msg-Ids, so JetStream's duplicate window drops every
-- copy that arrives twice, including copies still in flight from the failed attempt (ADR 0016).
ALTER TABLE relay_checkpoint
    ADD COLUMN publishing_tx_id xid8,
    ADD COLUMN publishing_position bigint;
