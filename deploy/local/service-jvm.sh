# shellcheck shell=bash
# How the local scripts run a service's JVM (sourced by platform.sh and benchmark.sh; needs REPO_ROOT).
#
# Services start from a JDK AOT cache (JEP 483/514/515: classes loaded and linked, method profiles)
# when a JDK 25 or newer is there: the first start after a build is a training start
# (-XX:AOTCacheOutput; the JVM writes the cache when it stops), every later one reads the cache
# (-XX:AOTCache) and is ready in about a third of the time (docs/benchmarks.md). The cache lives
# beside the jars (services/<name>/target/quarkus-app/app.aot) and is made again when a jar is newer.
# Without a JDK 25 the services run on `java` from the PATH (Java 17+), as before, with no cache.
#   EC_SERVICE_JAVA_HOME   the JDK that runs the services (default: the newest JDK 25+ in /usr/lib/jvm,
#                          else `java` from the PATH)
#   EC_AOT=0               no AOT cache (neither made nor used)
#   EC_SERVICE_JAVA_OPTS   JVM options instead of the tuned defaults below

# The measured start-up and memory tuning (docs/benchmarks.md); provincial-reporting's ingest
# batches need the larger heap.
service_java_opts() { # NAME
  local heap=-Xmx128m
  [ "$1" != provincial-reporting ] || heap=-Xmx256m
  echo "${EC_SERVICE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m $heap -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m}"
}

java_feature() { # the feature release (17, 21, 25 ...) of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

SERVICE_JAVA=
service_java() { # the java binary for the services; the first call (not in a subshell) remembers it
  if [ -z "$SERVICE_JAVA" ]; then
    local candidate feature best_feature=0
    if [ -n "${EC_SERVICE_JAVA_HOME:-}" ]; then
      SERVICE_JAVA=$EC_SERVICE_JAVA_HOME/bin/java
      [ -x "$SERVICE_JAVA" ] || { echo "EC_SERVICE_JAVA_HOME=$EC_SERVICE_JAVA_HOME has no bin/java" >&2; return 1; }
    else
      SERVICE_JAVA=$(command -v java || true)
      for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        feature=$(java_feature "$candidate")
        if [ "${feature:-0}" -ge 25 ] && [ "$feature" -gt "$best_feature" ]; then
          SERVICE_JAVA=$candidate
          best_feature=$feature
        fi
      done
    fi
  fi
  echo "$SERVICE_JAVA"
}

aot_possible() { # true when the services' JDK can use an AOT cache and EC_AOT is not 0
  local feature
  [ "${EC_AOT:-1}" != 0 ] || return 1
  feature=$(java_feature "$(service_java)")
  [ "${feature:-0}" -ge 25 ]
}

aot_cache_of() { echo "$REPO_ROOT/services/$1/target/quarkus-app/app.aot"; }

aot_cache_fresh() { # NAME: the cache exists and no jar of the service is newer
  local cache
  cache=$(aot_cache_of "$1")
  [ -s "$cache" ] && [ -z "$(find "$REPO_ROOT/services/$1/target/quarkus-app" -name '*.jar' -newer "$cache" -print -quit)" ]
}

aot_flags() { # NAME: the JVM options for the cache: read it, make it (a training start), or none
  aot_possible || return 0
  if aot_cache_fresh "$1"; then
    echo "-XX:AOTCache=$(aot_cache_of "$1")"
  else
    rm -f "$(aot_cache_of "$1")"
    echo "-XX:AOTCacheOutput=$(aot_cache_of "$1")"
  fi
}
