//! Event contracts. Pure data: no IO, no business rules.
//!
//! Every event is a struct of its own, with a name (`event_type`) and a version (`event_version`)
//! that are persisted beside it. A persisted shape is never edited: a change gets a new version
//! and an upcaster that lifts the old one (see `tyndau-store`). `proto-docs/events/` is generated
//! from these types and a test fails when it is stale.

pub mod comment;
pub mod consultation;
pub mod envelope;
pub mod metadata;
pub mod petition;
pub mod privacy;
pub mod schema;
pub mod sealed;
pub mod signature;
pub mod subjects;
pub mod upcast;

pub use envelope::{BusEnvelope, BusMessage};
pub use metadata::{Actor, ActorKind, EventMetadata, MetadataError};

pub use comment::{CommentEvent, ReactionEvent};
pub use consultation::ConsultationEvent;
pub use petition::PetitionEvent;
pub use privacy::PrivacyEvent;
pub use signature::SignatureEvent;

/// Aggregate type names as stored in the event store's `aggregate_type` column.
pub mod aggregate_types {
    pub const PETITION: &str = "petition";
    pub const SIGNATURE: &str = "signature";
    pub const CONSULTATION: &str = "consultation";
    pub const COMMENT: &str = "comment";
    pub const REACTION: &str = "comment_reaction";
    pub const PRIVACY: &str = "privacy";
}

/// Declares an event enum whose variants wrap same-named structs, with each variant's persisted
/// version, the cqrs-es `DomainEvent` impl, and the schema catalogue entry.
#[macro_export]
macro_rules! versioned_events {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident($version:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($variant($variant)),+
        }

        impl $name {
            /// `(event_type, current version)` of every variant.
            pub const VERSIONS: &'static [(&'static str, &'static str)] = &[$((stringify!($variant), $version)),+];

            pub fn schemas() -> Vec<$crate::schema::EventSchema> {
                vec![$($crate::schema::EventSchema::of::<$variant>(stringify!($variant), $version)),+]
            }
        }

        impl cqrs_es::DomainEvent for $name {
            fn event_type(&self) -> String {
                match self {
                    $($name::$variant(_) => stringify!($variant).to_owned()),+
                }
            }

            fn event_version(&self) -> String {
                match self {
                    $($name::$variant(_) => $version.to_owned()),+
                }
            }
        }

        $(
            impl From<$variant> for $name {
                fn from(event: $variant) -> Self {
                    $name::$variant(event)
                }
            }
        )+
    };
}
