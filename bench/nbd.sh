#!/usr/bin/env bash
# NBD throughput: Boomerang vs nbdkit (file plugin) vs qemu-nbd, side by side in one run.
#
# fio's nbd engine, iodepth 16, one connection and four (numjobs=4, one connection per job), for 1 MiB
# sequential write and read and 4 KiB random write and read, against the same 2 GiB file (created sparse,
# then filled once so reads return real data and not holes). Every server runs for the whole script;
# tests alternate the contenders in a rotating order, each test is repeated REPS times (default 3), and
# the table shows medians and the ratios Boomerang/peer. Not a test: figures depend on the machine.
#
# qemu-nbd runs twice: with glibc's defaults, and with GLIBC_TUNABLES raising malloc's mmap threshold.
# At the defaults every 1 MiB request buffer is a fresh mmap/munmap (glibc maps blocks above 128 KiB),
# which page-faults on every request; the tuned run is the fair peer.
#
# Usage: bench/nbd.sh [REPS] [SECONDS_PER_RUN]     (environment: BENCH_DIR for the image, default a temp dir)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
reps="${1:-3}"
secs="${2:-4}"
for tool in fio nbdkit qemu-nbd nbdinfo python3; do
    command -v "$tool" >/dev/null || { echo "bench/nbd.sh needs $tool (bin/test installs the NBD tools)" >&2; exit 1; }
done

work="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/boomerang-nbd-bench.XXXXXX")"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
img="$work/disk.img"
truncate -s 2G "$img"
echo "filling the 2 GiB image once (so that reads return data, not holes)…" >&2
fio --name=fill --filename="$img" --rw=write --bs=1M --size=2G --ioengine=psync --end_fsync=1 >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
    for _ in $(seq 1 100); do
        if nbdinfo --size "nbd://127.0.0.1:$1/d" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "server on port $1 did not come up" >&2; exit 1
}

declare -A port
# Boomerang
"$root/bin/boomerang" --version >/dev/null  # builds the jar when stale, before timing anything
port[boomerang]="$(free_port)"
"$root/bin/boomerang" nbd serve --export "d=$img" --port "${port[boomerang]}" >"$work/boomerang.log" 2>&1 &
pids+=($!)
# nbdkit, file plugin, default thread model (parallel, 16 threads per connection)
port[nbdkit]="$(free_port)"
nbdkit -f -i 127.0.0.1 -p "${port[nbdkit]}" -e d file "$img" >"$work/nbdkit.log" 2>&1 &
pids+=($!)
# qemu-nbd with malloc's mmap threshold raised to 64 MiB (no mmap/munmap per 1 MiB buffer)
port[qemu-nbd]="$(free_port)"
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456 \
    qemu-nbd -f raw -x d -b 127.0.0.1 -p "${port[qemu-nbd]}" -t -e 8 --cache=writeback --aio=threads "$img" >"$work/qemu.log" 2>&1 &
pids+=($!)
# qemu-nbd at glibc's malloc defaults
port[qemu-nbd-default-malloc]="$(free_port)"
qemu-nbd -f raw -x d -b 127.0.0.1 -p "${port[qemu-nbd-default-malloc]}" -t -e 8 --cache=writeback --aio=threads "$img" >"$work/qemu-default.log" 2>&1 &
pids+=($!)
contenders=(boomerang nbdkit qemu-nbd qemu-nbd-default-malloc)
for c in "${contenders[@]}"; do wait_port "${port[$c]}"; done

run_fio() { # contender rw bs jobs -> prints "MiB/s IOPS"
    local c="$1" rw="$2" bs="$3" jobs="$4"
    fio --output-format=json --name=b --ioengine=nbd --uri="nbd://127.0.0.1:${port[$c]}/d" --rw="$rw" --bs="$bs" \
        --iodepth=16 --numjobs="$jobs" --group_reporting --size=2G --time_based --runtime="$secs" --randrepeat=0 \
        | python3 -c '
import json,sys
text=sys.stdin.read()
j=json.loads(text[text.index("{"):])["jobs"][0]
d=j["write"] if j["write"]["io_bytes"]>0 else j["read"]
print("%.1f %.0f" % (d["bw"]/1024.0, d["iops"]))'
}

echo "warming up every server…" >&2
for c in "${contenders[@]}"; do run_fio "$c" randrw 4k 1 >/dev/null; run_fio "$c" rw 1M 1 >/dev/null; done

results="$work/results.txt"
: >"$results"
tests=("write 1M 1" "read 1M 1" "randwrite 4k 1" "randread 4k 1" "write 1M 4" "read 1M 4" "randwrite 4k 4" "randread 4k 4")
n=${#contenders[@]}
for t in "${tests[@]}"; do
    read -r rw bs jobs <<<"$t"
    for r in $(seq 1 "$reps"); do
        for i in $(seq 0 $((n - 1))); do
            c="${contenders[$(((i + r) % n))]}"
            out="$(run_fio "$c" "$rw" "$bs" "$jobs")"
            echo "$rw $bs $jobs $c $out" >>"$results"
            echo "  $rw bs=$bs conns=$jobs rep=$r $c: $out" >&2
        done
    done
done

echo
echo "# NBD bench $(date -u +%Y-%m-%dT%H:%MZ): fio nbd engine, iodepth 16, ${secs}s per run, median of $reps, 2 GiB file"
echo "# machine: $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(df -T "$work" | awk 'NR==2{print $2}') file system"
echo "# $(qemu-nbd --version | head -1); nbdkit $(nbdkit --version | awk '{print $2}'); $(fio --version)"
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rw, bs, jobs, c, mib, iops = line.split()
    rows[(rw, bs, jobs, c)].append((float(mib), float(iops)))
def med(k, i):
    v = rows.get(k)
    return statistics.median(x[i] for x in v) if v else float("nan")
order = [("write","1M"),("read","1M"),("randwrite","4k"),("randread","4k")]
print("| workload | conns | Boomerang | nbdkit file | qemu-nbd (tuned malloc) | qemu-nbd (default malloc) | ×nbdkit | ×qemu-nbd |")
print("|---|---|---|---|---|---|---|---|")
for jobs in ("1", "4"):
    for rw, bs in order:
        seq = bs == "1M"
        i = 0 if seq else 1
        unit = "MiB/s" if seq else "IOPS"
        vals = {c: med((rw, bs, jobs, c), i) for c in ("boomerang", "nbdkit", "qemu-nbd", "qemu-nbd-default-malloc")}
        fmt = lambda v: ("%.0f %s" % (v, unit))
        print("| %s %s | %s | %s | %s | %s | %s | %.2f | %.2f |" % (rw, bs, jobs, fmt(vals["boomerang"]), fmt(vals["nbdkit"]),
              fmt(vals["qemu-nbd"]), fmt(vals["qemu-nbd-default-malloc"]),
              vals["boomerang"] / vals["nbdkit"], vals["boomerang"] / vals["qemu-nbd"]))
PY
