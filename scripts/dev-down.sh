#!/usr/bin/env bash
# Stop the local PostgreSQL and NATS servers started by scripts/dev-env.sh.
# Only servers that belong to this checkout are stopped: a server reused from
# another checkout, or an external DATABASE_URL/NATS_URL, is left alone.
# Data (.data/pg, .data/nats/store) is kept; delete .data to start afresh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

# NATS: nats-server writes its own pid file and removes it on clean exit.
if pid_alive "$TYNDAU_DATA/nats/nats.pid" nats-server; then
  stop_pidfile "$TYNDAU_DATA/nats/nats.pid" nats-server 10
  info "nats-server stopped"
else
  rm -f "$TYNDAU_DATA/nats/nats.pid"
  info "nats-server: not running (from this checkout)"
fi

# PostgreSQL
pgdata="$TYNDAU_DATA/pg"
if [ -f "$pgdata/PG_VERSION" ]; then
  pgdata="$(readlink -f "$pgdata")"
  pgbin=""
  # Use the binaries of the cluster's major version.
  ver="$(cat "$pgdata/PG_VERSION")"
  if [ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ]; then
    pgbin="/usr/lib/postgresql/$ver/bin"
  elif command -v pg_ctl >/dev/null 2>&1; then
    pgbin="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
  fi
  [ -n "$pgbin" ] || die "pg_ctl for PostgreSQL $ver not found"
  run_as=()
  if is_root; then run_as=(runuser -u "$(stat -c %U "$pgdata")" --); fi
  cd /   # the server user may be unable to enter the checkout
  if "${run_as[@]}" "$pgbin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    info "stopping PostgreSQL ($pgdata)"
    "${run_as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null
    info "PostgreSQL stopped"
  else
    info "PostgreSQL: not running (from this checkout)"
  fi
else
  info "PostgreSQL: no local cluster in .data/pg"
fi
