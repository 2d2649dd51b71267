#!/usr/bin/env bash
# Run the whole test suite against the servers in .data/env (`just test`
# runs scripts/dev-env.sh first). Extra arguments go to the test runner.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

[ -f "$TYNDAU_DATA/env" ] || die ".data/env is missing: run scripts/dev-env.sh (or just env) first"
# Exports DATABASE_URL, NATS_URL and TYNDAU_*; tests create their own
# databases and streams on these servers.
# shellcheck source=/dev/null
source "$TYNDAU_DATA/env"

# schemathesis fuzzes the served OpenAPI documents (integration-tests/tests/schemathesis.rs).
if [ ! -x "$TYNDAU_TOOLS/bin/schemathesis" ]; then
  pip_tool 'schemathesis==4.32.5' schemathesis >/dev/null || die "could not install schemathesis from PyPI"
fi
export TYNDAU_SCHEMATHESIS="$TYNDAU_TOOLS/bin/schemathesis"

# The same checks a reviewer runs: formatting and clippy with warnings as errors.
info "cargo fmt --all --check"
cargo fmt --all --check
info "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

if ! cargo nextest --version >/dev/null 2>&1; then
  info "cargo-nextest not found; installing it (cargo install cargo-nextest --locked)"
  cargo install cargo-nextest --locked || warn "could not install cargo-nextest; falling back to cargo test"
fi

if cargo nextest --version >/dev/null 2>&1; then
  info "cargo nextest run --workspace --no-fail-fast $*"
  exec cargo nextest run --workspace --no-fail-fast "$@"
else
  info "cargo test --workspace --no-fail-fast $*"
  exec cargo test --workspace --no-fail-fast "$@"
fi
