#!/usr/bin/env bash
# Journal at scale (not a test): a journal of RECORDS 512-byte writes (default 20 million) on a sparse
# DISK (default 1 TiB); prints the fill rate, reopen time and heap after reopen (after GC), view open time
# at latest, the latency of 4 KiB reads of the view at written blocks (p50, p99, max), and the per-append
# stall (p50, p99, max) of APPENDS further appends while another thread group-commits, with the five
# longest stalls' wall-clock times. Needs about RECORDS x 560 bytes of free space under BENCH_DIR.
# FILL_SECONDS (optional) ends the fill after that long, so that a loaded machine still finishes in time:
# the result then says how many records were written. JAVA_OPTS adds JVM flags, e.g. a flight recording to see where the longest stalls come from.
#
#   bench/journal-scale.sh
#   RECORDS=100000000 HEAP=8g BENCH_DIR=/mnt/x bench/journal-scale.sh
#   JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/scale.jfr" bench/journal-scale.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"

RECORDS="${RECORDS:-20000000}"
DISK="${DISK:-1T}"
APPENDS="${APPENDS:-200000}"
HEAP="${HEAP:-4g}"
jar="$BOOMERANG_HOME/boomerang-server/target/boomerang.jar"
bin/boomerang --version >/dev/null   # builds the jar when it is missing or stale
mkdir -p "${BENCH_DIR:-$BOOMERANG_HOME/bench/results}"
work="$(mktemp -d "${BENCH_DIR:-$BOOMERANG_HOME/bench/results}/journal-scale.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "# journal at scale, $(date -u +%Y-%m-%dT%H:%MZ): $RECORDS records of 512 bytes on a $DISK sparse disk, -Xmx$HEAP"
echo "machine: nproc=$(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file system: $(df -T "$work" | awk 'NR==2 {print $2 " on " $1}')"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
"$JAVA_HOME/bin/java" -Xmx"$HEAP" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$jar" org.boomerang.server.bench.JournalBench \
    scale "$work/j" "$DISK" "$RECORDS" "$APPENDS" "${FILL_SECONDS:-0}" \
    | awk '$1=="RESULT" {$1=""; print substr($0, 2); fflush()} $1=="fill:" {print; fflush()}'
echo "journal size on disk: $(du -sh "$work/j" | cut -f1)"
