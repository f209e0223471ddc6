#!/usr/bin/env bash
# Makes sure the local PostgreSQL runs and holds the platform's role and databases:
# one database per service, plus a *_test twin for the test suites (so tests never touch the
# data of a running platform).
#
#   deploy/local/postgres.sh ensure      # start PostgreSQL if it is down, create what is missing
#   deploy/local/postgres.sh recreate    # drop and create the EC_DB_SUFFIX databases (empty again)
#   deploy/local/postgres.sh restart     # restart the local cluster (the fault test's restart under load)
#
# Environment: DB_HOST (127.0.0.1), DB_PORT (5432), DB_SUPERUSER (postgres), DB_USER (exportcontrol),
# EC_DB_SUFFIX (empty): also a set of databases with this suffix (e.g. `_e2e`: licensing_e2e ...),
# for a platform that must not share the demo platform's data (the end-to-end test, docs/e2e.md).
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_SUPERUSER=${DB_SUPERUSER:-postgres}
DB_USER=${DB_USER:-exportcontrol}
# one database per service (licensing, provincial-reporting, enforcement-coordination,
# notification, gateway) and one for the shared library's own tests
DATABASES=(licensing reporting enforcement notification gateway)
TEST_ONLY_DATABASES=(platform_lib_test)
DB_SUFFIX=${EC_DB_SUFFIX:-}
[[ -z $DB_SUFFIX || $DB_SUFFIX =~ ^_[a-z0-9_]+$ ]] || { echo "[postgres.sh] ERROR: EC_DB_SUFFIX must look like _e2e" >&2; exit 2; }
SUFFIXED_DATABASES=()
[ -z "$DB_SUFFIX" ] || SUFFIXED_DATABASES=("${DATABASES[@]/%/$DB_SUFFIX}")

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
  for db in "${DATABASES[@]}" "${DATABASES[@]/%/_test}" "${TEST_ONLY_DATABASES[@]}" "${SUFFIXED_DATABASES[@]}"; do
    if [ "$(psql_super -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      log "creating database $db"
      psql_super -c "create database \"$db\" owner \"$DB_USER\""
    fi
  done
}

local_cluster() { # prints the version of the local cluster (Debian layout), or dies
  local version
  if [ "$DB_HOST" != 127.0.0.1 ] && [ "$DB_HOST" != localhost ]; then
    die "the database at $DB_HOST:$DB_PORT is not local, so it cannot be started or restarted here"
  fi
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] || die "no local PostgreSQL cluster (/etc/postgresql is empty); install PostgreSQL 15"
  echo "$version"
}

restart_running() {
  # every connection is cut (fast shutdown); the services must reconnect by themselves
  local version
  version=$(local_cluster)
  log "restarting PostgreSQL cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main restart \
    || die "cannot restart PostgreSQL $version/main (see /var/log/postgresql/postgresql-$version-main.log)"
  for _ in $(seq 1 60); do
    pg_isready -h "$DB_HOST" -p "$DB_PORT" -q && { log "PostgreSQL accepts connections again"; return; }
    sleep 0.5
  done
  die "PostgreSQL did not accept connections on $DB_HOST:$DB_PORT within 30 s after the restart"
}

recreate_suffixed() {
  # only the suffixed set: the demo platform's databases and the *_test ones are never dropped here
  [ -n "$DB_SUFFIX" ] && [ "$DB_SUFFIX" != _test ] || die "recreate needs EC_DB_SUFFIX (not _test), e.g. EC_DB_SUFFIX=_e2e"
  local db
  for db in "${SUFFIXED_DATABASES[@]}"; do
    log "recreating database $db (empty)"
    psql_super -c "drop database if exists \"$db\" with (force)"
    psql_super -c "create database \"$db\" owner \"$DB_USER\""
  done
}

case "${1:-ensure}" in
  ensure)
    ensure_running
    ensure_databases
    log "PostgreSQL is up on $DB_HOST:$DB_PORT with the platform's databases"
    ;;
  recreate)
    ensure_running
    ensure_databases
    recreate_suffixed
    ;;
  restart)
    restart_running
    ;;
  *)
    echo "usage: $(basename "$0") ensure|recreate|restart" >&2
    exit 2
    ;;
esac
