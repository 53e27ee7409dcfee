#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb in a temporary folder, a server on
# a free loopback port, PORTICO_TEST_POSTGRES_URL pointing at it; everything is removed when the
# command ends, however it ends.
#
#   scripts/with-postgres.sh cargo test
set -euo pipefail

pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/initdb" ]] && pg_bin="$candidate"
done
if [[ -z "$pg_bin" ]]; then
  echo "with-postgres: PostgreSQL server binaries not found (install the Debian package 'postgresql')" >&2
  exit 1
fi

work=$(mktemp -d /tmp/portico-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root; as root, run it as the 'postgres' system user.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$work"
  as_owner=(runuser -u "$owner" --)
fi

stop() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT INT TERM

"${as_owner[@]}" "$pg_bin/initdb" -D "$work/data" -U portico --auth=trust --no-sync -E UTF8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
# Durability settings are off: this cluster lives for one test run.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 start \
  -o "-h 127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  >/dev/null || { cat "$work/server.log" >&2; exit 1; }

export PORTICO_TEST_POSTGRES_URL="postgres://portico@127.0.0.1:$port/postgres"
echo "with-postgres: throwaway PostgreSQL at 127.0.0.1:$port" >&2
"$@"
