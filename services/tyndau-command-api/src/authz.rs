//! Authorisation, decided here and nowhere else: which role may ask for what. Finer rules that
//! depend on the petition (only its author submits; only its addressee answers) are the domain's.

use tyndau_auth::{Citizen, Official, Principal, Pseudonymizer};
use tyndau_events::comment::{Channel, CommentAuthor};
use tyndau_events::{Actor, ActorKind};
use tyndau_ids::{Region, SignerKey};

use crate::error::ApiError;

pub fn citizen(principal: &Principal) -> Result<&Citizen, ApiError> {
    match principal {
        Principal::Citizen(citizen) => Ok(citizen),
        _ => Err(ApiError::Forbidden("only a citizen may do this")),
    }
}

/// Moderation is for moderators; administrators may stand in.
pub fn moderator(principal: &Principal) -> Result<(), ApiError> {
    match principal {
        Principal::Moderator(_) | Principal::Admin(_) => Ok(()),
        _ => Err(ApiError::Forbidden("only a moderator may do this")),
    }
}

pub fn admin(principal: &Principal) -> Result<(), ApiError> {
    match principal {
        Principal::Admin(_) => Ok(()),
        _ => Err(ApiError::Forbidden("only an administrator may do this")),
    }
}

pub fn official(principal: &Principal) -> Result<&Official, ApiError> {
    match principal {
        Principal::Official(official) => Ok(official),
        _ => Err(ApiError::Forbidden(
            "only an official of the addressed body may do this",
        )),
    }
}

/// The actor recorded in event metadata. A citizen is recorded by pseudonym, never by IIN.
pub fn actor(principal: &Principal, citizen_key: Option<tyndau_ids::SignerKey>) -> Actor {
    let (kind, id) = match principal {
        Principal::Citizen(_) => (
            ActorKind::Citizen,
            citizen_key
                .map(|k| k.to_hex())
                .unwrap_or_else(|| "citizen".to_owned()),
        ),
        Principal::Moderator(staff) => (ActorKind::Moderator, staff.subject.clone()),
        Principal::Official(official) => (ActorKind::Official, official.subject.clone()),
        Principal::Admin(staff) => (ActorKind::Admin, staff.subject.clone()),
    };
    Actor { kind, id }
}

/// Who writes a comment, through which channel, from which region.
pub struct CommentWriter {
    pub author: CommentAuthor,
    pub channel: Channel,
    pub region: Option<Region>,
}

impl CommentWriter {
    /// Whom the flood control counts: the citizen, or the organisation.
    pub fn limit_key(&self) -> String {
        match &self.author {
            CommentAuthor::Citizen { key } => key.to_hex(),
            CommentAuthor::Organisation { organisation } => organisation.to_string(),
        }
    }

    pub fn citizen_key(&self) -> Option<SignerKey> {
        match &self.author {
            CommentAuthor::Citizen { key } => Some(*key),
            CommentAuthor::Organisation { .. } => None,
        }
    }
}

/// Citizens comment as themselves (by pseudonym); officials for their organisation. Staff do not
/// comment. Whether the channel fits the author is the domain's rule.
pub fn comment_writer(
    principal: &Principal,
    pseudonymizer: &Pseudonymizer,
    channel: Option<Channel>,
) -> Result<CommentWriter, ApiError> {
    match principal {
        Principal::Citizen(citizen) => Ok(CommentWriter {
            author: CommentAuthor::Citizen {
                key: pseudonymizer.signer_key(&citizen.iin),
            },
            channel: channel.unwrap_or(Channel::Citizen),
            region: Some(citizen.region),
        }),
        Principal::Official(official) => Ok(CommentWriter {
            author: CommentAuthor::Organisation {
                organisation: official.organisation.clone(),
            },
            channel: channel.unwrap_or(Channel::Organisation),
            region: None,
        }),
        _ => Err(ApiError::Forbidden("only citizens and organisations comment")),
    }
}
