#!/usr/bin/env bash
# Benchmarks (separate from the tests): each prints its figures, with a baseline measured in the
# same run, and writes them to docs/benchmarks.md.
#   deploy/local/benchmark.sh ingest    events/s over one gRPC stream vs plain JDBC batched inserts
# It sets up what it needs like the test command (PostgreSQL, a test Keycloak on 8190).
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
cd "$REPO_ROOT"
export EC_WORK_DIR=${EC_TEST_WORK_DIR:-$REPO_ROOT/target/test-env}
export KEYCLOAK_PORT=${TEST_KEYCLOAK_PORT:-8190}
export KEYCLOAK_MANAGEMENT_PORT=${TEST_KEYCLOAK_MANAGEMENT_PORT:-9190}
export KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
set -a
. "$SCRIPT_DIR/demo-secrets.env"
set +a

"$SCRIPT_DIR/postgres.sh" ensure
started=0
if ! "$SCRIPT_DIR/keycloak.sh" status >/dev/null 2>&1; then
  started=1
  "$SCRIPT_DIR/keycloak.sh" start
fi
trap '[ "$started" = 1 ] && "$SCRIPT_DIR/keycloak.sh" stop' EXIT

case "${1:-ingest}" in
  ingest)
    mvn -B -q install -DskipTests -pl services/licensing,services/provincial-reporting -am
    mvn -B test -pl services/provincial-reporting -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      ${BENCHMARK_EVENTS:+-Dbenchmark.events=$BENCHMARK_EVENTS}
    ;;
  *)
    echo "usage: $(basename "$0") ingest" >&2
    exit 2
    ;;
esac
