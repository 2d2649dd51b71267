//! The benchmark harness: everything a benchmark binary needs except its own scenario.
//!
//! - [`setup`]: the release binaries, the local PostgreSQL and NATS servers, and a [`Bench`]: a
//!   fresh database and NATS prefix, fresh dev keys and pepper, the chosen services as child
//!   processes, torn down at the end, on error and on Ctrl-C ([`Bench::supervise`]).
//! - [`identity`]: distinct synthetic citizens and their tokens, minted on every core.
//! - [`http`]: HTTP clients and a JSON `POST` helper.
//! - [`load`]: many concurrent clients sending one request per token ([`drive`]), and readers
//!   hammering one `GET` ([`read_repeatedly`]).
//! - [`petition`]: a published national petition to load, and a draft law open for comment.
//! - [`lag`]: sampling a projected count while loading, and the lag of each accepted request.
//! - [`procfs`]: peak resident memory and CPU time of the services, from `/proc`.
//! - [`report`]: formatting helpers and the machine-readable last line.
//! - [`services`]: the list of services the scripts also use (`deploy/services.tsv`).
//!
//! All traffic stays on 127.0.0.1.

pub mod http;
pub mod identity;
pub mod lag;
pub mod load;
pub mod petition;
pub mod procfs;
pub mod report;
pub mod services;
pub mod setup;

pub use http::{count_client, load_client, post_json};
pub use identity::{AUDIENCE, ISSUER, TOKEN_LIFETIME, citizens, mint, mint_citizen_tokens};
pub use lag::{SAMPLE_EVERY, histogram_of, lags, read_count, sample_counts, wait_for_count};
pub use load::{Load, Reads, Target, drive, new_histogram, read_repeatedly};
pub use petition::{open_consultation, open_petition};
pub use procfs::{CLOCK_TICKS_PER_S, CpuSnapshot, established_to, num_cpus, watch_rss};
pub use report::{describe_errors, lag_ms, ms, print_last_line};
pub use setup::{Bench, ServerArgs, Service, TokenAlg, free_ports, with_database, workspace_root};
