//! The Comment aggregate (one per comment) and the Reaction aggregate (one per citizen and
//! comment): a busy consultation is many small streams, and "one stance each" is a key.

mod command;
mod decide;
mod error;
mod state;
#[cfg(test)]
mod tests;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use tyndau_events::{CommentEvent, ReactionEvent, aggregate_types};

pub use command::{CommentCommand, ReactionCommand};
pub use error::CommentError;
pub use state::{Comment, CurrentAnswer, Reaction};

use crate::consultation::ConsultationPolicy;

impl Aggregate for Comment {
    const TYPE: &'static str = aggregate_types::COMMENT;
    type Command = CommentCommand;
    type Event = CommentEvent;
    type Error = CommentError;
    type Services = ConsultationPolicy;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command, services)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.evolve(event);
    }
}

impl Aggregate for Reaction {
    const TYPE: &'static str = aggregate_types::REACTION;
    type Command = ReactionCommand;
    type Event = ReactionEvent;
    type Error = CommentError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.evolve(event);
    }
}
