#!/usr/bin/env bash
# Stop what `just cluster-up` started (pid files in .data/cluster/pids), services first, then
# HAProxy, Prometheus and the NATS nodes. Data stays in .data/cluster; `--purge` deletes it and
# the cluster's database (TYNDAU_CLUSTER_DATABASE, default tyndau_cluster).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

CLUSTER="$TYNDAU_DATA/cluster"
PIDS="$CLUSTER/pids"
[ -d "$PIDS" ] || { info "no cluster to stop"; exit 0; }

stop_matching() {
  local pidfile name
  for pidfile in "$PIDS"/$1.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)"
    stop_pidfile "$pidfile" "" 15
    info "stopped $name"
  done
}
stop_matching 'tyndau-*'
stop_matching haproxy
stop_matching prometheus
stop_matching 'nats-*'

if [ "${1:-}" = --purge ]; then
  database="${TYNDAU_CLUSTER_DATABASE:-tyndau_cluster}"
  if [ -f "$TYNDAU_DATA/env" ]; then
    # shellcheck source=/dev/null
    source "$TYNDAU_DATA/env"
    psql "$DATABASE_URL" -Xqc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" || true
  fi
  rm -rf "$CLUSTER"
  info "deleted $CLUSTER and the $database database"
fi
