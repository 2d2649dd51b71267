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

load_dev_env
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

IDP="http://$(addr_of tyndau-idp)"
# Every token's issuer: the development identity provider (tyndau-cli mint-token mints the same).
export TYNDAU_AUTH__ISSUER="$IDP"

program_of() {
  local i
  for i in "${!SERVICE_NAMES[@]}"; do
    [ "${SERVICE_NAMES[$i]}" = "$1" ] && { echo "${SERVICE_PROGRAMS[$i]}"; return 0; }
  done
}

CLI="$BIN_DIR/tyndau-cli"
for i in "${!SERVICE_NAMES[@]}"; do
  bin="${SERVICE_NAMES[$i]}"
  [ "${SERVICE_PROGRAMS[$i]}" = - ] || continue
  [ -x "$BIN_DIR/$bin" ] || die "$BIN_DIR/$bin not found: build first (just build)"
done
[ -x "$CLI" ] || die "$CLI not found: build first (just build)"
# The development identity provider runs on Node.js with its locked packages.
ensure_node
npm_ci "$TYNDAU_ROOT/deploy/idp"
# The development mail server (deploy/mail): a real SMTP server that keeps what it is sent.
npm_ci "$TYNDAU_ROOT/deploy/mail"
SMTP_PORT=$((2525 + ${TYNDAU_PORT_OFFSET:-0}))
MAILBOX="http://$(addr_of tyndau-mailbox)"

# The web front is a client of the identity provider: its callback and sign-out addresses are
# registered, with a secret made once per checkout.
mkdir -p "$TYNDAU_DATA/idp"
if [ ! -s "$TYNDAU_DATA/idp/client-secret" ]; then
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TYNDAU_DATA/idp/client-secret")
fi
CLIENT_SECRET="$(cat "$TYNDAU_DATA/idp/client-secret")"
(
  umask 077
  cat >"$TYNDAU_DATA/idp/clients.json" <<JSON
[
  {
    "client_id": "tyndau-web",
    "client_name": "Tyndau",
    "client_secret": "$CLIENT_SECRET",
    "redirect_uris": ["$WEB/auth/callback"],
    "post_logout_redirect_uris": ["$WEB/"]
  }
]
JSON
)

# What one service needs beyond .data/env, as NAME=VALUE words.
service_env() {
  case "$1" in
    tyndau-idp)
      printf '%s\n' "IDP_PORT=${2##*:}" "IDP_ISSUER=$IDP" "IDP_KEY_DIR=$TYNDAU_DATA/dev-keys" \
        "IDP_CLIENTS=$TYNDAU_DATA/idp/clients.json" "IDP_API_AUDIENCE=$TYNDAU_AUTH__AUDIENCE" ;;
    tyndau-command-api)
      # The web front calls the command API for browsers: its X-Forwarded-For is believed.
      printf '%s\n' 'TYNDAU_HTTP__TRUSTED_PROXIES=["127.0.0.1"]' ;;
    tyndau-mailbox)
      printf '%s\n' "MAILBOX_SMTP_PORT=$SMTP_PORT" "MAILBOX_DIR=$TYNDAU_DATA/mail" ;;
    tyndau-notifier)
      printf '%s\n' "TYNDAU_MAIL__SMTP_URL=smtp://127.0.0.1:$SMTP_PORT" "TYNDAU_MAIL__PUBLIC_URL=$WEB" ;;
    tyndau-witness) witness_env "$TYNDAU_DATA/ledger" "$TYNDAU_DATA/witness/state.json" ;;
    tyndau-ledger) ledger_env "$TYNDAU_DATA/ledger" "http://$(addr_of tyndau-witness)" ;;
    tyndau-web)
      printf '%s\n' "TYNDAU_SITE__PUBLIC_URL=$WEB" "TYNDAU_COMMAND_API__URL=$COMMAND_API" \
        "TYNDAU_OIDC__ISSUER=$IDP" "TYNDAU_OIDC__CLIENT_ID=tyndau-web" \
        "TYNDAU_OIDC__CLIENT_SECRET=$CLIENT_SECRET" "TYNDAU_OIDC__REDIRECT_URL=$WEB/auth/callback" \
        "TYNDAU_OIDC__POST_LOGOUT_REDIRECT_URL=$WEB/" "TYNDAU_OIDC__API_AUDIENCE=$TYNDAU_AUTH__AUDIENCE"
      site_ledger_env "$TYNDAU_DATA/ledger" "http://$(addr_of tyndau-ledger)" ;;
  esac
}

mkdir -p "$TYNDAU_DATA/logs" "$TYNDAU_DATA/pids"

info "applying migrations"
"$CLI" migrate

if [ ! -f "$TYNDAU_DATA/dev-keys/jwks.json" ]; then
  info "creating development signing keys in .data/dev-keys"
  "$CLI" dev-keys --out "$TYNDAU_DATA/dev-keys"
fi
ensure_ledger_keys "$TYNDAU_DATA/ledger"

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
  program="$(program_of "$name")"
  if [ "$program" = - ]; then
    command=("$BIN_DIR/$name")
  else
    command=(node "--title=$name" "$TYNDAU_ROOT/$program")
  fi
  mapfile -t extra < <(service_env "$name" "$addr")
  TYNDAU_HTTP__ADDR="$addr" setsid nohup env "${extra[@]}" "${command[@]}" >>"$log" 2>&1 </dev/null &
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
printf '  Sign in       %s/auth/login   (development identity provider: %s)\n' "$WEB" "$IDP"
printf '  Command API   %s\n' "$COMMAND_API"
printf '  Query API     %s   (OpenAPI: %s/openapi.json)\n\n' "$QUERY_API" "$QUERY_API"
printf '  Health (/health = process up, /ready = its dependencies answer)\n'
for entry in "${SERVICES[@]}"; do
  read -r name addr <<<"$entry"
  printf '    %-32s http://%s/health   http://%s/ready\n' "$name" "$addr" "$addr"
done
cat <<EOF

  Demo accounts (password: demo), from deploy/idp/accounts.json:
    aigerim (Almaty city), nurlan (Astana), olga (Shymkent), dmitry (Karaganda),
    askar (Ulytau) — citizens; dana — a citizen aged 16 (Almaty region), refused signing;
    erlan — official of the Government; madina — official of the Almaty city akimat;
    timur — moderator; aliya — administrator.

  Demo mail     $MAILBOX/   (the newest messages; all of them in .data/mail/mail.mbox,
                SMTP on 127.0.0.1:$SMTP_PORT). Sign a demo petition, answer it as erlan,
                and the signers' emails arrive there; "My page" has the same in its inbox.

  PostgreSQL    $DATABASE_URL
  NATS          $NATS_URL

  Dev token     source .data/env && target/release/tyndau-cli mint-token --role citizen --iin 900101300017 --region almaty
  Logs          just logs        (files in .data/logs/)
  Stop          just down
EOF
