#!/usr/bin/env bash
# CPU time per alerts page (the UI's GET /api/v1/alerts?pageSize=50) in the gateway and in
# enforcement-coordination, for the packaged jars of one or more checkouts, one after the other on
# the same test database: what a change to the listing path costs or saves, free of the machine's
# other load (CPU time of the two processes from /proc, not latency).
#   deploy/local/page-cpu.sh [CHECKOUT ...]     default: this checkout; e.g. an older worktree and this one
# Each checkout needs its gateway and enforcement-coordination packaged (mvn package -DskipTests).
# Uses enforcement_test as it is (run the early-warning benchmark first for a few hundred alerts) and
# a test Keycloak on 8190 that already runs (deploy/local/keycloak.sh start); ports 18280 and 18283.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
set -a
. "$SCRIPT_DIR/demo-secrets.env"
set +a
export KEYCLOAK_URL=http://127.0.0.1:${TEST_KEYCLOAK_PORT:-8190}
WARMUP=${PAGE_CPU_WARMUP:-1500}
PAGES=${PAGE_CPU_PAGES:-1000}
OPTS=${PAGE_CPU_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
TICKS=$(getconf CLK_TCK)
log() { printf '[page-cpu] %s\n' "$*" >&2; }

token=$(curl -sf -d grant_type=password -d client_id=demo-cli -d username=nat-coordinator \
  -d password="$EC_DEMO_USER_PASSWORD" "$KEYCLOAK_URL/realms/export-control/protocol/openid-connect/token" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])') ||
  { log "no token from $KEYCLOAK_URL (start the test Keycloak first)"; exit 1; }
alerts=$(psql -h "${DB_HOST:-127.0.0.1}" -U "${DB_USER:-exportcontrol}" -d enforcement_test -qtA -c "select count(*) from alert")
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system clock ticks
pages() { local i; for i in $(seq 1 "$1"); do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:18280/api/v1/alerts?pageSize=50"; done; }

measure() {
  local checkout=$1 enforcement gateway e0 g0 e1 g1 t0 t1
  # shellcheck disable=SC2086
  HTTP_PORT=18283 HTTP_HOST=127.0.0.1 DB_NAME=enforcement_test setsid java $OPTS \
    -jar "$checkout/services/enforcement-coordination/target/quarkus-app/quarkus-run.jar" >/tmp/page-cpu-enforcement.log 2>&1 &
  enforcement=$!
  # shellcheck disable=SC2086
  HTTP_PORT=18280 HTTP_HOST=127.0.0.1 DB_NAME=gateway_test ENFORCEMENT_GRPC_HOST=127.0.0.1 ENFORCEMENT_GRPC_PORT=18283 \
    setsid java $OPTS -jar "$checkout/services/gateway/target/quarkus-app/quarkus-run.jar" >/tmp/page-cpu-gateway.log 2>&1 &
  gateway=$!
  trap 'kill -TERM -- -$enforcement -$gateway 2>/dev/null || true' EXIT
  until curl -sf -o /dev/null http://127.0.0.1:18283/q/health/ready && curl -sf -o /dev/null http://127.0.0.1:18280/q/health/live; do
    kill -0 "$enforcement" "$gateway" 2>/dev/null || { log "a service stopped (/tmp/page-cpu-*.log)"; exit 1; }
    sleep 0.5
  done
  pages "$WARMUP"
  e0=$(cpu "$enforcement"); g0=$(cpu "$gateway"); t0=$(date +%s%N)
  pages "$PAGES"
  e1=$(cpu "$enforcement"); g1=$(cpu "$gateway"); t1=$(date +%s%N)
  python3 -c "print(f'$checkout ($(git -C "$checkout" rev-parse --short HEAD)): enforcement {($e1-$e0)*1000/$TICKS/$PAGES:.2f} ms CPU per page, gateway {($g1-$g0)*1000/$TICKS/$PAGES:.2f} ms, {($t1-$t0)/1e6/$PAGES:.1f} ms per page one at a time')"
  kill -TERM -- "-$enforcement" "-$gateway" 2>/dev/null || true
  wait "$enforcement" "$gateway" 2>/dev/null || true
  trap - EXIT
}

log "$PAGES pages of 50 alerts (of $alerts in enforcement_test) after $WARMUP unmeasured, one at a time, JVM options: $OPTS"
for checkout in "${@:-$REPO_ROOT}"; do
  measure "$(cd "$checkout" && pwd)"
done
