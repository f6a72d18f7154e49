#!/usr/bin/env bash
# The benchmark table of docs/performance.md, measured in one run on this machine. From the repository root:
#
#   bench/run.sh [--full] [--orders N] [--warmup PT240S] [--warmup-min PT180S] [--half PT30S]
#                [--phases throughput,rate] [--skip token,refresher,coldstart,ingress,stack]
#
# Steps (logs in bench/target/logs/, figures in bench/target/results.properties, the table in bench/target/report.md):
#   1. getOAuthToken latency inside a run: workflow-executor/bench/run-benchmark.sh (in-JVM runtime + emulator)
#   2. refresher capacity: token-refresher/bench.sh (short: a 10,000 burst; --full: 20,000 burst, 100,000 for 3 minutes)
#   3. executor cold start with 100,000 tokens on jsw.connections.tokens (own broker, the packaged executor; a baseline
#      start with no tokens first; --full: 3 starts with tokens)
#   3b. webhook ingress (own broker, the packaged webhook-gateway): signed Shopify deliveries, accepted/s and p99 to the
#      200 (after Kafka's ack) in a closed loop and an open loop at 2,000/s; IngressBenchmark
#   4. ./jsw up with its state in bench/target/jsw-state (emulator limit off, the executor's per-portal budget raised),
#      ./jsw demo, then StackBenchmark: the executor vs the Node.js consumer (bench/node), then the rate budget: the
#      emulator at HubSpot's 110/10 s, one portal, the same executor; ./jsw down
#   5. the table
# Needs: JDK 25 (JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64), Node.js 20+ with npm, the services packaged
# (./jsw up builds what is missing), ports 8081-8083, 8090, 9092, 9093, 55432 free (no other ./jsw up running).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

MODE=short ORDERS=5000 WARMUP=PT240S WARMUP_MIN=PT180S HALF=PT30S PHASES=throughput,rate SKIP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) MODE=full ;;
    --orders) ORDERS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --half) HALF="$2"; shift ;;
    --warmup-min) WARMUP_MIN="$2"; shift ;;
    --phases) PHASES="$2"; shift ;;
    --skip) SKIP="$2"; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }

OUT="$ROOT/bench/target"
LOGS="$OUT/logs"
STATE="$OUT/jsw-state"
RESULTS="$OUT/results.properties"
command -v node >/dev/null || { echo "bench: node is not installed (Node.js 20+ is needed)" >&2; exit 2; }
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || { echo "bench: Node.js 20+ is needed, found $(node --version)" >&2; exit 2; }
[ -x "$JAVA_HOME/bin/java" ] || { echo "bench: no Java at JAVA_HOME=$JAVA_HOME" >&2; exit 2; }

STARTED="$(date -Iseconds)"
LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
T0=$SECONDS
rm -rf "$LOGS" "$RESULTS" "$OUT/work" "$OUT/report.md"
mkdir -p "$LOGS"
step() { printf 'bench: [%3d s] %s\n' $((SECONDS - T0)) "$*"; }

JSW_PID=""
cleanup() {
  if [ -n "$JSW_PID" ] && kill -0 "$JSW_PID" 2>/dev/null; then
    step "stopping the stack (./jsw down)"
    JSW_STATE_DIR="$STATE" ./jsw down >>"$LOGS/jsw-down.log" 2>&1 || true
    for _ in $(seq 1 60); do kill -0 "$JSW_PID" 2>/dev/null || break; sleep 1; done
    kill "$JSW_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "building the drivers (bench/pom.xml) and the Node consumer (npm ci)"
./mvnw -B -ntp -q -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >"$LOGS/build.log" 2>&1 \
  || { cat "$LOGS/build.log"; exit 1; }
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error) >"$LOGS/npm.log" 2>&1 || { cat "$LOGS/npm.log"; exit 1; }
CP="$OUT/classes:$(cat "$OUT/classpath.txt")"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")

# ---- 1. getOAuthToken inside a run (the executor's own benchmark: runtime, token view, fetch gateway, emulator)
if ! skipped token; then
  step "getOAuthToken latency: workflow-executor/bench/run-benchmark.sh threads=1,4 warmup=PT20S measure=PT15S"
  workflow-executor/bench/run-benchmark.sh threads=1,4 warmup=PT20S measure=PT15S >"$LOGS/token-bench.log" 2>&1 \
    || step "  it failed (exit $?); see $LOGS/token-bench.log"
  grep -E 'threads=[0-9]+ ' "$LOGS/token-bench.log" | sed 's/^/bench:   /' || true
fi

# ---- 2. refresher capacity (its own broker and emulator)
if ! skipped refresher; then
  if [ "$MODE" = full ]; then
    REFRESH_ARGS=(-Dbench.burst=20000 -Dbench.connections=100000 -Dbench.watch=PT3M)
  else
    # the burst gives the capacity figure; the steady state needs minutes before refreshes fall due, so only --full has it
    REFRESH_ARGS=(-Dbench.burst=10000 -Dbench.connections=0 -Dbench.watch=PT0S)
  fi
  step "refresher capacity: token-refresher/bench.sh ${REFRESH_ARGS[*]}"
  token-refresher/bench.sh "${REFRESH_ARGS[@]}" >"$LOGS/refresher-bench.log" 2>&1 \
    || step "  it failed (exit $?); see $LOGS/refresher-bench.log"
  grep -E '^(phase|  =>)' "$LOGS/refresher-bench.log" | sed 's/^/bench:   /' || true
fi

# ---- 3. executor cold start with 100,000 tokens (own broker)
if ! skipped coldstart; then
  step "executor cold start with 100,000 tokens"
  "${JAVA[@]}" io.jsworkflows.bench.ColdStartBenchmark root="$ROOT" work="$OUT/work" results="$RESULTS" tokens=100000 \
    runs="$([ "$MODE" = full ] && echo 3 || echo 1)" \
    2>&1 | tee "$LOGS/coldstart.log" | grep '^bench:' | sed 's/^bench: /bench:   /' || step "  it failed; see $LOGS/coldstart.log"
fi

# ---- 3b. webhook ingress (own broker, the packaged gateway; built here when missing)
if ! skipped ingress; then
  step "webhook ingress: signed deliveries against the packaged webhook-gateway (own broker)"
  if [ ! -f webhook-gateway/target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -B -ntp -q -pl webhook-gateway -am package -DskipTests >"$LOGS/ingress-build.log" 2>&1 \
      || { tail -20 "$LOGS/ingress-build.log"; echo "bench: building webhook-gateway failed" >&2; exit 1; }
  fi
  "${JAVA[@]}" 'io.jsworkflows.bench.IngressBenchmark$Launcher' root="$ROOT" work="$OUT/work" results="$RESULTS" \
    measure="$([ "$MODE" = full ] && echo PT60S || echo PT20S)" \
    2>&1 | tee "$LOGS/ingress.log" | grep '^bench:' | sed 's/^bench: /bench:   /' || step "  it failed; see $LOGS/ingress.log"
fi

# ---- 4. the stack: executor vs Node.js, rate budget
if ! skipped stack; then
  rm -rf "$STATE"
  step "./jsw up (state $STATE; emulator rate limit off, executor budget 20,000 per 10 s per portal)"
  # every service inherits this environment: the emulator reads EMULATOR_*, the executor JSW_EXECUTOR_*. The budget
  # (2,000 requests/s per portal) is far above what two cores run, and not higher: it is a ring of that many slots.
  # The emulator keeps every contact both sides create (hundreds of thousands over the warm-ups): 2 GB of heap
  EMULATOR_RATE_LIMIT_MAX=0 JSW_EXECUTOR_RATE_LIMIT_MAX=20000 JSW_HEAP_HUBSPOT_EMULATOR=2g JSW_STATE_DIR="$STATE" \
    nohup ./jsw up >"$LOGS/jsw-up.log" 2>&1 &
  JSW_PID=$!
  for _ in $(seq 1 600); do
    grep -q '^jsw: ready' "$LOGS/jsw-up.log" 2>/dev/null && break
    kill -0 "$JSW_PID" 2>/dev/null || { cat "$LOGS/jsw-up.log"; echo "bench: ./jsw up failed" >&2; exit 1; }
    sleep 1
  done
  grep -q '^jsw: ready' "$LOGS/jsw-up.log" || { tail -20 "$LOGS/jsw-up.log"; echo "bench: ./jsw up was not ready in 10 minutes" >&2; exit 1; }
  grep -E 'everything is up' "$LOGS/jsw-up.log" | sed 's/^/bench:   /'
  step "./jsw demo (connects my-hubspot through the emulator's consent)"
  JSW_STATE_DIR="$STATE" ./jsw demo >"$LOGS/jsw-demo.log" 2>&1 || { tail -20 "$LOGS/jsw-demo.log"; echo "bench: ./jsw demo failed" >&2; exit 1; }
  step "executor vs Node.js consumer ($ORDERS orders a burst, warm-up $WARMUP, half load $HALF), then the rate budget"
  "${JAVA[@]}" io.jsworkflows.bench.StackBenchmark root="$ROOT" state="$STATE" work="$OUT/work" results="$RESULTS" \
    orders="$ORDERS" warmup="$WARMUP" warmup-min="$WARMUP_MIN" half="$HALF" phases="$PHASES" 2>&1 | tee "$LOGS/stack.log" | grep '^bench:' | sed 's/^bench: /bench:   /' || true
  cleanup
  JSW_PID=""
fi

# ---- 5. the table
step "done in $((SECONDS - T0)) s; the table (also in bench/target/report.md):"
echo
"${JAVA[@]}" io.jsworkflows.bench.Report results="$RESULTS" token-bench-log="$LOGS/token-bench.log" \
  refresher-log="$LOGS/refresher-bench.log" mode="$MODE" out="$OUT/report.md" started="$STARTED" load-start="$LOAD_START" \
  node-version="$(node --version)"
