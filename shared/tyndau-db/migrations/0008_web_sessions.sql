-- A citizen's own petitions, for "My page" (the author is their pseudonym).
CREATE INDEX petition_view_author ON petition_view (author, drafted_at DESC);

-- The web front's server-side sessions (tower-sessions' PostgreSQL store, in its own schema
-- and with its own table layout). A row holds one signed-in browser: the principal, the
-- provider's tokens (never sent to the browser), the anti-forgery token. Rows expire on
-- inactivity and are swept by the web front.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          text        PRIMARY KEY NOT NULL,
    data        bytea       NOT NULL,
    expiry_date timestamptz NOT NULL
);
