#!/usr/bin/env bash
# Runs the whole platform on this machine:  start | stop | status
#
#   start   builds what is missing, makes sure PostgreSQL runs (with the platform's databases),
#           starts Keycloak (realm export-control with the LOCAL DEMO users), a local SMTP sink
#           (GreenMail, so that e-mails are delivered somewhere) and the five services, waits until
#           each is ready, loads the demo data with the province simulator (`seed`), starts the
#           simulator streaming a province's chain with the demo violations in the background,
#           waits for their alerts, and prints the addresses and demo logins;
#   stop    ends what `start` started (from its pid files) and nothing else;
#   status  shows what runs and whether it is healthy;
#   kill SERVICE           kill -9 of one service (as a crash would), for fault tests (docs/e2e.md);
#   stop-service SERVICE   stops one service (SIGTERM, as an operator would);
#   start-service SERVICE  starts one service again (after kill or stop-service) and waits until ready.
#   start-mail-sink | stop-mail-sink   only the local SMTP sink (GreenMail), for the benchmarks.
#   SERVICE is one of licensing, provincial-reporting, enforcement-coordination, notification, gateway.
#
# Environment: EC_WORK_DIR (default <repo>/target/local) for logs and pid files; KEYCLOAK_PORT (8180):
# a Keycloak that already answers there with the realm is reused (and `stop` leaves it running);
# EC_REBUILD=1 forces a rebuild. EC_DB_SUFFIX (empty) runs the services on their databases with
# this suffix (e.g. `_e2e`: licensing_e2e ..., created by postgres.sh), EC_DB_FRESH=1 empties those
# first; the end-to-end test (docs/e2e.md) uses both, with its own work dir, so that it never
# touches a running demo platform's data. Ports: gateway 8080, licensing 8081, provincial-reporting 8082,
# enforcement-coordination 8083, notification 8084 (gRPC shares each HTTP port); GreenMail SMTP
# EC_SMTP_PORT (3025), IMAP EC_IMAP_PORT (3143), its mailbox API EC_MAIL_API_PORT (8025).
# Simulator: EC_SIM_PROVINCE (360000), EC_SIM_RATE (1 event/s), EC_SIM_SCENARIOS (all; or none, or a
# list, see docs/simulator.md), EC_SIM=0 skips seed and stream. EC_OVERDUE_SCAN (15s) is how often
# provincial reporting looks for overdue shipments here (its default is 5m). JVM: EC_SERVICE_JAVA_HOME,
# EC_AOT, EC_SERVICE_JAVA_OPTS (service-jvm.sh: on a JDK 25+ the services start from an AOT cache,
# made by a training start the first time after a build).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
# shellcheck source=service-jvm.sh
. "$SCRIPT_DIR/service-jvm.sh"
export EC_WORK_DIR=${EC_WORK_DIR:-$REPO_ROOT/target/local}
export KEYCLOAK_PORT=${KEYCLOAK_PORT:-8180}
export KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
LOG_DIR=$EC_WORK_DIR/logs
PID_DIR=$EC_WORK_DIR/pids
DOWNLOAD_DIR=$EC_WORK_DIR/downloads
SIM_JAR=$REPO_ROOT/services/province-simulator/target/quarkus-app/quarkus-run.jar
GREENMAIL_VERSION=2.1.3
GREENMAIL_JAR=$DOWNLOAD_DIR/greenmail-standalone-$GREENMAIL_VERSION.jar
SMTP_PORT=${EC_SMTP_PORT:-3025}
IMAP_PORT=${EC_IMAP_PORT:-3143}
MAIL_API_PORT=${EC_MAIL_API_PORT:-8025}
SIM_PROVINCE=${EC_SIM_PROVINCE:-360000}
SIM_RATE=${EC_SIM_RATE:-1}
SIM_SCENARIOS=${EC_SIM_SCENARIOS:-all}
export EC_DB_SUFFIX=${EC_DB_SUFFIX:-}

# name:port, in start order (the gateway last: it calls the others)
SERVICES=(licensing:8081 provincial-reporting:8082 enforcement-coordination:8083 notification:8084 gateway:8080)

database_of() { # the database of a service (postgres.sh creates them), with EC_DB_SUFFIX
  case $1 in
    provincial-reporting) echo "reporting$EC_DB_SUFFIX" ;;
    enforcement-coordination) echo "enforcement$EC_DB_SUFFIX" ;;
    *) echo "$1$EC_DB_SUFFIX" ;;
  esac
}

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
  [ -f "$SIM_JAR" ] || missing=1
  if [ "$missing" = 1 ] || [ "${EC_REBUILD:-0}" = 1 ]; then
    command -v mvn >/dev/null || die "Maven is missing (Debian package maven)"
    log "building the platform (mvn install, tests skipped; the test command runs them)"
    (cd "$REPO_ROOT" && mvn -B -q install -DskipTests) || die "the build failed"
  fi
}

require_port_free() { # port, what wants it
  local owner
  owner=$(port_owner "$1")
  [ -z "$owner" ] || die "cannot start $2: port $1 is taken by $owner"
}

# GreenMail standalone (from Maven Central, like Keycloak): a local SMTP sink, so that the
# notification service's e-mails are delivered (and readable over IMAP or its API) rather than
# retried into dead letters.
start_greenmail() {
  local pid waited=0
  if pid=$(running_pid greenmail); then
    log "GreenMail already runs (pid $pid)"
    return
  fi
  if [ ! -f "$GREENMAIL_JAR" ]; then
    command -v mvn >/dev/null || die "Maven is missing (needed to fetch GreenMail $GREENMAIL_VERSION)"
    mkdir -p "$DOWNLOAD_DIR"
    log "fetching com.icegreen:greenmail-standalone:$GREENMAIL_VERSION through Maven"
    # outside the repository, so that Maven does not load the project's reactor
    (cd "$DOWNLOAD_DIR" && mvn -B -q -Dstyle.color=never \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=com.icegreen:greenmail-standalone:$GREENMAIL_VERSION \
      -DoutputDirectory="$DOWNLOAD_DIR" >&2) ||
      die "Maven could not fetch com.icegreen:greenmail-standalone:$GREENMAIL_VERSION"
  fi
  require_port_free "$SMTP_PORT" "GreenMail (SMTP)"
  require_port_free "$IMAP_PORT" "GreenMail (IMAP)"
  require_port_free "$MAIL_API_PORT" "GreenMail (mailbox API)"
  log "starting GreenMail: SMTP 127.0.0.1:$SMTP_PORT, IMAP 127.0.0.1:$IMAP_PORT"
  setsid java -Xmx96m -XX:+UseSerialGC \
    -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" \
    -Dgreenmail.imap.hostname=127.0.0.1 -Dgreenmail.imap.port="$IMAP_PORT" \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$MAIL_API_PORT" \
    -Dgreenmail.auth.disabled -jar "$GREENMAIL_JAR" >"$LOG_DIR/greenmail.log" 2>&1 &
  echo $! >"$PID_DIR/greenmail.pid"
  until curl -sf -o /dev/null "http://127.0.0.1:$MAIL_API_PORT/api/service/readiness"; do
    running_pid greenmail >/dev/null || { tail -n 20 "$LOG_DIR/greenmail.log" >&2; die "GreenMail stopped while starting (log: $LOG_DIR/greenmail.log)"; }
    [ "$waited" -lt 30 ] || die "GreenMail was not ready within 30 s (log: $LOG_DIR/greenmail.log)"
    sleep 1
    waited=$((waited + 1))
  done
}

# Keycloak: ours (keycloak.sh, pid file in EC_WORK_DIR), or one that already answers on KEYCLOAK_PORT
# with the realm (e.g. the test command's): that one is reused, marked, and left running by `stop`.
start_keycloak() {
  rm -f "$PID_DIR/keycloak.reused"
  if ! "$SCRIPT_DIR/keycloak.sh" status >/dev/null 2>&1 &&
    curl -sf -o /dev/null --max-time 3 "$KEYCLOAK_URL/realms/export-control/.well-known/openid-configuration"; then
    log "reusing the Keycloak that already runs on $KEYCLOAK_URL (not started here, so not stopped here)"
    touch "$PID_DIR/keycloak.reused"
    return
  fi
  "$SCRIPT_DIR/keycloak.sh" start
}

# The province simulator: the demo data through the services' APIs, then a province's chain
# streamed in the background with the demo violations (docs/simulator.md).
simulate() {
  [ "${EC_SIM:-1}" != 0 ] || { log "EC_SIM=0: no demo data, no simulated province"; return; }
  local pid
  if pid=$(running_pid simulator); then
    log "the simulator already streams (pid $pid)"
    return
  fi
  log "loading the demo data (simulator seed; log: $LOG_DIR/simulator-seed.log)"
  if ! java -Xmx128m -jar "$SIM_JAR" seed >"$LOG_DIR/simulator-seed.log" 2>&1; then
    sed 's/^/    /' "$LOG_DIR/simulator-seed.log" >&2
    die "the demo data could not be loaded (log: $LOG_DIR/simulator-seed.log)"
  fi
  sed 's/^/    /' "$LOG_DIR/simulator-seed.log"
  log "starting the simulated provincial system $SIM_PROVINCE: $SIM_RATE events/s, scenarios $SIM_SCENARIOS (log: $LOG_DIR/simulator.log)"
  local since
  since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  setsid java -Xmx128m -XX:+UseSerialGC -jar "$SIM_JAR" stream --province "$SIM_PROVINCE" --rate "$SIM_RATE" \
    --scenarios "$SIM_SCENARIOS" --progress 30s >"$LOG_DIR/simulator.log" 2>&1 &
  echo $! >"$PID_DIR/simulator.pid"
  if [ "$SIM_SCENARIOS" != none ]; then
    log "waiting (up to 90 s) for the enforcement alerts of the seeded violations in $SIM_PROVINCE"
    java -Xmx128m -jar "$SIM_JAR" alerts --province "$SIM_PROVINCE" --expect "$SIM_SCENARIOS" --since "$since" --wait 90 \
      | grep '^\[alerts\]' | sed 's/^/    /' ||
      log "WARNING: not every seeded violation has its alert yet (see $LOG_DIR/simulator.log)"
  fi
}

stop_pid() { # name [seconds to wait]
  local name=$1 wait=${2:-10} pid
  if pid=$(running_pid "$name"); then
    log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((wait * 2))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$PID_DIR/$name.pid"
}

# services started with -XX:AOTCacheOutput (a training start): restarted from their cache once ready
TRAINED=()

start_service() {
  local name=${1%%:*} port=${1##*:} pid owner aot aot_note
  if pid=$(running_pid "$name"); then
    log "$name already runs (pid $pid)"
    return
  fi
  owner=$(port_owner "$port")
  [ -z "$owner" ] || die "cannot start $name: port $port is taken by $owner"
  service_java >/dev/null # found once (the calls below run in subshells)
  aot=$(aot_flags "$name")
  case $aot in
    *AOTCacheOutput*) TRAINED+=("$1"); aot_note="training start: its AOT cache is written when it stops" ;;
    *AOTCache=*) aot_note="from its AOT cache" ;;
    *) aot_note="no AOT cache" ;;
  esac
  log "starting $name on http://127.0.0.1:$port (database $(database_of "$name"); $(service_java), $aot_note)"
  # shellcheck disable=SC2046
  HTTP_PORT=$port DB_NAME=$(database_of "$name") SMTP_HOST=127.0.0.1 SMTP_PORT=$SMTP_PORT \
    REPORTING_OVERDUE_SHIPMENTS_EVERY=${EC_OVERDUE_SCAN:-15s} setsid "$(service_java)" $(service_java_opts "$name") $aot \
    -jar "$REPO_ROOT/services/$name/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$PID_DIR/$name.pid"
}

# The services of a training start are ready: stop them (the JVM writes the AOT cache as it exits,
# which takes a few seconds) and start them again from the cache.
restart_trained() {
  local entry name
  [ "${#TRAINED[@]}" -gt 0 ] || return 0
  for entry in "${TRAINED[@]}"; do
    stop_pid "${entry%%:*}" 120
  done
  for entry in "${TRAINED[@]}"; do
    name=${entry%%:*}
    aot_cache_fresh "$name" || log "WARNING: no AOT cache was written for $name (see $LOG_DIR/$name-aot-training.log); it trains again"
    mv -f "$LOG_DIR/$name.log" "$LOG_DIR/$name-aot-training.log"
  done
  for entry in "${TRAINED[@]}"; do
    start_service "$entry"
  done
  for entry in "${TRAINED[@]}"; do
    wait_ready "$entry"
  done
  TRAINED=()
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
  if [ "${EC_DB_FRESH:-0}" = 1 ]; then
    [ -n "$EC_DB_SUFFIX" ] || die "EC_DB_FRESH=1 needs EC_DB_SUFFIX (the demo databases are never emptied)"
    "$SCRIPT_DIR/postgres.sh" recreate
  else
    "$SCRIPT_DIR/postgres.sh" ensure
  fi
  start_keycloak
  start_greenmail
  local entry
  for entry in "${SERVICES[@]}"; do
    start_service "$entry"
  done
  for entry in "${SERVICES[@]}"; do
    wait_ready "$entry"
  done
  restart_trained
  simulate
  cat <<TXT

The export-control platform runs.
  Web gateway (UI and REST API)   http://127.0.0.1:8080
  Keycloak (realm export-control) $KEYCLOAK_URL/realms/export-control
  gRPC (plaintext, HTTP port)     licensing :8081, provincial-reporting :8082,
                                  enforcement-coordination :8083, notification :8084
  E-mail sink (GreenMail)         SMTP 127.0.0.1:$SMTP_PORT, IMAP 127.0.0.1:$IMAP_PORT (any user,
                                  no password), API http://127.0.0.1:$MAIL_API_PORT/api/user
  Simulated provincial system     $SIM_PROVINCE, $SIM_RATE events/s, scenarios: $SIM_SCENARIOS
                                  (log $LOG_DIR/simulator.log; docs/simulator.md)
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
  local entry
  # the simulator first: it completes its open chains while the services still answer
  stop_pid simulator 20
  for entry in "${SERVICES[@]}"; do
    stop_pid "${entry%%:*}" 10
  done
  stop_pid greenmail 10
  if [ -f "$PID_DIR/keycloak.reused" ]; then
    log "leaving the Keycloak on $KEYCLOAK_URL running (it was not started here)"
    rm -f "$PID_DIR/keycloak.reused"
  else
    "$SCRIPT_DIR/keycloak.sh" stop
  fi
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
  if pid=$(running_pid greenmail); then
    printf '%-26s pid %-8s :%s  SMTP sink\n' greenmail "$pid" "$SMTP_PORT"
  else
    printf '%-26s not running\n' greenmail
  fi
  if pid=$(running_pid simulator); then
    printf '%-26s pid %-8s %s\n' simulator "$pid" \
      "$(grep '^\[stream\] sent' "$LOG_DIR/simulator.log" 2>/dev/null | tail -n 1 | cut -c 10-)"
  else
    printf '%-26s not running%s\n' simulator "$([ -f "$LOG_DIR/simulator.log" ] && echo " (last: $(tail -n 1 "$LOG_DIR/simulator.log"))")"
  fi
  "$SCRIPT_DIR/keycloak.sh" status || true
}

service_entry() { # the name:port entry of a service name, or dies naming the services
  local entry
  for entry in "${SERVICES[@]}"; do
    [ "${entry%%:*}" = "$1" ] && { echo "$entry"; return; }
  done
  die "unknown service '$1' (one of: $(printf '%s ' "${SERVICES[@]%%:*}"))"
}

# One service of a running platform, for fault tests: crashed (kill -9), stopped, started again.
kill_service() {
  local entry pid
  entry=$(service_entry "$1")
  pid=$(running_pid "${entry%%:*}") || die "${entry%%:*} is not running (no live pid in $PID_DIR)"
  log "kill -9 ${entry%%:*} (pid $pid)"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$PID_DIR/${entry%%:*}.pid"
}

stop_service() {
  local entry
  entry=$(service_entry "$1")
  running_pid "${entry%%:*}" >/dev/null || die "${entry%%:*} is not running (no live pid in $PID_DIR)"
  stop_pid "${entry%%:*}" 10
}

start_one_service() {
  local entry
  entry=$(service_entry "$1")
  mkdir -p "$LOG_DIR" "$PID_DIR"
  set -a
  # shellcheck source=demo-secrets.env
  . "$SCRIPT_DIR/demo-secrets.env"
  set +a
  # keep the crashed run's log beside the new one
  [ -f "$LOG_DIR/${entry%%:*}.log" ] && ! running_pid "${entry%%:*}" >/dev/null &&
    mv -f "$LOG_DIR/${entry%%:*}.log" "$LOG_DIR/${entry%%:*}.log.1"
  start_service "$entry"
  wait_ready "$entry"
  restart_trained
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) [ -n "${2:-}" ] || die "usage: $(basename "$0") kill SERVICE"; kill_service "$2" ;;
  stop-service) [ -n "${2:-}" ] || die "usage: $(basename "$0") stop-service SERVICE"; stop_service "$2" ;;
  start-service) [ -n "${2:-}" ] || die "usage: $(basename "$0") start-service SERVICE"; start_one_service "$2" ;;
  start-mail-sink) mkdir -p "$LOG_DIR" "$PID_DIR"; start_greenmail ;;
  stop-mail-sink) stop_pid greenmail 10 ;;
  *) echo "usage: $(basename "$0") start|stop|status|kill SERVICE|stop-service SERVICE|start-service SERVICE|start-mail-sink|stop-mail-sink" >&2; exit 2 ;;
esac
