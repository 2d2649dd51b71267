-- Webhooks (the Standard Webhooks format) for organisations and media: endpoints people
-- register, and one delivery per (endpoint, event), written in the notifier's transaction.
-- Owned by tyndau-read-model; a rebuild of the notifications projection keeps both.

CREATE TABLE webhook_endpoints (
    endpoint_id     uuid        PRIMARY KEY,
    -- The registering citizen's pseudonym.
    owner           text        NOT NULL,
    url             text        NOT NULL,
    -- `whsec_<base64>`: the receiver checks signatures with it. Shown to the owner once.
    secret          text        NOT NULL,
    -- Subjects (`petition:<id>`, `consultation:<id>`, `body:<id>`); empty: every public event.
    topics          text[]      NOT NULL,
    state           text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    disabled_reason text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner);
CREATE INDEX webhook_endpoints_topics ON webhook_endpoints USING gin (topics) WHERE state = 'active';

-- The delivery log: what was sent where, how it went.
CREATE TABLE webhook_deliveries (
    endpoint_id   uuid        NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    event_key     text        NOT NULL,
    -- `webhook-id`: the same on every attempt, so a receiver drops a repeat.
    message_id    text        NOT NULL,
    kind          text        NOT NULL,
    payload       jsonb       NOT NULL,
    due_at        timestamptz NOT NULL,
    attempts      integer     NOT NULL DEFAULT 0,
    delivered_at  timestamptz,
    failed_at     timestamptz,
    last_status   integer,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (endpoint_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
