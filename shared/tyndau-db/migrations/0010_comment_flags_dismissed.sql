-- How many flags a moderator has reviewed and left the comment shown: the moderation queue
-- shows a comment while it has more flags than that.
ALTER TABLE consultation_comments ADD COLUMN flags_dismissed integer NOT NULL DEFAULT 0;
CREATE INDEX consultation_comments_flagged ON consultation_comments (flags DESC, posted_at)
    WHERE flags > flags_dismissed AND hidden_at IS NULL;
