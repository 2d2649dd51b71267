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
pub mod sequence;
pub mod signature;
pub mod subjects;
pub mod upcast;

pub use envelope::{BusEnvelope, BusMessage};
pub use metadata::{Actor, ActorKind, EventMetadata, MetadataError};
pub use sequence::{Sequence, SequenceOutOfRange};

pub use comment::{CommentEvent, ReactionEvent};
pub use consultation::ConsultationEvent;
pub use petition::PetitionEvent;
pub use privacy::PrivacyEvent;
pub use signature::SignatureEvent;

/// Declares every aggregate once: its constant in [`aggregate_types`] (the name stored in the
/// event store's `aggregate_type` column and used in bus subjects), [`aggregate_types::ALL`],
/// and its event enum's entry in the schema catalogue behind `proto-docs/events/`.
macro_rules! aggregates {
    ($($constant:ident = $name:literal => $events:ty),+ $(,)?) => {
        /// Aggregate type names as stored in the event store's `aggregate_type` column.
        pub mod aggregate_types {
            $(pub const $constant: &str = $name;)+
            /// Every aggregate type, in declaration order.
            pub const ALL: &[&str] = &[$($constant),+];
        }

        fn event_schemas() -> Vec<(&'static str, Vec<schema::EventSchema>)> {
            vec![$((aggregate_types::$constant, <$events>::schemas())),+]
        }
    };
}

aggregates! {
    PETITION = "petition" => PetitionEvent,
    SIGNATURE = "signature" => SignatureEvent,
    CONSULTATION = "consultation" => ConsultationEvent,
    COMMENT = "comment" => CommentEvent,
    REACTION = "comment_reaction" => ReactionEvent,
    PRIVACY = "privacy" => PrivacyEvent,
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

            /// The current version of the variant named `event_type`.
            pub fn version_of(event_type: &str) -> Option<&'static str> {
                Self::VERSIONS.iter().find(|(event, _)| *event == event_type).map(|(_, version)| *version)
            }

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

/// Declares `$kind`, the data-less twin of the event enum `$event`, from the list of its variants:
/// what a reader that keeps only the stored `event_type` (a timeline row) can match on
/// exhaustively. `$event::kind` matches every variant of `$event`, so an event added without
/// its kind does not compile.
macro_rules! event_kinds {
    ($(#[$meta:meta])* $event:ident => pub enum $kind:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $kind {
            $($variant),+
        }

        impl $kind {
            /// Every kind, in the order of the event enum.
            pub const ALL: &'static [$kind] = &[$($kind::$variant),+];

            /// The persisted `event_type`: the variant's name.
            pub const fn event_type(self) -> &'static str {
                match self {
                    $($kind::$variant => stringify!($variant)),+
                }
            }

            /// `None` for a type this build does not know (written by a newer version).
            pub fn from_event_type(event_type: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|kind| kind.event_type() == event_type)
            }
        }

        impl $event {
            pub const fn kind(&self) -> $kind {
                match self {
                    $($event::$variant(_) => $kind::$variant),+
                }
            }
        }
    };
}
pub(crate) use event_kinds;
