#!/usr/bin/env bash
# The checks a reviewer runs, the same in `just lint` and in CI (scripts/test.sh): formatting,
# clippy with warnings as errors, unused dependencies (cargo-machete), and licences, banned and
# duplicate crates and sources (cargo-deny, deny.toml). The advisory check needs the RustSec
# database from GitHub, which the build machines cannot reach: `just audit` runs it where it can.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

cargo_tool cargo-machete 0.9.2
cargo_tool cargo-deny 0.20.2

info "cargo fmt --all --check"
cargo fmt --all --check
info "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
info "cargo machete"
"$TYNDAU_TOOLS/bin/cargo-machete" >&2
info "cargo deny check bans licenses sources"
"$TYNDAU_TOOLS/bin/cargo-deny" --log-level error check bans licenses sources
