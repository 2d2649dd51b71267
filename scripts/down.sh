#!/usr/bin/env bash
# Stop the services started by scripts/up.sh, then the local PostgreSQL and
# NATS servers (scripts/dev-down.sh). Safe to run when nothing is running.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

# Reverse start order: consumers first, the command API (the writer) last.
for name in tyndau-scheduler tyndau-projector-thresholds tyndau-event-relay \
            tyndau-query-api tyndau-command-api; do
  # SIGTERM, up to 10 s for a graceful shutdown, then SIGKILL.
  stop_pidfile "$TYNDAU_DATA/pids/$name.pid" "$name" 10
done

"$TYNDAU_ROOT/scripts/dev-down.sh"
