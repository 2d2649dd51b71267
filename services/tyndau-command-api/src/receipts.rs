//! Signers' receipts for the transparency log (ADR 0018): derived from the signature's id under
//! the receipt key the ledger holds too, so nothing is stored and a receipt can be shown again.

use anyhow::Context;
use secrecy::{ExposeSecret, SecretSlice};
use serde::Serialize;
use tyndau_events::signature::SignatureEvent;
use tyndau_ids::SignatureId;

pub struct Receipts {
    key: SecretSlice<u8>,
    /// The version the log records a `SignatureRecorded` under (its current one).
    version: &'static str,
}

impl Receipts {
    pub fn from_hex(key: &str) -> anyhow::Result<Self> {
        let bytes = hex::decode(key.trim()).context("privacy.receipt_key must be hex")?;
        anyhow::ensure!(
            bytes.len() >= 32,
            "privacy.receipt_key must hold at least 32 bytes"
        );
        let version = SignatureEvent::version_of(tyndau_tlog::leaf::SIGNED)
            .context("SignatureRecorded has no version")?;
        Ok(Self {
            key: bytes.into(),
            version,
        })
    }

    pub fn of(&self, signature: &SignatureId) -> SignatureReceipt {
        let receipt =
            tyndau_tlog::leaf::Receipt::of_signature(self.key.expose_secret(), signature, self.version);
        SignatureReceipt {
            petition_id: receipt.petition_id,
            event: receipt.event,
            version: receipt.version,
            seq: receipt.seq,
            secret: receipt.secret,
            leaf_hash: receipt.leaf_hash,
        }
    }
}

/// A signer's receipt: `tyndau-verify receipt '<this JSON>'` checks that the signature is in the
/// public log. The secret is the signer's alone: it shows which leaf is theirs.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SignatureReceipt {
    #[schema(format = Uuid)]
    pub petition_id: String,
    /// `SignatureRecorded`.
    pub event: String,
    pub version: String,
    pub seq: u64,
    /// Hex; opens the leaf's commitment.
    pub secret: String,
    /// Hex RFC 6962 leaf hash; the log's `receipts/{leaf_hash}` gives the leaf's index.
    pub leaf_hash: String,
}
