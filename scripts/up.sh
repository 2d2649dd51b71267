#!/usr/bin/env bash
# Start the Tyndau services in the background against the servers described
# by .data/env (run scripts/dev-env.sh first; `just up` does env + build + this).
#
# Steps: migrate, create dev signing keys once, (re)start the services,
# wait for each /ready, seed demo data, print the URLs.
# Logs: .data/logs/<service>.log; pid files: .data/pids/<service>.pid.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

[ -f "$TYNDAU_DATA/env" ] || die ".data/env is missing: run scripts/dev-env.sh (or just env) first"
# shellcheck source=/dev/null
source "$TYNDAU_DATA/env"
export RUST_LOG="${RUST_LOG:-info}"

# TYNDAU_BIN_DIR lets these scripts be exercised without a release build.
BIN_DIR="${TYNDAU_BIN_DIR:-$TYNDAU_ROOT/target/release}"
READY_TIMEOUT="${TYNDAU_READY_TIMEOUT:-60}"

read_services
# "name host:port" of each long-running service, in start order.
SERVICES=()
for i in "${!SERVICE_NAMES[@]}"; do
  SERVICES+=("${SERVICE_NAMES[$i]} 127.0.0.1:${SERVICE_PORTS[$i]}")
done
addr_of() {
  local entry
  for entry in "${SERVICES[@]}"; do
    [ "${entry%% *}" = "$1" ] && { echo "${entry#* }"; return 0; }
  done
  die "$1 is not in deploy/services.tsv"
}
COMMAND_API="http://$(addr_of tyndau-command-api)"
QUERY_API="http://$(addr_of tyndau-query-api)"
WEB="http://$(addr_of tyndau-web)"
# Where each service finds the others (matters when TYNDAU_PORT_OFFSET moves the ports).
export TYNDAU_SITE__QUERY_API_URL="$QUERY_API"

CLI="$BIN_DIR/tyndau-cli"
for bin in tyndau-cli $(printf '%s\n' "${SERVICES[@]}" | cut -d' ' -f1); do
  [ -x "$BIN_DIR/$bin" ] || die "$BIN_DIR/$bin not found: build first (just build)"
done

mkdir -p "$TYNDAU_DATA/logs" "$TYNDAU_DATA/pids"

info "applying migrations"
"$CLI" migrate

if [ ! -f "$TYNDAU_DATA/dev-keys/jwks.json" ]; then
  info "creating development signing keys in .data/dev-keys"
  "$CLI" dev-keys --out "$TYNDAU_DATA/dev-keys"
fi

# Start (or restart) every service. Restarting, not reusing: `just up` after
# a rebuild must run the new binaries.
for entry in "${SERVICES[@]}"; do
  read -r name addr <<<"$entry"
  pidfile="$TYNDAU_DATA/pids/$name.pid"
  log="$TYNDAU_DATA/logs/$name.log"
  if pid_alive "$pidfile" "$name"; then
    info "restarting $name"
    stop_pidfile "$pidfile" "$name" 10
  fi
  rm -f "$pidfile"
  # Otherwise the /ready check below could be answered by a stray process
  # (e.g. one started from another checkout) instead of the one we start.
  if tcp_open "${addr%:*}" "${addr##*:}"; then
    die "$addr is already in use by a process this checkout did not start (see: ss -ltnp | grep ${addr##*:})"
  fi
  printf '\n===== %s: starting %s on %s =====\n' "$(date -Is)" "$name" "$addr" >>"$log"
  # setsid + nohup: own session, no terminal, so the service outlives this
  # script and a closed terminal; `just down` stops it via the pid file.
  TYNDAU_HTTP__ADDR="$addr" setsid nohup "$BIN_DIR/$name" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  info "started $name (pid $!, log .data/logs/$name.log)"
done

# Wait for every /ready, sharing one deadline; fail fast if a process dies.
pending=("${SERVICES[@]}")
deadline=$((SECONDS + READY_TIMEOUT))
while [ "${#pending[@]}" -gt 0 ]; do
  still=()
  for entry in "${pending[@]}"; do
    read -r name addr <<<"$entry"
    pidfile="$TYNDAU_DATA/pids/$name.pid"
    if ! pid_alive "$pidfile" "$name"; then
      warn "$name exited during startup; last lines of .data/logs/$name.log:"
      tail -n 40 "$TYNDAU_DATA/logs/$name.log" >&2 || true
      die "startup failed; the other services are still running (stop them with: just down)"
    fi
    if http_ok "http://$addr/ready"; then
      info "$name is ready"
    else
      still+=("$entry")
    fi
  done
  pending=("${still[@]+"${still[@]}"}")
  [ "${#pending[@]}" -eq 0 ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    for entry in "${pending[@]}"; do
      read -r name addr <<<"$entry"
      warn "$name is not ready after ${READY_TIMEOUT}s (GET http://$addr/ready); last lines of .data/logs/$name.log:"
      tail -n 40 "$TYNDAU_DATA/logs/$name.log" >&2 || true
    done
    die "startup timed out; the other services are still running (stop them with: just down)"
  fi
  sleep 0.5
done

info "loading demo data"
"$CLI" seed-demo

printf '\nTyndau is up.\n\n'
printf '  Web front     %s   (Kazakh: /kk/, Russian: /ru/, English: /en/)\n' "$WEB"
printf '  Command API   %s\n' "$COMMAND_API"
printf '  Query API     %s   (OpenAPI: %s/openapi.json)\n\n' "$QUERY_API" "$QUERY_API"
printf '  Health (/health = process up, /ready = its dependencies answer)\n'
for entry in "${SERVICES[@]}"; do
  read -r name addr <<<"$entry"
  printf '    %-32s http://%s/health   http://%s/ready\n' "$name" "$addr" "$addr"
done
cat <<EOF

  PostgreSQL    $DATABASE_URL
  NATS          $NATS_URL

  Dev token     source .data/env && target/release/tyndau-cli mint-token --role citizen --iin 900101300017 --region almaty
  Logs          just logs        (files in .data/logs/)
  Stop          just down
EOF
