//! Running a pure aggregate's `handle` outside an executor, for the property tests.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;

/// `handle` on the live aggregate, as the framework calls it: the events it wrote and the result.
pub fn handle<A: Aggregate>(
    live: &mut A,
    command: A::Command,
    services: &A::Services,
) -> (Result<(), A::Error>, Vec<A::Event>) {
    let sink = EventSink::default();
    let result = now(live.handle(command, services, &sink));
    (result, now(sink.collect()))
}

/// The aggregates are pure and the sink's lock is never contended, so one poll finishes.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a pure aggregate never waits"),
    }
}
