# Tyndau developer commands. `just --list` shows them; CI runs the same
# recipes through scripts/bootstrap.sh (which installs `just` if missing).

set shell := ["bash", "-euo", "pipefail", "-c"]
# Pass recipe arguments as "$@" so they keep their quoting.
set positional-arguments := true

# Project-local tools (just, nats-server from PyPI) come first.
export PATH := justfile_directory() / ".tools/bin" + ":" + env_var("PATH")

# List the recipes
default:
    @just --list

# Ensure local PostgreSQL + NATS JetStream are running; write .data/env
env:
    scripts/dev-env.sh

# Build all binaries (release). `up` and every benchmark use this one command, so each reuses
# what another built (another package set would unify features differently and rebuild)
build:
    cargo build --workspace --release --bins

# Start the whole platform in the background: servers, migrations, services, demo data
up: env build
    scripts/up.sh

# Stop the services and the local PostgreSQL/NATS servers
down:
    scripts/down.sh

# The scaled-out shape on loopback: a 3-node NATS cluster, every service twice behind HAProxy,
# Prometheus with the alert rules (state in .data/cluster)
cluster-up: env build
    scripts/cluster-up.sh

# Faults under load against cluster-up's cluster, then an exact audit (extra arguments go to
# the program; `--help` lists them). Last line: acked=N lost=N duplicated=N replay_equal=B …
chaos *args: build
    test -f .data/cluster/env || { echo "no cluster: run just cluster-up first" >&2; exit 1; }
    source .data/env && source .data/cluster/env && target/release/chaos "$@"

# Stop what cluster-up started (`just cluster-down --purge` also deletes its data)
cluster-down *args:
    scripts/cluster-down.sh {{args}}

# Follow the logs of the servers and services
logs:
    tail -n 50 -F .data/logs/*.log

# Run the whole test suite (extra arguments go to nextest / cargo test)
test *args: env
    scripts/test.sh "$@"

# Formatting, clippy, unused dependencies (cargo-machete), licences, bans and sources (cargo-deny)
lint:
    scripts/lint.sh

# The RustSec advisory check; needs the advisory database from GitHub (not reachable from the build machines)
audit:
    scripts/lint.sh
    .tools/bin/cargo-deny check advisories

# Format all code
fmt:
    cargo fmt --all

# Regenerate proto-docs/ from the code
docs:
    TYNDAU_UPDATE_DOCS=1 cargo test -p tyndau-integration-tests --test docs

# Signature-intake benchmark against the local servers (extra arguments go to the benchmark)
bench-signatures *args: env build
    source .data/env && target/release/bench-signatures --no-build "$@"

# Email benchmark: 100,000 signers, each with an address, told of an answer (extra arguments go to the benchmark)
bench-notify *args: env build
    source .data/env && target/release/bench-notify --no-build "$@"

# Rebuild the thresholds projection from the event store
rebuild-thresholds: env build
    source .data/env && target/release/tyndau-projector-thresholds rebuild

# Consultation benchmark: 100,000 comments on one consultation, thread-page reads (extra arguments go to the benchmark)
bench-consultation *args: env build
    source .data/env && target/release/bench-consultation --no-build "$@"

# Transparency log benchmark: 1,000,000 signatures appended, checkpoint lag, a count verified (extra arguments go to the benchmark)
bench-ledger *args: env build
    source .data/env && target/release/bench-ledger --no-build "$@"

# Web front benchmark: the petition page at 500 requests/s, then live viewers level by level (extra arguments go to the benchmark)
bench-web *args: env build
    source .data/env && target/release/bench-web --no-build "$@"

# Rebuild the consultations projection from the event store
rebuild-consultations: env build
    source .data/env && target/release/tyndau-projector-consultations rebuild

# Rebuild subscriptions and inboxes from the event store (what citizens have read is kept)
rebuild-notifications: env build
    source .data/env && target/release/tyndau-notifier rebuild
