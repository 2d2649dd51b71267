//! The Comment aggregate (one per comment) and the Reaction aggregate (one per citizen and
//! comment): a busy consultation is many small streams, and "one stance each" is a key.

mod command;
mod decide;
mod error;
#[cfg(test)]
mod properties;
mod state;
#[cfg(test)]
mod tests;

use tyndau_events::{CommentEvent, ReactionEvent, aggregate_types};

pub use command::{CommentCommand, ReactionCommand};
pub use error::CommentError;
pub use state::{Comment, CurrentAnswer, Reaction};

use crate::consultation::ConsultationPolicy;

aggregate_by_decide!(
    Comment,
    aggregate_types::COMMENT,
    CommentCommand,
    CommentEvent,
    CommentError,
    ConsultationPolicy
);

aggregate_by_decide!(
    Reaction,
    aggregate_types::REACTION,
    ReactionCommand,
    ReactionEvent,
    CommentError,
    ()
);
