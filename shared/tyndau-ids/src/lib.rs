//! Typed identifiers and small value objects.
//!
//! Raw strings appear only at the edges (SQL, NATS subjects, HTTP paths); everywhere else an id
//! has a type, so a petition id can never be passed where a body id is expected.

mod body;
mod iin;
mod provision;
mod region;
mod signature;
mod signer;
mod uuid_id;

pub use body::{BodyId, InvalidBodyId};
pub use iin::{Iin, IinError, Sex, synthesize as synthesize_iin};
pub use provision::{InvalidProvisionPath, ProvisionPath};
pub use region::{Region, UnknownRegion};
pub use signature::{InvalidSignatureId, SignatureId};
pub use signer::{InvalidSignerKey, SignerKey};
pub use uuid_id::{CommentId, ConsultationId, CorrelationId, InvalidId, InvalidationId, PetitionId};
