#!/usr/bin/env bash
# Runs the failure drills of docs/reliability.md, each on a platform of its own (Kafka, PostgreSQL and the packaged
# services as separate processes), and prints what each measured with PASS/FAIL against the issue's criterion.
#
#   e2e-tests/drills/run-drills.sh [drill...] [key=value...]
#   drills: executor-kill refresher-kill broker-restart emulator-faults bad-input (none = all five, ~45 min)
#   e.g.    e2e-tests/drills/run-drills.sh executor-kill orders=300 rate=5
#
# Needs the services packaged first: ./mvnw -B -ntp install -DskipTests
# Output also goes to e2e-tests/target/drills/last-run.log; service logs are under e2e-tests/target/drills/<drill>-<time>/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
for m in hubspot-emulator connections-service token-refresher workflow-executor; do
  if [ ! -f "$m/target/quarkus-app/quarkus-run.jar" ]; then
    echo "$m is not packaged: run ./mvnw -B -ntp install -DskipTests first" >&2
    exit 2
  fi
done
OUT="$ROOT/e2e-tests/target/drills"
mkdir -p "$OUT"
./mvnw -B -ntp -q -pl e2e-tests dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime
CP="$(cat "$OUT/classpath.txt")"
# compiled apart from target/classes, so that a drill run never races a Maven build of the module
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
find e2e-tests/src/main/java -name '*.java' > "$OUT/sources.txt"
"$JAVA_HOME/bin/javac" -nowarn -proc:none -d "$OUT/classes" -cp "$CP" @"$OUT/sources.txt"
set +e
"$JAVA_HOME/bin/java" -Xmx1g -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Djswtest.work.dir="$OUT" -Djswtest.servers=local \
  -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Djava.util.logging.config.file=/dev/null \
  -cp "$OUT/classes:$CP" io.jsworkflows.e2e.drills.Drills "$@" 2>&1 | tee "$OUT/last-run.log"
exit "${PIPESTATUS[0]}"
