#!/usr/bin/env bash
# Router overhead (SPEC §8, "router vs direct"): the same load sent straight to an engine node and through a router in
# front of it, in the same run on the same machine.
#
# 1. Throughput: redis-benchmark (-c 50, -P 16 and -P 1) sending limit IOC orders (ORDER.PLACE ... TIF IOC into an empty book:
#    a logged write that leaves no state behind) to the node, then to the router; requests/s, and requests per
#    CPU-second of the node and of the router (from /proc/<pid>/stat), which do not depend on what else runs.
# 2. Latency: our open-loop generator (perf/resp-loadgen, crossing ORDER.PLACE flow, no coordinated omission) at fixed
#    offered rates against the node, then the router; p50/p99/p99.9 and the difference router - direct.
# Starts a fresh node with the demo pairs and a router (one event loop) on free loopback ports, nothing pinned.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: perf/run-router.sh [options]
  --build               rebuild the jars even if they are up to date
  --requests <n>        requests per throughput run (default 400000)
  --rates "<r>..."      offered rates for the latency runs, requests/s (default "10000 30000")
  --connections <n>     connections (default 50)
  --duration <s>        measured seconds per latency run (default 10)
Environment: REDMATCH_BUILD_DIR  Maven build directory name (default target)
About 2 minutes with the defaults.
USAGE
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0
REQUESTS=400000
RATES="10000 30000"
CONNECTIONS=50
DURATION=10
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1; shift ;;
        --requests) REQUESTS=$2; shift 2 ;;
        --rates) RATES=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in redis-benchmark redis-cli ss; do
    command -v "$tool" > /dev/null || { echo "$tool is needed and not installed" >&2; exit 1; }
done

RUN_DIR=$ROOT/perf/$BUILD_DIR/results/router-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN_DIR"
# shellcheck source=perf/resp-lib.sh
source "$ROOT/perf/resp-lib.sh"
trap 'resp_stop_all' EXIT
trap 'exit 130' INT TERM

ROUTER_JAR=$ROOT/router/$BUILD_DIR/router.jar
resp_build "$BUILD" engine-node,perf/resp-loadgen
if [[ $BUILD == 1 || ! -f $ROUTER_JAR || -n $(find "$ROOT/router/src/main" "$ROOT/engine-node/src/main" -newer "$ROUTER_JAR" \
    -type f 2>/dev/null | head -1) ]]; then
    echo "# building router into $BUILD_DIR/"
    mvn -B -q -o -f "$ROOT/pom.xml" -pl router -am package -Dmaven.test.skip=true "-Dredmatch.build.dir=$BUILD_DIR"
    touch "$ROUTER_JAR"
fi
CLK_TCK=$(getconf CLK_TCK)

NODE_PORT=$(resp_free_port)
resp_start_node "$NODE_PORT" "$RUN_DIR/node-data" "$RUN_DIR/node.log"
ROUTER_PORT=$(resp_free_port)
printf 'shard A 127.0.0.1:%s\npair BTC-USDT A\npair ETH-USDT A\n' "$NODE_PORT" > "$RUN_DIR/shards.conf"
java -Xmx512m -XX:+ExitOnOutOfMemoryError -Dio.netty.leakDetection.level=disabled \
    -cp "$ROUTER_JAR:$ROOT/router/$BUILD_DIR/lib/*" io.redmatch.router.RouterMain --port "$ROUTER_PORT" \
    --shards "$RUN_DIR/shards.conf" > "$RUN_DIR/router.log" 2>&1 &
ROUTER_PID=$!
RESP_STARTED_PIDS+=("$ROUTER_PID")
resp_wait_port "$ROUTER_PORT" "$ROUTER_PID" "$RUN_DIR/router.log"
echo "# node on $NODE_PORT (pid $NODE_PID), router on $ROUTER_PORT (pid $ROUTER_PID, 1 event loop); $(nproc) cores"
echo "# uptime before: $(uptime)"

ORDER=(ORDER.PLACE BTC-USDT BUY ACCOUNT bench QTY 0.001 PRICE 30000 TIF IOC)
bench() { # bench <label> <port> <pipeline> <requests>: one redis-benchmark run;
          # prints "<label> <req/s> <node cpu ticks> <router cpu ticks>"
    local n0 r0 n1 r1 rps
    n0=$(resp_cpu_ticks "$NODE_PID"); r0=$(resp_cpu_ticks "$ROUTER_PID")
    rps=$(redis-benchmark -p "$2" -c "$CONNECTIONS" -P "$3" -n "$4" -q "${ORDER[@]}" 2>&1 | tr '\r' '\n' |
        sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1)
    n1=$(resp_cpu_ticks "$NODE_PID"); r1=$(resp_cpu_ticks "$ROUTER_PID")
    echo "$1 ${rps:-0} $((n1 - n0)) $((r1 - r0))"
}
# warm both JITs, then measure, pipelined (16) and not (1, a quarter of the requests)
bench warmup-direct "$NODE_PORT" 16 "$REQUESTS" > /dev/null
bench warmup-router "$ROUTER_PORT" 16 "$REQUESTS" > /dev/null
for pipeline in 16 1; do
    requests=$REQUESTS
    ((pipeline == 1)) && requests=$((REQUESTS / 4))
    read -r _ direct_rps direct_node _ < <(bench direct "$NODE_PORT" "$pipeline" "$requests")
    read -r _ routed_rps routed_node routed_router < <(bench router "$ROUTER_PORT" "$pipeline" "$requests")
    echo
    echo "throughput (redis-benchmark -c $CONNECTIONS -P $pipeline -n $requests, ${ORDER[*]})"
    awk -v d="$direct_rps" -v r="$routed_rps" -v dn="$direct_node" -v rn="$routed_node" -v rr="$routed_router" \
        -v n="$requests" -v hz="$CLK_TCK" 'BEGIN {
        printf "  direct:  %10.0f req/s   node %8.0f req/CPU-s\n", d, (dn > 0 ? n / (dn / hz) : 0)
        printf "  router:  %10.0f req/s   node %8.0f req/CPU-s   router %8.0f req/CPU-s\n", r,
            (rn > 0 ? n / (rn / hz) : 0), (rr > 0 ? n / (rr / hz) : 0)
        printf "  ratio router/direct: %.2f\n", (d > 0 ? r / d : 0) }' | tee -a "$RUN_DIR/throughput.txt"
done

LOADGEN=(java -Xms512m -Xmx512m -cp "$ROOT/perf/resp-loadgen/$BUILD_DIR/perf-resp-loadgen.jar:$ROOT/perf/resp-loadgen/$BUILD_DIR/lib/*"
    io.redmatch.perf.resp.RespLoadTool --connections "$CONNECTIONS" --workload order --warmup 3 --duration "$DURATION")
field() { tr ' ' '\n' < "$1" | sed -n "s/^$2=//p" | head -1; }
echo
echo "latency at a fixed offered rate (perf/resp-loadgen --workload order, $CONNECTIONS connections), microseconds"
printf "  %-7s %-7s %10s %8s %8s %9s\n" rate target achieved p50 p99 p99.9
for rate in $RATES; do
    for target in direct router; do
        port=$NODE_PORT
        [[ $target == router ]] && port=$ROUTER_PORT
        "${LOADGEN[@]}" --port "$port" --label "$target" --rate "$rate" --hgrm "$RUN_DIR/$target-$rate.hgrm" \
            > "$RUN_DIR/$target-$rate.txt" 2>&1 || true
        grep '^RESULT ' "$RUN_DIR/$target-$rate.txt" > "$RUN_DIR/$target-$rate.result" || echo "RESULT failed=yes" > "$RUN_DIR/$target-$rate.result"
        printf "  %-7s %-7s %10s %8s %8s %9s\n" "$rate" "$target" "$(field "$RUN_DIR/$target-$rate.result" achieved)" \
            "$(field "$RUN_DIR/$target-$rate.result" p50_us)" "$(field "$RUN_DIR/$target-$rate.result" p99_us)" \
            "$(field "$RUN_DIR/$target-$rate.result" p999_us)"
    done
    awk -v d="$(field "$RUN_DIR/direct-$rate.result" p50_us)" -v r="$(field "$RUN_DIR/router-$rate.result" p50_us)" \
        -v d99="$(field "$RUN_DIR/direct-$rate.result" p99_us)" -v r99="$(field "$RUN_DIR/router-$rate.result" p99_us)" \
        -v rate="$rate" 'BEGIN { printf "  %-7s added   %10s %8.0f %8.0f\n", rate, "", r - d, r99 - d99 }'
done
echo
echo "# uptime after: $(uptime)"
echo "# router log warnings: $(grep -cE ' (WARN|ERROR) ' "$RUN_DIR/router.log" || true); raw output: $RUN_DIR"
