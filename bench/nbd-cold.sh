#!/usr/bin/env bash
# NBD reads from a cold page cache: Boomerang vs nbdkit (file plugin) vs qemu-nbd, side by side in one run.
#
# What bench/nbd.sh does not show: reads that must wait for the disk. Before every run the image's pages are
# dropped from the page cache (GNU dd iflag=nocache, which is posix_fadvise(DONTNEED) on that one file: no
# root needed, nothing else on the machine is touched). Two workloads, fio's nbd engine at iodepth 16 on one
# connection: 1 MiB sequential reads of the whole 2 GiB image once (not time-based: a second pass would
# read from the cache), and 4 KiB random reads for SECONDS (a few per cent of the image, so nearly every
# read misses). The contenders alternate in a rotating order, REPS times; the table shows medians and the
# ratios Boomerang/peer. The disk itself is measured too (fio on the file: psync, one thread, and libaio
# O_DIRECT at iodepth 16) so the figures can be read against what the device gives. Not a test.
#
# Usage: bench/nbd-cold.sh [REPS] [SECONDS]     (environment: BENCH_DIR for the image, default a temp dir)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
reps="${1:-3}"
secs="${2:-5}"
command -v dd >/dev/null || { echo "bench/nbd-cold.sh needs GNU dd" >&2; exit 1; }
script=nbd-cold.sh
source "$here/nbd-lib.sh"
drop() { sync "$img"; dd if="$img" iflag=nocache count=0 status=none; }
contenders=(boomerang nbdkit qemu-nbd)
for c in "${contenders[@]}"; do start_server "$c"; done

fio_read() { # fio arguments… -> prints "MiB/s IOPS"
    fio --output-format=json --name=b "$@" | python3 -c '
import json,sys
text=sys.stdin.read()
j=json.loads(text[text.index("{"):])["jobs"][0]["read"]
print("%.1f %.0f" % (j["bw"]/1024.0, j["iops"]))'
}
run() { # contender workload -> "MiB/s IOPS"
    local uri="nbd://127.0.0.1:${port[$1]}/d"
    drop
    case "$2" in
        seq) fio_read --ioengine=nbd --uri="$uri" --rw=read --bs=1M --iodepth=16 --size=2G ;;
        rand) fio_read --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --size=2G --time_based --runtime="$secs" --randrepeat=0 ;;
    esac
}

results="$work/results.txt"
: >"$results"
n=${#contenders[@]}
for w in seq rand; do
    for r in $(seq 1 "$reps"); do
        for i in $(seq 0 $((n - 1))); do
            c="${contenders[$(((i + r) % n))]}"
            out="$(run "$c" "$w")"
            echo "$w $c $out" >>"$results"
            echo "  $w rep=$r $c: $out" >&2
        done
    done
done
for r in $(seq 1 "$reps"); do # the device itself, for scale
    drop; echo "seq disk-psync $(fio_read --filename="$img" --rw=read --bs=1M --size=2G --ioengine=psync)" >>"$results"
    drop; echo "seq disk-qd16 $(fio_read --filename="$img" --rw=read --bs=1M --size=2G --ioengine=libaio --direct=1 --iodepth=16)" >>"$results"
    drop; echo "rand disk-psync $(fio_read --filename="$img" --rw=randread --bs=4k --size=2G --ioengine=psync --time_based --runtime="$secs" --randrepeat=0)" >>"$results"
    drop; echo "rand disk-qd16 $(fio_read --filename="$img" --rw=randread --bs=4k --size=2G --ioengine=libaio --direct=1 --iodepth=16 --time_based --runtime="$secs" --randrepeat=0)" >>"$results"
done

echo
echo "# NBD cold-cache reads $(date -u +%Y-%m-%dT%H:%MZ): fio nbd engine, iodepth 16, one connection, median of $reps, 2 GiB file, its pages dropped before each run"
machine_lines
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    w, c, mib, iops = line.split()
    rows[(w, c)].append((float(mib), float(iops)))
med = lambda w, c, i: statistics.median(x[i] for x in rows[(w, c)])
print("| workload | Boomerang | nbdkit file | qemu-nbd (tuned malloc) | ×nbdkit | ×qemu-nbd | disk, psync 1 thread | disk, O_DIRECT qd16 |")
print("|---|---|---|---|---|---|---|---|")
for w, name, i, unit in (("seq", "read 1M, one pass", 0, "MiB/s"), ("rand", "randread 4k", 1, "IOPS")):
    v = {c: med(w, c, i) for c in ("boomerang", "nbdkit", "qemu-nbd", "disk-psync", "disk-qd16")}
    print("| %s | %.0f %s | %.0f %s | %.0f %s | %.2f | %.2f | %.0f %s | %.0f %s |" % (name, v["boomerang"], unit, v["nbdkit"], unit,
          v["qemu-nbd"], unit, v["boomerang"] / v["nbdkit"], v["boomerang"] / v["qemu-nbd"], v["disk-psync"], unit, v["disk-qd16"], unit))
PY
