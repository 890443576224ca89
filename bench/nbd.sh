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
# Usage: bench/nbd.sh [REPS] [SECONDS_PER_RUN]     (environment: BENCH_DIR for the image, default a temp dir;
# BOOMERANG_TCP_CONGESTION=system (or an algorithm) to run Boomerang with --tcp-congestion)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
reps="${1:-3}"
secs="${2:-4}"
script=nbd.sh
source "$here/nbd-lib.sh"
contenders=(boomerang nbdkit qemu-nbd qemu-nbd-default-malloc)
# The servers run in the background for the whole script; cleanup (trap) stops them by PID.
ensure_running() { # the machine is shared: restart a peer that someone else's cleanup killed
    if ! kill -0 "${pid[$1]}" 2>/dev/null; then
        echo "  ($1 was gone; restarting it)" >&2
        start_server "$1"
    fi
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
for c in "${contenders[@]}"; do start_server "$c"; done

run_fio() { # contender rw bs jobs -> prints "MiB/s IOPS server-CPU-microseconds-per-request"
    local c="$1" rw="$2" bs="$3" jobs="$4" t0 t1
    t0="$(cpu_ticks "${pid[$c]}")"
    fio --output-format=json --name=b --ioengine=nbd --uri="nbd://127.0.0.1:${port[$c]}/d" --rw="$rw" --bs="$bs" \
        --iodepth=16 --numjobs="$jobs" --group_reporting --size=2G --time_based --runtime="$secs" --randrepeat=0 \
        | python3 -c '
import json,sys
text=sys.stdin.read()
j=json.loads(text[text.index("{"):])["jobs"][0]
d=j["write"] if j["write"]["io_bytes"]>0 else j["read"]
print("%.1f %.0f %d" % (d["bw"]/1024.0, d["iops"], d["total_ios"]))' >"$work/fio.out"
    t1="$(cpu_ticks "${pid[$c]}")"
    read -r mib iops ios <"$work/fio.out"
    # clock ticks are 1/100 s: CPU microseconds per request = ticks * 10000 / requests
    echo "$mib $iops $(python3 -c "print('%.1f' % (($t1 - $t0) * 10000.0 / max($ios, 1)))")"
}

echo "warming up every server…" >&2
for c in "${contenders[@]}"; do ensure_running "$c"; run_fio "$c" randrw 4k 1 >/dev/null; run_fio "$c" rw 1M 1 >/dev/null; done

results="$work/results.txt"
: >"$results"
tests=("write 1M 1" "read 1M 1" "randwrite 4k 1" "randread 4k 1" "write 1M 4" "read 1M 4" "randwrite 4k 4" "randread 4k 4")
n=${#contenders[@]}
for t in "${tests[@]}"; do
    read -r rw bs jobs <<<"$t"
    for r in $(seq 1 "$reps"); do
        for i in $(seq 0 $((n - 1))); do
            c="${contenders[$(((i + r) % n))]}"
            ensure_running "$c"  # here, not inside run_fio's subshell, so a restart's port is kept
            out="$(run_fio "$c" "$rw" "$bs" "$jobs")"
            echo "$rw $bs $jobs $c $out" >>"$results"
            echo "  $rw bs=$bs conns=$jobs rep=$r $c: $out" >&2
        done
    done
done

echo
echo "# NBD bench $(date -u +%Y-%m-%dT%H:%MZ): fio nbd engine, iodepth 16, ${secs}s per run, median of $reps, 2 GiB file"
machine_lines
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rw, bs, jobs, c, mib, iops, cpu = line.split()
    rows[(rw, bs, jobs, c)].append((float(mib), float(iops), float(cpu)))
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
print()
print("Server CPU time per request (user+sys of the server process, microseconds; lower is better):")
print()
print("| workload | conns | Boomerang | nbdkit file | qemu-nbd (tuned malloc) | qemu-nbd (default malloc) | nbdkit/Boomerang |")
print("|---|---|---|---|---|---|---|")
for jobs in ("1", "4"):
    for rw, bs in order:
        vals = {c: med((rw, bs, jobs, c), 2) for c in ("boomerang", "nbdkit", "qemu-nbd", "qemu-nbd-default-malloc")}
        print("| %s %s | %s | %.0f | %.0f | %.0f | %.0f | %.2f |" % (rw, bs, jobs, vals["boomerang"], vals["nbdkit"],
              vals["qemu-nbd"], vals["qemu-nbd-default-malloc"], vals["nbdkit"] / vals["boomerang"]))
PY
