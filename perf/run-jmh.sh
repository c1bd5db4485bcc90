#!/usr/bin/env bash
# JMH benchmarks of the matching core: single operations (place resting, place crossing, cancel, amend price,
# amend reduce) on a book of 1000 background orders, and the mixed generated flow. With --gc, JMH's GC profiler
# reports gc.alloc.rate.norm, the bytes allocated per operation (the goal is ~0 in steady state).
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: perf/run-jmh.sh [--build] [--gc] [--quick] [--book fast|reference] [-- <more JMH options>] [regex]
  --build                 rebuild the perf modules even if their jars exist
  --gc                    add -prof gc (allocation per operation)
  --quick                 1 warm-up and 2 measurement iterations of 1 s (a smoke run, not a measurement)
  --book fast|reference   which book (default fast)
  regex                   benchmarks to run (default: all of io.redmatch.perf.jmh)
Anything after -- goes to JMH unchanged (e.g. -- -f 3 -i 10). Defaults: 1 fork, 3 x 2 s warm-up,
5 x 2 s measurement per benchmark, about 2 minutes in all.
Environment: REDMATCH_BUILD_DIR  Maven build directory name of every module (default target).
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${REDMATCH_BUILD_DIR:-target}
BUILD=0
JMH_ARGS=()
BOOK=fast
REGEX='io\.redmatch\.perf\.jmh\..*'

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1; shift ;;
        --gc) JMH_ARGS+=(-prof gc); shift ;;
        --quick) JMH_ARGS+=(-wi 1 -i 2 -w 1s -r 1s); shift ;;
        --book) BOOK=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; JMH_ARGS+=("$@"); break ;;
        -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
        *) REGEX=$1; shift ;;
    esac
done

BENCH_JAR=$ROOT/perf/bench/$BUILD_DIR/perf-bench.jar
# Rebuilt when the jar is missing or older than any source it is built from; tests are not even compiled.
stale() {
    [[ ! -f $BENCH_JAR ]] && return 0
    [[ -n $(find "$ROOT/pom.xml" "$ROOT/engine-node/pom.xml" "$ROOT/engine-node/src/main" "$ROOT/perf/pom.xml" \
        "$ROOT/perf/flow" "$ROOT/perf/bench" \( -name pom.xml -o -path '*/src/main/*' \) -type f \
        -newer "$BENCH_JAR" 2>/dev/null | head -1) ]]
}
if [[ $BUILD == 1 ]] || stale; then
    echo "# building perf modules into $BUILD_DIR/"
    mvn -B -q -Dstyle.color=never -f "$ROOT/pom.xml" -pl perf/flow,perf/bench -am package -Dmaven.test.skip=true \
        "-Dredmatch.build.dir=$BUILD_DIR"
fi

if [[ -f $ROOT/.jvm-flags ]]; then
    JVM_FLAGS=$(tr '\n' ' ' < "$ROOT/.jvm-flags")
else
    JVM_FLAGS=$(sed -n 's:.*<redmatch.jvm.flags>\(.*\)</redmatch.jvm.flags>.*:\1:p' "$ROOT/pom.xml")
fi

RESULTS=$ROOT/perf/$BUILD_DIR/results
mkdir -p "$RESULTS"
OUT=$RESULTS/jmh-$(date +%Y%m%d-%H%M%S).txt

CMD=(java -cp "$BENCH_JAR:$ROOT/perf/bench/$BUILD_DIR/lib/*" org.openjdk.jmh.Main "$REGEX"
    -p "book=$BOOK" -jvmArgs "-Xms2g -Xmx2g $JVM_FLAGS" "${JMH_ARGS[@]}")
echo "# ${CMD[*]}"
"${CMD[@]}" | tee "$OUT"
echo "# output: $OUT"
