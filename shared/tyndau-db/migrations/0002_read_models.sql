-- Read models built by the projectors. Everything here can be dropped and rebuilt from `events`.

-- Per projector: the last applied commit position (for lag and for rebuilds).
CREATE TABLE projector_checkpoint (
    projector       text        PRIMARY KEY,
    tx_id           xid8        NOT NULL,
    global_position bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per petition: the public catalogue entry and its lifecycle.
CREATE TABLE petition_view (
    petition_id        uuid        PRIMARY KEY,
    last_sequence      bigint      NOT NULL,
    status             text        NOT NULL,
    author             text        NOT NULL,
    addressee_body     text        NOT NULL,
    level              text        NOT NULL,
    region             text,
    content            jsonb       NOT NULL,
    search             tsvector    NOT NULL,
    drafted_at         timestamptz NOT NULL,
    submitted_at       timestamptz,
    moderation_due     timestamptz,
    published_at       timestamptz,
    closes_at          timestamptz,
    threshold          integer,
    startup_signatures integer,
    startup_due        timestamptz,
    listed_at          timestamptz,
    threshold_reached_at timestamptz,
    answer_due         timestamptz,
    answer_overdue_at  timestamptz,
    answer             jsonb,
    answered_at        timestamptz,
    rejection          jsonb,
    stop               jsonb,
    closed_at          timestamptz,
    final_count        integer,
    closing_outcome    text,
    archived_at        timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX petition_view_listing ON petition_view (status, published_at DESC, petition_id);
CREATE INDEX petition_view_search ON petition_view USING gin (search);
CREATE INDEX petition_view_addressee ON petition_view (addressee_body);

-- The public history of each petition.
CREATE TABLE petition_timeline (
    petition_id uuid        NOT NULL,
    sequence    bigint      NOT NULL,
    event_type  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    details     jsonb       NOT NULL,
    PRIMARY KEY (petition_id, sequence)
);

-- One row per (petition, signer): the natural key that makes counting idempotent under
-- redelivery and reordering. `recorded = false` is a withdrawal that arrived first.
CREATE TABLE signature_tally (
    petition_id  uuid        NOT NULL,
    signer       text        NOT NULL,
    region       text,
    signed_at    timestamptz,
    recorded     boolean     NOT NULL,
    withdrawn_at timestamptz,
    PRIMARY KEY (petition_id, signer)
);

CREATE TABLE petition_counts (
    petition_id uuid        PRIMARY KEY,
    signatures  bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE petition_region_counts (
    petition_id uuid   NOT NULL,
    region      text   NOT NULL,
    signatures  bigint NOT NULL,
    PRIMARY KEY (petition_id, region)
);

-- Signatures per hour of signing (net of withdrawals, by the hour of the original signature).
CREATE TABLE petition_hourly (
    petition_id uuid        NOT NULL,
    hour        timestamptz NOT NULL,
    signatures  bigint      NOT NULL,
    PRIMARY KEY (petition_id, hour)
);
