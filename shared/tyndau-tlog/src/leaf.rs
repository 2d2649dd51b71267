//! What one leaf of the log holds: one public event, in its public form.
//!
//! - Petition and consultation events carry their payload (`data`), except the ones that are
//!   not public when they happen (a petition's draft, its submission and a rejection, a
//!   consultation's draft): those carry only a SHA-256 `digest` of the payload, which commits
//!   to the text without publishing what a moderator may have refused.
//! - A signature, withdrawal or invalidation carries a `commitment` and no person: not the IIN,
//!   not the name, not the pseudonym (which is the same on every petition a person signs).
//!   The commitment is SHA-256 over the petition and a secret derived per signature from a key
//!   only the platform holds; the signer's receipt reveals the secret. Nobody else can tell whose
//!   it is or link two petitions' commitments, and erasing a person changes nothing here.
//!
//! A leaf is the compact JSON of [`Leaf`], written once; readers parse it and never re-encode.
//! The documented shape is generated into `proto-docs/ledger/` (see `schema`).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tyndau_ids::SignatureId;

/// The leaf format's version.
pub const VERSION: u8 = 1;

/// Aggregate types whose events are logged.
pub const PETITION: &str = "petition";
pub const SIGNATURE: &str = "signature";
pub const CONSULTATION: &str = "consultation";
pub const LOGGED_AGGREGATES: [&str; 3] = [PETITION, SIGNATURE, CONSULTATION];

/// Events logged by digest only: not public when they happen.
const DIGEST_ONLY: [&str; 4] = [
    "PetitionDrafted",
    "PetitionSubmitted",
    "PetitionRejected",
    "ConsultationDrafted",
];

/// The signature events, as a petition's count reads them.
pub const SIGNED: &str = "SignatureRecorded";
pub const WITHDRAWN: &str = "SignatureWithdrawn";
pub const INVALIDATED: &str = "SignatureInvalidated";

/// One leaf. Field order is the encoding's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Leaf {
    /// The leaf format's version: 1.
    pub v: u8,
    /// `petition`, `signature` or `consultation`.
    pub aggregate: String,
    /// The petition's or consultation's id; for a signature event, the petition's.
    pub id: String,
    /// The event's sequence within its aggregate.
    pub seq: u64,
    /// The event type, e.g. `PetitionPublished` or `SignatureRecorded`.
    pub event: String,
    /// The event's schema version (see `proto-docs/events/`).
    pub version: String,
    /// Signature events: hex SHA-256 of the commitment's opening (see [`commitment`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
    /// Events not public when they happen: hex SHA-256 of the payload's JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Public events: the payload, as in the event schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// An event as the log receives it (in its current version).
#[derive(Debug)]
pub struct LoggedEvent<'a> {
    pub aggregate_type: &'a str,
    pub aggregate_id: &'a str,
    pub sequence: u64,
    pub event_type: &'a str,
    pub event_version: &'a str,
    /// The payload, externally tagged (`{"<EventType>": {...}}`) or bare.
    pub payload: &'a serde_json::Value,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LeafError {
    #[error("a signature event's aggregate id is not `<petition>:<signer>`")]
    SignatureId,
}

/// The secret behind one signature's commitment: HMAC-SHA256 under the platform's receipt key of
/// the signature's id. Derived, not stored, so the command API and the log agree without sharing
/// a table, and a receipt can be shown again at any time.
pub fn receipt_secret(receipt_key: &[u8], signature: &SignatureId) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(receipt_key).expect("HMAC takes keys of any length");
    mac.update(b"tyndau receipt v1\n");
    mac.update(signature.to_string().as_bytes());
    mac.finalize().into_bytes().into()
}

/// SHA-256 of `tyndau signature v1\n<petition>\n<hex secret>`: what a signature event's leaf holds.
pub fn commitment(petition: &str, secret: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"tyndau signature v1\n")
        .chain_update(petition.as_bytes())
        .chain_update(b"\n")
        .chain_update(hex::encode(secret).as_bytes())
        .finalize()
        .into()
}

/// The leaf of a logged event, or `None` for events the log does not hold.
pub fn leaf_of(event: &LoggedEvent<'_>, receipt_key: &[u8]) -> Result<Option<Leaf>, LeafError> {
    if !LOGGED_AGGREGATES.contains(&event.aggregate_type) {
        return Ok(None);
    }
    let inner = event
        .payload
        .get(event.event_type)
        .unwrap_or(event.payload)
        .clone();
    let mut leaf = Leaf {
        v: VERSION,
        aggregate: event.aggregate_type.to_owned(),
        id: event.aggregate_id.to_owned(),
        seq: event.sequence,
        event: event.event_type.to_owned(),
        version: event.event_version.to_owned(),
        commitment: None,
        digest: None,
        data: None,
    };
    if event.aggregate_type == SIGNATURE {
        let signature: SignatureId = event.aggregate_id.parse().map_err(|_| LeafError::SignatureId)?;
        leaf.id = signature.petition.to_string();
        let secret = receipt_secret(receipt_key, &signature);
        leaf.commitment = Some(hex::encode(commitment(&leaf.id, &secret)));
    } else if DIGEST_ONLY.contains(&event.event_type) {
        let json = serde_json::to_vec(&inner).unwrap_or_default();
        leaf.digest = Some(hex::encode(Sha256::digest(json)));
    } else {
        leaf.data = Some(inner);
    }
    Ok(Some(leaf))
}

impl Leaf {
    /// The bytes the log stores and hashes.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The leaf a signer's receipt stands for: what the log must hold at the receipt's index.
    pub fn of_signature(petition: &str, seq: u64, event: &str, version: &str, secret: &[u8; 32]) -> Self {
        Leaf {
            v: VERSION,
            aggregate: SIGNATURE.to_owned(),
            id: petition.to_owned(),
            seq,
            event: event.to_owned(),
            version: version.to_owned(),
            commitment: Some(hex::encode(commitment(petition, secret))),
            digest: None,
            data: None,
        }
    }
}

/// A signer's receipt: what lets them, and only them, find their signature in the log and
/// prove it is there. `tyndau-verify receipt` takes it as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub petition_id: String,
    /// The signature event the leaf is (`SignatureRecorded`).
    pub event: String,
    /// That event's schema version when logged.
    pub version: String,
    pub seq: u64,
    /// Hex; opens the leaf's commitment. Whoever holds it can tell the leaf is this signature.
    pub secret: String,
    /// Hex SHA-256 leaf hash (RFC 6962) of the leaf.
    pub leaf_hash: String,
    /// The leaf's place in the log, once logged (the log's `receipts/<leaf hash>` tells it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_index: Option<u64>,
}

impl Receipt {
    /// The receipt of a signature's first event (a signature is recorded once: sequence 1).
    pub fn of_signature(receipt_key: &[u8], signature: &SignatureId, version: &str) -> Self {
        let secret = receipt_secret(receipt_key, signature);
        let petition = signature.petition.to_string();
        let leaf = Leaf::of_signature(&petition, 1, SIGNED, version, &secret);
        Self {
            petition_id: petition,
            event: SIGNED.to_owned(),
            version: version.to_owned(),
            seq: 1,
            secret: hex::encode(secret),
            leaf_hash: hex::encode(tlog_tiles::record_hash(&leaf.encode()).0),
            leaf_index: None,
        }
    }

    /// The leaf the receipt stands for, if its secret is well-formed.
    pub fn leaf(&self) -> Option<Leaf> {
        let secret: [u8; 32] = hex::decode(self.secret.trim()).ok()?.try_into().ok()?;
        Some(Leaf::of_signature(
            &self.petition_id,
            self.seq,
            &self.event,
            &self.version,
            &secret,
        ))
    }
}

/// `proto-docs/ledger/README.md`: the leaf format and how to check it, from the constants above.
pub fn readme() -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "# The transparency log's leaves (generated; do not edit)

Tyndau's public log (ADR 0018) holds one leaf per public event, in the commit order of the
event store. A leaf is the compact JSON of [`leaf.v1.json`](leaf.v1.json), stored and hashed
as served: leaf hash = SHA-256(0x00 || leaf bytes) (RFC 6962). Readers parse leaves; nobody
re-encodes them.

- Logged aggregates: {aggregates}. Comments, reactions and privacy events are not logged.
- Events logged by `digest` only (SHA-256 of the payload's JSON), because they are not public
  when they happen: {digest_only}.
- Every other petition and consultation event carries its payload as `data`, in the version
  named by `version` (schemas in `../events/`).
- Signature events ({signed}, {withdrawn}, {invalidated}) carry `id` = the petition and
  `commitment` = hex SHA-256 of `tyndau signature v1\\n<petition id>\\n<hex secret>`, where the
  secret is HMAC-SHA256 under the platform's receipt key of `tyndau receipt v1\\n<petition>:<signer
  pseudonym>`. No IIN, name, region or pseudonym is in a leaf; one person's commitments on two
  petitions are unrelated; the signer's receipt carries the secret.
- A petition's count is, over its signature leaves: {signed} - {withdrawn} - {invalidated}.

## Where it is served (C2SP tlog-tiles, GET only)

- `checkpoint`: C2SP tlog-checkpoint as a C2SP signed note, signed by the log (Ed25519) and
  cosigned by its witness (C2SP tlog-cosignature `cosignature/v1`).
- `tile/<L>/<N>[.p/<W>]`: hash tiles of height 8; `tile/entries/<N>[.p/<W>]`: entry bundles,
  each leaf preceded by its length as a big-endian 16-bit number.
- `receipts/<leaf hash hex>`: `{{\"leaf_index\": N}}`, to find a receipt's leaf.

`tyndau-verify` checks all of this from outside with the log's and the witness's public keys.
",
        aggregates = list(&LOGGED_AGGREGATES),
        digest_only = list(&DIGEST_ONLY),
        signed = format!("`{SIGNED}`"),
        withdrawn = format!("`{WITHDRAWN}`"),
        invalidated = format!("`{INVALIDATED}`"),
    )
}

/// The JSON Schema of a leaf, for `proto-docs/ledger/leaf.schema.json`.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Leaf)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PETITION_ID: &str = "0196a000-0000-7000-8000-000000000001";

    fn signature_event(signer: &str) -> (String, serde_json::Value) {
        (
            format!("{PETITION_ID}:{signer}"),
            json!({"SignatureRecorded": {"petition_id": PETITION_ID, "signer": signer, "region": "almaty"}}),
        )
    }

    fn logged<'a>(
        aggregate_type: &'a str,
        id: &'a str,
        event_type: &'a str,
        payload: &'a serde_json::Value,
    ) -> LoggedEvent<'a> {
        LoggedEvent {
            aggregate_type,
            aggregate_id: id,
            sequence: 1,
            event_type,
            event_version: "1.1",
            payload,
        }
    }

    #[test]
    fn a_signature_leaf_names_nobody_and_opens_with_the_receipts_secret() {
        let signer = "a".repeat(64);
        let (id, payload) = signature_event(&signer);
        let leaf = leaf_of(&logged(SIGNATURE, &id, SIGNED, &payload), b"key")
            .unwrap()
            .unwrap();
        let text = String::from_utf8(leaf.encode()).unwrap();
        assert!(!text.contains(&signer), "the pseudonym leaked: {text}");
        assert!(!text.contains("almaty"), "the region leaked: {text}");
        assert_eq!(leaf.id, PETITION_ID);
        let secret = receipt_secret(b"key", &id.parse().unwrap());
        assert_eq!(Leaf::of_signature(PETITION_ID, 1, SIGNED, "1.1", &secret), leaf);
        let receipt = Receipt::of_signature(b"key", &id.parse().unwrap(), "1.1");
        assert_eq!(receipt.leaf(), Some(leaf.clone()));
        assert_eq!(
            receipt.leaf_hash,
            hex::encode(tlog_tiles::record_hash(&leaf.encode()).0)
        );
    }

    #[test]
    fn one_persons_commitments_on_two_petitions_do_not_match() {
        let signer = "b".repeat(64);
        let other = "0196a000-0000-7000-8000-000000000002";
        let secret_here = receipt_secret(b"key", &format!("{PETITION_ID}:{signer}").parse().unwrap());
        let secret_there = receipt_secret(b"key", &format!("{other}:{signer}").parse().unwrap());
        assert_ne!(secret_here, secret_there);
        assert_ne!(
            commitment(PETITION_ID, &secret_here),
            commitment(other, &secret_there)
        );
        // Another key (another deployment) gives other secrets for the same signature.
        assert_ne!(
            secret_here,
            receipt_secret(b"other key", &format!("{PETITION_ID}:{signer}").parse().unwrap())
        );
    }

    #[test]
    fn drafts_are_logged_by_digest_and_public_events_with_their_data() {
        let draft = json!({"PetitionDrafted": {"author": "c".repeat(64), "content": {"kk": "мәтін"}}});
        let leaf = leaf_of(&logged(PETITION, PETITION_ID, "PetitionDrafted", &draft), b"k")
            .unwrap()
            .unwrap();
        assert!(leaf.data.is_none());
        assert_eq!(leaf.digest.as_ref().map(String::len), Some(64));
        assert!(!String::from_utf8(leaf.encode()).unwrap().contains("мәтін"));

        let published = json!({"PetitionPublished": {"threshold": 50000}});
        let leaf = leaf_of(
            &logged(PETITION, PETITION_ID, "PetitionPublished", &published),
            b"k",
        )
        .unwrap()
        .unwrap();
        assert_eq!(leaf.data, Some(json!({"threshold": 50000})));
        assert_eq!(Leaf::decode(&leaf.encode()).unwrap(), leaf);
    }

    #[test]
    fn comments_reactions_and_privacy_events_are_not_logged() {
        let payload = json!({});
        for aggregate in ["comment", "comment_reaction", "privacy"] {
            assert_eq!(leaf_of(&logged(aggregate, "x", "Any", &payload), b"k"), Ok(None));
        }
        assert_eq!(
            leaf_of(&logged(SIGNATURE, "not a signature id", SIGNED, &payload), b"k"),
            Err(LeafError::SignatureId)
        );
    }
}
