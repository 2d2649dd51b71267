//! Integration tests and benchmarks.
