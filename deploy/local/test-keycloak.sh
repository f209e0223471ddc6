# shellcheck shell=bash
# The test environment that test.sh, fuzz.sh and benchmark.sh share (sourced; needs SCRIPT_DIR and
# REPO_ROOT): the work dir, a Keycloak of the tests' own on 127.0.0.1:${TEST_KEYCLOAK_PORT:-8190}
# with the local demo users (so a running platform on 8180 is never disturbed), and the local demo
# credentials (deploy/local/demo-secrets.env) for the tests' real tokens.
export EC_WORK_DIR=${EC_TEST_WORK_DIR:-$REPO_ROOT/target/test-env}
export KEYCLOAK_PORT=${TEST_KEYCLOAK_PORT:-8190}
export KEYCLOAK_MANAGEMENT_PORT=${TEST_KEYCLOAK_MANAGEMENT_PORT:-9190}
export KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
export EC_KEYCLOAK_DEMO=1
set -a
# shellcheck source=demo-secrets.env
. "$SCRIPT_DIR/demo-secrets.env"
set +a

# test_keycloak_up: starts the test Keycloak unless one answers on the port (whoever started it,
# e.g. another checkout's); sets TEST_KEYCLOAK_STARTED=1 when this call started it, so that the
# caller's exit trap can run test_keycloak_down.
TEST_KEYCLOAK_STARTED=0
test_keycloak_up() {
  if curl -sf -o /dev/null --max-time 5 "$KEYCLOAK_URL/realms/export-control" \
    || "$SCRIPT_DIR/keycloak.sh" status >/dev/null 2>&1; then
    echo "a test Keycloak is already running on port $KEYCLOAK_PORT: reusing it"
  else
    TEST_KEYCLOAK_STARTED=1
    "$SCRIPT_DIR/keycloak.sh" start
  fi
}

test_keycloak_down() { # stops the test Keycloak if test_keycloak_up started it
  [ "$TEST_KEYCLOAK_STARTED" != 1 ] || "$SCRIPT_DIR/keycloak.sh" stop || true
}
