-- A petition's signers hear about it without a subscription row per signature (ADR 0014): the
-- notifications projection reads them from the log at fan-out time, in log order.

-- Aggregate ids compared byte by byte: a petition's signature aggregates (`<petition>:<signer>`,
-- `;` being the byte after `:`) are then one range of the primary key whatever the database's locale, and every insert's key
-- comparison is a memcmp instead of strcoll. Only the indexes are rebuilt, the rows stay.
ALTER TABLE events ALTER COLUMN aggregate_id TYPE text COLLATE "C";

-- A petition's signers as of a place in the log (commit order, as the relay and the projections
-- read it): each of its signature aggregates whose latest event up to there is a recording, with
-- where that recording is. Withdrawn and invalidated signatures are not signers. Event types are
-- contracts (renamed only by a new version beside the old), so the names are safe here.
CREATE FUNCTION petition_signers_as_of(petition text, upto_tx xid8, upto_position bigint)
RETURNS TABLE (signer text, tx_id xid8, global_position bigint)
LANGUAGE sql STABLE AS $$
    SELECT split_part(s.aggregate_id, ':', 2), s.tx_id, s.global_position
      FROM (SELECT DISTINCT ON (aggregate_id) aggregate_id, event_type, tx_id, global_position
              FROM events
             WHERE aggregate_type = 'signature'
               AND aggregate_id >= petition || ':' AND aggregate_id < petition || ';'
               AND (tx_id, global_position) <= (upto_tx, upto_position)
             -- Both descending: the primary key read backwards, no sort.
             ORDER BY aggregate_id DESC, sequence DESC) s
     WHERE s.event_type = 'SignatureRecorded'
$$;

-- What the log now answers.
DELETE FROM notification_subscriptions WHERE reason = 'signed';

-- Erased people, and where in the log: a signature made before the erasure reaches nobody; one
-- made after it (the person came back) does. The notifications projection's own table.
CREATE TABLE notification_erased (
    recipient        text   PRIMARY KEY,
    tx_id            xid8   NOT NULL,
    global_position  bigint NOT NULL,
    erased_at        timestamptz NOT NULL
);
