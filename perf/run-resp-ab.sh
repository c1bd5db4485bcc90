#!/usr/bin/env bash
# Two node builds compared under the P16 load of run-resp-vs-redis.sh, run alternately, by work per CPU-second of the
# node's event-loop thread: on a shared, noisy machine throughput says more about the neighbours than about a change.
#
# Each run starts a fresh node from <jar dir> (engine-node.jar and lib/, e.g. copies of engine-node/target taken
# before and after a change), with the default JVM options of ./redmatch node plus a JFR recording (settings=profile)
# over the counted window, then the two redis-benchmark processes of run-resp-vs-redis.sh (-c 25 -P 16 -r 100,
# crossing BUYs and SELLs), keeping the book under --book-limit open orders the same way. After --warmup seconds,
# --window seconds are counted: commands from INFO total_commands_processed, CPU of the redmatch-node-* thread and of
# the GC threads from /proc/<pid>/task/*/stat. Prints one line per run with the load average; each run's node log,
# GC log and JFR recording stay under perf/<build dir>/results/resp-ab-<time>/.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: perf/run-resp-ab.sh [options] <label>=<jar dir> <label>=<jar dir>
  --rounds <n>       rounds, each one run of every build in the order given (default 3)
  --warmup <s>       seconds of load before the window (default 10)
  --window <s>       counted seconds (default 12; at -Xmx1g a node retaining every fill runs out of heap after
                     ~25-30 s of this load)
  --book-limit <n>   open orders at which the resting side is paused until half of it (default 20000)
Example: cp -r engine-node/target/{engine-node.jar,lib} /tmp/before/  (before a change; the same into /tmp/after/)
         perf/run-resp-ab.sh before=/tmp/before after=/tmp/after
EOF2
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
ROUNDS=3
WARMUP=10
WINDOW=12
BOOK_LIMIT=20000
BUILDS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --window) WINDOW=$2; shift 2 ;;
        --book-limit) BOOK_LIMIT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *=*) BUILDS+=("$1"); shift ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if ((${#BUILDS[@]} < 1)); then
    usage >&2
    exit 2
fi
for tool in redis-benchmark redis-cli ss; do
    command -v "$tool" > /dev/null || { echo "$tool is needed and not installed" >&2; exit 1; }
done

RUN_DIR=$ROOT/perf/$BUILD_DIR/results/resp-ab-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM
CLK_TCK=$(getconf CLK_TCK)
PAIR=BTC-USDT

loop_and_gc_ticks() { # loop_and_gc_ticks <pid>: "<event loop ticks> <GC ticks>"
    resp_jvm_thread_ticks "$1" redmatch-node | awk '{ print $1, $3 }'
}

balance_book() { # balance_book <port> <buy pid> <sell pid>: pause the resting side over the limit (run-resp-vs-redis.sh)
    local open bbo resting=
    open=$(resp_pair_field "$1" "$PAIR" open_orders)
    bbo=$(redis-cli -p "$1" BOOK.BBO "$PAIR" | tr -d '\r')
    [[ -n $(sed -n '2p' <<< "$bbo") ]] && resting=$2
    [[ -n $(sed -n '6p' <<< "$bbo") ]] && resting=$3
    if [[ -n $PAUSED ]] && { ((open < BOOK_LIMIT / 2)) || [[ $resting != "$PAUSED" ]]; }; then
        kill -CONT "$PAUSED" 2>/dev/null || true
        PAUSED=
    fi
    if [[ -z $PAUSED && -n $resting ]] && ((open > BOOK_LIMIT)); then
        PAUSED=$resting
        kill -STOP "$PAUSED"
    fi
}

load_for() { # load_for <seconds> <port> <buy pid> <sell pid>
    local end=$(($(date +%s) + $1))
    while (($(date +%s) < end)); do
        balance_book "$2" "$3" "$4"
        sleep 0.25
    done
}

run_one() { # run_one <label> <jar dir> <round>
    local label=$1 jars=$2 dir port pid buy sell loop0 gc0 loop1 gc1 cmds0 cmds1 t0 t1
    dir=$RUN_DIR/$label-$3
    mkdir -p "$dir"
    port=$(resp_free_port)
    # shellcheck disable=SC2046
    java -Xmx1g -XX:+ExitOnOutOfMemoryError -Dio.netty.leakDetection.level=disabled "-Xlog:gc:file=$dir/gc.log" \
        "-XX:StartFlightRecording=filename=$dir/node.jfr,settings=profile,delay=${WARMUP}s,duration=${WINDOW}s" \
        $(resp_jvm_flags) -cp "$jars/engine-node.jar:$jars/lib/*" io.redmatch.engine.node.EngineNodeMain \
        --port "$port" --data-dir "$dir/data" --config "$ROOT/config/demo-pairs.conf" > "$dir/node.log" 2>&1 &
    pid=$!
    RESP_STARTED_PIDS+=("$pid")
    resp_wait_port "$port" "$pid" "$dir/node.log"
    redis-benchmark -p "$port" -c 25 -P 16 -n 1000000000 -r 100 \
        ORDER.PLACE "$PAIR" BUY ACCOUNT b__rand_int__ QTY 0.001 PRICE __rand_int__99.5 > /dev/null 2>&1 &
    buy=$!
    redis-benchmark -p "$port" -c 25 -P 16 -n 1000000000 -r 100 \
        ORDER.PLACE "$PAIR" SELL ACCOUNT s__rand_int__ QTY 0.001 PRICE __rand_int__.5 > /dev/null 2>&1 &
    sell=$!
    RESP_STARTED_PIDS+=("$buy" "$sell")
    PAUSED=
    load_for "$WARMUP" "$port" "$buy" "$sell"
    read -r loop0 gc0 <<< "$(loop_and_gc_ticks "$pid")"
    cmds0=$(resp_info_counters "$port" | cut -d' ' -f1)
    t0=$(date +%s%N)
    load_for "$WINDOW" "$port" "$buy" "$sell"
    read -r loop1 gc1 <<< "$(loop_and_gc_ticks "$pid")"
    cmds1=$(resp_info_counters "$port" | cut -d' ' -f1)
    t1=$(date +%s%N)
    resp_stop "$buy" "$sell" "$pid"
    awk -v label="$label" -v round="$3" -v ops=$((cmds1 - cmds0)) -v ns=$((t1 - t0)) -v hz="$CLK_TCK" \
        -v loop=$((loop1 - loop0)) -v gc=$((gc1 - gc0)) -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
        printf "build=%s round=%s ops_per_s=%.0f loop_cpu_s=%.2f ops_per_loop_cpu_s=%.0f gc_cpu_s=%.2f load=%s\n",
            label, round, ops / (ns / 1e9), loop / hz, (loop > 0 ? ops / (loop / hz) : 0), gc / hz, load }' |
        tee -a "$RUN_DIR/runs.txt"
}

echo "# ${#BUILDS[@]} builds x $ROUNDS rounds, ${WARMUP} s warm-up + ${WINDOW} s counted each; $(nproc) cores;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
    for build in "${BUILDS[@]}"; do
        run_one "${build%%=*}" "${build#*=}" "$round"
    done
done
echo "# raw output: $RUN_DIR"
