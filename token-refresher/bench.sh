#!/usr/bin/env bash
# Refresh benchmark of one token-refresher replica against the real hubspot-emulator and a real Kafka broker.
# Usage (from the repository root): token-refresher/bench.sh [-Dbench.connections=100000] [-Dbench.burst=20000]
#        [-Dbench.watch=PT3M] [-Dbench.max-in-flight=64]
# Needs the emulator packaged (./mvnw -B -ntp -q -pl hubspot-emulator package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -ntp -q -pl token-refresher test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cd token-refresher
exec "$JAVA_HOME/bin/java" -Xmx1g -Djswtest.root.dir=.. -Djswtest.work.dir=target/bench -Djswtest.servers=local \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager "$@" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.jsworkflows.refresher.bench.RefreshBenchmark
