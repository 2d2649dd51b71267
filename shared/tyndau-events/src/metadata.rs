//! Who did it, when, and as part of which request. Stored in the event store's `metadata` column
//! (a flat string map, as cqrs-es wants) and carried on the bus envelope.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::CorrelationId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Citizen,
    Moderator,
    Official,
    Admin,
    /// The scheduler or a process manager acting on a rule, never a person.
    System,
}

/// The authenticated actor. For citizens `id` is their signer key (never an IIN); for staff it is
/// the identity provider's subject; for the system it names the component.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: String,
}

impl Actor {
    pub fn system(component: &str) -> Self {
        Self {
            kind: ActorKind::System,
            id: component.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventMetadata {
    pub actor: Actor,
    pub correlation_id: CorrelationId,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub occurred_at: OffsetDateTime,
    /// The client's network (`203.0.113.0/24`, `2001:db8:1::/48`) for commands from outside;
    /// never a full address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("event metadata is missing or malformed: {0}")]
pub struct MetadataError(&'static str);

const ACTOR_KIND: &str = "actor_kind";
const ACTOR_ID: &str = "actor_id";
const CORRELATION_ID: &str = "correlation_id";
const OCCURRED_AT: &str = "occurred_at";
const ORIGIN: &str = "origin";

impl EventMetadata {
    pub fn new(actor: Actor, correlation_id: CorrelationId, occurred_at: OffsetDateTime) -> Self {
        Self {
            actor,
            correlation_id,
            occurred_at,
            origin: None,
        }
    }

    /// The same, with the client's network recorded.
    pub fn with_origin(mut self, origin: Option<String>) -> Self {
        self.origin = origin;
        self
    }

    pub fn to_map(&self) -> HashMap<String, String> {
        let kind = serde_json::to_value(self.actor.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let occurred_at = self
            .occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let mut map = HashMap::from([
            (ACTOR_KIND.to_owned(), kind),
            (ACTOR_ID.to_owned(), self.actor.id.clone()),
            (CORRELATION_ID.to_owned(), self.correlation_id.to_string()),
            (OCCURRED_AT.to_owned(), occurred_at),
        ]);
        if let Some(origin) = &self.origin {
            map.insert(ORIGIN.to_owned(), origin.clone());
        }
        map
    }

    pub fn from_map(map: &HashMap<String, String>) -> Result<Self, MetadataError> {
        let get = |key: &'static str| map.get(key).ok_or(MetadataError(key));
        let kind = serde_json::from_value(serde_json::Value::String(get(ACTOR_KIND)?.clone()))
            .map_err(|_| MetadataError(ACTOR_KIND))?;
        Ok(Self {
            actor: Actor {
                kind,
                id: get(ACTOR_ID)?.clone(),
            },
            correlation_id: get(CORRELATION_ID)?
                .parse()
                .map_err(|_| MetadataError(CORRELATION_ID))?,
            occurred_at: OffsetDateTime::parse(
                get(OCCURRED_AT)?,
                &time::format_description::well_known::Rfc3339,
            )
            .map_err(|_| MetadataError(OCCURRED_AT))?,
            origin: map.get(ORIGIN).cloned(),
        })
    }
}
