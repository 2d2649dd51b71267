-- Keys for personal data sealed inside events (crypto-shredding): deleting a row makes what it
-- sealed unreadable in every stored copy, while the events themselves are never edited.
CREATE TABLE subject_keys (
    petition_id uuid        NOT NULL,
    signer      text        NOT NULL,
    key         bytea       NOT NULL CHECK (length(key) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (petition_id, signer)
);
CREATE INDEX subject_keys_signer ON subject_keys (signer);

-- Names signers chose to show, opened with their keys by the thresholds projector. Erasure and
-- retention delete rows here too (events `PersonalDataErased`, `PetitionAnonymised`).
CREATE TABLE signature_names (
    petition_id  uuid        NOT NULL,
    signer       text        NOT NULL,
    display_name text        NOT NULL,
    signed_at    timestamptz NOT NULL,
    PRIMARY KEY (petition_id, signer)
);
CREATE INDEX signature_names_recent ON signature_names (petition_id, signed_at DESC);

ALTER TABLE petition_view ADD COLUMN anonymised_at timestamptz;
