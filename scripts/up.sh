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

# name and listen address of each long-running service, in start order.
SERVICES=(
  "tyndau-command-api 127.0.0.1:8081"
  "tyndau-query-api 127.0.0.1:8082"
  "tyndau-event-relay 127.0.0.1:8083"
  "tyndau-projector-thresholds 127.0.0.1:8084"
  "tyndau-scheduler 127.0.0.1:8085"
  "tyndau-projector-consultations 127.0.0.1:8086"
  "tyndau-web 127.0.0.1:8087"
)

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

cat <<EOF

Tyndau is up.

  Web front     http://127.0.0.1:8087   (Kazakh: /kk/, Russian: /ru/, English: /en/)
  Command API   http://127.0.0.1:8081
  Query API     http://127.0.0.1:8082   (OpenAPI: http://127.0.0.1:8082/openapi.json)

  Health (/health = process up, /ready = its dependencies answer)
    tyndau-command-api            http://127.0.0.1:8081/health   http://127.0.0.1:8081/ready
    tyndau-query-api              http://127.0.0.1:8082/health   http://127.0.0.1:8082/ready
    tyndau-event-relay            http://127.0.0.1:8083/health   http://127.0.0.1:8083/ready
    tyndau-projector-thresholds   http://127.0.0.1:8084/health   http://127.0.0.1:8084/ready
    tyndau-scheduler              http://127.0.0.1:8085/health   http://127.0.0.1:8085/ready
    tyndau-projector-consultations http://127.0.0.1:8086/health  http://127.0.0.1:8086/ready
    tyndau-web                    http://127.0.0.1:8087/health   http://127.0.0.1:8087/ready

  PostgreSQL    $DATABASE_URL
  NATS          $NATS_URL

  Dev token     source .data/env && target/release/tyndau-cli mint-token --role citizen --iin 900101300017 --region almaty
  Logs          just logs        (files in .data/logs/)
  Stop          just down
EOF
