#!/usr/bin/env bash
# Latency at fixed offered rates with standby replication (SPEC §8, issue 4): a primary engine node and its hot standby
# on loopback, once with --ack local and once with --ack standby, each primary driven by our open-loop load generator
# (perf/resp-loadgen: a crossing ORDER.PLACE flow, latency from each request's intended send time, HdrHistogram) at
# the same rates, connections and durations. With --ack standby a reply also waits for the standby's
# acknowledgement that it recorded the command, so the difference is the cost of that round trip.
#
# Usage: perf/run-replication-latency.sh [--rates "<r>..."] [--connections <n>] [--warmup <s>] [--duration <s>]
#                                        [--node-warmup <s>] [--build]
# Prints a table (p50/p99/p99.9/max in µs per mode and rate, and the standby/local ratios); raw output and .hgrm
# files are kept under perf/<build dir>/results/. About 90 s with the defaults.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0 RATES="20000 50000" CONNECTIONS=50 WARMUP=3 DURATION=10 NODE_WARMUP=5 TICK_US=20
while (($#)); do
    case $1 in
        --rates) RATES=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --node-warmup) NODE_WARMUP=$2; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
command -v redis-cli > /dev/null || { echo "needs redis-cli" >&2; exit 1; }
RUN_DIR=$ROOT/perf/$BUILD_DIR/results/replication-latency-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM
resp_build "$BUILD" engine-node,perf/resp-loadgen

PAIR=BTC-USDT
LOADGEN=(java -Xms512m -Xmx512m -cp "$ROOT/perf/resp-loadgen/$BUILD_DIR/perf-resp-loadgen.jar:$ROOT/perf/resp-loadgen/$BUILD_DIR/lib/*"
    io.redmatch.perf.resp.RespLoadTool --connections "$CONNECTIONS" --tick-us "$TICK_US")

echo "# generator: ${LOADGEN[*]} --workload order --pair $PAIR --warmup $WARMUP --duration $DURATION --rate <r>"
echo "# $(nproc) cores; nodes with ${REDMATCH_JAVA_OPTS:--Xmx1g}; raw output: $RUN_DIR"
for mode in local standby; do
    echo "# load average before $mode: $(cut -d' ' -f1-3 /proc/loadavg)"
    primary_port=$(resp_free_port)
    resp_start_node "$primary_port" "$RUN_DIR/$mode-primary" "$RUN_DIR/$mode-primary.log" --ack "$mode"
    primary_pid=$NODE_PID
    standby_port=$(resp_free_port)
    resp_start_node "$standby_port" "$RUN_DIR/$mode-standby" "$RUN_DIR/$mode-standby.log" \
        --replicaof "127.0.0.1:$primary_port"
    standby_pid=$NODE_PID
    resp_await_field "$standby_port" replication link_state connected
    if ((NODE_WARMUP > 0)); then
        "${LOADGEN[@]}" --port "$primary_port" --label warmup --workload order --rate 50000 --warmup 0 \
            --duration "$NODE_WARMUP" > "$RUN_DIR/$mode-warmup.txt" 2>&1 || true
    fi
    for rate in $RATES; do
        out=$RUN_DIR/$mode-$rate.txt
        "${LOADGEN[@]}" --port "$primary_port" --label "$mode" --workload order --rate "$rate" --warmup "$WARMUP" \
            --duration "$DURATION" --hgrm "$RUN_DIR/$mode-$rate.hgrm" > "$out" 2>&1 || true
        (grep '^RESULT ' "$out" || echo "RESULT label=$mode rate=$rate failed=yes") | tee -a "$RUN_DIR/runs.txt"
        grep -E '^# (STOPPED|first error)' "$out" | sed "s/^# /# $mode at $rate\/s: /" || true
    done
    echo "# $mode: ack_mode=$(resp_info_field "$primary_port" replication ack_mode)" \
        "degraded=$(resp_info_field "$primary_port" replication degraded)" \
        "group_commits=$(resp_info_field "$primary_port" persistence log_group_commits)" \
        "log_entries=$(resp_info_field "$primary_port" replication log_position)"
    resp_stop "$primary_pid" "$standby_pid"
done

value() { # value <label> <rate> <key>
    grep "^RESULT label=$1 .* rate=$2 " "$RUN_DIR/runs.txt" | tr ' ' '\n' | sed -n "s/^$3=//p" | head -1
}
echo
printf "%-8s %-8s %10s %9s %9s %9s %9s\n" rate ack achieved p50_us p99_us p99.9_us max_us
for rate in $RATES; do
    for mode in local standby; do
        printf "%-8s %-8s %10s %9s %9s %9s %9s\n" "$rate" "$mode" "$(value "$mode" "$rate" achieved)" \
            "$(value "$mode" "$rate" p50_us)" "$(value "$mode" "$rate" p99_us)" "$(value "$mode" "$rate" p999_us)" \
            "$(value "$mode" "$rate" max_us)"
    done
    awk -v rate="$rate" -v s50="$(value standby "$rate" p50_us)" -v l50="$(value local "$rate" p50_us)" \
        -v s99="$(value standby "$rate" p99_us)" -v l99="$(value local "$rate" p99_us)" \
        -v s999="$(value standby "$rate" p999_us)" -v l999="$(value local "$rate" p999_us)" \
        -v smax="$(value standby "$rate" max_us)" -v lmax="$(value local "$rate" max_us)" '
        function ratio(a, b) { return (b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
        BEGIN { printf "%-8s %-8s %10s %9s %9s %9s %9s\n", rate, "ratio", "", ratio(s50, l50), ratio(s99, l99),
            ratio(s999, l999), ratio(smax, lmax) }'
done
echo
echo "# latency in microseconds from each request's intended send time to its reply; ratio = standby / local"
if grep -q 'complete=false\|failed=yes' "$RUN_DIR/runs.txt"; then
    echo "# some runs did not complete (target saturated, errors or disconnects): see $RUN_DIR/<mode>-<rate>.txt"
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
