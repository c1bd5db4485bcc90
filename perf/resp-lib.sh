# Shell functions shared by the over-RESP benchmarks (run-resp-vs-redis.sh, run-resp-latency.sh): build, free
# loopback ports, starting and stopping an engine node and a redis-server, and reading a process's CPU time and a
# server's INFO fields. Sourced, not run; expects ROOT, BUILD_DIR and RUN_DIR to be set.

RESP_STARTED_PIDS=()

# The node jar is rebuilt when missing or older than any engine-node source, as ./redmatch does; tests are not even
# compiled, so a test file someone is editing cannot stop a benchmark.
resp_build() { # resp_build <force 0|1> <module list>
    local node_jar=$ROOT/engine-node/$BUILD_DIR/engine-node.jar
    local loadgen_jar=$ROOT/perf/resp-loadgen/$BUILD_DIR/perf-resp-loadgen.jar
    local stale=0
    if [[ ! -f $node_jar || ! -f $loadgen_jar || $ROOT/pom.xml -nt $node_jar ]]; then
        stale=1
    elif [[ -n $(find "$ROOT/engine-node/src/main" "$ROOT/engine-node/pom.xml" "$ROOT/perf/resp-loadgen/src/main" \
        "$ROOT/perf/resp-loadgen/pom.xml" -newer "$node_jar" -type f 2>/dev/null | head -1) ]]; then
        stale=1
    fi
    if [[ $1 == 1 || $stale == 1 ]]; then
        echo "# building $2 into $BUILD_DIR/"
        mvn -B -q -o -f "$ROOT/pom.xml" -pl "$2" -am package -Dmaven.test.skip=true "-Dredmatch.build.dir=$BUILD_DIR" ||
            mvn -B -q -f "$ROOT/pom.xml" -pl "$2" -am package -Dmaven.test.skip=true "-Dredmatch.build.dir=$BUILD_DIR"
    fi
}

# The JVM flags Aeron, Agrona and Chronicle need on JDK 17, written down once in the root pom.
resp_jvm_flags() {
    if [[ -f $ROOT/.jvm-flags ]]; then
        tr '\n' ' ' < "$ROOT/.jvm-flags"
    else
        sed -n 's:.*<redmatch.jvm.flags>\(.*\)</redmatch.jvm.flags>.*:\1:p' "$ROOT/pom.xml"
    fi
}

resp_free_port() { # a loopback port nobody listens on
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 30000))
        if [[ -z $(ss -Htln "sport = :$port" 2>/dev/null) ]]; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

resp_wait_port() { # resp_wait_port <port> <pid> <log>: until the port answers PING, or the process died
    for _ in $(seq 1 200); do
        if [[ $(redis-cli -p "$1" PING 2>/dev/null) == PONG ]]; then
            return 0
        fi
        if ! kill -0 "$2" 2>/dev/null; then
            echo "the process $2 exited before serving port $1; its log ($3):" >&2
            tail -20 "$3" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "port $1 did not answer PING within 20 s; log: $3" >&2
    return 1
}

# Starts an engine node the way ./redmatch node does (same JVM options: REDMATCH_JAVA_OPTS, default -Xmx1g), on a
# fresh data directory with the demo pairs and any further node options (e.g. --ack standby, --replicaof H:P), its GC
# pauses logged to <log>.gc; sets NODE_PID.
resp_start_node() { # resp_start_node <port> <data dir> <log> [node options...]
    local port=$1 dir=$2 log=$3
    shift 3
    rm -rf "$dir"
    mkdir -p "$dir"
    # shellcheck disable=SC2086,SC2046
    java ${REDMATCH_JAVA_OPTS:--Xmx1g} "-Xlog:gc:file=$log.gc" $(resp_jvm_flags) \
        -cp "$ROOT/engine-node/$BUILD_DIR/engine-node.jar:$ROOT/engine-node/$BUILD_DIR/lib/*" \
        io.redmatch.engine.node.EngineNodeMain --port "$port" --data-dir "$dir" \
        --config "$ROOT/config/demo-pairs.conf" "$@" > "$log" 2>&1 &
    set -- "$port" "$dir" "$log"
    NODE_PID=$!
    RESP_STARTED_PIDS+=("$NODE_PID")
    resp_wait_port "$1" "$NODE_PID" "$3"
    # the port answers while the command log is still being opened or replayed (INFO persistence loading:1)
    for _ in $(seq 1 600); do
        if [[ $(resp_info_field "$1" persistence loading 2>/dev/null) != 1 ]] && kill -0 "$NODE_PID" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$NODE_PID" 2>/dev/null; then
            echo "the node exited while starting; its log ($3):" >&2
            tail -20 "$3" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "the node was still loading after 60 s; log: $3" >&2
    return 1
}

resp_gc_summary() { # resp_gc_summary <node log>: stop-the-world GC pauses from <log>.gc
    awk '/Pause/ { v = $NF; sub("ms", "", v); n++; total += v; if (v > max) max = v }
        END { printf "gc_pauses=%d gc_pause_total_ms=%.0f gc_pause_max_ms=%.1f", n, total, max }' "$1.gc" 2>/dev/null
}

resp_node_log_summary() { # resp_node_log_summary <port>: the command log settings, from INFO persistence
    redis-cli -p "$1" INFO persistence | tr -d '\r' |
        awk -F: '$1 ~ /^(log_enabled|log_sync|log_status|log_group_commits|log_entries)$/ { printf "%s=%s ", $1, $2 }'
}

# Starts redis-server with no persistence, as the reference; sets REDIS_PID.
resp_start_redis() { # resp_start_redis <port> <dir> <log>
    mkdir -p "$2"
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" --logfile "$3" &
    REDIS_PID=$!
    RESP_STARTED_PIDS+=("$REDIS_PID")
    resp_wait_port "$1" "$REDIS_PID" "$3"
}

resp_stop() { # resp_stop <pid>...: TERM (and CONT, should it be stopped), then KILL after 10 s
    local pid
    for pid in "$@"; do
        kill -TERM "$pid" 2>/dev/null || true
        kill -CONT "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

resp_stop_all() {
    if ((${#RESP_STARTED_PIDS[@]} > 0)); then
        resp_stop "${RESP_STARTED_PIDS[@]}"
    fi
}

resp_cpu_ticks() { # resp_cpu_ticks <pid>...: user + system clock ticks of the processes, from /proc/<pid>/stat
    local pid total=0 fields
    for pid in "$@"; do
        # the command name in parentheses may hold spaces: count fields after the last ')'
        fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
        total=$((total + $(awk '{ print $12 + $13 }' <<< "$fields")))
    done
    echo "$total"
}

# CPU clock ticks of a JVM's threads by role: "<event loop> <JIT compilers> <GC> <other>", the event loop being the
# threads whose name starts with the given prefix.
resp_jvm_thread_ticks() { # resp_jvm_thread_ticks <pid> <event loop thread name prefix>
    local task name ticks loop=0 jit=0 gc=0 other=0
    for task in /proc/"$1"/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        ticks=$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }') || continue
        [[ -z $ticks ]] && continue
        case "$name" in
            "$2"*) loop=$((loop + ticks)) ;;
            C1\ Compiler*|C2\ Compiler*) jit=$((jit + ticks)) ;;
            G1\ *|GC\ Thread*) gc=$((gc + ticks)) ;;
            *) other=$((other + ticks)) ;;
        esac
    done
    echo "$loop $jit $gc $other"
}

resp_await_field() { # resp_await_field <port> <section> <field> <value>: until INFO shows it, at most 60 s
    for _ in $(seq 1 600); do
        [[ $(resp_info_field "$1" "$2" "$3") == "$4" ]] && return 0
        sleep 0.1
    done
    echo "port $1: INFO $2 $3 never became $4" >&2
    return 1
}

resp_info_field() { # resp_info_field <port> <section> <field>
    redis-cli -p "$1" INFO "$2" | tr -d '\r' | sed -n "s/^$3://p"
}

# One INFO stats reading, so the counters belong to the same instant: "<commands> <input bytes> <output bytes>
# <error replies>".
resp_info_counters() { # resp_info_counters <port>
    redis-cli -p "$1" INFO stats | tr -d '\r' | awk -F: '
        $1 == "total_commands_processed" { c = $2 } $1 == "total_net_input_bytes" { i = $2 }
        $1 == "total_net_output_bytes" { o = $2 } $1 == "total_error_replies" { e = $2 }
        END { print c + 0, i + 0, o + 0, e + 0 }'
}

resp_pair_field() { # resp_pair_field <port> <pair> <field>: from INFO pairs' pair_<PAIR>:k=v,... line
    redis-cli -p "$1" INFO pairs | tr -d '\r' | sed -n "s/^pair_$2://p" | tr ',' '\n' | sed -n "s/^$3=//p"
}

resp_heap_used_mb() { # resp_heap_used_mb <pid> [gc]: the Java heap in use, after a full GC with "gc"
    if [[ ${2:-} == gc ]]; then
        jcmd "$1" GC.run > /dev/null 2>&1 || true
    fi
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/ used [0-9]+K/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K.*", "", v); printf "%.0f\n", v / 1024; exit } }'
}
