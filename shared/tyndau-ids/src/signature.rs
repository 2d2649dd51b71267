use std::fmt;
use std::str::FromStr;

use crate::{PetitionId, SignerKey};

/// One citizen's signature on one petition: the Signature aggregate's id. Written
/// `{petition}:{signer}`, petition first, so one petition's signatures are one contiguous range
/// of the event store's primary key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SignatureId {
    pub petition: PetitionId,
    pub signer: SignerKey,
}

#[derive(Debug, thiserror::Error)]
#[error("a signature id is `{{petition id}}:{{signer key}}`")]
pub struct InvalidSignatureId;

impl SignatureId {
    pub const fn new(petition: PetitionId, signer: SignerKey) -> Self {
        Self { petition, signer }
    }
}

impl fmt::Display for SignatureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.petition, self.signer)
    }
}

impl FromStr for SignatureId {
    type Err = InvalidSignatureId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (petition, signer) = s.split_once(':').ok_or(InvalidSignatureId)?;
        Ok(Self {
            petition: petition.parse().map_err(|_| InvalidSignatureId)?,
            signer: signer.parse().map_err(|_| InvalidSignatureId)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_id_reads_back_what_it_writes_and_refuses_anything_else() {
        let id = SignatureId::new(
            "0196a000-0000-7000-8000-0000000000d1".parse().unwrap(),
            SignerKey::from_bytes([7; 32]),
        );
        let text = id.to_string();
        assert_eq!(
            text,
            format!("0196a000-0000-7000-8000-0000000000d1:{}", "07".repeat(32))
        );
        assert_eq!(text.parse::<SignatureId>().unwrap(), id);
        for bad in [
            "",
            "0196a000-0000-7000-8000-0000000000d1",
            &format!("x:{}", "07".repeat(32)),
            &format!("{text}:"),
        ] {
            assert!(bad.parse::<SignatureId>().is_err(), "{bad}");
        }
    }
}
