#!/usr/bin/env bash
# Inline capture's cost on the write path: fio through the Boomerang NBD server exporting a disk plainly,
# and exporting the same disk through InlineCapture (dirty map, LSN ordering lock, queue copy) with a
# receiver that acknowledges every change at once. Not a test: prints a markdown table.
# Usage: bench/capture.sh [SECONDS]   (default 20 per run)
# Environment: CAPTURE_BENCH_WORKLOADS (default "randwrite:4k write:1M"), CAPTURE_BENCH_JAVA_OPTS (both servers' JVM).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib.sh"
use_jdk
secs="${1:-20}"
for tool in fio nbdinfo python3; do
    command -v "$tool" >/dev/null || { echo "bench/capture.sh needs $tool (bin/test installs the NBD tools)" >&2; exit 1; }
done
cd "$root"
mvn -q -B -o -DskipTests package dependency:build-classpath -Dmdep.outputFile="${TMPDIR:-/tmp}/capture-bench.cp" \
    -pl boomerang-dataplane -am >/dev/null
cp="$(cat "${TMPDIR:-/tmp}/capture-bench.cp"):$root/boomerang-dataplane/target/classes"
for m in common blockdev nbd journal sync; do cp="$cp:$root/boomerang-$m/target/classes"; done
work="$(mktemp -d "${TMPDIR:-/tmp}/boomerang-capture-bench.XXXXXX")"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
img="$work/disk.img"
truncate -s 1G "$img"
fio --name=fill --filename="$img" --rw=write --bs=1M --size=1G --ioengine=psync --end_fsync=1 >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

run() { # mode workload -> MB/s and p99 completion latency in microseconds
    local mode="$1" rw="$2" bs="$3" port out
    port="$(free_port)"
    rm -rf "$work/state"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED ${CAPTURE_BENCH_JAVA_OPTS:-} -cp "$cp" bench/CaptureServer.java "$mode" "$img" "$port" "$work/state" \
        >"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do nbdinfo --size "nbd://127.0.0.1:$port/d" >/dev/null 2>&1 && break; sleep 0.2; done
    out="$(fio --name=w --ioengine=nbd --uri="nbd://127.0.0.1:$port/d" --rw="$rw" --bs="$bs" --iodepth=16 --size=1G \
        --time_based --runtime="$secs" --ramp_time=2 --output-format=json)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    python3 -c 'import json,sys; t=sys.stdin.read(); j=json.loads(t[t.index("{"):])["jobs"][0]["write"]; print("%.1f %d" % (j["bw_bytes"]/1e6, j["clat_ns"]["percentile"]["99.000000"]/1000))' <<<"$out"
}

reps="${REPS:-3}"
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
echo "# machine: $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM, load $(cut -d' ' -f1-3 /proc/loadavg); $(fio --version); ${secs} s per run, iodepth 16, one connection; median of $reps alternated runs"
echo "| workload | plain server MB/s | through capture MB/s | capture/plain | p99 µs plain | p99 µs capture |"
echo "|---|---|---|---|---|---|"
for w in ${CAPTURE_BENCH_WORKLOADS:-randwrite:4k write:1M}; do
    rw="${w%%:*}" bs="${w#*:}"
    pbw=() plat=() cbw=() clat=()
    for r in $(seq 1 "$reps"); do
        order="plain capture"; [ $((r % 2)) -eq 0 ] && order="capture plain"
        for mode in $order; do
            read -r bw lat <<<"$(run "$mode" "$rw" "$bs")"
            if [ "$mode" = plain ]; then pbw+=("$bw"); plat+=("$lat"); else cbw+=("$bw"); clat+=("$lat"); fi
        done
    done
    p="$(median "${pbw[@]}")" c="$(median "${cbw[@]}")"
    echo "| $rw $bs | $p | $c | $(python3 -c "print('%.2f' % ($c/$p))") | $(median "${plat[@]}") | $(median "${clat[@]}") |"
done
