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
# promtool (Debian's Prometheus) checks and unit-tests the alert rules in deploy/prometheus
# (integration-tests/tests/metrics.rs).
deb_tool prometheus promtool
export TYNDAU_PROMTOOL="$TYNDAU_TOOLS/bin/promtool"

# The browser tests (integration-tests/tests/browser.rs) drive Debian's Chromium through
# Playwright, with axe-core, from web-tests/; the sign-in tests run the development identity
# provider (deploy/idp) on Node.js. Install what is missing; the tests fail (never skip)
# without them.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}
browser_apt_updated=0
browser_apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* for the browser tests"
  if [ "$browser_apt_updated" -eq 0 ]; then
    info "apt-get update"
    as_root apt-get update -qq >&2
    browser_apt_updated=1
  fi
  info "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}
if [ ! -x "${TYNDAU_CHROMIUM:-/usr/bin/chromium}" ]; then
  browser_apt_install chromium || die "could not install chromium"
fi
ensure_node
npm_ci "$TYNDAU_ROOT/web-tests"
# The development identity provider: the web front's sign-in tests run it.
npm_ci "$TYNDAU_ROOT/deploy/idp"
# The development mail server: the email tests and benchmark send real SMTP to it.
npm_ci "$TYNDAU_ROOT/deploy/mail"

# The same checks a reviewer runs (`just lint`): formatting, clippy, unused dependencies,
# licences, bans and sources.
"$TYNDAU_ROOT/scripts/lint.sh"

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
