#!/usr/bin/env bash
# Recovery and snapshot figures of docs/PERFORMANCE.md: a node in the test JVM writes N log entries (pairs of
# crossing orders), restarts without a snapshot and reports recovery time (wall and CPU) per million entries; then
# it rests M orders, takes SAVE and BGSAVE and reports the event-loop pause, and restarts to report the load time.
# Runs RecoveryTimeSoakTest of engine-node under the soak profile (a reactor build with the modules engine-node
# depends on, -am; nothing is installed).
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: perf/run-recovery.sh [--entries N] [--resting M]
  --entries N   log entries to recover (default 10000000)
  --resting M   resting orders in the snapshot (default 1000000)
Prints lines starting with "RecoveryTimeSoakTest:" and the machine's uptime (load) before and after.
USAGE
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENTRIES=10000000
RESTING=1000000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --entries) ENTRIES="$2"; shift 2 ;;
        --resting) RESTING="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-recovery: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

uptime
cd "$ROOT"
mvn -B -q -pl engine-node -am verify -Psoak -Dtest=RecoveryTimeSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dredmatch.soak.entries="$ENTRIES" -Dredmatch.soak.resting="$RESTING" 2>&1 | grep -E '^RecoveryTimeSoakTest:|ERROR|FAIL'
uptime
