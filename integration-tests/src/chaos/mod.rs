//! The fault-injection program behind `just chaos` (`src/bin/chaos.rs`), against the cluster
//! `just cluster-up` starts.
//!
//! - [`load`]: citizens signing and commenting through HAProxy, retrying through faults;
//! - [`faults`]: the cluster's processes, killed, restarted, paused; the PostgreSQL primary and
//!   the active relay found;
//! - [`evidence`]: what the store, the stream and the read models hold afterwards;
//! - [`audit`]: the verdict, pure and unit-tested, and the last line.

pub mod audit;
pub mod evidence;
pub mod faults;
pub mod load;
