//! The writing half of the read models: how each projection turns a batch of events into rows.
//! The projector services run these on the shared framework (`tyndau-projection`); this crate
//! owns the tables, so the statements that write them live beside the queries that read them.

pub mod consultations;
pub mod notifications;
pub mod thresholds;

/// What a batch left for later: indexes of events that arrived ahead of their predecessors.
#[derive(Debug, Default)]
pub struct Applied {
    pub deferred: Vec<usize>,
}

impl Applied {
    pub fn defer(&mut self, index: usize) {
        self.deferred.push(index);
    }
}
