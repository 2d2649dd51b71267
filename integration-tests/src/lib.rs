//! Integration tests and benchmarks.
//!
//! [`harness`] is what the benchmark binaries (`bench-signatures`, `bench-consultation`) share:
//! an isolated copy of the services as child processes, citizen identities and tokens, a
//! concurrent HTTP load driver, projection-lag measurement and `/proc` sampling. [`chaos`] is
//! the fault-injection program's (`chaos`) load, faults and audit.

pub mod chaos;
pub mod harness;
