-- The client network each signature came from (from the event metadata, a /24 or /48 prefix),
-- so a moderator can find a fraud wave by network and time window.
ALTER TABLE signature_tally ADD COLUMN origin text;
CREATE INDEX signature_tally_window ON signature_tally (petition_id, signed_at) WHERE recorded;
