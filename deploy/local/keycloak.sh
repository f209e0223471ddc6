#!/usr/bin/env bash
# Local Keycloak for development and tests: start | stop | status | restart.
#
# Runs Keycloak 26.5.6 (start-dev, file-based H2 database, reset at every start) on
# 127.0.0.1:${KEYCLOAK_PORT:-8180} with the realm `export-control` imported from
# deploy/keycloak/export-control-realm.json, merged with the LOCAL DEMO overlay
# deploy/keycloak/demo/export-control-demo.json (demo users, the password-grant client demo-cli,
# demo enterprises) unless EC_KEYCLOAK_DEMO=0.
#
# Client secrets and the bootstrap admin come from the environment; any that are not set are
# taken from deploy/local/demo-secrets.env (local demo credentials, never for deployment).
#
# Environment:
#   EC_WORK_DIR               work dir (default <repo>/target/local): Keycloak, logs, pid file
#   KEYCLOAK_PORT             HTTP port (default 8180)
#   KEYCLOAK_MANAGEMENT_PORT  management/health port (default 9180)
#   KEYCLOAK_JAVA_HOME        JDK 21+ to run Keycloak (default: newest JDK 21+ in /usr/lib/jvm)
#   KEYCLOAK_HEAP_OPTS        JVM heap options (default "-Xms64m -Xmx512m")
#   KEYCLOAK_START_TIMEOUT    seconds to wait for the realm to answer (default 120)
#   EC_KEYCLOAK_DEMO          1 (default) = base realm + demo overlay, 0 = base realm only
#
# status exits 0 when Keycloak runs and the realm answers, 1 when it runs but the realm does not
# answer, 3 when it does not run.
set -euo pipefail

KEYCLOAK_VERSION=26.5.6
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

WORK_DIR=${EC_WORK_DIR:-$REPO_ROOT/target/local}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-8180}
KEYCLOAK_MANAGEMENT_PORT=${KEYCLOAK_MANAGEMENT_PORT:-9180}
START_TIMEOUT=${KEYCLOAK_START_TIMEOUT:-120}
HEAP_OPTS=${KEYCLOAK_HEAP_OPTS:--Xms64m -Xmx512m}
DEMO=${EC_KEYCLOAK_DEMO:-1}

REALM=export-control
BASE_REALM_FILE=$REPO_ROOT/deploy/keycloak/export-control-realm.json
DEMO_OVERLAY_FILE=$REPO_ROOT/deploy/keycloak/demo/export-control-demo.json
SECRETS_FILE=$SCRIPT_DIR/demo-secrets.env

KC_HOME=$WORK_DIR/keycloak-$KEYCLOAK_VERSION
DOWNLOAD_DIR=$WORK_DIR/downloads
IMPORT_DIR=$WORK_DIR/keycloak-import
LOG_DIR=$WORK_DIR/logs
LOG_FILE=$LOG_DIR/keycloak.log
PID_FILE=$WORK_DIR/keycloak.pid
REALM_URL=http://127.0.0.1:$KEYCLOAK_PORT/realms/$REALM/.well-known/openid-configuration

SECRET_VARS=(
  KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD
  EC_GATEWAY_CLIENT_SECRET EC_LICENSING_CLIENT_SECRET EC_REPORTING_CLIENT_SECRET
  EC_ENFORCEMENT_CLIENT_SECRET EC_NOTIFICATION_CLIENT_SECRET
  EC_PROVINCE_150000_SECRET EC_PROVINCE_360000_SECRET EC_PROVINCE_430000_SECRET
  EC_PROVINCE_450000_SECRET
)

log() { printf '[keycloak.sh] %s\n' "$*" >&2; }
die() { printf '[keycloak.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: $(basename "$0") start|stop|status|restart" >&2
  exit 2
}

# ---------------------------------------------------------------------------- distribution
ensure_distribution() {
  if [[ -x $KC_HOME/bin/kc.sh ]]; then
    return
  fi
  command -v unzip >/dev/null || command -v python3 >/dev/null ||
    die "neither unzip nor python3 is installed (one is needed to unpack Keycloak)"
  local zip=$DOWNLOAD_DIR/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
  if [[ ! -f $zip ]]; then
    command -v mvn >/dev/null || die "mvn is not installed (needed to fetch Keycloak $KEYCLOAK_VERSION)"
    mkdir -p "$DOWNLOAD_DIR"
    log "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip through Maven"
    # Run outside the repository so that Maven does not load the project's reactor.
    (cd "$DOWNLOAD_DIR" && mvn -B -q -Dstyle.color=never \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip \
      -DoutputDirectory="$DOWNLOAD_DIR" >&2) ||
      die "Maven could not fetch org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
    [[ -f $zip ]] || die "Maven finished but $zip is missing"
  fi
  log "unpacking $(basename "$zip")"
  local tmp=$WORK_DIR/.unpack.$$
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if command -v unzip >/dev/null; then
    unzip -q "$zip" -d "$tmp"
  else
    # python's zipfile does not keep the executable bits: restore them on the scripts
    python3 -m zipfile -e "$zip" "$tmp"
    chmod +x "$tmp"/keycloak-"$KEYCLOAK_VERSION"/bin/*.sh
  fi
  [[ -x $tmp/keycloak-$KEYCLOAK_VERSION/bin/kc.sh ]] || die "unexpected layout in $zip"
  rm -rf "$KC_HOME"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KC_HOME"
  rm -rf "$tmp"
}

# ---------------------------------------------------------------------------- java
java_major() { # prints the major version of the java binary $1
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | sed -n 1p) || return 1
  [[ -n $v ]] || return 1
  [[ $v == 1.* ]] && v=${v#1.}
  v=${v%%[.+-]*}
  [[ $v =~ ^[0-9]+$ ]] || return 1
  echo "$v"
}

find_java_home() { # prints a JDK home with Java >= 21
  local major
  if [[ -n ${KEYCLOAK_JAVA_HOME:-} ]]; then
    [[ -x $KEYCLOAK_JAVA_HOME/bin/java ]] ||
      die "KEYCLOAK_JAVA_HOME=$KEYCLOAK_JAVA_HOME has no executable bin/java"
    major=$(java_major "$KEYCLOAK_JAVA_HOME/bin/java") ||
      die "cannot tell the Java version of $KEYCLOAK_JAVA_HOME/bin/java"
    ((major >= 21)) ||
      die "KEYCLOAK_JAVA_HOME=$KEYCLOAK_JAVA_HOME is Java $major; Keycloak $KEYCLOAK_VERSION needs Java 21 or newer"
    echo "$KEYCLOAK_JAVA_HOME"
    return
  fi
  local best='' best_major=0 candidate seen=()
  for candidate in /usr/lib/jvm/* ${JAVA_HOME:+"$JAVA_HOME"}; do
    [[ -x $candidate/bin/java ]] || continue
    major=$(java_major "$candidate/bin/java") || continue
    seen+=("$(basename "$candidate")=$major")
    if ((major >= 21 && major > best_major)); then
      best=$candidate
      best_major=$major
    fi
  done
  if [[ -z $best ]] && command -v java >/dev/null; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(java_major "$candidate/bin/java") || major=0
    seen+=("PATH:$candidate=$major")
    ((major >= 21)) && best=$candidate
  fi
  [[ -n $best ]] ||
    die "no JDK 21+ found for Keycloak $KEYCLOAK_VERSION (looked in /usr/lib/jvm/*, \$JAVA_HOME and PATH; found: ${seen[*]:-none}); install one or set KEYCLOAK_JAVA_HOME"
  echo "$best"
}

# ---------------------------------------------------------------------------- secrets
load_secrets() {
  [[ -f $SECRETS_FILE ]] || die "$SECRETS_FILE is missing"
  # Variables already set in the environment win over the demo file.
  local var
  local -A preset=()
  for var in "${SECRET_VARS[@]}"; do
    if [[ -n ${!var+x} ]]; then preset[$var]=${!var}; fi
  done
  # shellcheck source=/dev/null
  source "$SECRETS_FILE"
  for var in "${!preset[@]}"; do
    printf -v "$var" '%s' "${preset[$var]}"
  done
  for var in "${SECRET_VARS[@]}"; do
    [[ -n ${!var:-} ]] || die "$var is empty (set it or add it to $SECRETS_FILE)"
    export "${var?}"
  done
}

# ---------------------------------------------------------------------------- realm
merge_realm() { # writes the realm file to import into $IMPORT_DIR
  command -v python3 >/dev/null || die "python3 is not installed (needed to merge the realm)"
  mkdir -p "$IMPORT_DIR"
  python3 - "$BASE_REALM_FILE" "$DEMO_OVERLAY_FILE" "$IMPORT_DIR/$REALM-realm.json" "$DEMO" <<'PY'
import json
import os
import re
import sys

base_path, overlay_path, out_path, demo = sys.argv[1:5]
with open(base_path, encoding="utf-8") as f:
    realm = json.load(f)

def merge_groups(existing, extra, where):
    """Adds the groups in `extra` to `existing`; a group that exists already (same name) only
    receives the overlay's subGroups."""
    by_name = {g["name"]: g for g in existing}
    for group in extra:
        target = by_name.get(group["name"])
        if target is None:
            existing.append(group)
            by_name[group["name"]] = group
            continue
        other = set(group) - {"name", "path", "subGroups"}
        if other:
            sys.exit(f"demo overlay may only add subGroups to the existing group "
                     f"{where}/{group['name']}, not {sorted(other)}")
        merge_groups(target.setdefault("subGroups", []), group.get("subGroups", []),
                     f"{where}/{group['name']}")

if demo != "0":
    with open(overlay_path, encoding="utf-8") as f:
        overlay = json.load(f)
    unknown = set(overlay) - {"_comment", "users", "clients", "groups", "roles"}
    if unknown:
        sys.exit(f"demo overlay has unsupported top-level keys: {sorted(unknown)}")
    for key in ("users", "clients"):
        realm[key] = realm.get(key, []) + overlay.get(key, [])
    roles = overlay.get("roles") or {}
    if roles.get("realm"):
        realm.setdefault("roles", {}).setdefault("realm", []).extend(roles["realm"])
    for client_id, client_roles in (roles.get("client") or {}).items():
        realm.setdefault("roles", {}).setdefault("client", {}).setdefault(client_id, []).extend(client_roles)
    merge_groups(realm.setdefault("groups", []), overlay.get("groups", []), "")

for key, field in (("users", "username"), ("clients", "clientId")):
    names = [item[field] for item in realm.get(key, [])]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        sys.exit(f"duplicate {key} after merge: {duplicates}")

# Keycloak replaces ${VAR} (and ${VAR:default}) in the imported file from the environment, but
# leaves a placeholder whose variable is unset as it is: "${EC_..._SECRET}" would become the
# client secret. Refuse to start in that case. (Keycloak's own ${lowerCase} message keys are not
# environment placeholders.)
text = json.dumps(realm, indent=2, ensure_ascii=False)
missing = sorted({m.group(1) for m in re.finditer(r"\$\{([A-Z][A-Z0-9_]*)\}", text)
                  if not os.environ.get(m.group(1))})
if missing:
    sys.exit("these placeholders in the realm have no value in the environment: "
             + ", ".join(missing))

with open(out_path, "w", encoding="utf-8") as f:
    f.write(text)
    f.write("\n")
PY
}

# ---------------------------------------------------------------------------- process
read_pid() { # prints the pid of our running Keycloak, or fails
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must belong to this Keycloak installation.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$KC_HOME" || return 1
  echo "$pid"
}

port_owner() { # prints who listens on TCP port $1, or fails if nobody does
  local port=$1 line
  if command -v ss >/dev/null; then
    line=$(ss -H -ltnp "sport = :$port" 2>/dev/null | sed -n 1p)
    [[ -n $line ]] || return 1
    if [[ $line =~ \"([^\"]+)\",pid=([0-9]+) ]]; then
      echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
    else
      echo "another process (${line//  / })"
    fi
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "another process"
    return 0
  fi
  return 1
}

realm_answers() {
  curl -fsS -o /dev/null --max-time 3 "$REALM_URL" 2>/dev/null
}

descendants() { # prints $1 and all its descendants
  local child
  echo "$1"
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
  done
}

kill_tree() { # sends signal $1 to process $2, its process group (if it leads one) and its descendants
  local sig=$1 pid=$2 pids
  pids=$(descendants "$pid")
  if [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]]; then
    kill "-$sig" -- "-$pid" 2>/dev/null || true
  fi
  # shellcheck disable=SC2086
  kill "-$sig" $pids 2>/dev/null || true
}

stop_keycloak() {
  local pid
  if ! pid=$(read_pid); then
    rm -f "$PID_FILE"
    log "Keycloak is not running"
    return 0
  fi
  local pids
  pids=$(descendants "$pid")
  log "stopping Keycloak (pid $pid)"
  kill_tree TERM "$pid"
  local i p alive
  for ((i = 0; i < 60; i++)); do
    alive=0
    for p in $pids; do
      if kill -0 "$p" 2>/dev/null; then alive=1; fi
    done
    ((alive)) || break
    sleep 0.5
  done
  if ((alive)); then
    log "Keycloak did not stop within 30 s; killing it"
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    sleep 1
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

start_keycloak() {
  local pid
  if pid=$(read_pid); then
    log "Keycloak is already running (pid $pid); use 'restart' for a fresh import"
    return 0
  fi
  rm -f "$PID_FILE"
  [[ -f $BASE_REALM_FILE ]] || die "$BASE_REALM_FILE is missing"
  if [[ $DEMO != 0 && ! -f $DEMO_OVERLAY_FILE ]]; then die "$DEMO_OVERLAY_FILE is missing"; fi
  command -v curl >/dev/null || die "curl is not installed"

  local owner port
  for port in "$KEYCLOAK_PORT" "$KEYCLOAK_MANAGEMENT_PORT"; do
    if owner=$(port_owner "$port"); then
      die "port $port is taken by $owner (set KEYCLOAK_PORT / KEYCLOAK_MANAGEMENT_PORT to use other ports)"
    fi
  done

  mkdir -p "$WORK_DIR" "$LOG_DIR"
  ensure_distribution
  local java_home
  java_home=$(find_java_home)
  load_secrets
  merge_realm || die "could not build the realm file to import"
  if [[ $DEMO != 0 ]]; then
    log "realm: base + LOCAL DEMO overlay (demo users and demo-cli)"
  else
    log "realm: base only (EC_KEYCLOAK_DEMO=0)"
  fi

  # Fresh dev database and import at every start.
  rm -rf "$KC_HOME/data/h2" "$KC_HOME/data/import"
  mkdir -p "$KC_HOME/data/import"
  cp "$IMPORT_DIR/$REALM-realm.json" "$KC_HOME/data/import/"

  [[ -f $LOG_FILE ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  log "starting Keycloak $KEYCLOAK_VERSION on http://127.0.0.1:$KEYCLOAK_PORT (management port $KEYCLOAK_MANAGEMENT_PORT, Java $(java_major "$java_home/bin/java") from $java_home); log: $LOG_FILE"
  local java_append=${JAVA_OPTS_APPEND:-}
  if (($(java_major "$java_home/bin/java") >= 24)); then
    # Java 24+: let JBoss Threads reset thread locals (else IllegalAccessError at shutdown) and
    # silence Netty's sun.misc.Unsafe warnings.
    java_append+=" --add-opens=java.base/java.lang=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
  fi
  # setsid: Keycloak gets its own session and process group, so that stop can end exactly it
  # and its children. The inner shell writes its own pid and then becomes kc.sh (which execs java).
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  JAVA_HOME=$java_home JAVA_OPTS_KC_HEAP=$HEAP_OPTS JAVA_OPTS_APPEND=$java_append \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' keycloak-launcher "$PID_FILE" \
    "$KC_HOME/bin/kc.sh" start-dev --import-realm \
    --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" \
    --health-enabled=true \
    </dev/null >"$LOG_FILE" 2>&1 &

  local started=$SECONDS i
  for ((i = 0; i < 50; i++)); do
    [[ -s $PID_FILE ]] && break
    sleep 0.1
  done
  printf '[keycloak.sh] waiting for %s ' "$REALM_URL" >&2
  while ((SECONDS - started < START_TIMEOUT)); do
    if realm_answers; then
      printf ' up after %d s\n' "$((SECONDS - started))" >&2
      return 0
    fi
    if ! read_pid >/dev/null; then
      printf '\n' >&2
      log "Keycloak exited during start; last lines of $LOG_FILE:"
      tail -n 60 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "Keycloak failed to start"
    fi
    printf '.' >&2
    sleep 2
  done
  printf '\n' >&2
  log "the realm did not answer within $START_TIMEOUT s; last lines of $LOG_FILE:"
  tail -n 60 "$LOG_FILE" >&2 || true
  stop_keycloak
  die "Keycloak did not start within $START_TIMEOUT s (KEYCLOAK_START_TIMEOUT)"
}

status_keycloak() {
  local pid
  if ! pid=$(read_pid); then
    echo "Keycloak is not running"
    return 3
  fi
  if realm_answers; then
    echo "Keycloak is running (pid $pid); realm $REALM answers at $REALM_URL"
    return 0
  fi
  echo "Keycloak is running (pid $pid) but realm $REALM does not answer at $REALM_URL"
  return 1
}

case ${1:-} in
start) start_keycloak ;;
stop) stop_keycloak ;;
status) status_keycloak ;;
restart)
  stop_keycloak
  start_keycloak
  ;;
*) usage ;;
esac
