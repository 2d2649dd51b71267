#!/usr/bin/env bash
# One entry point for a fresh machine (Debian/Ubuntu with a Rust toolchain and
# python3). Installs `just` if it is missing, then runs a justfile recipe:
#
#   ./scripts/bootstrap.sh up     # install, build and start everything
#   ./scripts/bootstrap.sh test   # run the whole test suite
#   ./scripts/bootstrap.sh <recipe> [args...]   # any other recipe
#
# Everything else (PostgreSQL, nats-server, cargo-nextest) is installed by
# the recipes themselves, so developers and CI go through the same code.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

if [ "$#" -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  # Print the header comment above as usage.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  exit 0
fi

# rustup installs into ~/.cargo/bin but only login shells have it on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck source=/dev/null
  source "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 \
  || die "cargo not found: install a Rust toolchain first (rustup), then rerun"

# Crates with C parts (aws-lc-rs, ring) need a C compiler; rustup does not
# bring one.
if ! command -v cc >/dev/null 2>&1; then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    apt_install build-essential pkg-config
  else
    die "no C compiler (cc) found: install build-essential"
  fi
fi

export PATH="$TYNDAU_TOOLS/bin:$PATH"

if ! command -v just >/dev/null 2>&1; then
  # rust-just on PyPI ships a prebuilt just binary: seconds instead of a
  # cargo build. cargo install is the fallback when PyPI is unusable.
  if ! pip_tool 'rust-just>=1.30,<2' just >/dev/null; then
    warn "could not install just from PyPI; building it with cargo (takes a few minutes)"
    cargo install just --locked
  fi
  command -v just >/dev/null 2>&1 || die "just was installed but is not on PATH"
  info "using $(just --version) ($(command -v just))"
fi

exec just --justfile "$TYNDAU_ROOT/justfile" --working-directory "$TYNDAU_ROOT" "$@"
