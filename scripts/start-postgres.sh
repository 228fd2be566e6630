#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:55432 owned by the `postgres` user
# and exports TOLLGATE_PG_URL for the ledger tests. Source it: `source scripts/start-postgres.sh`.
# Does nothing (and leaves TOLLGATE_PG_URL unset) when PostgreSQL is not installed.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$PGBIN" ]]; then
  echo "start-postgres: PostgreSQL not installed; PostgreSQL tests will be skipped" >&2
  return 0 2>/dev/null || exit 0
fi
PGDATA=${TOLLGATE_PGDATA:-/tmp/tollgate-pg}
PGPORT=${TOLLGATE_PGPORT:-55432}
if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA" 2>/dev/null || true
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres" >/dev/null
  else
    "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
  fi
fi
if ! "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1' -l $PGDATA/log -w start" >/dev/null
  else
    "$PGBIN/pg_ctl" -D "$PGDATA" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1" -l "$PGDATA/log" -w start >/dev/null
  fi
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tollgate_test'" | grep -q 1 ||
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE tollgate_test" >/dev/null
export TOLLGATE_PG_URL="postgresql://postgres@127.0.0.1:$PGPORT/tollgate_test"
echo "start-postgres: $TOLLGATE_PG_URL" >&2
