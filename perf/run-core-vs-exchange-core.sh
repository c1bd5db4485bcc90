#!/usr/bin/env bash
# Matching core in-process vs exchange-core 0.5.3's order book alone (SPEC §8).
#
# Builds the perf modules if needed, writes the seeded order flow to a file once, replays it in two JVMs with the
# same flags (exchange-core's OrderBookDirectImpl and our FastOrderBook, one after the other, a few rounds),
# checks that both produced the same fills, and prints a side-by-side table of medians with the ratio
# ours / exchange-core. Raw output is kept under perf/<build dir>/results/.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: perf/run-core-vs-exchange-core.sh [options]
  --build                 rebuild the perf modules even if their jars exist
  --seed <n>              flow seed (default 42)
  --ops <n>               operations in the flow (default 1000000)
  --accounts <n>          accounts (default 3000)
  --book-size <n>         open orders the flow hovers around (default 2000)
  --warmup <n>            warm-up passes per JVM (default 5)
  --passes <n>            throughput passes per JVM (default 10)
  --latency-passes <n>    latency passes per JVM (default 5)
  --book fast|reference   our book to measure (default fast; reference only validates the harness)
  --heap <size>           -Xms/-Xmx of both JVMs (default 2g)
  --rounds <n>            runs of each JVM, alternating which goes first; the table shows medians (default 3)
Environment: REDMATCH_BUILD_DIR  Maven build directory name of every module (default target).
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0
SEED=42
OPS=1000000
ACCOUNTS=3000
BOOK_SIZE=2000
WARMUP=5
PASSES=10
LATENCY_PASSES=5
BOOK=fast
HEAP=2g
ROUNDS=3

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1; shift ;;
        --seed) SEED=$2; shift 2 ;;
        --ops) OPS=$2; shift 2 ;;
        --accounts) ACCOUNTS=$2; shift 2 ;;
        --book-size) BOOK_SIZE=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --passes) PASSES=$2; shift 2 ;;
        --latency-passes) LATENCY_PASSES=$2; shift 2 ;;
        --book) BOOK=$2; shift 2 ;;
        --heap) HEAP=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

FLOW_JAR=$ROOT/perf/flow/$BUILD_DIR/perf-flow.jar
OURS_JAR=$ROOT/perf/bench/$BUILD_DIR/perf-bench.jar
EC_JAR=$ROOT/perf/exchange-core-bench/$BUILD_DIR/perf-exchange-core-bench.jar

# Rebuilt when a jar is missing or older than any source it is built from, so a run never measures a stale book.
# Tests are not even compiled: a test file someone is editing cannot stop a benchmark.
stale() {
    [[ ! -f $FLOW_JAR || ! -f $OURS_JAR || ! -f $EC_JAR ]] && return 0
    [[ -n $(find "$ROOT/pom.xml" "$ROOT/engine-node/pom.xml" "$ROOT/engine-node/src/main" "$ROOT/perf/pom.xml" \
        "$ROOT/perf/flow" "$ROOT/perf/bench" "$ROOT/perf/exchange-core-bench" \
        \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$OURS_JAR" 2>/dev/null | head -1) ]]
}
if [[ $BUILD == 1 ]] || stale; then
    echo "# building perf modules into $BUILD_DIR/"
    mvn -B -q -Dstyle.color=never -f "$ROOT/pom.xml" -pl perf/flow,perf/bench,perf/exchange-core-bench -am package \
        -Dmaven.test.skip=true "-Dredmatch.build.dir=$BUILD_DIR"
fi

# The JVM flags Aeron, Agrona and Chronicle need on JDK 17, written down once in the root pom.
if [[ -f $ROOT/.jvm-flags ]]; then
    JVM_FLAGS=$(tr '\n' ' ' < "$ROOT/.jvm-flags")
else
    JVM_FLAGS=$(sed -n 's:.*<redmatch.jvm.flags>\(.*\)</redmatch.jvm.flags>.*:\1:p' "$ROOT/pom.xml")
fi
# shellcheck disable=SC2206
JAVA_OPTS=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch $JVM_FLAGS)

RESULTS=$ROOT/perf/$BUILD_DIR/results
mkdir -p "$RESULTS"
FLOW=$ROOT/perf/$BUILD_DIR/flows/flow-s$SEED-o$OPS-a$ACCOUNTS-b$BOOK_SIZE.bin
if [[ ! -f $FLOW ]]; then
    java -cp "$FLOW_JAR" io.redmatch.perf.flow.FlowTool --out "$FLOW" --seed "$SEED" --ops "$OPS" \
        --accounts "$ACCOUNTS" --book-size "$BOOK_SIZE"
fi

STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$RESULTS/core-vs-exchange-core-$STAMP
mkdir -p "$RUN_DIR"
REPLAY_ARGS=(--flow "$FLOW" --warmup "$WARMUP" --passes "$PASSES" --latency-passes "$LATENCY_PASSES")
EC_CMD=(java "${JAVA_OPTS[@]}" -cp "$EC_JAR:$ROOT/perf/exchange-core-bench/$BUILD_DIR/lib/*"
    io.redmatch.perf.exchangecore.ExchangeCoreBench "${REPLAY_ARGS[@]}")
OURS_CMD=(java "${JAVA_OPTS[@]}" -cp "$OURS_JAR:$ROOT/perf/bench/$BUILD_DIR/lib/*"
    io.redmatch.perf.bench.MatchingCoreBench "${REPLAY_ARGS[@]}" --book "$BOOK")
echo "# exchange-core: ${EC_CMD[*]}"
echo "# redmatch:      ${OURS_CMD[*]}"

run_engine() { # run_engine ours|ec <round>
    local out=$RUN_DIR/$1-round-$2.txt
    if [[ $1 == ours ]]; then "${OURS_CMD[@]}" > "$out"; else "${EC_CMD[@]}" > "$out"; fi ||
        { echo "the $1 benchmark failed; its output is in $out" >&2; exit 1; }
    local result
    result=$(grep '^RESULT ' "$out")
    echo "# round $2 $(cut -d' ' -f2-3 <<< "$result") ops_per_s=$(field "$result" ops_per_s)"
}

field() { # field <line> <key>
    tr ' ' '\n' <<< "$1" | sed -n "s/^$2=//p"
}

# Rounds alternate which JVM goes first, so slow drifts of a shared machine fall on both alike.
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2 == 1)); then run_engine ec "$round"; run_engine ours "$round"
    else run_engine ours "$round"; run_engine ec "$round"; fi
done

EC_FIRST=$(grep -h '^RESULT ' "$RUN_DIR"/ec-round-1.txt)
for f in "$RUN_DIR"/*-round-*.txt; do
    RESULT=$(grep '^RESULT ' "$f")
    if [[ $(field "$RESULT" fill_hash) != $(field "$EC_FIRST" fill_hash) ||
          $(field "$RESULT" open_orders) != $(field "$EC_FIRST" open_orders) ]]; then
        echo "the books did not produce the same fills; compare $f with $RUN_DIR/ec-round-1.txt" >&2
        exit 1
    fi
done
grep -h '^# flow ' "$RUN_DIR"/ours-round-1.txt
echo "# both books produced the same $(field "$EC_FIRST" fills) fills (hash $(field "$EC_FIRST" fill_hash))" \
    "and $(field "$EC_FIRST" open_orders) open orders"

median_of() { # median_of <engine> <line prefix regex> <key>: median over rounds
    for f in "$RUN_DIR/$1"-round-*.txt; do
        field "$(grep -E "$2" "$f")" "$3"
    done | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

row() { # row <label> <key>
    awk -v label="$1" -v ours="$(median_of ours '^RESULT ' "$2")" -v ec="$(median_of ec '^RESULT ' "$2")" 'BEGIN {
        ratio = (ec + 0 != 0) ? sprintf("%.2f", ours / ec) : "-";
        printf "%-22s %16s %16s %8s\n", label, ours, ec, ratio }'
}

echo
echo "# median over $ROUNDS round(s) of each JVM"
printf "%-22s %16s %16s %8s\n" "metric" "$(field "$(grep '^RESULT ' "$RUN_DIR"/ours-round-1.txt)" impl)" \
    "exchange-core" "ratio"
row "throughput ops/s" ops_per_s
row "median pass ops/s" median_ops_per_s
row "best pass ops/s" best_ops_per_s
row "ops per CPU-second" ops_per_cpu_s
row "latency p50 ns" p50_ns
row "latency p90 ns" p90_ns
row "latency p99 ns" p99_ns
row "latency p99.9 ns" p999_ns
row "latency max ns" max_ns
row "latency mean ns" mean_ns
row "allocated B/op" alloc_b_per_op
row "GCs while measuring" gc_count

echo
printf "%-10s %10s %10s %7s %10s %10s %7s %10s %10s %7s\n" "op" "p50 ours" "p50 ec" "ratio" \
    "p99 ours" "p99 ec" "ratio" "p99.9 ours" "p99.9 ec" "ratio"
for op in PLACE_GTC PLACE_IOC CANCEL MOVE REDUCE; do
    awk -v op="$op" \
        -v o50="$(median_of ours "^OP .* op=$op " p50_ns)" -v e50="$(median_of ec "^OP .* op=$op " p50_ns)" \
        -v o99="$(median_of ours "^OP .* op=$op " p99_ns)" -v e99="$(median_of ec "^OP .* op=$op " p99_ns)" \
        -v o999="$(median_of ours "^OP .* op=$op " p999_ns)" -v e999="$(median_of ec "^OP .* op=$op " p999_ns)" 'BEGIN {
        printf "%-10s %10d %10d %7.2f %10d %10d %7.2f %10d %10d %7.2f\n",
            op, o50, e50, o50 / e50, o99, e99, o99 / e99, o999, e999, o999 / e999 }'
done
echo
echo "# ratio = ours / exchange-core: above 1 is better for throughput, below 1 is better for latency and allocation."
echo "# latency is service time of back-to-back operations, timer included (one nanoTime pair costs" \
    "$(median_of ours '^RESULT ' timer_overhead_ns) ns here)."
echo "# raw output: $RUN_DIR"
