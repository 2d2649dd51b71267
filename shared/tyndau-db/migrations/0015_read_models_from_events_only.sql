-- Read models hold only what the events say, so a rebuild equals the live tables row for row
-- (ADR 0004; `just chaos` compares them). The projection-time columns broke that:
-- petition_counts.updated_at and consultation_view.updated_at were written with now() and read
-- by nothing. petition_view.updated_at (the archiving rule's "30 days after the last change")
-- stays, now written by the projector with the time of the last event applied.
ALTER TABLE petition_counts DROP COLUMN updated_at;
ALTER TABLE consultation_view DROP COLUMN updated_at;
