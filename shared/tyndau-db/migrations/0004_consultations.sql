-- Read models of public consultations, built by the consultations projector. Rebuildable from
-- `events` like every read model.

-- One row per consultation: the catalogue entry, its lifecycle and its running totals.
CREATE TABLE consultation_view (
    consultation_id     uuid        PRIMARY KEY,
    last_sequence       bigint      NOT NULL,
    status              text        NOT NULL,
    body                text        NOT NULL,
    content             jsonb       NOT NULL,
    search              tsvector    NOT NULL,
    current_version     integer     NOT NULL,
    drafted_at          timestamptz NOT NULL,
    opened_at           timestamptz,
    closes_at           timestamptz,
    answers_due         timestamptz,
    closed_at           timestamptz,
    closed_by           text,
    report_published_at timestamptz,
    report_summary      jsonb,
    final_version       integer,
    comments            bigint      NOT NULL DEFAULT 0,
    proposals           bigint      NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultation_view_listing ON consultation_view (status, opened_at DESC, consultation_id);
CREATE INDEX consultation_view_closing ON consultation_view (closes_at) WHERE status = 'open';
CREATE INDEX consultation_view_body ON consultation_view (body);
CREATE INDEX consultation_view_search ON consultation_view USING gin (search);

CREATE TABLE consultation_versions (
    consultation_id uuid        NOT NULL,
    version         integer     NOT NULL,
    published_at    timestamptz NOT NULL,
    changes         jsonb       NOT NULL,
    PRIMARY KEY (consultation_id, version)
);

-- Every provision of every version, in reading order.
CREATE TABLE consultation_provisions (
    consultation_id uuid    NOT NULL,
    version         integer NOT NULL,
    ordinal         integer NOT NULL,
    path            text    NOT NULL,
    heading         jsonb   NOT NULL,
    text            jsonb   NOT NULL,
    PRIMARY KEY (consultation_id, version, ordinal),
    UNIQUE (consultation_id, version, path)
);

-- One row per comment. `anchor_path` is NULL for the whole draft and for orphaned comments
-- (`anchor_method = 'orphaned'`). `author_key` is a citizen's pseudonym, for "my comments"
-- only: public queries never select it.
CREATE TABLE consultation_comments (
    comment_id        uuid        PRIMARY KEY,
    consultation_id   uuid        NOT NULL,
    last_sequence     bigint      NOT NULL,
    parent_id         uuid,
    thread_id         uuid        NOT NULL,
    depth             smallint    NOT NULL,
    author_kind       text        NOT NULL,
    author_key        text,
    organisation      text,
    channel           text        NOT NULL,
    region            text,
    language          text        NOT NULL,
    text              text        NOT NULL,
    posted_at         timestamptz NOT NULL,
    edited_at         timestamptz,
    edits             integer     NOT NULL DEFAULT 0,
    hidden_at         timestamptz,
    hide_reason       text,
    hide_explanation  text,
    anchor_version    integer     NOT NULL,
    anchor_path       text,
    quote             text,
    anchor_method     text        NOT NULL,
    anchor_confidence smallint    NOT NULL,
    replies           integer     NOT NULL DEFAULT 0,
    agree             integer     NOT NULL DEFAULT 0,
    disagree          integer     NOT NULL DEFAULT 0,
    flags             integer     NOT NULL DEFAULT 0,
    disposition       text,
    answer_reason     jsonb,
    changed_version   integer,
    changed_path      text,
    duplicate_of      uuid,
    answered_at       timestamptz,
    answers           integer     NOT NULL DEFAULT 0
);
-- Threads of one provision (or of the whole draft), oldest first: keyset paging on an index.
CREATE INDEX consultation_comments_threads
    ON consultation_comments (consultation_id, anchor_path, posted_at, comment_id) WHERE depth = 0;
CREATE INDEX consultation_comments_proposals
    ON consultation_comments (consultation_id, posted_at, comment_id) WHERE depth = 0;
CREATE INDEX consultation_comments_replies
    ON consultation_comments (thread_id, posted_at, comment_id) WHERE depth > 0;
CREATE INDEX consultation_comments_author ON consultation_comments (author_key) WHERE author_key IS NOT NULL;
-- The re-anchoring process manager looks for proposals behind the current version.
CREATE INDEX consultation_comments_anchor_version
    ON consultation_comments (consultation_id, anchor_version) WHERE depth = 0;

-- Proposals per provision path ('' is the whole draft), maintained per batch.
CREATE TABLE consultation_provision_counts (
    consultation_id uuid   NOT NULL,
    path            text   NOT NULL,
    proposals       bigint NOT NULL,
    PRIMARY KEY (consultation_id, path)
);

-- The public history of answers (a changed answer is a new row), of edits (earlier wordings)
-- and of re-anchoring.
CREATE TABLE comment_answers (
    comment_id      uuid        NOT NULL,
    sequence        bigint      NOT NULL,
    by_body         text        NOT NULL,
    disposition     text        NOT NULL,
    reason          jsonb       NOT NULL,
    changed_version integer,
    changed_path    text,
    duplicate_of    uuid,
    answered_at     timestamptz NOT NULL,
    PRIMARY KEY (comment_id, sequence)
);

CREATE TABLE comment_edits (
    comment_id    uuid        NOT NULL,
    sequence      bigint      NOT NULL,
    previous_text text        NOT NULL,
    edited_at     timestamptz NOT NULL,
    PRIMARY KEY (comment_id, sequence)
);

CREATE TABLE comment_anchorings (
    comment_id   uuid        NOT NULL,
    sequence     bigint      NOT NULL,
    from_version integer     NOT NULL,
    from_path    text,
    to_version   integer     NOT NULL,
    to_path      text,
    method       text        NOT NULL,
    confidence   smallint    NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (comment_id, sequence)
);

-- One row per (comment, citizen) reaction aggregate: the last applied stance, so a stance
-- change moves the counters exactly once.
CREATE TABLE comment_reactions (
    reaction_id   text   PRIMARY KEY,
    comment_id    uuid   NOT NULL,
    last_sequence bigint NOT NULL,
    stance        text   NOT NULL,
    flagged       boolean NOT NULL
);
