#!/usr/bin/env bash
# Clearing under sustained engine load: fills cleared per second end to end and clearing's lag, against the engine's
# own fill rate in the same run.
#
# Starts an engine node with the demo pairs (its default durability: command log, page-cache sync) and a clearing
# service against it (default options of ./redmatch clearing: write-ahead record fsynced per batch), on free loopback
# ports with fresh data dirs. Two redis-benchmark processes then place crossing orders on BTC-USDT as fast as the node
# takes them (SELLs and BUYs at one price, QTY 0.001, accounts s<rand>/b<rand>), so nearly every BUY or SELL that
# meets a resting order of the other side makes one fill. Every second the script samples the engine's last fill
# (XREVRANGE fills:BTC-USDT + - COUNT 1) and clearing's cursor and INFO (apply_delay_max_ms: the longest time, in the
# last second, between a fill's engine time and its application to the ledger), and prints one line per second.
# After the load it waits until clearing has caught up, runs LEDGER.CHECK (reconciliation against the streams), and
# prints a summary: engine fills/s and clearing fills/s over the load, their ratio, the largest lag in fills and in
# ms, catch-up time after the load, and clearing's CPU time per fill. Raw output goes to perf/<build dir>/clearing/.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: perf/run-clearing.sh [options]
  --requests <n>   orders per side (default 300000)
  --clients <n>    clients of each redis-benchmark process (default 25)
  --pipeline <n>   pipeline depth of each client (default 16)
  --batch <n>      clearing's --batch (fills read per pair per batch, default 2000)
  --range <r>      accounts per side (redis-benchmark -r, default 100)
Environment: REDMATCH_BUILD_DIR  Maven build directory name (default target)
             CLEARING_PERF_JAVA_OPTS  extra JVM options for the clearing service (e.g. a JFR recording)
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${REDMATCH_BUILD_DIR:-target}"
RUN_DIR="$ROOT/perf/$BUILD_DIR/clearing"
REQUESTS=300000
CLIENTS=25
PIPELINE=16
BATCH=2000
RANGE=100
while [[ $# -gt 0 ]]; do
    case "$1" in
        --requests) REQUESTS="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --pipeline) PIPELINE="$2"; shift 2 ;;
        --batch) BATCH="$2"; shift 2 ;;
        --range) RANGE="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap resp_stop_all EXIT

CLEARING_JAR="$ROOT/clearing/$BUILD_DIR/clearing.jar"
if [[ ! -f $CLEARING_JAR || ! -f $ROOT/engine-node/$BUILD_DIR/engine-node.jar ||
      -n $(find "$ROOT/clearing/src/main" "$ROOT/engine-node/src/main" -newer "$CLEARING_JAR" -type f 2>/dev/null | head -1) ]]; then
    echo "# building engine-node and clearing into $BUILD_DIR/"
    mvn -B -q -f "$ROOT/pom.xml" -pl clearing -am package -DskipTests "-Dredmatch.build.dir=$BUILD_DIR"
fi

rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
NODE_PORT=$(resp_free_port)
resp_start_node "$NODE_PORT" "$RUN_DIR/node" "$RUN_DIR/node.log"
CLEARING_PORT=$(resp_free_port)
# shellcheck disable=SC2046
java -Xmx512m -XX:+ExitOnOutOfMemoryError -Dio.netty.leakDetection.level=disabled $(resp_jvm_flags) \
    ${CLEARING_PERF_JAVA_OPTS:-} -cp "$CLEARING_JAR:$ROOT/clearing/$BUILD_DIR/lib/*" io.redmatch.clearing.ClearingMain \
    --port "$CLEARING_PORT" --data-dir "$RUN_DIR/clearing" --engine "127.0.0.1:$NODE_PORT" --batch "$BATCH" \
    > "$RUN_DIR/clearing.log" 2>&1 &
CLEARING_PID=$!
RESP_STARTED_PIDS+=("$CLEARING_PID")
resp_wait_port "$CLEARING_PORT" "$CLEARING_PID" "$RUN_DIR/clearing.log"
for _ in $(seq 1 100); do
    redis-cli -p "$CLEARING_PORT" INFO clearing | grep -q '^pair_BTC-USDT:' && break
    sleep 0.1
done

engine_last() {
    redis-cli -p "$NODE_PORT" XREVRANGE fills:BTC-USDT + - COUNT 1 | head -1 | cut -d- -f1 | sed 's/^$/0/'
}
clearing_field() { # clearing_field <INFO clearing text> <field>
    printf '%s\n' "$1" | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}
clearing_cursor() { # from the pair_BTC-USDT:state=...,cursor=N,... line
    printf '%s\n' "$1" | tr -d '\r' | sed -n 's/^pair_BTC-USDT:.*cursor=\([0-9]*\).*/\1/p'
}

echo "# load $(uptime | sed 's/.*load average/load average/')"
echo "# engine 127.0.0.1:$NODE_PORT, clearing 127.0.0.1:$CLEARING_PORT (batch $BATCH); $REQUESTS orders per side," \
    "$CLIENTS clients x pipeline $PIPELINE per side"
# the thread that reads, decodes and applies the fills: its CPU is clearing's own cost per fill, without the
# process's start, JIT compilation and garbage collection
agent_cpu_ticks() {
    local task
    for task in /proc/"$CLEARING_PID"/task/*; do
        if [[ $(cat "$task/comm" 2>/dev/null) == clearing-agent ]]; then
            sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }'
            return
        fi
    done
    echo 0
}
CPU_BEFORE=$(resp_cpu_ticks "$CLEARING_PID")
AGENT_BEFORE=$(agent_cpu_ticks)
START_FILLS=$(engine_last)
START_NS=$(date +%s%N)
redis-benchmark -p "$NODE_PORT" -c "$CLIENTS" -P "$PIPELINE" -n "$REQUESTS" -r "$RANGE" -q \
    ORDER.PLACE BTC-USDT SELL ACCOUNT s__rand_int__ QTY 0.001 PRICE 30000 > "$RUN_DIR/bench-sell.txt" 2>&1 &
SELL_PID=$!
redis-benchmark -p "$NODE_PORT" -c "$CLIENTS" -P "$PIPELINE" -n "$REQUESTS" -r "$RANGE" -q \
    ORDER.PLACE BTC-USDT BUY ACCOUNT b__rand_int__ QTY 0.001 PRICE 30000 > "$RUN_DIR/bench-buy.txt" 2>&1 &
BUY_PID=$!

printf '%7s %12s %12s %12s %10s %12s %14s\n' time_s engine_fills cleared engine_f/s cleared_f/s lag_fills \
    apply_delay_ms
MAX_LAG_FILLS=0
MAX_DELAY_MS=0
PREV_ENGINE=$START_FILLS
PREV_CURSOR=$START_FILLS
PREV_NS=$START_NS
while kill -0 "$SELL_PID" 2>/dev/null || kill -0 "$BUY_PID" 2>/dev/null; do
    sleep 1
    ENGINE=$(engine_last)
    NOW_NS=$(date +%s%N)
    INFO=$(redis-cli -p "$CLEARING_PORT" INFO clearing)
    CURSOR=$(clearing_cursor "$INFO")
    DELAY=$(clearing_field "$INFO" apply_delay_max_ms)
    # the two samples are a few ms apart: a cursor already past the engine's sample counts as no lag
    LAG=$((ENGINE > CURSOR ? ENGINE - CURSOR : 0))
    ((LAG > MAX_LAG_FILLS)) && MAX_LAG_FILLS=$LAG
    MAX_DELAY_MS=$(awk -v a="$MAX_DELAY_MS" -v b="$DELAY" 'BEGIN { print (b > a) ? b : a }')
    printf '%7.1f %12d %12d %12.0f %10.0f %12d %14s\n' "$(awk -v a="$START_NS" -v b="$NOW_NS" 'BEGIN { print (b - a) / 1e9 }')" \
        "$ENGINE" "$CURSOR" "$(awk -v d=$((ENGINE - PREV_ENGINE)) -v a="$PREV_NS" -v b="$NOW_NS" 'BEGIN { print d * 1e9 / (b - a) }')" \
        "$(awk -v d=$((CURSOR - PREV_CURSOR)) -v a="$PREV_NS" -v b="$NOW_NS" 'BEGIN { print d * 1e9 / (b - a) }')" "$LAG" "$DELAY"
    PREV_NS=$NOW_NS
    PREV_ENGINE=$ENGINE
    PREV_CURSOR=$CURSOR
done
LOAD_END_NS=$(date +%s%N)
END_FILLS=$(engine_last)
END_CURSOR=$(clearing_cursor "$(redis-cli -p "$CLEARING_PORT" INFO clearing)")
END_LAG=$((END_FILLS > END_CURSOR ? END_FILLS - END_CURSOR : 0))
while true; do
    CURSOR=$(clearing_cursor "$(redis-cli -p "$CLEARING_PORT" INFO clearing)")
    [[ $CURSOR -ge $END_FILLS ]] && break
    sleep 0.01
done
CAUGHT_UP_NS=$(date +%s%N)
CPU_AFTER=$(resp_cpu_ticks "$CLEARING_PID")
AGENT_AFTER=$(agent_cpu_ticks)
CHECK=$(redis-cli -p "$CLEARING_PORT" LEDGER.CHECK)
FILLS=$((END_FILLS - START_FILLS))
LOAD_S=$(awk -v a="$START_NS" -v b="$LOAD_END_NS" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
TOTAL_S=$(awk -v a="$START_NS" -v b="$CAUGHT_UP_NS" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
CATCH_UP_MS=$(awk -v a="$LOAD_END_NS" -v b="$CAUGHT_UP_NS" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
CLK_TCK=$(getconf CLK_TCK)
echo "# fills $FILLS in $LOAD_S s of load: engine $(awk -v f="$FILLS" -v s="$LOAD_S" 'BEGIN { printf "%.0f", f / s }') fills/s;" \
    "clearing done $CATCH_UP_MS ms after the load: $(awk -v f="$FILLS" -v s="$TOTAL_S" 'BEGIN { printf "%.0f", f / s }') fills/s end to end" \
    "(ratio $(awk -v l="$LOAD_S" -v t="$TOTAL_S" 'BEGIN { printf "%.3f", l / t }') of the engine's rate)"
((END_LAG > 0)) && echo "# catch-up after the load: $END_LAG fills in $CATCH_UP_MS ms ($(awk -v f="$END_LAG" -v ms="$CATCH_UP_MS" 'BEGIN { if (ms > 0) printf "%.0f", f * 1000 / ms; else print "-" }') fills/s with the engine idle)"
echo "# largest lag sampled: $MAX_LAG_FILLS fills; largest apply delay (engine time of a fill to its application): $MAX_DELAY_MS ms"
echo "# clearing CPU: $(awk -v t=$((CPU_AFTER - CPU_BEFORE)) -v k="$CLK_TCK" -v f="$FILLS" 'BEGIN { printf "%.2f s, %.0f fills per CPU-second", t / k, f / (t / k) }')"
echo "# clearing agent thread CPU: $(awk -v t=$((AGENT_AFTER - AGENT_BEFORE)) -v k="$CLK_TCK" -v f="$FILLS" 'BEGIN { if (t > 0) printf "%.2f s, %.0f fills per CPU-second", t / k, f / (t / k); else print "-" }')"
echo "# LEDGER.CHECK: $CHECK"
echo "# redis-benchmark: $(grep -ho '[0-9.]* requests per second' "$RUN_DIR"/bench-*.txt | tr '\n' ' ')"
echo "# load $(uptime | sed 's/.*load average/load average/')"
