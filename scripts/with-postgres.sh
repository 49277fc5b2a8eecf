#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 server.
#
# The server lives in a temporary directory, listens only on a unix socket there (no TCP),
# runs as a non-root user (the `postgres` system user when called as root), and is stopped
# and removed when the command ends, whether it passed or failed. The command sees
# DATABASE_URL pointing at the server; its exit code is this script's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

for tool in initdb pg_ctl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-postgres: '$tool' saknas: installera PostgreSQL 15:s server (Debian: postgresql-15)." >&2
    exit 1
  fi
done

workdir=$(mktemp -d "${TMPDIR:-/tmp}/award-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=${PG_OS_USER:-postgres}
  if ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  chown "$owner" "$workdir"
  chmod 755 "$workdir"
  as_owner=(runuser -u "$owner" --)
fi

data="$workdir/data"
stop() {
  "${as_owner[@]}" pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${as_owner[@]}" initdb -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" pg_ctl -D "$data" -l "$workdir/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$workdir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

psql -q -h "$workdir" -U postgres -d postgres -c "CREATE DATABASE award" >/dev/null
export DATABASE_URL="postgres://postgres@/award?host=$workdir"
status=0
"$@" || status=$?
exit "$status"
