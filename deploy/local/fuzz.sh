#!/usr/bin/env bash
# Bad-input sweep (separate from the test command):
# runs the gateway module's BadInputTest with N generated malformed and mutated requests (default
# 10,000) for every write RPC of every service and every write endpoint of the REST API, with a
# valid token of an allowed role, and prints the figures: methods and endpoints covered, cases run,
# answers by status, INTERNAL/UNKNOWN/5xx (must be 0) and state changes by refused cases (must be 0).
#   deploy/local/fuzz.sh [N]          FUZZ_SEED=<long> for another seed (default 20261128)
#   FUZZ_ONLY=grpc|rest                one half only (at 10,000: gRPC about 17 min, REST about 19 min)
# Like the test command it starts PostgreSQL if it is down and a Keycloak on 8190 if none answers;
# the four services run from their packaged jars (mvn -B package -DskipTests first), as in the
# gateway's tests. It takes the build lock for its Maven run itself (do not wrap it in flock).
# Figures: services/gateway/target/bad-input-figures.txt; the numbers of a run go in docs/reliability.md.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
cd "$REPO_ROOT"
CASES=${1:-10000}
SEED=${FUZZ_SEED:-20261128}
# the audit head is read after every WINDOW cases (the test command: after every case); a window
# whose head moved is matched case by case (BadInputTest.StateWatch)
WINDOW=${FUZZ_WINDOW:-25}
case ${FUZZ_ONLY:-} in
  "") TESTS=BadInputTest ;;
  grpc) TESTS='BadInputTest#everyWriteRpcSurvivesGeneratedBadInputAndChangesNothing' ;;
  rest) TESTS='BadInputTest#everyWriteEndpointSurvivesGeneratedBadInputAndChangesNothing' ;;
  *) echo "FUZZ_ONLY is grpc or rest" >&2; exit 2 ;;
esac
[[ $CASES =~ ^[0-9]+$ ]] || { echo "usage: $(basename "$0") [cases per method and endpoint]" >&2; exit 2; }
# shellcheck source=test-keycloak.sh
. "$SCRIPT_DIR/test-keycloak.sh"
log() { printf '[fuzz] %s\n' "$*" >&2; }

for s in licensing provincial-reporting enforcement-coordination notification; do
  [ -f "services/$s/target/quarkus-app/quarkus-run.jar" ] \
    || { log "ERROR: $s is not packaged: mvn -B package -DskipTests first"; exit 1; }
done
# its own databases (licensing_fuzz ...): a test run beside it keeps the *_test ones
DB_SUFFIX=${FUZZ_DB_SUFFIX:-_fuzz}
EC_DB_SUFFIX=$DB_SUFFIX "$SCRIPT_DIR/postgres.sh" ensure
test_keycloak_up >&2
trap test_keycloak_down EXIT

FIGURES=services/gateway/target/bad-input-figures.txt
rm -f "$FIGURES"
# one test method sweeps every endpoint (or every RPC) and runs for an hour or more at 10,000 cases:
# Quarkus's hang detection (a thread dump after 10 minutes without a new test method) would be noise
log "$CASES cases per write RPC and write endpoint, seed $SEED, audit head read every $WINDOW cases, databases *$DB_SUFFIX"
start=$(date +%s)
status=0
flock /tmp/exportcontrol-maven.lock mvn -B -q -pl services/gateway -am test -Dtest="$TESTS" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbadinput.cases="$CASES" -Dbadinput.seed="$SEED" \
  -Dbadinput.window="$WINDOW" -Dgateway.test.db-suffix="$DB_SUFFIX" \
  -Dquarkus.test.hang-detection-timeout=6h || status=$?
log "finished in $(( $(date +%s) - start )) s (exit $status)"
if [ -f "$FIGURES" ]; then
  cat "$FIGURES"
else
  log "no figures written; see services/gateway/target/surefire-reports/"
fi
exit "$status"
