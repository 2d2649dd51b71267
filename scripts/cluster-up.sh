#!/usr/bin/env bash
# The scaled-out shape on one machine, every part its own process on loopback (`just cluster-up`):
#   - a three-node NATS cluster (JetStream, sync_interval: always, streams with 3 replicas);
#   - every Tyndau service twice: the command API, query API and web front behind HAProxy, the
#     relay, projectors, scheduler and notifier as an active and a standby (ADR 0016);
#   - PostgreSQL: a primary and a synchronous standby under Patroni (PyPI), its leader lock in
#     etcd (Debian's package);
#   - HAProxy (Debian's package) in front of the HTTP services, checking each instance's /ready,
#     and in front of PostgreSQL, sending connections to the node Patroni calls primary;
#   - Prometheus (Debian's package) scraping every instance's /metrics with deploy/prometheus's rules.
# State, logs and pid files: .data/cluster/. Stop with `just cluster-down`.
# TYNDAU_PORT_OFFSET moves every port (the tests run a cluster beside a developer's);
# TYNDAU_CLUSTER_SEED=0 skips the demo data.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

load_dev_env
CLUSTER="$TYNDAU_DATA/cluster"
PIDS="$CLUSTER/pids"
LOGS="$CLUSTER/logs"
READY_TIMEOUT="${TYNDAU_READY_TIMEOUT:-90}"
OFFSET="${TYNDAU_PORT_OFFSET:-0}"
# port BASE: BASE moved by the offset.
port() { echo $(($1 + OFFSET)); }
mkdir -p "$PIDS" "$LOGS"

CLI="$BIN_DIR/tyndau-cli"
[ -x "$CLI" ] || die "$CLI not found: build first (just build)"

# ----------------------------------------------------------------- tools
NATS_BIN="$TYNDAU_TOOLS/bin/nats-server"
[ -x "$NATS_BIN" ] || die "$NATS_BIN not found: run scripts/dev-env.sh first"
deb_tool prometheus promtool prometheus
deb_tool etcd-server etcd
find_pg_server || die "PostgreSQL's server programs are not installed: run scripts/dev-env.sh first"
ensure_pg_os_user

# Patroni from PyPI, in a virtualenv of its own that the user PostgreSQL runs as can execute:
# made from Debian's Python when running as root (a root's pyenv is usually unreachable for
# others), and kept outside the checkout when that is unreachable too.
PATRONI_VERSION=4.1.5
ensure_patroni() {
  local venv="$TYNDAU_TOOLS/patroni" python=python3
  if is_root; then
    [ -x /usr/bin/python3 ] && python=/usr/bin/python3
    if ! "${RUN_AS_PG[@]}" test -x "$TYNDAU_TOOLS" 2>/dev/null; then
      venv="/var/lib/tyndau-dev/$(printf '%s' "$TYNDAU_TOOLS" | sha256sum | cut -c1-16)/patroni"
    fi
  fi
  if ! "${RUN_AS_PG[@]}" "$venv/bin/patroni" --version 2>/dev/null | grep -qF "$PATRONI_VERSION"; then
    info "pip install patroni $PATRONI_VERSION (into $venv)"
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      apt_install python3-venv
    fi
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv" >&2 || die "could not make a virtualenv in $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
      "patroni[etcd3,psycopg2-binary]==$PATRONI_VERSION" >&2 || die "could not install patroni"
    chmod -R a+rX "$(dirname "$venv")"
  fi
  PATRONI="$venv/bin/patroni"
  ln -sfn "$venv/bin/patronictl" "$TYNDAU_TOOLS/bin/patronictl"
}
ensure_patroni
PROMETHEUS="$TYNDAU_TOOLS/bin/prometheus"
HAPROXY="$(command -v haproxy || true)"
if [ -z "$HAPROXY" ]; then
  # Installed, not unpacked: it needs Debian's Lua and tracing libraries. policy-rc.d keeps the
  # package from starting a system-wide HAProxy of its own.
  if is_root && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    apt_install haproxy || { rm -f /usr/sbin/policy-rc.d; die "could not install haproxy"; }
    rm -f /usr/sbin/policy-rc.d
  else
    apt_install haproxy
  fi
  HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
fi
[ -x "$HAPROXY" ] || die "haproxy not found after installing it"

# start NAME LOG COMMAND...: a detached process with a pid file (setsid: it outlives this script).
start() {
  local name="$1" log="$2"; shift 2
  local pidfile="$PIDS/$name.pid"
  if pid_alive "$pidfile"; then
    stop_pidfile "$pidfile" "" 10
  fi
  printf '\n===== %s: starting %s =====\n' "$(date -Is)" "$name" >>"$log"
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# wait_for NAME URL: until URL answers 200, or fail with the log's tail.
wait_for() {
  local name="$1" url="$2" deadline=$((SECONDS + READY_TIMEOUT))
  until http_ok "$url"; do
    if ! pid_alive "$PIDS/$name.pid"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited during startup (log: $LOGS/$name.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name is not ready after ${READY_TIMEOUT}s ($url)"
    fi
    sleep 0.5
  done
}

# ----------------------------------------------------------------- NATS
NATS_ROUTES="" NATS_URLS=""
for n in 1 2 3; do
  NATS_ROUTES+="${NATS_ROUTES:+, }nats-route://127.0.0.1:$(port $((56230 + n)))"
  NATS_URLS+="${NATS_URLS:+,}nats://127.0.0.1:$(port $((54230 + n)))"
done
for n in 1 2 3; do
  mkdir -p "$CLUSTER/nats/$n"
  cat >"$CLUSTER/nats/node-$n.conf" <<CONF
# Generated by scripts/cluster-up.sh (production shape: deploy/nats/cluster). Do not edit.
server_name: nats-$n
listen: 127.0.0.1:$(port $((54230 + n)))
http: 127.0.0.1:$(port $((58230 + n)))
max_payload: 4MB
jetstream {
  store_dir: "$CLUSTER/nats/$n"
  sync_interval: always
  max_memory_store: 256MB
  max_file_store: 20GB
}
cluster {
  name: tyndau
  listen: 127.0.0.1:$(port $((56230 + n)))
  routes: [ $NATS_ROUTES ]
}
CONF
  "$NATS_BIN" -c "$CLUSTER/nats/node-$n.conf" -t >/dev/null 2>&1 || die "invalid $CLUSTER/nats/node-$n.conf"
  start "nats-$n" "$LOGS/nats-$n.log" "$NATS_BIN" -c "$CLUSTER/nats/node-$n.conf"
done
for n in 1 2 3; do
  wait_for "nats-$n" "http://127.0.0.1:$(port $((58230 + n)))/healthz"
done
info "NATS: three nodes ($NATS_URLS)"

# ----------------------------------------------------------------- PostgreSQL
# Two PostgreSQL nodes managed by Patroni (PyPI), whose leader lock lives in etcd (Debian's
# etcd-server, one member here; three on real hosts, deploy/postgres/patroni). Synchronous mode:
# a commit is acknowledged once the standby has flushed it, and Patroni promotes only that
# standby, so a failover loses no acknowledged write. HAProxy sends connections to whichever
# node Patroni's REST API calls primary (sqlx cannot follow a multi-host primary by itself).
ETCD="$TYNDAU_TOOLS/bin/etcd"
start etcd "$LOGS/etcd.log" "$ETCD" --name etcd-1 --data-dir "$CLUSTER/etcd" \
  --listen-client-urls "http://127.0.0.1:$(port 52379)" \
  --advertise-client-urls "http://127.0.0.1:$(port 52379)" \
  --listen-peer-urls "http://127.0.0.1:$(port 52380)" \
  --initial-advertise-peer-urls "http://127.0.0.1:$(port 52380)" \
  --initial-cluster "etcd-1=http://127.0.0.1:$(port 52380)" --logger zap --log-level warn
wait_for etcd "http://127.0.0.1:$(port 52379)/health"

# The nodes' data must be reachable for the user PostgreSQL runs as (a root's checkout often is
# not): then it lives under /var/lib/tyndau-dev, linked from .data/cluster/pg.
PG_BASE="$CLUSTER/pg"
if [ ! -e "$PG_BASE" ] && is_root && ! "${RUN_AS_PG[@]}" test -x "$CLUSTER" 2>/dev/null; then
  external="/var/lib/tyndau-dev/$(printf '%s' "$CLUSTER" | sha256sum | cut -c1-16)/cluster-pg"
  mkdir -p "$external"
  chmod 755 /var/lib/tyndau-dev "$(dirname "$external")"
  ln -sfn "$external" "$PG_BASE"
fi
mkdir -p "$PG_BASE"
PG_BASE="$(readlink -f "$PG_BASE")"
cp "$TYNDAU_ROOT/deploy/postgres/postgresql.conf" "$PG_BASE/tyndau.conf"
# Two servers beside the development one on one machine: smaller buffers than a real host's.
printf "\n# scripts/cluster-up.sh: two nodes on one machine\nshared_buffers = '512MB'\n" >>"$PG_BASE/tyndau.conf"
PG_NODES=(1 2)
for n in "${PG_NODES[@]}"; do
  sed -e "s|@NAME@|pg-$n|g" -e "s|@REST_PORT@|$(port $((58008 + n)))|g" \
    -e "s|@PG_PORT@|$(port $((55440 + n)))|g" -e "s|@ETCD@|127.0.0.1:$(port 52379)|g" \
    -e "s|@DATA@|$PG_BASE/pg-$n|g" -e "s|@BASE@|$PG_BASE|g" -e "s|@BIN@|$PGBIN|g" \
    "$TYNDAU_ROOT/deploy/postgres/patroni/loopback.yml" >"$PG_BASE/patroni-$n.yml"
done
if is_root; then chown -R "$PG_OS_USER:" "$PG_BASE"; fi
for n in "${PG_NODES[@]}"; do
  start "patroni-$n" "$LOGS/patroni-$n.log" "${EXEC_AS_PG[@]}" "$PATRONI" "$PG_BASE/patroni-$n.yml"
done
# One primary, then its synchronous standby (Patroni's REST API answers 200 on /primary and /sync).
wait_for patroni-1 "http://127.0.0.1:$(port 58009)/health"
wait_for patroni-2 "http://127.0.0.1:$(port 58010)/health"
deadline=$((SECONDS + READY_TIMEOUT))
until { http_ok "http://127.0.0.1:$(port 58009)/primary" || http_ok "http://127.0.0.1:$(port 58010)/primary"; } \
  && { http_ok "http://127.0.0.1:$(port 58009)/sync" || http_ok "http://127.0.0.1:$(port 58010)/sync"; }; do
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$LOGS"/patroni-*.log >&2; die "no primary with a synchronous standby after ${READY_TIMEOUT}s"; }
  sleep 0.5
done
info "PostgreSQL: a primary and a synchronous standby (Patroni, etcd)"

# ----------------------------------------------------------------- ports
# HAProxy listens at the single-node port + 200 (PostgreSQL's primary at 55440); the two
# instances of a service at + 1000 and + 1100; the identity provider and mailbox (one each,
# development only) at + 200.
read_services
COMMAND="http://127.0.0.1:$(($(service_port tyndau-command-api) + 200))"
QUERY="http://127.0.0.1:$(($(service_port tyndau-query-api) + 200))"
WEB="http://127.0.0.1:$(($(service_port tyndau-web) + 200))"
IDP="http://127.0.0.1:$(($(service_port tyndau-idp) + 200))"
MAILBOX_PORT=$(($(service_port tyndau-mailbox) + 200))
SMTP_PORT=$(port 2725)
PG_PRIMARY_PORT=$(port 55440)
export TYNDAU_AUTH__ISSUER="$IDP" TYNDAU_SITE__QUERY_API_URL="$QUERY"

LEDGER="http://127.0.0.1:$(($(service_port tyndau-ledger) + 200))"
# The witness stands for an outside party: one, at + 200 like the development-only services.
WITNESS="http://127.0.0.1:$(($(service_port tyndau-witness) + 200))"

# Every other Rust service twice: "NAME-a ADDRESS" and "NAME-b ADDRESS".
INSTANCES=()
for i in "${!SERVICE_NAMES[@]}"; do
  name="${SERVICE_NAMES[$i]}"
  [ "${SERVICE_PROGRAMS[$i]}" = - ] || continue
  [ -x "$BIN_DIR/$name" ] || die "$BIN_DIR/$name not found: build first (just build)"
  [ "$name" = tyndau-witness ] && continue
  INSTANCES+=("$name-a 127.0.0.1:$((SERVICE_PORTS[i] + 1000))" "$name-b 127.0.0.1:$((SERVICE_PORTS[i] + 1100))")
done

# ----------------------------------------------------------------- HAProxy
backend() {
  local service="$1" port="$2"
  printf 'listen %s\n  bind 127.0.0.1:%s\n  balance roundrobin\n  option httpchk GET /ready\n' "$service" "$port"
  # A fresh connection to an instance per request: a POST sent on a kept-alive connection to an
  # instance that has just died cannot be retried (it may have arrived), a refused connect can.
  printf '  option http-server-close\n  http-reuse never\n'
  printf '  retry-on conn-failure\n'
  printf '  http-check expect status 200\n  http-request deny if { path_beg /metrics }\n'
  for copy in a b; do
    for entry in "${INSTANCES[@]}"; do
      read -r name addr <<<"$entry"
      if [ "$name" = "$service-$copy" ]; then
        printf '  server %s %s check inter 1s fall 2 rise 2\n' "$copy" "$addr"
      fi
    done
  done
}
# PostgreSQL: TCP to the node whose Patroni answers 200 on /primary. Sessions on a node marked
# down are cut, so no pool keeps writing to a demoted primary.
pg_backend() {
  printf 'listen postgres\n  mode tcp\n  bind 127.0.0.1:%s\n' "$PG_PRIMARY_PORT"
  printf '  timeout client 1h\n  timeout server 1h\n'
  printf '  option httpchk GET /primary\n  http-check expect status 200\n'
  printf '  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions\n'
  for n in "${PG_NODES[@]}"; do
    printf '  server pg-%s 127.0.0.1:%s check port %s\n' "$n" "$(port $((55440 + n)))" "$(port $((58008 + n)))"
  done
}
{
  printf '# Generated by scripts/cluster-up.sh. Do not edit.\n'
  printf 'global\n  maxconn 4000\n  log stderr format raw local0 notice\n\n'
  printf 'defaults\n  mode http\n  log global\n  option httplog\n  timeout connect 2s\n'
  printf '  timeout client 60s\n  timeout server 60s\n  option forwardfor\n'
  printf '  retries 2\n  option redispatch\n\n'
  pg_backend
  backend tyndau-command-api "${COMMAND##*:}"
  backend tyndau-query-api "${QUERY##*:}"
  backend tyndau-web "${WEB##*:}"
  backend tyndau-ledger "${LEDGER##*:}"
  printf 'listen stats\n  bind 127.0.0.1:%s\n  stats enable\n  stats uri /\n' "$(port 8404)"
} >"$CLUSTER/haproxy.cfg"
"$HAPROXY" -c -q -f "$CLUSTER/haproxy.cfg" || die "invalid $CLUSTER/haproxy.cfg"
start haproxy "$LOGS/haproxy.log" "$HAPROXY" -db -f "$CLUSTER/haproxy.cfg"
wait_for haproxy "http://127.0.0.1:$(port 8404)/"

# ----------------------------------------------------------------- schema
DB_URL="postgres://tyndau@127.0.0.1:$PG_PRIMARY_PORT/tyndau"
deadline=$((SECONDS + READY_TIMEOUT))
until [ "$(PGCONNECT_TIMEOUT=3 "$PGBIN/psql" "${DB_URL%/*}/postgres" -XtAqc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null || true)" = t ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "the primary does not answer through HAProxy (127.0.0.1:$PG_PRIMARY_PORT)"
  sleep 0.5
done
if ! "$PGBIN/psql" "${DB_URL%/*}/postgres" -XtAqc "SELECT 1 FROM pg_database WHERE datname = 'tyndau'" | grep -q 1; then
  "$PGBIN/psql" "${DB_URL%/*}/postgres" -Xqc 'CREATE DATABASE tyndau' >/dev/null
fi
export DATABASE_URL="$DB_URL" TYNDAU_DATABASE__URL="$DB_URL"
export TYNDAU_NATS__URL="$NATS_URLS" NATS_URL="$NATS_URLS" TYNDAU_NATS__REPLICAS=3 TYNDAU_NATS__PREFIX=tyndau
info "applying migrations"
"$CLI" migrate
if [ ! -f "$TYNDAU_DATA/dev-keys/jwks.json" ]; then
  "$CLI" dev-keys --out "$TYNDAU_DATA/dev-keys"
fi

# ----------------------------------------------------------------- services, twice
mkdir -p "$CLUSTER/idp" "$CLUSTER/mail"
if [ ! -s "$CLUSTER/idp/client-secret" ]; then
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$CLUSTER/idp/client-secret")
fi
CLIENT_SECRET="$(cat "$CLUSTER/idp/client-secret")"
(umask 077; cat >"$CLUSTER/idp/clients.json" <<JSON
[{"client_id": "tyndau-web", "client_name": "Tyndau", "client_secret": "$CLIENT_SECRET",
  "redirect_uris": ["$WEB/auth/callback"], "post_logout_redirect_uris": ["$WEB/"]}]
JSON
)
ensure_node
npm_ci "$TYNDAU_ROOT/deploy/idp"
npm_ci "$TYNDAU_ROOT/deploy/mail"
start tyndau-idp "$LOGS/tyndau-idp.log" env "IDP_PORT=${IDP##*:}" "IDP_ISSUER=$IDP" \
  "IDP_KEY_DIR=$TYNDAU_DATA/dev-keys" "IDP_CLIENTS=$CLUSTER/idp/clients.json" \
  "IDP_API_AUDIENCE=$TYNDAU_AUTH__AUDIENCE" node --title=tyndau-idp "$TYNDAU_ROOT/deploy/idp/server.mjs"
start tyndau-mailbox "$LOGS/tyndau-mailbox.log" env "TYNDAU_HTTP__ADDR=127.0.0.1:$MAILBOX_PORT" \
  "MAILBOX_SMTP_PORT=$SMTP_PORT" "MAILBOX_DIR=$CLUSTER/mail" \
  node --title=tyndau-mailbox "$TYNDAU_ROOT/deploy/mail/server.mjs"

ensure_ledger_keys "$TYNDAU_DATA/ledger"
mapfile -t witness_settings < <(witness_env "$TYNDAU_DATA/ledger" "$CLUSTER/witness/state.json")
start tyndau-witness "$LOGS/tyndau-witness.log" env "TYNDAU_HTTP__ADDR=${WITNESS#http://}" \
  "${witness_settings[@]}" "$BIN_DIR/tyndau-witness"

# What one instance needs beyond the environment above.
instance_env() {
  case "$1" in
    tyndau-ledger) ledger_env "$TYNDAU_DATA/ledger" "$WITNESS" ;;
    tyndau-command-api) printf '%s\n' 'TYNDAU_HTTP__TRUSTED_PROXIES=["127.0.0.1"]' ;;
    tyndau-notifier)
      printf '%s\n' "TYNDAU_MAIL__SMTP_URL=smtp://127.0.0.1:$SMTP_PORT" "TYNDAU_MAIL__PUBLIC_URL=$WEB" ;;
    tyndau-web)
      printf '%s\n' "TYNDAU_SITE__PUBLIC_URL=$WEB" "TYNDAU_COMMAND_API__URL=$COMMAND" \
        "TYNDAU_OIDC__ISSUER=$IDP" "TYNDAU_OIDC__CLIENT_ID=tyndau-web" \
        "TYNDAU_OIDC__CLIENT_SECRET=$CLIENT_SECRET" "TYNDAU_OIDC__REDIRECT_URL=$WEB/auth/callback" \
        "TYNDAU_OIDC__POST_LOGOUT_REDIRECT_URL=$WEB/" "TYNDAU_OIDC__API_AUDIENCE=$TYNDAU_AUTH__AUDIENCE"
      site_ledger_env "$TYNDAU_DATA/ledger" "$LEDGER" ;;
  esac
}

for entry in "${INSTANCES[@]}"; do
  read -r name addr <<<"$entry"
  service="${name%-?}"
  mapfile -t extra < <(instance_env "$service")
  start "$name" "$LOGS/$name.log" env "TYNDAU_HTTP__ADDR=$addr" "${extra[@]}" "$BIN_DIR/$service"
done
wait_for tyndau-idp "$IDP/.well-known/openid-configuration"
wait_for tyndau-witness "$WITNESS/ready"
for entry in "${INSTANCES[@]}"; do
  read -r name addr <<<"$entry"
  wait_for "$name" "http://$addr/ready"
done
info "every service is ready, twice"
wait_for haproxy "$COMMAND/ready"
wait_for haproxy "$WEB/ready"

# ----------------------------------------------------------------- Prometheus
cp "$TYNDAU_ROOT/deploy/prometheus/alerts.yml" "$CLUSTER/alerts.yml"
{
  printf '# Generated by scripts/cluster-up.sh. Do not edit.\n'
  printf 'global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\nrule_files:\n  - alerts.yml\n'
  printf 'scrape_configs:\n  - job_name: tyndau\n    static_configs:\n      - targets:\n'
  for entry in "${INSTANCES[@]}"; do
    read -r name addr <<<"$entry"
    printf '          - %s # %s\n' "$addr" "$name"
  done
} >"$CLUSTER/prometheus.yml"
"$TYNDAU_TOOLS/bin/promtool" check config "$CLUSTER/prometheus.yml" >/dev/null || die "invalid $CLUSTER/prometheus.yml"
mkdir -p "$CLUSTER/prometheus-data"
start prometheus "$LOGS/prometheus.log" "$PROMETHEUS" --config.file="$CLUSTER/prometheus.yml" \
  --storage.tsdb.path="$CLUSTER/prometheus-data" --web.listen-address="127.0.0.1:$(port 9090)"
wait_for prometheus "http://127.0.0.1:$(port 9090)/-/ready"

if [ "${TYNDAU_CLUSTER_SEED:-1}" != 0 ]; then
  info "loading demo data"
  "$CLI" seed-demo
fi

cat >"$CLUSTER/env" <<EOF
# Generated by scripts/cluster-up.sh: the cluster's addresses, over .data/env's.
export DATABASE_URL=$DB_URL
export TYNDAU_DATABASE__URL=$DB_URL
export NATS_URL=$NATS_URLS
export TYNDAU_NATS__URL=$NATS_URLS
export TYNDAU_NATS__PREFIX=tyndau
export TYNDAU_AUTH__ISSUER=$IDP
export TYNDAU_COMMAND_URL=$COMMAND
export TYNDAU_QUERY_URL=$QUERY
export TYNDAU_WEB_URL=$WEB
export TYNDAU_CLUSTER_PATRONI="http://127.0.0.1:$(port 58009) http://127.0.0.1:$(port 58010)"
export TYNDAU_CLUSTER_NATS_MONITOR="http://127.0.0.1:$(port 58231) http://127.0.0.1:$(port 58232) http://127.0.0.1:$(port 58233)"
EOF
printf '\nTyndau cluster is up.\n\n'
printf '  Web front     %s   (HAProxy over two instances)\n' "$WEB"
printf '  Command API   %s   (HAProxy over two instances)\n' "$COMMAND"
printf '  Query API     %s   (HAProxy over two instances)\n' "$QUERY"
printf '  Public log    %s   (HAProxy over two ledger instances; witness %s)\n' "$LEDGER" "$WITNESS"
printf '  Sign in       %s   (development identity provider)\n' "$IDP"
printf '  HAProxy       http://127.0.0.1:%s/\n' "$(port 8404)"
printf '  Prometheus    http://127.0.0.1:%s/   (alerts: /alerts)\n' "$(port 9090)"
printf '  NATS          %s   (monitoring http://127.0.0.1:%s … %s)\n' "$NATS_URLS" "$(port 58231)" "$(port 58233)"
printf '  PostgreSQL    %s   (HAProxy to the primary; patronictl -c %s list)\n' "$DB_URL" "$PG_BASE/patroni-1.yml"
printf '  Instances     (each with /health, /ready, /metrics)\n'
for entry in "${INSTANCES[@]}"; do
  read -r name addr <<<"$entry"
  printf '    %-34s http://%s\n' "$name" "$addr"
done
printf '\n  Logs          %s\n  Stop          just cluster-down\n' "$LOGS"
