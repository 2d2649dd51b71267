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

impl ActorKind {
    /// The stored (and serialised) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActorKind::Citizen => "citizen",
            ActorKind::Moderator => "moderator",
            ActorKind::Official => "official",
            ActorKind::Admin => "admin",
            ActorKind::System => "system",
        }
    }
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

/// The keys of the stored metadata map; SQL that filters on them (the audit trail) binds these.
pub const ACTOR_KIND: &str = "actor_kind";
pub const ACTOR_ID: &str = "actor_id";
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
        let occurred_at = self
            .occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let mut map = HashMap::from([
            (ACTOR_KIND.to_owned(), self.actor.kind.as_str().to_owned()),
            (ACTOR_ID.to_owned(), self.actor.id.clone()),
            (CORRELATION_ID.to_owned(), self.correlation_id.to_string()),
            (OCCURRED_AT.to_owned(), occurred_at),
        ]);
        if let Some(origin) = &self.origin {
            map.insert(ORIGIN.to_owned(), origin.clone());
        }
        map
    }

    /// The store's `metadata` column: the same flat map, as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.to_map()
                .into_iter()
                .map(|(key, value)| (key, serde_json::Value::String(value)))
                .collect(),
        )
    }

    /// Reads the store's `metadata` column.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, MetadataError> {
        let object = value.as_object().ok_or(MetadataError("an object"))?;
        let map = object
            .iter()
            .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
            .collect();
        Self::from_map(&map)
    }

    /// What a reader uses for a row whose metadata cannot be read (written by hand, not by
    /// Tyndau, which validates metadata before appending): an unknown system actor at the
    /// epoch, so the event is still delivered and its odd origin is visible.
    pub fn unreadable() -> Self {
        Self::new(
            Actor::system("unknown"),
            CorrelationId::default(),
            OffsetDateTime::UNIX_EPOCH,
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_reads_back_from_the_stores_column_and_refuses_what_lacks_a_field() {
        let metadata = EventMetadata::new(
            Actor {
                kind: ActorKind::Citizen,
                id: "07".repeat(32),
            },
            CorrelationId::default(),
            OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap(),
        )
        .with_origin(Some("203.0.113.0/24".to_owned()));
        assert_eq!(EventMetadata::from_json(&metadata.to_json()).unwrap(), metadata);
        let mut missing = metadata.to_json();
        missing.as_object_mut().unwrap().remove(OCCURRED_AT);
        assert!(EventMetadata::from_json(&missing).is_err());
        assert!(EventMetadata::from_json(&serde_json::json!([])).is_err());
        for kind in [
            ActorKind::Citizen,
            ActorKind::Moderator,
            ActorKind::Official,
            ActorKind::Admin,
            ActorKind::System,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
