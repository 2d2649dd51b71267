#!/usr/bin/env bash
# Stop what `just cluster-up` started (pid files in .data/cluster/pids), services first, then
# HAProxy, Prometheus, the NATS nodes, the PostgreSQL nodes and etcd. Data stays in
# .data/cluster; `--purge` deletes it.
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
# Patroni stops its PostgreSQL; one whose Patroni was killed is stopped here.
stop_matching 'patroni-*'
PG_BASE="$CLUSTER/pg"
if [ -d "$PG_BASE" ]; then
  find_pg_server || true
  ensure_pg_os_user
  for data in "$PG_BASE"/pg-*; do
    [ -f "$data/postmaster.pid" ] && [ -n "$PGBIN" ] || continue
    (cd / && "${RUN_AS_PG[@]}" "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1) || true
  done
fi
stop_matching etcd

if [ "${1:-}" = --purge ]; then
  # The PostgreSQL nodes' data may live outside the checkout (cluster-up.sh links it).
  if [ -L "$PG_BASE" ]; then rm -rf "$(readlink -f "$PG_BASE")"; fi
  rm -rf "$CLUSTER"
  info "deleted $CLUSTER"
fi
