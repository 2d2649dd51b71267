-- Telling participants what came of their contribution (the in-app inbox). Owned by the
-- notifications projection (tyndau-read-model), except `notification_reads`, which is what a
-- citizen has read and survives a rebuild.

-- Who hears about what: signing or starting a petition subscribes to it (`petition:<id>`),
-- posting a proposal subscribes to its answers and replies (`comment:<id>`) and to the draft's
-- new versions and report (`consultation:<id>`). `recipient` is the citizen's pseudonym.
CREATE TABLE notification_subscriptions (
    subject    text NOT NULL,
    recipient  text NOT NULL,
    reason     text NOT NULL,
    PRIMARY KEY (subject, recipient)
);
CREATE INDEX notification_subscriptions_recipient ON notification_subscriptions (recipient);

-- One notification per event and recipient: the key is the outbox's, so a redelivery, a replay
-- or a crash mid-batch never notifies anyone twice. `id` orders a recipient's inbox in the order
-- the projector wrote it (one writer, batches in commit order).
CREATE TABLE notifications (
    id           bigserial   NOT NULL UNIQUE,
    recipient    text        NOT NULL,
    event_key    text        NOT NULL,
    kind         text        NOT NULL,
    subject      text        NOT NULL,
    details      jsonb       NOT NULL,
    occurred_at  timestamptz NOT NULL,
    PRIMARY KEY (recipient, event_key)
);
CREATE INDEX notifications_inbox ON notifications (recipient, id DESC);

-- How far each citizen has read their inbox (a notification id).
CREATE TABLE notification_reads (
    recipient    text   PRIMARY KEY,
    read_up_to   bigint NOT NULL
);
