#!/usr/bin/env bash
# Contact-workflow benchmark against the HubSpot emulator (0 ms latency, rate limit off).
# Usage (from the repository root): workflow-executor/bench/run-benchmark.sh [threads=1,2,4] [warmup=PT10S] [measure=PT20S]
#   [fetch=emulator|stub] [isolation=in-process|process|both] [workers=2] [rounds=3] [detail=false]
# isolation=both measures the two in alternating windows (rounds of each) in one JVM and prints the cost of process.
# Needs the packaged emulator (./mvnw -B -ntp -q -pl hubspot-emulator package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
./mvnw -B -ntp -q -pl workflow-executor test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/workflow-executor/target/bench-classpath.txt"
cp="workflow-executor/target/test-classes:workflow-executor/target/classes:$(cat workflow-executor/target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx1g \
  -Djswtest.root.dir="$root" -Djswtest.work.dir="$root/workflow-executor/target" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dorg.jboss.logmanager.LogManager.level=WARN \
  -cp "$cp" io.jsworkflows.executor.bench.ContactWorkflowBenchmark "$@"
