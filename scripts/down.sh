#!/usr/bin/env bash
# Stop the services started by scripts/up.sh, then the local PostgreSQL and
# NATS servers (scripts/dev-down.sh). Safe to run when nothing is running.
#
#   scripts/down.sh              services, then the servers
#   scripts/down.sh --services   the services only (the servers keep running)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

read_services
# Reverse start order: the web front and consumers first, the command API (the writer) last.
for ((i = ${#SERVICE_NAMES[@]} - 1; i >= 0; i--)); do
  name="${SERVICE_NAMES[$i]}"
  # SIGTERM, up to 10 s for a graceful shutdown, then SIGKILL.
  stop_pidfile "$TYNDAU_DATA/pids/$name.pid" "$name" 10
done
# A pid file of a service no longer in the list (renamed, removed) is stopped all the same:
# nothing `up` ever started may outlive `down`.
for pidfile in "$TYNDAU_DATA"/pids/*.pid; do
  [ -e "$pidfile" ] || continue
  name="$(basename "$pidfile" .pid)"
  warn "$name is not in deploy/services.tsv; stopping it from its pid file"
  stop_pidfile "$pidfile" "$name" 10
done

if [ "${1:-}" != --services ]; then
  "$TYNDAU_ROOT/scripts/dev-down.sh"
fi
