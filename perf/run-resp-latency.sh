#!/usr/bin/env bash
# Latency at a fixed offered rate (SPEC §8): an engine node placing a crossing order flow (ORDER.PLACE) vs
# redis-server doing SET, each measured by our open-loop load generator (perf/resp-loadgen) at the same rates,
# connections and durations. Every request's latency runs from the time it was meant to be sent, so a stall is
# charged to every request it delayed (no coordinated omission); percentiles come from an HdrHistogram.
#
# Starts a fresh node with the demo pairs (default JVM options of ./redmatch node) and a redis-server
# (--save '' --appendonly no) on free loopback ports, nothing pinned; warms the node's JIT with a few seconds of load,
# then for each rate runs the generator against the node and against redis, one after the other. Also reads each
# server's CPU time around each run (/proc/<pid>/stat), for requests per CPU-second at that rate. Prints a table;
# raw output and .hgrm files are kept under perf/<build dir>/results/.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: perf/run-resp-latency.sh [options]
  --build                 rebuild the node and the load generator even if their jars are up to date
  --rates "<r>..."        offered rates, requests per second over all connections (default "20000 50000 100000")
  --connections <n>       connections of the generator (default 50)
  --warmup <s>            seconds at the rate before measuring, each run (default 3)
  --duration <s>          measured seconds, each run (default 10)
  --node-warmup <s>       seconds of a warm-up round at 50000/s on the fresh node, repeated (up to 3 times) while the
                          JIT compiler threads use over 5% of a core (default 5)
  --tick-us <us>          shortest pause between the generator's sending rounds (default 20)
Environment: REDMATCH_BUILD_DIR  Maven build directory name (default target)
             REDMATCH_JAVA_OPTS  the node's JVM options (default -Xmx1g, as ./redmatch node)
About 2 minutes with the defaults.
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0
RATES="20000 50000 100000"
CONNECTIONS=50
WARMUP=3
DURATION=10
NODE_WARMUP=5
TICK_US=20

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1; shift ;;
        --rates) RATES=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --node-warmup) NODE_WARMUP=$2; shift 2 ;;
        --tick-us) TICK_US=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in redis-server redis-cli ss; do
    command -v "$tool" > /dev/null || { echo "$tool is needed and not installed" >&2; exit 1; }
done

RESULTS=$ROOT/perf/$BUILD_DIR/results
RUN_DIR=$RESULTS/resp-latency-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM

resp_build "$BUILD" engine-node,perf/resp-loadgen
CLK_TCK=$(getconf CLK_TCK)
PAIR=BTC-USDT
LOADGEN=(java -Xms512m -Xmx512m -cp "$ROOT/perf/resp-loadgen/$BUILD_DIR/perf-resp-loadgen.jar:$ROOT/perf/resp-loadgen/$BUILD_DIR/lib/*"
    io.redmatch.perf.resp.RespLoadTool --connections "$CONNECTIONS" --tick-us "$TICK_US")

REDIS_PORT=$(resp_free_port)
resp_start_redis "$REDIS_PORT" "$RUN_DIR/redis" "$RUN_DIR/redis.log"
NODE_PORT=$(resp_free_port)
NODE_LOG=$RUN_DIR/node.log
resp_start_node "$NODE_PORT" "$RUN_DIR/node-data" "$NODE_LOG"
echo "# node on port $NODE_PORT (pid $NODE_PID, JVM ${REDMATCH_JAVA_OPTS:--Xmx1g}), redis-server" \
    "$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on port $REDIS_PORT (pid $REDIS_PID); $(nproc) cores"
echo "# generator: ${LOADGEN[*]} --warmup $WARMUP --duration $DURATION --rate <r> ..."
echo "# node: --workload order --pair $PAIR (BUY/SELL alternating, buys at mid + [0,100) ticks, sells at mid - [0,100))"
echo "# redis: --workload set (SET key:<random below 100000> xxx)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine share its cores)"
echo "# raw output: $RUN_DIR"

# Warm-up rounds at 50000/s until the JIT compiler threads used under 5% of a core in the last one, at most 3 rounds.
if ((NODE_WARMUP > 0)); then
    for round in 1 2 3; do
        jit0=$(resp_jvm_thread_ticks "$NODE_PID" redmatch-node | cut -d' ' -f2)
        "${LOADGEN[@]}" --port "$NODE_PORT" --label node-warmup --workload order --rate 50000 --warmup 0 \
            --duration "$NODE_WARMUP" > "$RUN_DIR/node-warmup-$round.txt" 2>&1 ||
            { echo "# the node warm-up round $round did not complete:"; grep -E '^# (STOPPED|first error)' \
                "$RUN_DIR/node-warmup-$round.txt" || tail -3 "$RUN_DIR/node-warmup-$round.txt"; }
        jit1=$(resp_jvm_thread_ticks "$NODE_PID" redmatch-node | cut -d' ' -f2)
        echo "# node warm-up round $round: JIT compilers used $(awk -v t=$((jit1 - jit0)) -v hz="$CLK_TCK" \
            'BEGIN { printf "%.2f", t / hz }') CPU s"
        if (((jit1 - jit0) * 20 < NODE_WARMUP * CLK_TCK)); then
            break
        fi
    done
fi

# Runs the generator once and appends its RESULT line, with the server's CPU per request, to $RUN_DIR/runs.txt.
run_load() { # run_load node|redis <port> <server pid> <rate>
    local target=$1 port=$2 pid=$3 rate=$4 workload=order
    [[ $target == redis ]] && workload=set
    local out=$RUN_DIR/$target-$rate.txt cmds0 cmds1 cpu0 cpu1
    cmds0=$(resp_info_field "$port" stats total_commands_processed)
    cpu0=$(resp_cpu_ticks "$pid")
    "${LOADGEN[@]}" --port "$port" --label "$target" --workload "$workload" --rate "$rate" --warmup "$WARMUP" \
        --duration "$DURATION" --hgrm "$RUN_DIR/$target-$rate.hgrm" > "$out" 2>&1 || true
    cpu1=$(resp_cpu_ticks "$pid")
    cmds1=$(resp_info_field "$port" stats total_commands_processed)
    local result
    result=$(grep '^RESULT ' "$out" || echo "RESULT label=$target rate=$rate failed=yes")
    grep -E '^# (STOPPED|first error)' "$out" | sed "s/^# /# $target at $rate\/s: /" || true
    # the first INFO is counted by the second reading
    echo "$result requests_per_cpu_s=$(awk -v ops=$((cmds1 - cmds0 - 1)) -v cpu=$((cpu1 - cpu0)) -v hz="$CLK_TCK" \
        'BEGIN { printf "%.0f", (cpu > 0 ? ops / (cpu / hz) : 0) }') server_cpu_share=$(awk -v cpu=$((cpu1 - cpu0)) \
        -v hz="$CLK_TCK" -v s=$((WARMUP + DURATION)) 'BEGIN { printf "%.2f", cpu / hz / s }')" | tee -a "$RUN_DIR/runs.txt"
}

for rate in $RATES; do
    run_load node "$NODE_PORT" "$NODE_PID" "$rate"
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
        echo "the node DIED at $rate/s; last lines of $NODE_LOG:"
        tail -20 "$NODE_LOG"
        exit 1
    fi
    echo "# node after $rate/s: open_orders=$(resp_pair_field "$NODE_PORT" "$PAIR" open_orders)" \
        "fills=$(resp_pair_field "$NODE_PORT" "$PAIR" fills) heap_used_mb=$(resp_heap_used_mb "$NODE_PID")" \
        "$(resp_gc_summary "$NODE_LOG") (since start) $(resp_node_log_summary "$NODE_PORT")"
    run_load redis "$REDIS_PORT" "$REDIS_PID" "$rate"
done

value() { # value <label> <rate> <key>
    grep "^RESULT label=$1 .* rate=$2 " "$RUN_DIR/runs.txt" | tr ' ' '\n' | sed -n "s/^$3=//p" | head -1
}

echo
printf "%-8s %-6s %10s %9s %9s %9s %9s %9s %12s\n" rate target achieved p50_us p99_us p99.9_us max_us \
    server_cpu "req/CPU-s"
for rate in $RATES; do
    for target in node redis; do
        printf "%-8s %-6s %10s %9s %9s %9s %9s %9s %12s\n" "$rate" "$target" "$(value "$target" "$rate" achieved)" \
            "$(value "$target" "$rate" p50_us)" "$(value "$target" "$rate" p99_us)" \
            "$(value "$target" "$rate" p999_us)" "$(value "$target" "$rate" max_us)" \
            "$(value "$target" "$rate" server_cpu_share)" "$(value "$target" "$rate" requests_per_cpu_s)"
    done
    awk -v rate="$rate" -v n50="$(value node "$rate" p50_us)" -v r50="$(value redis "$rate" p50_us)" \
        -v n99="$(value node "$rate" p99_us)" -v r99="$(value redis "$rate" p99_us)" \
        -v n999="$(value node "$rate" p999_us)" -v r999="$(value redis "$rate" p999_us)" \
        -v nmax="$(value node "$rate" max_us)" -v rmax="$(value redis "$rate" max_us)" \
        -v ncpu="$(value node "$rate" requests_per_cpu_s)" -v rcpu="$(value redis "$rate" requests_per_cpu_s)" '
        function ratio(a, b) { return (b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
        BEGIN { printf "%-8s %-6s %10s %9s %9s %9s %9s %9s %12s\n", rate, "ratio", "", ratio(n50, r50),
            ratio(n99, r99), ratio(n999, r999), ratio(nmax, rmax), "", ratio(ncpu, rcpu) }'
done
echo
echo "# latency in microseconds from each request's intended send time to its reply; ratio = node / redis (below 1 is"
echo "# better for latency, above 1 for requests per CPU-second). server_cpu = cores the server used over the run."
if grep -q 'complete=false\|failed=yes' "$RUN_DIR/runs.txt"; then
    echo "# some runs did not complete (target saturated, errors or disconnects): see $RUN_DIR/<target>-<rate>.txt"
fi
echo "# node log warnings: $(grep -cE ' (WARN|ERROR) ' "$NODE_LOG" || true)"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# raw output: $RUN_DIR"
