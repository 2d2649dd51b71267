-- A consultation's comments, straight from the event store (by whatever collation the cluster
-- uses): counting the unanswered proposals before the outcome report must not depend on a
-- projector having caught up.
CREATE INDEX events_comments_by_consultation ON events (left(aggregate_id, 36))
    WHERE aggregate_type = 'comment';
