//! Integration tests and benchmarks.
//!
//! [`harness`] is what the benchmark binaries (`bench-signatures`, `bench-consultation`) share:
//! an isolated copy of the services as child processes, citizen identities and tokens, a
//! concurrent HTTP load driver, projection-lag measurement and `/proc` sampling.

pub mod harness;
