-- The signature gate now opens and shuts in the petition store's commit (tyndau-store,
-- petitions.rs), from the typed petition state: the trigger read the events' JSON past the
-- upcasters and kept a second copy of the rule.
DROP TRIGGER events_signature_gate ON events;
DROP FUNCTION signature_gate_follow_petition();
