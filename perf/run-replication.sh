#!/usr/bin/env bash
# Replication cost and failover time (SPEC §8 "with standby replication vs without"): a primary engine node and its
# hot standby on loopback, under the same redis-benchmark load (2 x -c <clients> -P <pipeline>, a crossing order
# flow), once with --ack local and once with --ack standby; then a standby started late catches up with that log
# (entries per second); then a failover: kill -9 of the primary, REPLICAOF NO ONE to the standby, and the time from
# sending the promotion to the first accepted write, seen by a client.
#
# Usage: perf/run-replication.sh [--window <s>] [--warmup <s>] [--clients <n>] [--pipeline <p>] [--rebuild]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target-perf}
WINDOW=10 WARMUP=5 CLIENTS=25 PIPELINE=16 BUILD=0
while (($#)); do
    case $1 in
        --window) WINDOW=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --pipeline) PIPELINE=$2; shift 2 ;;
        --rebuild) BUILD=1; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
for tool in redis-benchmark redis-cli ss; do
    command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
RUN_DIR=$ROOT/perf/$BUILD_DIR/results/replication-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM
resp_build "$BUILD" engine-node,perf/resp-loadgen

PAIR=BTC-USDT
buy_cmd=(ORDER.PLACE "$PAIR" BUY ACCOUNT b__rand_int__ QTY 0.001 PRICE __rand_int__99.5)
sell_cmd=(ORDER.PLACE "$PAIR" SELL ACCOUNT s__rand_int__ QTY 0.001 PRICE __rand_int__.5)

echo "# load: 2 x redis-benchmark -c $CLIENTS -P $PIPELINE -r 100: ${buy_cmd[*]} | ${sell_cmd[*]}"
echo "# each mode: ${WARMUP} s warm-up, ${WINDOW} s measured; $(nproc) cores; raw output: $RUN_DIR"
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
    redis-benchmark -p "$primary_port" -c "$CLIENTS" -P "$PIPELINE" -n 1000000000 -r 100 "${buy_cmd[@]}" \
        > "$RUN_DIR/$mode-bench-1.txt" 2>&1 &
    b1=$!
    redis-benchmark -p "$primary_port" -c "$CLIENTS" -P "$PIPELINE" -n 1000000000 -r 100 "${sell_cmd[@]}" \
        > "$RUN_DIR/$mode-bench-2.txt" 2>&1 &
    b2=$!
    RESP_STARTED_PIDS+=("$b1" "$b2")
    sleep "$WARMUP"
    read -r c0 _ <<< "$(resp_info_counters "$primary_port")"
    cpu0=$(resp_cpu_ticks "$primary_pid") scpu0=$(resp_cpu_ticks "$standby_pid") t0=$(date +%s%N)
    sleep "$WINDOW"
    read -r c1 _ <<< "$(resp_info_counters "$primary_port")"
    cpu1=$(resp_cpu_ticks "$primary_pid") scpu1=$(resp_cpu_ticks "$standby_pid") t1=$(date +%s%N)
    resp_stop "$b1" "$b2"
    resp_await_field "$standby_port" replication log_position "$(resp_info_field "$primary_port" replication log_position)"
    digest_primary=$(redis-cli -p "$primary_port" DEBUG DIGEST)
    digest_standby=$(redis-cli -p "$standby_port" DEBUG DIGEST)
    rate=$(((c1 - c0) * 1000000000 / (t1 - t0)))
    echo "$mode: commands_per_s=$rate primary_cpu_s=$(((cpu1 - cpu0) / $(getconf CLK_TCK))) " \
        "standby_cpu_s=$(((scpu1 - scpu0) / $(getconf CLK_TCK))) group_commits=$(resp_info_field "$primary_port" \
        persistence log_group_commits) digests_equal=$([[ $digest_primary == "$digest_standby" ]] && echo yes || echo NO)" |
        tee -a "$RUN_DIR/summary.txt"
    eval "RATE_$mode=$rate"

    if [[ $mode == standby ]]; then
        # a standby started late: time until it has caught up with the whole log of the run
        entries=$(resp_info_field "$primary_port" replication log_position)
        late_port=$(resp_free_port)
        t_late=$(date +%s%N)
        resp_start_node "$late_port" "$RUN_DIR/late-standby" "$RUN_DIR/late-standby.log" \
            --replicaof "127.0.0.1:$primary_port"
        late_pid=$NODE_PID
        resp_await_field "$late_port" replication log_position "$entries"
        t_caught=$(date +%s%N)
        echo "catch-up: $entries entries in $(((t_caught - t_late) / 1000000)) ms from starting the JVM," \
            "$((entries * 1000000000 / (t_caught - t_late))) entries/s; digests_equal=$([[ \
            $(redis-cli -p "$late_port" DEBUG DIGEST) == "$digest_primary" ]] && echo yes || echo NO)" |
            tee -a "$RUN_DIR/summary.txt"
        resp_stop "$late_pid"
        kill -KILL "$primary_pid"
        wait "$primary_pid" 2>/dev/null || true
        t_promote=$(date +%s%N)
        redis-cli -p "$standby_port" REPLICAOF NO ONE > "$RUN_DIR/promote.txt"
        until [[ $(redis-cli -p "$standby_port" ORDER.PLACE "$PAIR" BUY ACCOUNT probe QTY 0.001 PRICE 1 | head -1) \
            == order_id ]]; do
            sleep 0.001
        done
        t_write=$(date +%s%N)
        echo "failover: promote command to first accepted write $(((t_write - t_promote) / 1000000)) ms" \
            "(redis-cli round trips included; INFO promotion_ms=$(resp_info_field "$standby_port" replication \
            promotion_ms))" | tee -a "$RUN_DIR/summary.txt"
    fi
    resp_stop "$primary_pid" "$standby_pid"
done
echo "standby/local throughput ratio: $(awk -v s="$RATE_standby" -v l="$RATE_local" 'BEGIN { printf "%.2f", s / l }')" |
    tee -a "$RUN_DIR/summary.txt"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
