-- A citizen lists their own signatures: look them up by pseudonym.
CREATE INDEX signature_tally_signer ON signature_tally (signer) WHERE recorded;
