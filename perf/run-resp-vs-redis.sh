#!/usr/bin/env bash
# An engine node over RESP vs redis-server doing SET, under the same redis-benchmark load (SPEC §8).
#
# Starts redis-server (--save '' --appendonly no) and, for each pipeline depth, a fresh engine node with the demo pairs
# (default JVM options of ./redmatch node: REDMATCH_JAVA_OPTS, -Xmx1g), all on free loopback ports, nothing pinned.
# Each phase runs two redis-benchmark processes of 25 clients in parallel against one server (one process cannot
# alternate BUY and SELL: redis-benchmark repeats a single command template), both with the same pipeline depth; for
# redis both send SET. After a warm-up, a fixed window is measured from the server's own counters (INFO
# total_commands_processed) and its CPU time (/proc/<pid>/stat utime + stime, also per thread: event loop, JIT, GC),
# so both servers are measured over the same kind of window and the CPU figures do not depend on who else runs.
# Prints a table of throughput, ratio and work per CPU-second; raw output (redis-benchmark output, node logs with GC
# pauses, book balance checks) is kept under perf/<build dir>/results/.
#
# The node's load is a crossing order flow. redis-benchmark can only substitute __rand_int__ with a 12-digit,
# zero-padded number in [0, r), so a price can be rand * 10^k + suffix but never mid + rand. The flow therefore uses
#   SELL ... PRICE __rand_int__.5     -> 0.5, 1.5 ... 99.5       (r = 100; multiples of the 0.01 tick)
#   BUY  ... PRICE __rand_int__99.5   -> 99.5, 199.5 ... 9999.5
# Every buy is priced at or above every sell, so each order trades in full (QTY is the same for all) with the best
# resting order of the other side, at the maker's random price, or rests when that side is empty: the book holds only
# the difference between buys and sells so far. The two processes do not run at exactly the same pace, so the script
# watches open_orders 4 times a second and pauses the faster process while the book is over a limit (balance_book);
# it reports the largest book, how long a process was paused, and the node's heap after each phase, since every fill
# and closed order is retained (fill retention 24 h, closed orders up to 1M per pair).
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: perf/run-resp-vs-redis.sh [options]
  --build               rebuild the node even if its jar is up to date
  --pipelines "<n>..."  pipeline depths, each a phase per server (default "16 1")
  --clients <n>         clients of each of the two redis-benchmark processes (default 25)
  --warmup <s>          seconds of load on each fresh node before its window (default 10); the window then waits
                        while the JIT compiler threads still use over 5% of a core, up to 20 s more
  --redis-warmup <s>    seconds of load on redis-server before its window (default 3)
  --window <s>          measured seconds per phase (default 10)
  --range <r>           redis-benchmark -r: price levels per side and accounts per side (default 100; at most 100)
  --qty <q>             quantity of every order (default 0.001)
  --book-limit <n>      open orders at which the faster side is paused until the book halves or flips sides
                        (default 20000)
Environment: REDMATCH_BUILD_DIR  Maven build directory name (default target)
             REDMATCH_JAVA_OPTS  the node's JVM options (default -Xmx1g, as ./redmatch node)
About 2 minutes with the defaults.
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0
PIPELINES="16 1"
CLIENTS=25
WARMUP=10
REDIS_WARMUP=3
WINDOW=10
RANGE=100
QTY=0.001
BOOK_LIMIT=20000

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1; shift ;;
        --pipelines) PIPELINES=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --redis-warmup) REDIS_WARMUP=$2; shift 2 ;;
        --window) WINDOW=$2; shift 2 ;;
        --range) RANGE=$2; shift 2 ;;
        --qty) QTY=$2; shift 2 ;;
        --book-limit) BOOK_LIMIT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if ((RANGE < 1 || RANGE > 100)); then
    echo "--range must be 1..100: a buy at r*100 + 99.5 must stay at or above every sell at r + 0.5" >&2
    exit 2
fi
for tool in redis-server redis-benchmark redis-cli jcmd ss; do
    command -v "$tool" > /dev/null || { echo "$tool is needed and not installed" >&2; exit 1; }
done

RESULTS=$ROOT/perf/$BUILD_DIR/results
RUN_DIR=$RESULTS/resp-vs-redis-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM

resp_build "$BUILD" engine-node,perf/resp-loadgen
CLK_TCK=$(getconf CLK_TCK)
PAIR=BTC-USDT
BENCH_N=1000000000  # never reached: a phase ends when its window does
BALANCE_PERIOD_MS=250
JIT_SETTLE_MAX=20

buy_cmd=(ORDER.PLACE "$PAIR" BUY ACCOUNT b__rand_int__ QTY "$QTY" PRICE __rand_int__99.5)
sell_cmd=(ORDER.PLACE "$PAIR" SELL ACCOUNT s__rand_int__ QTY "$QTY" PRICE __rand_int__.5)
set_cmd=(SET key:__rand_int__ xxx)

echo "# node load:  2 x redis-benchmark -c $CLIENTS -P <p> -r $RANGE: ${buy_cmd[*]}  |  ${sell_cmd[*]}"
echo "# redis load: 2 x redis-benchmark -c $CLIENTS -P <p> -r 100000: ${set_cmd[*]}"
echo "# each phase: warm-up ${WARMUP} s (node) or ${REDIS_WARMUP} s (redis), then ${WINDOW} s measured;" \
    "node JVM: ${REDMATCH_JAVA_OPTS:--Xmx1g}; $(nproc) cores"
echo "# raw output: $RUN_DIR"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine share its cores)"

# Keeps the node's book bounded. Two independent redis-benchmark processes never run at exactly the same pace (on a
# busy 2-core machine one can get 30% more CPU than the other for seconds), and with an always-crossing flow the book
# holds exactly the surplus of the faster side. When open_orders passes the limit, the process sending the resting
# side is paused (SIGSTOP); it resumes (SIGCONT) once the book is under half the limit or the other side rests, since
# at these rates the book can drain and flip between two checks. Sets BALANCE_COMMANDS to the commands it sent to the
# node, keeps MAX_OPEN, and adds the time a process was paused within the window to PAUSED_NS. Each check is logged
# to <phase>-balance.txt.
balance_book() { # balance_book <port> <buy pid> <sell pid> <log>
    local port=$1 open bbo now resting_pid=
    open=$(resp_pair_field "$port" "$PAIR" open_orders)
    # RESP2 record bid_price, <price or nil>, bid_qty, <qty or nil>, ask_price, ...; redis-cli prints nil as ""
    bbo=$(redis-cli -p "$port" BOOK.BBO "$PAIR" | tr -d '\r')
    BALANCE_COMMANDS=2
    if [[ -n $(sed -n '2p' <<< "$bbo") ]]; then
        resting_pid=$2
    elif [[ -n $(sed -n '6p' <<< "$bbo") ]]; then
        resting_pid=$3
    fi
    ((open > MAX_OPEN)) && MAX_OPEN=$open
    now=$(date +%s%N)
    echo "$now open_orders=$open resting=${resting_pid:-none} paused=${PAUSED_PID:-none}" >> "$4"
    if [[ -n $PAUSED_PID ]] && ((open < BOOK_LIMIT / 2)) || [[ -n $PAUSED_PID && $resting_pid != "$PAUSED_PID" ]]; then
        resume_paused "$now"
    fi
    if [[ -z $PAUSED_PID && -n $resting_pid ]] && ((open > BOOK_LIMIT)); then
        PAUSED_PID=$resting_pid
        kill -STOP "$PAUSED_PID"
        PAUSED_SINCE=$now
        PAUSES=$((PAUSES + 1))
    fi
}

resume_paused() { # resume_paused <now ns>
    if [[ -n $PAUSED_PID ]]; then
        kill -CONT "$PAUSED_PID" 2>/dev/null || true
        if ((PAUSED_SINCE < WINDOW_START)); then PAUSED_SINCE=$WINDOW_START; fi
        if (($1 > PAUSED_SINCE)); then PAUSED_NS=$((PAUSED_NS + $1 - PAUSED_SINCE)); fi
        PAUSED_PID=
    fi
}

# Runs one phase and appends a line "key=value ..." to $RUN_DIR/phases.txt.
run_phase() { # run_phase node|redis <port> <server pid> <pipeline>
    local target=$1 port=$2 pid=$3 pipeline=$4
    local tag=$target-p$pipeline bench_pids=() first second range=$RANGE warmup=$WARMUP loop_thread=redmatch-node
    if [[ $target == node ]]; then
        first=("${buy_cmd[@]}"); second=("${sell_cmd[@]}")
    else
        first=("${set_cmd[@]}"); second=("${set_cmd[@]}"); range=100000 warmup=$REDIS_WARMUP
        loop_thread=redis-server
    fi
    redis-benchmark -p "$port" -c "$CLIENTS" -P "$pipeline" -n "$BENCH_N" -r "$range" "${first[@]}" \
        > "$RUN_DIR/$tag-bench-1.txt" 2>&1 &
    bench_pids+=($!)
    redis-benchmark -p "$port" -c "$CLIENTS" -P "$pipeline" -n "$BENCH_N" -r "$range" "${second[@]}" \
        > "$RUN_DIR/$tag-bench-2.txt" 2>&1 &
    bench_pids+=($!)
    RESP_STARTED_PIDS+=("${bench_pids[@]}")

    MAX_OPEN=0 PAUSED_PID= PAUSED_SINCE=0 PAUSED_NS=0 PAUSES=0 JIT_WAIT_S=0 WINDOW_START=$(($(date +%s%N) + warmup * 1000000000))
    local window_end=$((WINDOW_START + WINDOW * 1000000000)) extra=0 measuring=0
    local t0 t1 cmds0 cmds1 cpu0 cpu1 client0 client1 in0 in1 out0 out1 errors0 errors1 now threads0 threads1
    local jit_prev=0 jit_prev_ns=0 jit_now planned_start=$WINDOW_START
    local jit_deadline=$((WINDOW_START + JIT_SETTLE_MAX * 1000000000))
    while true; do
        now=$(date +%s%N)
        if [[ $target == node ]] && ((measuring == 0)); then
            # the window waits while the JIT compilers still use more than 5% of a core, for at most JIT_SETTLE_MAX s
            jit_now=$(resp_jvm_thread_ticks "$pid" "$loop_thread" | cut -d' ' -f2)
            if ((now >= WINDOW_START && now < jit_deadline && jit_prev_ns > 0 &&
                (jit_now - jit_prev) * 1000000000 * 20 > (now - jit_prev_ns) * CLK_TCK)); then
                WINDOW_START=$((now + BALANCE_PERIOD_MS * 1000000))
                window_end=$((WINDOW_START + WINDOW * 1000000000))
            fi
            jit_prev=$jit_now jit_prev_ns=$now
        fi
        if ((measuring == 0 && now >= WINDOW_START)); then
            JIT_WAIT_S=$(((now - planned_start) / 1000000000))
            cpu0=$(resp_cpu_ticks "$pid")
            threads0=$(resp_jvm_thread_ticks "$pid" "$loop_thread")
            client0=$(resp_cpu_ticks "${bench_pids[@]}")
            t0=$(date +%s%N)
            read -r cmds0 in0 out0 errors0 <<< "$(resp_info_counters "$port")"
            extra=1  # this reading is counted by the last one
            measuring=1
            window_end=$((t0 + WINDOW * 1000000000))
        fi
        if ((measuring == 1 && now >= window_end)); then
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$target-p$pipeline: the server (pid $pid) DIED during the phase" | tee -a "$RUN_DIR/phases.txt"
            [[ $target == node ]] && tail -20 "$NODE_LOG"
            exit 1
        fi
        if [[ $target == node ]]; then
            balance_book "$port" "${bench_pids[0]}" "${bench_pids[1]}" "$RUN_DIR/$tag-balance.txt"
            ((measuring == 1)) && extra=$((extra + BALANCE_COMMANDS))
        fi
        now=$(date +%s%N)
        local next=$((now + BALANCE_PERIOD_MS * 1000000))
        ((measuring == 0 && next > WINDOW_START)) && next=$WINDOW_START
        ((next > window_end)) && next=$window_end
        sleep "$(awk -v ns=$((next - now)) 'BEGIN { printf "%.3f", (ns > 0 ? ns / 1e9 : 0) }')"
    done
    t1=$(date +%s%N)
    read -r cmds1 in1 out1 errors1 <<< "$(resp_info_counters "$port")"
    cpu1=$(resp_cpu_ticks "$pid")
    threads1=$(resp_jvm_thread_ticks "$pid" "$loop_thread")
    client1=$(resp_cpu_ticks "${bench_pids[@]}")
    resume_paused "$t1"
    local alive=yes
    for bench in "${bench_pids[@]}"; do
        kill -0 "$bench" 2>/dev/null || alive="no (see $RUN_DIR/$tag-bench-*.txt)"
    done
    resp_stop "${bench_pids[@]}"

    awk -v target="$target" -v p="$pipeline" -v ops=$((cmds1 - cmds0 - extra)) -v ns=$((t1 - t0)) \
        -v cpu=$((cpu1 - cpu0)) -v client=$((client1 - client0)) -v hz="$CLK_TCK" -v inb=$((in1 - in0)) \
        -v outb=$((out1 - out0)) -v errors=$((errors1 - errors0)) -v max_open="$MAX_OPEN" -v pauses="$PAUSES" \
        -v paused_ns="$PAUSED_NS" -v alive="$alive" -v threads0="$threads0" -v threads1="$threads1" \
        -v warmup_s=$((warmup + JIT_WAIT_S)) 'BEGIN {
        secs = ns / 1e9; cpu_s = cpu / hz;
        split(threads0, a, " "); split(threads1, b, " ");
        loop_s = (b[1] - a[1]) / hz; jit_s = (b[2] - a[2]) / hz; gc_s = (b[3] - a[3]) / hz;
        printf "target=%s pipeline=%s ops=%d seconds=%.3f ops_per_s=%.0f server_cpu_s=%.2f ops_per_cpu_s=%.0f " \
            "server_cpu_share=%.2f loop_thread_cpu_s=%.2f ops_per_loop_cpu_s=%.0f jit_cpu_s=%.2f gc_cpu_s=%.2f " \
            "client_cpu_share=%.2f in_bytes_per_op=%.1f out_bytes_per_op=%.1f errors=%d max_open_orders=%d " \
            "balance_pauses=%d paused_share=%.2f warmup_s=%d clients_alive=%s\n",
            target, p, ops, secs, ops / secs, cpu_s, (cpu_s > 0 ? ops / cpu_s : 0), cpu_s / secs, loop_s,
            (loop_s > 0 ? ops / loop_s : 0), jit_s, gc_s, client / hz / secs, inb / ops, outb / ops, errors,
            max_open, pauses, paused_ns / ns, warmup_s, alive }' |
        tee -a "$RUN_DIR/phases.txt"
}

node_report() { # node_report <port> <pid> <log> <pipeline>: book, fills and heap after a phase
    local port=$1 pid=$2 log=$3 open fills used live gc
    gc=$(resp_gc_summary "$log")  # before the full GC below
    open=$(resp_pair_field "$port" "$PAIR" open_orders)
    fills=$(resp_pair_field "$port" "$PAIR" fills)
    used=$(resp_heap_used_mb "$pid")
    live=$(resp_heap_used_mb "$pid" gc)
    local warnings
    warnings=$(grep -cE ' (WARN|ERROR) ' "$log" || true)
    echo "node-p$4 open_orders=$open fills=$fills heap_used_mb=$used heap_after_full_gc_mb=$live" \
        "log_warnings=$warnings $gc $(resp_node_log_summary "$port")" |
        tee -a "$RUN_DIR/phases.txt"
    if ((warnings > 0)); then
        grep -E ' (WARN|ERROR) ' "$log" | head -5 | sed 's/^/#   node log: /'
    fi
}

REDIS_PORT=$(resp_free_port)
resp_start_redis "$REDIS_PORT" "$RUN_DIR/redis" "$RUN_DIR/redis.log"
echo "# redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on port $REDIS_PORT, pid $REDIS_PID"

for pipeline in $PIPELINES; do
    NODE_PORT=$(resp_free_port)
    NODE_LOG=$RUN_DIR/node-p$pipeline.log
    resp_start_node "$NODE_PORT" "$RUN_DIR/node-p$pipeline-data" "$NODE_LOG"
    echo "# phase P$pipeline: fresh node on port $NODE_PORT, pid $NODE_PID"
    run_phase node "$NODE_PORT" "$NODE_PID" "$pipeline"
    if kill -0 "$NODE_PID" 2>/dev/null; then
        node_report "$NODE_PORT" "$NODE_PID" "$NODE_LOG" "$pipeline"
    else
        echo "node-p$pipeline DIED during the phase; last lines of $NODE_LOG:" | tee -a "$RUN_DIR/phases.txt"
        tail -20 "$NODE_LOG"
    fi
    resp_stop "$NODE_PID"
    redis-cli -p "$REDIS_PORT" FLUSHALL > /dev/null
    run_phase redis "$REDIS_PORT" "$REDIS_PID" "$pipeline"
done

field() { # field <target> <pipeline> <key>
    sed -n "s/^target=$1 pipeline=$2 .*/&/p" "$RUN_DIR/phases.txt" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

echo
printf "%-9s %-26s %14s %14s %8s\n" pipeline metric node redis "ratio"
for pipeline in $PIPELINES; do
    for metric in ops_per_s ops_per_cpu_s ops_per_loop_cpu_s server_cpu_share loop_thread_cpu_s jit_cpu_s gc_cpu_s \
        client_cpu_share in_bytes_per_op out_bytes_per_op errors; do
        awk -v p="P$pipeline" -v m="$metric" -v n="$(field node "$pipeline" "$metric")" \
            -v r="$(field redis "$pipeline" "$metric")" 'BEGIN {
            label = m;
            if (m == "ops_per_s") label = "throughput (orders|SETs)/s";
            if (m == "ops_per_cpu_s") label = "per server CPU-second";
            if (m == "ops_per_loop_cpu_s") label = "per event-loop CPU-second";
            if (m == "loop_thread_cpu_s") label = "event-loop thread CPU s";
            if (m == "jit_cpu_s") label = "JIT compiler CPU s";
            if (m == "gc_cpu_s") label = "GC threads CPU s";
            if (m == "server_cpu_share") label = "server CPU (cores)";
            if (m == "client_cpu_share") label = "redis-benchmark CPU (cores)";
            if (m == "in_bytes_per_op") label = "request bytes/op";
            if (m == "out_bytes_per_op") label = "reply bytes/op";
            ratio = (r + 0 != 0 && m != "errors" && m != "jit_cpu_s" && m != "gc_cpu_s") ? sprintf("%.2f", n / r) : "-";
            printf "%-9s %-26s %14s %14s %8s\n", p, label, n, r, ratio }'
    done
done
echo
echo "# ratio = node / redis. The node places a crossing order per request (one fill per two orders); redis does a SET."
echo "# event loop = the node's redmatch-node thread, redis-server's main thread; the rest of the node's CPU is JIT, GC"
echo "# and other JVM threads. CPU-second figures do not depend on who else runs; throughput does."
grep '^node-p' "$RUN_DIR/phases.txt" | sed 's/^/# /'
grep -h '^target=node' "$RUN_DIR/phases.txt" |
    awk '{ print "# node " $2 ": " $(NF - 4) " " $(NF - 3) " " $(NF - 2) " " $(NF - 1) }'
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# raw output: $RUN_DIR"
