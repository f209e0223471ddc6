#!/usr/bin/env bash
# Benchmarks (separate from the tests): each prints its figures, with a baseline measured in the
# same run, and writes its section of docs/benchmarks.md.
#   deploy/local/benchmark.sh ingest          events/s over one gRPC stream vs plain JDBC batched inserts
#                                             (BENCHMARK_ROUNDS, 3, of BENCHMARK_EVENTS, 100000, after BENCHMARK_WARMUP, 200000)
#   deploy/local/benchmark.sh early-warning   event ack -> inbox item latency at 1,000 and 5,000 events/s
#   deploy/local/benchmark.sh gateway         REST API latency at 200 requests/s vs the health endpoint
#   deploy/local/benchmark.sh startup         start time and resident memory of each service, per JVM set-up
#   deploy/local/benchmark.sh page-cpu [CHECKOUT ...]   CPU per alerts page in the gateway and enforcement, per checkout
#   deploy/local/benchmark.sh all             all of the above, one after the other
# It sets up what it needs like the test command (PostgreSQL, a test Keycloak on 8190) and starts
# the services it measures from their packaged jars (mvn install -DskipTests first) against the
# *_test databases, on ports 18180-18184. It never takes the build lock itself: run it as
#   flock /tmp/exportcontrol-maven.lock deploy/local/benchmark.sh <what>
# so that no build runs while it measures. Leaves nothing running.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
cd "$REPO_ROOT"
# shellcheck source=service-jvm.sh
. "$SCRIPT_DIR/service-jvm.sh"
# shellcheck source=test-keycloak.sh
. "$SCRIPT_DIR/test-keycloak.sh"

"$SCRIPT_DIR/postgres.sh" ensure
test_keycloak_up >&2
BENCH_DIR=$REPO_ROOT/target/bench
mkdir -p "$BENCH_DIR"
TODAY=$(date -u +%Y-%m-%d)
SIM_JAR=$REPO_ROOT/services/province-simulator/target/quarkus-app/quarkus-run.jar
# service:database:port (the gateway last: it calls the others)
SERVICES=(licensing:licensing_test:18181 provincial-reporting:reporting_test:18182
  enforcement-coordination:enforcement_test:18183 notification:notification_test:18184 gateway:gateway_test:18180)
# the local SMTP sink of the early-warning benchmark (platform.sh start-mail-sink), beside a demo platform's
export EC_SMTP_PORT=${BENCHMARK_SMTP_PORT:-3125} EC_IMAP_PORT=${BENCHMARK_IMAP_PORT:-3243} EC_MAIL_API_PORT=${BENCHMARK_MAIL_API_PORT:-8125}
# JVM options of the services in the latency benchmarks (early-warning, gateway, page-cpu): by
# default each service's own, as platform.sh and the chart run them (service-jvm.sh:
# service_java_opts); BENCHMARK_SERVICE_JAVA_OPTS gives all of them other options instead
LOAD_JAVA_OPTS=${BENCHMARK_SERVICE_JAVA_OPTS:-}
load_opts_text() { # what the sections say about the services' JVM options
  if [ -n "$LOAD_JAVA_OPTS" ]; then echo "\`$LOAD_JAVA_OPTS\`"; else
    echo "each with the platform's own options, \`$(service_java_opts licensing)\` (\`-Xmx256m\` for provincial-reporting), on \`java\` from the PATH"; fi
}
declare -A PIDS=()

log() { printf '[benchmark] %s\n' "$*" >&2; }
die() { printf '[benchmark] ERROR: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
port_of() { local e; for e in "${SERVICES[@]}"; do [ "${e%%:*}" = "$1" ] && { echo "${e##*:}"; return; }; done; }
db_of() { local e; for e in "${SERVICES[@]}"; do [ "${e%%:*}" = "$1" ] && { e=${e#*:}; echo "${e%%:*}"; return; }; done; }

# launch NAME "JVM OPTIONS" [LOG SUFFIX]: the packaged service on its benchmark port against its test
# database, its outbox destinations and gRPC clients pointed at the other benchmark ports.
launch() {
  local name=$1 flags=$2 suffix=${3:-} port jar
  port=$(port_of "$name")
  jar=${SERVICE_ROOT:-$REPO_ROOT}/services/$name/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || die "$name is not packaged ($jar): mvn install -DskipTests first"
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port (for $name) is taken"
  # shellcheck disable=SC2086
  HTTP_PORT=$port HTTP_HOST=127.0.0.1 DB_NAME=$(db_of "$name") \
    LICENSING_GRPC_HOST=127.0.0.1 LICENSING_GRPC_PORT=$(port_of licensing) \
    LICENSING_GRPC_ADDRESS=127.0.0.1:$(port_of licensing) \
    REPORTING_GRPC_HOST=127.0.0.1 REPORTING_GRPC_PORT=$(port_of provincial-reporting) \
    ENFORCEMENT_GRPC_HOST=127.0.0.1 ENFORCEMENT_GRPC_PORT=$(port_of enforcement-coordination) \
    ENFORCEMENT_GRPC_ADDRESS=127.0.0.1:$(port_of enforcement-coordination) \
    NOTIFICATION_GRPC_HOST=127.0.0.1 NOTIFICATION_GRPC_PORT=$(port_of notification) \
    NOTIFICATION_GRPC_ADDRESS=127.0.0.1:$(port_of notification) \
    GATEWAY_URL=http://127.0.0.1:$(port_of gateway) REPORTING_OVERDUE_SHIPMENTS_EVERY=off \
    SMTP_HOST=127.0.0.1 SMTP_PORT=$EC_SMTP_PORT \
    setsid "${SERVICE_LAUNCHER:-java}" $flags -jar "$jar" >"$BENCH_DIR/$name$suffix.log" 2>&1 &
  PIDS[$name]=$!
}

# wait_ready NAME [SECONDS]: until /q/health/ready answers 200 (polled every 20 ms)
wait_ready() {
  local name=$1 limit=$((${2:-120} * 1000)) t0 port
  port=$(port_of "$name")
  t0=$(now_ms)
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { tail -n 30 "$BENCH_DIR/$name"*.log >&2; die "$name stopped while starting"; }
    [ $(($(now_ms) - t0)) -lt "$limit" ] || die "$name was not ready within $((limit / 1000)) s"
    sleep 0.02
  done
}

stop_service() {
  local name=$1 pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

stop_all() { local n; for n in "${!PIDS[@]}"; do stop_service "$n"; done; }

cleanup() {
  stop_all
  "$SCRIPT_DIR/platform.sh" stop-mail-sink >/dev/null 2>&1 || true
  test_keycloak_down
}
trap cleanup EXIT

start_all() { # JVM options (empty: each service's own); starts the services named in the remaining arguments, then waits for each
  local flags=$1 name
  shift
  for name in "$@"; do launch "$name" "${flags:-$(service_java_opts "$name")}"; done
  for name in "$@"; do wait_ready "$name"; done
}

require_sim() {
  [ -f "$SIM_JAR" ] || die "the province simulator is not packaged: mvn install -DskipTests first"
}

# write_section TITLE FILE: replaces (or appends) the section "## TITLE" of docs/benchmarks.md
write_section() {
  python3 "$SCRIPT_DIR/benchmark-section.py" "$REPO_ROOT/docs/benchmarks.md" "$1" "$2"
}

# --- early warning ---------------------------------------------------------------------------------
early_warning() {
  require_sim
  local rates=${BENCHMARK_EW_RATES:-0,1000,5000} secs=${BENCHMARK_EW_SECONDS:-20} probes=${BENCHMARK_EW_PROBES:-20}
  # the phases measure running services: a minute of load first, so that the JIT has compiled the
  # paths (with 15 s, a second 1,000 events/s phase right after the first gave p99 170 ms against 320)
  local prewarm=${BENCHMARK_EW_PREWARM:-60}
  # the alerts' e-mails go to a local SMTP sink, as on the platform (without one they fail and are
  # retried, which loads notification with work no deployment has)
  "$SCRIPT_DIR/platform.sh" start-mail-sink
  start_all "$LOAD_JAVA_OPTS" licensing provincial-reporting enforcement-coordination notification
  log "java -jar province-simulator.jar bench-early-warning --rates $rates --seconds $secs --probes $probes --prewarm $prewarm"
  EC_REPORTING_GRPC=unused java -Xmx512m -jar "$SIM_JAR" bench-early-warning \
    --reporting "127.0.0.1:$(port_of provincial-reporting)" --notification "127.0.0.1:$(port_of notification)" \
    --rates "$rates" --seconds "$secs" --probes "$probes" --prewarm "$prewarm" --out "$BENCH_DIR/early-warning.table" | tee "$BENCH_DIR/early-warning.out"
  stop_all
  local run
  run=$(sed -n 's/^\[bench\] run \(.*\)$/\1/p' "$BENCH_DIR/early-warning.out")
  python3 "$SCRIPT_DIR/benchmark-section.py" --breakdown "$run" | tee "$BENCH_DIR/early-warning.breakdown"
  local per_event
  per_event=$(psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-exportcontrol}" -d reporting_test -qtA -c \
    "select count(*) || ' events, ' || round((pg_total_relation_size('chain_event') + pg_total_relation_size('event_key'))::numeric
       / greatest(count(*), 1)) || ' bytes per event' from chain_event")
  {
    echo "Measured $TODAY with \`deploy/local/benchmark.sh early-warning\` on this project's 2-core machine, the"
    echo "four back-end services started from their jars ($(load_opts_text)) on the same machine as"
    echo "PostgreSQL, Keycloak, an SMTP sink (GreenMail) and the load generator (the simulator's \`bench-early-warning\`: rates $rates"
    echo "events/s, after $prewarm s at 1,000 events/s with probes to warm all four services up, $secs s measured after 5 s of"
    echo "warm-up per rate, $probes probes/s)."
    echo
    echo "A *probe* is a lot extracted, shipped to a port, received and declared for export under a licence"
    echo "number that was never issued (\`UNLICENSED_EXPORT\`, one alert per declaration). Latency runs from"
    echo "the moment the generator receives the declaration's acknowledgement (sent by reporting after its"
    echo "batch committed) to (a) the alert's notification arriving on the province system's"
    echo "\`SubscriptionService.Subscribe\` stream, and (b) the inbox item of the Jiangxi enforcement officer,"
    echo "by the item's own \`delivered_at\` (read with \`InboxService.ListInboxItems\` after the run, so"
    echo "polling adds nothing). Background load: extraction events on one open-loop stream, which trip no"
    echo "rule. The baseline is the first row: the probes alone, without background load."
    echo
    cat "$BENCH_DIR/early-warning.table"
    echo
    echo "Where the time goes, median / p99 in ms per stage, from the timestamps the services stored (phases"
    echo "in the order of the rows above; the acknowledgement follows reporting's commit, which is after its"
    echo "outbox row is written, so the stages overlap the table above by a few ms):"
    echo
    cat "$BENCH_DIR/early-warning.breakdown"
    echo
    echo "Storage after the run (\`chain_event\` and \`event_key\` with their indexes, test database): $per_event."
  } >"$BENCH_DIR/early-warning.md"
  write_section "Early warning: event acknowledgement to inbox" "$BENCH_DIR/early-warning.md"
}

# --- gateway ---------------------------------------------------------------------------------------
gateway() {
  require_sim
  local rate=${BENCHMARK_GW_RATE:-200} secs=${BENCHMARK_GW_SECONDS:-20} warmup=${BENCHMARK_GW_WARMUP:-15}
  # the alerts page of the UI: its first page of 50, every state (Pages.alerts), as the gateway
  # serves it (its pages kept a second, AlertPages) and asked for fresh (Cache-Control: no-cache)
  local paths=${BENCHMARK_GW_PATHS:-/q/health/live,/api/v1/me,/api/v1/alerts?pageSize=50,no-cache:/api/v1/alerts?pageSize=50} alerts
  # national and provincial officers taking turns: six users, five different pages (the two
  # Jiangxi officers share theirs)
  local users=${BENCHMARK_GW_USERS:-nat-coordinator,nat-enforcement-officer,jx-enforcement-officer,jx-enforcement-officer2,hn-enforcement-officer,im-enforcement-officer}
  start_all "$LOAD_JAVA_OPTS" licensing provincial-reporting enforcement-coordination notification gateway
  alerts=$(psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-exportcontrol}" -d enforcement_test -qtA \
    -c "select count(*) from alert")
  [ "$alerts" -ge 50 ] || log "WARNING: only $alerts alerts in enforcement_test: the alerts page is not a full page (run early-warning first)"
  log "java -jar province-simulator.jar bench-gateway --rate $rate --seconds $secs --warmup $warmup --prewarm $warmup --paths $paths --users $users"
  java -Xmx256m -jar "$SIM_JAR" bench-gateway --gateway "http://127.0.0.1:$(port_of gateway)" \
    --rate "$rate" --seconds "$secs" --warmup "$warmup" --prewarm "$warmup" --paths "$paths" --users "$users" --out "$BENCH_DIR/gateway.table"
  local by_jurisdiction
  by_jurisdiction=$(psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-exportcontrol}" -d enforcement_test -qtA \
    -c "select string_agg(jurisdiction || ': ' || n, ', ' order by jurisdiction) from (select jurisdiction, count(*) n from alert group by 1) j")
  stop_all
  {
    echo "Measured $TODAY with \`deploy/local/benchmark.sh gateway\` on this project's 2-core machine: the"
    echo "gateway and the four services from their jars ($(load_opts_text)), PostgreSQL, Keycloak and the"
    echo "load generator on the same machine. The generator (the simulator's \`bench-gateway\`) is open-loop:"
    echo "$rate requests/s on a fixed schedule, latency from each request's scheduled time to the end of its"
    echo "answer, $secs s measured per path after a first round of $warmup s per path over every path and $warmup s of warm-up ramping from a tenth of the rate to the"
    echo "rate (the JIT compiles the path's code meanwhile: what a running replica answers with; a cold JVM"
    echo "hit at the full rate at once builds a backlog that outlives any warm-up). API calls carry real access tokens"
    echo "of $(tr ',' '\n' <<<"$users" | wc -l) demo users in turn, request by request (password grant, renewed before expiry): ${users//,/, }."
    echo "\`/api/v1/me\` answers from the token; \`/api/v1/alerts?pageSize=50\` is the UI's alerts page (the first"
    echo "50 alerts, every state, that the user may see, of the $alerts alerts in enforcement's test database by"
    echo "jurisdiction: $by_jurisdiction; national users see all, a province's officers their province's)."
    echo "The gateway keeps a page one second for callers with the same roles and jurisdiction"
    echo "(\`AlertPages\`; the two Jiangxi officers of the default users share theirs); the row \`with Cache-Control: no-cache\` is the same page"
    echo "asked for fresh, so that every request is a call to enforcement-coordination over gRPC as the user."
    echo "The baseline is the health endpoint \`/q/health/live\` (no token) at the same rate, in the same run."
    echo
    cat "$BENCH_DIR/gateway.table"
  } >"$BENCH_DIR/gateway.md"
  write_section "Gateway API latency" "$BENCH_DIR/gateway.md"
}

# --- start-up and memory ---------------------------------------------------------------------------
# JVM set-ups compared, one service at a time. The baseline is "default": java -jar, no option, on
# the PATH's java (Java 17). "JDK 25" is the JDK that platform.sh runs the services on
# (service-jvm.sh); its AOT cache comes from a training start just before (start until ready, stop).
# the tuned options are the services' defaults in platform.sh (service-jvm.sh)
STARTUP_TUNED=${BENCHMARK_STARTUP_TUNED:-$(EC_SERVICE_JAVA_OPTS='' service_java_opts licensing)}
startup() {
  local runs=${BENCHMARK_STARTUP_RUNS:-2} names=${BENCHMARK_STARTUP_SERVICES:-} entry name cfg flags out t0 ready started rss aot run jdk
  aot_possible || die "no JDK 25+ for the AOT cache (service-jvm.sh; set EC_SERVICE_JAVA_HOME)"
  service_java >/dev/null # found once, before anything is timed
  local -a configs=("default|java|" "tuned|java|$STARTUP_TUNED" "tuned, JDK 25|jdk25|$STARTUP_TUNED"
    "tuned+AOT cache, JDK 25|jdk25|$STARTUP_TUNED -XX:AOTCache=@AOT@")
  out=$BENCH_DIR/startup.tsv
  : >"$out"
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    [ -z "$names" ] || [[ ",$names," == *",$name,"* ]] || continue
    # the AOT cache of this service: a training start (until ready, then stop) writes it as it exits
    aot=$BENCH_DIR/$name.aot
    rm -f "$aot"
    SERVICE_LAUNCHER=$(service_java) launch "$name" "$STARTUP_TUNED -XX:AOTCacheOutput=$aot" -aot-training
    wait_ready "$name"
    stop_service "$name"
    [ -s "$aot" ] || die "no AOT cache for $name (see $BENCH_DIR/$name-aot-training.log)"
    for run in $(seq 1 "$runs"); do
      for cfg in "${configs[@]}"; do
        jdk=${cfg#*|}
        jdk=${jdk%%|*}
        flags=${cfg##*|}
        flags=${flags//@AOT@/$aot}
        t0=$(now_ms)
        if [ "$jdk" = jdk25 ]; then
          SERVICE_LAUNCHER=$(service_java) launch "$name" "$flags" -startup
        else
          launch "$name" "$flags" -startup
        fi
        wait_ready "$name"
        ready=$(($(now_ms) - t0))
        sleep 1
        rss=$(ps -o rss= -p "${PIDS[$name]}" | tr -d ' ')
        started=$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$BENCH_DIR/$name-startup.log" | tail -n 1)
        stop_service "$name"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${cfg%%|*}" "$run" "$started" "$ready" "$rss" | tee -a "$out" >&2
      done
    done
  done
  python3 "$SCRIPT_DIR/benchmark-section.py" --startup "$out" "$runs" "$TODAY" "$STARTUP_TUNED" "$(java_feature "$(service_java)")" >"$BENCH_DIR/startup.md"
  cat "$BENCH_DIR/startup.md"
  write_section "Start-up time and resident memory" "$BENCH_DIR/startup.md"
}

# --- CPU per alerts page ---------------------------------------------------------------------------
# CPU time of the gateway and enforcement-coordination processes per alerts page (the UI's
# GET /api/v1/alerts?pageSize=50, asked for fresh: Cache-Control: no-cache), requests one at a time, for the packaged jars of each checkout
# named (default: this one), one after the other on the same test database: what a change to the
# listing path costs or saves, free of the machine's other load (CPU time from /proc, not latency).
# Prints only (no section of its own: benchmarks.md quotes it). Run early-warning first for alerts.
page_cpu() {
  local warmup=${BENCHMARK_PAGE_WARMUP:-1500} pages=${BENCHMARK_PAGES:-1000} ticks token alerts checkout i
  ticks=$(getconf CLK_TCK)
  token=$(curl -sf -d grant_type=password -d client_id=demo-cli -d username=nat-coordinator \
    -d password="$EC_DEMO_USER_PASSWORD" "$KEYCLOAK_URL/realms/export-control/protocol/openid-connect/token" |
    python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
  # fresh from enforcement every time (no-cache): the cost of the listing path, not of a kept page
  get_pages() { for i in $(seq 1 "$1"); do curl -sf -o /dev/null -H "Authorization: Bearer $token" \
    -H "Cache-Control: no-cache" "http://127.0.0.1:$(port_of gateway)/api/v1/alerts?pageSize=50"; done; }
  cpu_ticks() { awk '{print $14 + $15}' "/proc/${PIDS[$1]}/stat"; } # user + system
  for checkout in "${@:-$REPO_ROOT}"; do
    checkout=$(cd "$checkout" && pwd)
    SERVICE_ROOT=$checkout start_all "$LOAD_JAVA_OPTS" enforcement-coordination gateway
    alerts=$(psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-exportcontrol}" -d enforcement_test -qtA \
      -c "select count(*) from alert")
    log "$pages pages of 50 alerts (of $alerts in enforcement_test) after $warmup unmeasured, one at a time ($(load_opts_text))"
    get_pages "$warmup"
    local e0 g0 e1 g1
    e0=$(cpu_ticks enforcement-coordination); g0=$(cpu_ticks gateway)
    get_pages "$pages"
    e1=$(cpu_ticks enforcement-coordination); g1=$(cpu_ticks gateway)
    python3 -c "print(f'$checkout ($(git -C "$checkout" rev-parse --short HEAD)): enforcement {($e1-$e0)*1000/$ticks/$pages:.2f} ms CPU per page, gateway {($g1-$g0)*1000/$ticks/$pages:.2f} ms')"
    stop_all
  done
}

case "${1:-ingest}" in
  ingest)
    # one reactor build: licensing (which the benchmark starts from its package) and reporting, with
    # the benchmark as the only test run; nothing is installed into the local Maven repository
    mvn -B package -pl services/licensing,services/provincial-reporting -am \
      -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      ${BENCHMARK_EVENTS:+-Dbenchmark.events=$BENCHMARK_EVENTS} ${BENCHMARK_WARMUP:+-Dbenchmark.warmup=$BENCHMARK_WARMUP} \
      ${BENCHMARK_ROUNDS:+-Dbenchmark.rounds=$BENCHMARK_ROUNDS}
    ;;
  early-warning) early_warning ;;
  gateway) gateway ;;
  startup) startup ;;
  page-cpu) shift; page_cpu "$@" ;;
  all)
    "$0" ingest
    early_warning
    gateway
    startup
    ;;
  *)
    echo "usage: $(basename "$0") ingest|early-warning|gateway|startup|all|page-cpu [CHECKOUT ...]" >&2
    exit 2
    ;;
esac
