#!/usr/bin/env bash
# Runs the whole platform on this machine:  start | stop | status
#
#   start   builds what is missing, makes sure PostgreSQL runs (with the platform's databases),
#           starts Keycloak (realm export-control with the LOCAL DEMO users) and the five services,
#           waits until each is ready, and prints the addresses and demo logins;
#   stop    ends what `start` started (from its pid files) and nothing else;
#   status  shows what runs and whether it is healthy.
#
# Environment: EC_WORK_DIR (default <repo>/target/local) for logs and pid files; KEYCLOAK_PORT (8180);
# EC_REBUILD=1 forces a rebuild. Ports: gateway 8080, licensing 8081, provincial-reporting 8082,
# enforcement-coordination 8083, notification 8084 (gRPC shares each HTTP port).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
export EC_WORK_DIR=${EC_WORK_DIR:-$REPO_ROOT/target/local}
export KEYCLOAK_PORT=${KEYCLOAK_PORT:-8180}
export KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
LOG_DIR=$EC_WORK_DIR/logs
PID_DIR=$EC_WORK_DIR/pids

# name:port, in start order (the gateway last: it calls the others)
SERVICES=(licensing:8081 provincial-reporting:8082 enforcement-coordination:8083 notification:8084 gateway:8080)

log() { printf '[platform] %s\n' "$*"; }
die() { printf '[platform] ERROR: %s\n' "$*" >&2; exit 1; }

port_owner() {
  # prints "name (pid N)" of the process listening on a TCP port, or nothing
  local port=$1 line
  line=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n 1)
  [ -n "$line" ] || return 0
  echo "$line" | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p'
}

running_pid() {
  local pid_file=$PID_DIR/$1.pid pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

build_if_needed() {
  local missing=0 entry
  for entry in "${SERVICES[@]}"; do
    [ -f "$REPO_ROOT/services/${entry%%:*}/target/quarkus-app/quarkus-run.jar" ] || missing=1
  done
  if [ "$missing" = 1 ] || [ "${EC_REBUILD:-0}" = 1 ]; then
    command -v mvn >/dev/null || die "Maven is missing (Debian package maven)"
    log "building the platform (mvn install, tests skipped; the test command runs them)"
    (cd "$REPO_ROOT" && mvn -B -q install -DskipTests) || die "the build failed"
  fi
}

start_service() {
  local name=${1%%:*} port=${1##*:} pid owner
  if pid=$(running_pid "$name"); then
    log "$name already runs (pid $pid)"
    return
  fi
  owner=$(port_owner "$port")
  [ -z "$owner" ] || die "cannot start $name: port $port is taken by $owner"
  log "starting $name on http://127.0.0.1:$port"
  HTTP_PORT=$port setsid java ${EC_SERVICE_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    -jar "$REPO_ROOT/services/$name/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$PID_DIR/$name.pid"
}

wait_ready() {
  local name=${1%%:*} port=${1##*:} waited=0
  printf '[platform] waiting for %s ' "$name"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    if ! running_pid "$name" >/dev/null; then
      echo
      tail -n 20 "$LOG_DIR/$name.log" >&2
      die "$name stopped while starting (log: $LOG_DIR/$name.log)"
    fi
    [ "$waited" -lt 90 ] || { echo; die "$name was not ready within 90 s (log: $LOG_DIR/$name.log)"; }
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  echo " ready"
}

start() {
  command -v java >/dev/null || die "no JDK on the PATH (Java 17 runs the services)"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  set -a
  # shellcheck source=demo-secrets.env
  . "$SCRIPT_DIR/demo-secrets.env"
  set +a
  build_if_needed
  "$SCRIPT_DIR/postgres.sh" ensure
  "$SCRIPT_DIR/keycloak.sh" start
  local entry
  for entry in "${SERVICES[@]}"; do
    start_service "$entry"
  done
  for entry in "${SERVICES[@]}"; do
    wait_ready "$entry"
  done
  cat <<TXT

The export-control platform runs.
  Web gateway (UI and REST API)   http://127.0.0.1:8080
  Keycloak (realm export-control) $KEYCLOAK_URL/realms/export-control
  gRPC (plaintext, HTTP port)     licensing :8081, provincial-reporting :8082,
                                  enforcement-coordination :8083, notification :8084
  Logs                            $LOG_DIR

LOCAL DEMO logins (password for all: $EC_DEMO_USER_PASSWORD; see docs/security-model.md):
  nat-coordinator          national coordinator
  nat-licensing-reviewer   national licensing reviewer
  nat-auditor              national auditor
  jx-enforcement-officer   Jiangxi enforcement officer
  jx-licensing-officer     Jiangxi licensing officer
  hn-enforcement-officer   Hunan enforcement officer
  jx-exporter              exporter (Ganzhou Rare Earth Trading Co., demo)
Provincial systems sign in with client credentials: province-360000-system and others.

Stop everything with: deploy/local/platform.sh stop
TXT
}

stop() {
  local entry name pid
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    if pid=$(running_pid "$name"); then
      log "stopping $name (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$PID_DIR/$name.pid"
  done
  "$SCRIPT_DIR/keycloak.sh" stop
}

status() {
  local entry name port pid health
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    port=${entry##*:}
    if pid=$(running_pid "$name"); then
      health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready" || true)
      [ "$health" = 200 ] && health=ready || health="not ready (HTTP $health)"
      printf '%-26s pid %-8s :%s  %s\n' "$name" "$pid" "$port" "$health"
    else
      printf '%-26s not running\n' "$name"
    fi
  done
  "$SCRIPT_DIR/keycloak.sh" status || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $(basename "$0") start|stop|status" >&2; exit 2 ;;
esac
