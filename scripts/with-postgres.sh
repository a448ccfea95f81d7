#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: a fresh cluster in a temp dir on a free
# loopback port, fsync off, stopped and removed when the command ends (however it ends).
# Exports DATABASE_ADMIN_URL (the superuser that owns the schema) and DATABASE_URL (a plain
# login role the app connects as), and TOUCHPOINT_ENCRYPTION_KEY for that database.
#
#   bash scripts/with-postgres.sh pnpm test
#
# With DATABASE_URL already set, the command runs against that instead. Without PostgreSQL
# binaries (PG_BIN, default /usr/lib/postgresql/15/bin) it runs on the embedded database only,
# except under CI=1, where a missing server is a failure, not a quieter test run.
set -euo pipefail

if [[ -n "${DATABASE_URL:-}" ]]; then
  exec "$@"
fi
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$PG_BIN/initdb" ]]; then
  if [[ -n "${CI:-}" ]]; then
    echo "with-postgres: no PostgreSQL binaries in $PG_BIN, and CI needs them (set PG_BIN)" >&2
    exit 1
  fi
  echo "with-postgres: no PostgreSQL binaries in $PG_BIN; running on the embedded database only" >&2
  exec "$@"
fi

# The server refuses to run as root: run it as the postgres user when we are root.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/touchpoint-pg.XXXXXX")
[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

stop() {
  local code=$?
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit "$code"
}
trap stop EXIT INT TERM

as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_admin -d postgres -c "create role touchpoint login password 'touchpoint'" -c "create database touchpoint"

export DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:$port/touchpoint"
export DATABASE_URL="postgres://touchpoint:touchpoint@127.0.0.1:$port/touchpoint"
export TOUCHPOINT_ENCRYPTION_KEY=${TOUCHPOINT_ENCRYPTION_KEY:-$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("base64"))')}
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

"$@"
