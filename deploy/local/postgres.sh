#!/usr/bin/env bash
# Makes sure the local PostgreSQL runs and holds the platform's role and databases:
# one database per service, plus a *_test twin for the test suites (so tests never touch the
# data of a running platform).
#
#   deploy/local/postgres.sh ensure
#
# Environment: DB_HOST (127.0.0.1), DB_PORT (5432), DB_SUPERUSER (postgres), DB_USER (exportcontrol)
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_SUPERUSER=${DB_SUPERUSER:-postgres}
DB_USER=${DB_USER:-exportcontrol}
# one database per service (licensing, provincial-reporting, enforcement-coordination,
# notification, gateway) and one for the shared library's own tests
DATABASES=(licensing reporting enforcement notification gateway)
TEST_ONLY_DATABASES=(platform_lib_test)

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() { printf '[postgres.sh] ERROR: %s\n' "$*" >&2; exit 1; }

psql_super() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

ensure_running() {
  command -v pg_isready >/dev/null || die "PostgreSQL client tools are missing (Debian package postgresql-client)"
  if pg_isready -h "$DB_HOST" -p "$DB_PORT" -q; then
    return
  fi
  if [ "$DB_HOST" != 127.0.0.1 ] && [ "$DB_HOST" != localhost ]; then
    die "the database at $DB_HOST:$DB_PORT is down, and it is not local, so it cannot be started here"
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] || die "no local PostgreSQL cluster (/etc/postgresql is empty); install PostgreSQL 15"
  log "PostgreSQL is down: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start \
    || die "cannot start PostgreSQL $version/main (see /var/log/postgresql/postgresql-$version-main.log)"
  for _ in $(seq 1 30); do
    pg_isready -h "$DB_HOST" -p "$DB_PORT" -q && return
    sleep 1
  done
  die "PostgreSQL did not accept connections on $DB_HOST:$DB_PORT within 30 s"
}

ensure_databases() {
  if [ "$(psql_super -c "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
    log "creating role $DB_USER"
    psql_super -c "create role \"$DB_USER\" login"
  fi
  local db
  for db in "${DATABASES[@]}" "${DATABASES[@]/%/_test}" "${TEST_ONLY_DATABASES[@]}"; do
    if [ "$(psql_super -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      log "creating database $db"
      psql_super -c "create database \"$db\" owner \"$DB_USER\""
    fi
  done
}

case "${1:-ensure}" in
  ensure)
    ensure_running
    ensure_databases
    log "PostgreSQL is up on $DB_HOST:$DB_PORT with the platform's databases"
    ;;
  *)
    echo "usage: $(basename "$0") ensure" >&2
    exit 2
    ;;
esac
