#!/usr/bin/env bash
# Contact-create throughput of the HubSpot emulator with keep-alive, measured with wrk (apt-get install wrk).
# Usage: hubspot-emulator/bench/run.sh [base-url] [duration] [connections] [warm-up]
# Without a base URL it starts the packaged emulator on port 18090 (build it first:
# ./mvnw -B -ntp -q -pl hubspot-emulator package -DskipTests) and stops it afterwards.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${1:-}"
DURATION="${2:-20s}"
CONNECTIONS="${3:-64}"
WARMUP="${4:-60s}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
PID=""
if [ -z "$BASE" ]; then
  JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
  BASE="http://127.0.0.1:18090"
  if curl -sf "$BASE/q/health/ready" >/dev/null 2>&1; then
    echo "port 18090 is already in use; stop that process or pass its base URL as the first argument" >&2
    exit 2
  fi
  "$JAVA" -Xmx1g -Dquarkus.http.port=18090 -Dquarkus.log.level=WARN -jar "$HERE/../target/quarkus-app/quarkus-run.jar" \
    > /tmp/hubspot-emulator-bench.log 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  kill -0 "$PID" 2>/dev/null || { echo "the emulator did not start; see /tmp/hubspot-emulator-bench.log" >&2; exit 2; }
fi
# faults off, no rate limit, a token with the contacts write scope
curl -sf -X POST "$BASE/_emulator/reset" >/dev/null
curl -sf -X PATCH "$BASE/_emulator/config" -H 'Content-Type: application/json' -d '{"rateLimitMax":0}' >/dev/null
TOKEN=$(curl -sf -X POST "$BASE/_emulator/tokens" -H 'Content-Type: application/json' \
  -d '{"portalId":12345678,"scopes":["crm.objects.contacts.write","crm.objects.contacts.read"]}' \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
export EMULATOR_TOKEN="$TOKEN"
# warm-up (JIT), then the measured run
BENCH_RUN=warm wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s "$HERE/contact-create.lua" "$BASE" >/dev/null
cpu_ticks() { [ -n "$PID" ] && awk '{print $14 + $15}' "/proc/$PID/stat" || echo 0; }
CPU0=$(cpu_ticks)
BENCH_RUN=run wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/contact-create.lua" "$BASE" | tee /tmp/hubspot-emulator-bench.out
CREATED=$(curl -sf "$BASE/_emulator/requests/count?method=POST&path=/crm/v3/objects/contacts&status=201" | sed 's/[^0-9]//g')
echo "contacts created (201) during warm-up + run: $CREATED"
RPS=$(sed -n 's/^Requests\/sec: *//p' /tmp/hubspot-emulator-bench.out)
echo "requests/s: $RPS"
if [ -n "$PID" ]; then
  # CPU the emulator itself used during the measured run: throughput per core, independent of other load on the machine
  TICKS=$(( $(cpu_ticks) - CPU0 )); HZ=$(getconf CLK_TCK)
  TOTAL=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' /tmp/hubspot-emulator-bench.out)
  awk -v t="$TICKS" -v hz="$HZ" -v n="$TOTAL" 'BEGIN { s = t / hz; if (s > 0) printf "emulator CPU: %.1f s for %d requests = %.0f requests per CPU-second (%.0f us each)\n", s, n, n / s, 1e6 * s / n }'
fi
uptime
