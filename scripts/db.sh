#!/usr/bin/env bash
# Pool's private PostgreSQL: installs the server if missing, keeps a cluster under .data/postgres on a
# loopback port, creates the role and database, applies the schema. Safe to run again: it says what
# it found and changes nothing that is already right.
#
#   scripts/db.sh start     install if needed, init, start, create role + database, apply the schema
#   scripts/db.sh stop      stop the server (data is kept)
#   scripts/db.sh status    is it running, and where
#   scripts/db.sh url       print the connection string
#   scripts/db.sh sql "Q"   run one SQL statement on Pool's database and print the result
#
# Settings (environment): POOL_PG_PORT (7432), POOL_PG_DIR (<repo>/.data/postgres),
# POOL_PG_DATABASE (pool), POOL_PG_USER (pool), POOL_SKIP_SCHEMA=1 to skip the schema step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${POOL_PG_PORT:-7432}"
BASE="${POOL_PG_DIR:-$ROOT/.data/postgres}"
DATA="$BASE/data"
SOCKETS="$BASE/run"
LOG="$BASE/server.log"
DB="${POOL_PG_DATABASE:-pool}"
DB_USER="${POOL_PG_USER:-pool}"
CONNECTION="Host=127.0.0.1;Port=$PORT;Database=$DB;Username=$DB_USER"

say() { printf 'db: %s\n' "$*"; }
die() { printf 'db: error: %s\n' "$*" >&2; exit 1; }

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/pg_ctl" ]]; then PG_BIN="$dir"; fi
  done
  [[ -n "${PG_BIN:-}" ]]
}

install_server() {
  if find_bin; then return; fi
  say "PostgreSQL server not found; installing Debian's postgresql package"
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "PostgreSQL is not installed and this user cannot install it (no sudo): apt-get install postgresql"
    sudo="sudo"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  find_bin || die "postgresql was installed but no pg_ctl was found under /usr/lib/postgresql"
}

# The server refuses to run as root: as root, run its tools as the postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    local cmd
    printf -v cmd '%q ' "$@"
    su postgres -s /bin/sh -c "cd / && $cmd"
  else
    "$@"
  fi
}

running() { [[ -f "$DATA/PG_VERSION" ]] && as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_admin() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# As root the server runs as the postgres user, who may not be able to reach a checkout under a
# private home directory: then the cluster lives under /var/tmp instead (said on the console).
place_cluster() {
  mkdir -p "$BASE"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$BASE"
    if ! su postgres -s /bin/sh -c "test -w '$BASE'" 2>/dev/null; then
      BASE="/var/tmp/pool-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
      DATA="$BASE/data"; SOCKETS="$BASE/run"; LOG="$BASE/server.log"
      say "the postgres user cannot reach $ROOT; keeping the cluster in $BASE"
      mkdir -p "$BASE" && chown postgres "$BASE"
    fi
  fi
}

start() {
  install_server
  place_cluster
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    say "creating a cluster in $DATA"
    as_owner mkdir -p "$DATA" "$SOCKETS"
    as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_owner mkdir -p "$SOCKETS"

  if running; then
    say "server already running on 127.0.0.1:$PORT"
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      die "port $PORT is taken by another process; set POOL_PG_PORT to a free port"
    fi
    say "starting the server on 127.0.0.1:$PORT (log: $LOG)"
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -k $SOCKETS -c max_connections=300 -c fsync=on" start >/dev/null \
      || { tail -20 "$LOG" >&2; die "the server did not start"; }
  fi

  if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" == "1" ]]; then
    say "role $DB_USER exists"
  else
    psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB"
    say "created role $DB_USER"
  fi
  if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" == "1" ]]; then
    say "database $DB exists"
  else
    psql_admin -c "CREATE DATABASE \"$DB\" OWNER \"$DB_USER\""
    say "created database $DB"
  fi

  if [[ "${POOL_SKIP_SCHEMA:-0}" != "1" ]]; then
    say "applying the schema"
    dotnet run --project "$ROOT/src/Silo" -c "${CONFIGURATION:-Release}" -- migrate "--Pool:Database:ConnectionString=$CONNECTION" | sed 's/^/db: /'
  fi
  say "ready: $CONNECTION"
}

stop() {
  find_bin || die "PostgreSQL is not installed"
  place_cluster
  if running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    say "stopped"
  else
    say "not running"
  fi
}

status() {
  if find_bin && place_cluster && running; then
    say "running on 127.0.0.1:$PORT, data in $DATA"
    say "$CONNECTION"
  else
    say "not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "$CONNECTION" ;;
  sql)
    find_bin || die "PostgreSQL is not installed"
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB" -v ON_ERROR_STOP=1 -qtA -c "${2:?usage: scripts/db.sh sql \"SELECT ...\"}"
    ;;
  *) echo "usage: scripts/db.sh start|stop|status|url|sql" >&2; exit 64 ;;
esac
