#!/usr/bin/env bash
# Durable job throughput of the control server's job runner on the in-memory store (no
# durability: the baseline), a SQLite file (WAL, synchronous=FULL) and PostgreSQL, alternated and
# repeated; prints every run, medians and ratios. Not a test.
#
#   bench/control-jobs.sh [JOBS=200] [REPEATS=3] [POSTGRES_URL=$BOOMERANG_TEST_PG_URL]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"
jobs="${1:-200}"
repeats="${2:-3}"
pg="${3:-${BOOMERANG_TEST_PG_URL:-}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mvn -B -q -o test-compile dependency:build-classpath -pl boomerang-store-jdbc -am \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="boomerang-store-jdbc/target/test-classes:boomerang-store-jdbc/target/classes:boomerang-control/target/test-classes:$(cat "$work/cp.txt")"

echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') memory, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "file system of the SQLite runs: $(df -T "$work" | awk 'NR==2 {print $2}')"
java --enable-native-access=ALL-UNNAMED -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp" org.boomerang.store.jdbc.JobThroughputBench "$jobs" "$repeats" "$work" ${pg:+"$pg"}
