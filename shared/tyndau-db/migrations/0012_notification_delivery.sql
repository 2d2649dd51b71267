-- Delivering notifications beyond the inbox: a person's settings, their follows and stops, and
-- the email outbox. Owned by tyndau-read-model. Only `notification_topics` is the projection's
-- (a rebuild empties it); the rest is what people chose and what was sent, which a rebuild keeps.

-- Per person (`recipient` is the citizen's pseudonym). The address is personal data: sealed under
-- the person's own key (`subject_keys`, erased with the rest of their keys), never in clear here.
CREATE TABLE notification_settings (
    recipient       text        PRIMARY KEY,
    language        text        NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    frequency       text        NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    email           jsonb,
    -- `active` once given; `bounced` after a permanent refusal (a 5xx), with the reply in
    -- `email_problem`, until the person gives an address again.
    email_state     text        NOT NULL DEFAULT 'none' CHECK (email_state IN ('none', 'active', 'bounced')),
    email_problem   text,
    -- Digests: the last notification a digest covered, and when it went.
    digest_upto     bigint      NOT NULL DEFAULT 0,
    digest_sent_at  timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_settings_digests ON notification_settings (frequency)
    WHERE frequency IN ('daily', 'weekly') AND email_state = 'active';

-- What a person chose beyond the defaults: to follow a petition, consultation or state body, or
-- to stop hearing about something they are subscribed to.
CREATE TABLE notification_choices (
    recipient  text        NOT NULL,
    subject    text        NOT NULL,
    choice     text        NOT NULL CHECK (choice IN ('follow', 'mute')),
    chosen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (recipient, subject)
);
CREATE INDEX notification_choices_followers ON notification_choices (subject) WHERE choice = 'follow';

-- Which state body a petition or consultation is addressed to, so the body's followers hear of
-- it (the projection's own table).
CREATE TABLE notification_topics (
    subject  text PRIMARY KEY,
    body     text NOT NULL
);

-- The outbox: one row per (event, recipient, channel), written in the fan-out's transaction, so a
-- crash or a replay never queues anything twice. The sender leases due rows (`due_at` moves on),
-- marks them sent, retries temporary failures with backoff and gives up on permanent ones.
CREATE TABLE notification_outbox (
    recipient  text        NOT NULL,
    event_key  text        NOT NULL,
    channel    text        NOT NULL CHECK (channel IN ('email')),
    due_at     timestamptz NOT NULL,
    attempts   integer     NOT NULL DEFAULT 0,
    sent_at    timestamptz,
    failed     text,
    PRIMARY KEY (recipient, event_key, channel)
);
CREATE INDEX notification_outbox_due ON notification_outbox (due_at) WHERE sent_at IS NULL AND failed IS NULL;

-- One-click unsubscribe links already used: a link works once.
CREATE TABLE unsubscribe_links_used (
    link_id  text        PRIMARY KEY,
    used_at  timestamptz NOT NULL DEFAULT now()
);
