#!/usr/bin/env bash
# Replication benchmark (issue #15): fio through the agent's NBD export with the three roles running as
# separate processes on loopback (gRPC + mutual TLS, zstd at the process server, journal at the master
# target). Every image (the agent's and the plain server's) is written in full before it is timed, so
# no contender pays for block allocation. Each round makes a new replica (the agent's initial copy of its
# preallocated image) and restarts the roles on it before each run; fio starts once the agent has sent
# everything (initial copy or catch-up done, nothing queued).
#  1. RPO: random 4 KiB and sequential 1 MiB writes rate-limited to 10, 50 and 100 MB/s for DURATION
#     seconds each (default 60); RPO p50/p99/max from the agent's boomerang_agent_rpo_seconds (time from
#     a change leaving the agent to its being durable in the replica journal); bytes on the wire
#     (process server → master target, after zstd) against bytes written.
#  2. Capture overhead: the same two workloads unlimited through the agent (asynchronous, replicating),
#     the plain `boomerang nbd serve` and nbdkit's file plugin, alternated within each round.
#  3. Write latency: 4 KiB random writes at queue depth 1, p99 of fio's completion latency, through the
#     plain server, the agent in asynchronous mode and the agent in synchronous mode.
# ROUNDS rounds (default 3) of all three; the tables give the median of the rounds (and the range), and
# the load average (1 min) seen at the end of each run.
# PLACEMENT=colocated (default): every process shares all cores. PLACEMENT=split: fio and the server
# under test (the agent, the plain server, nbdkit) on CPU 0, the process server and the master target
# on CPU 1 (taskset) — the closest one machine comes to a site whose process server and master target
# run on other machines. Prints markdown tables for docs/benchmarks.md. Performance is shown here, never
# in tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
script="$(basename "$0")"
DURATION="${DURATION:-60}"
SIZE="${SIZE:-1GiB}"         # the image; fio writes its first GiB
ROUNDS="${ROUNDS:-3}"
PLACEMENT="${PLACEMENT:-colocated}"
SECTIONS="${SECTIONS:-rpo overhead latency}"   # a subset for a quick comparison, e.g. SECTIONS=rpo RATES=50m
RATES="${RATES:-10m 50m 100m}"
for tool in fio nbdkit nbdinfo curl python3 taskset; do
    command -v "$tool" >/dev/null || { echo "$script needs $tool (bin/test installs the NBD tools)" >&2; exit 1; }
done
source "$root/bench/replication-lib.sh"

case "$PLACEMENT" in
    colocated) near=(); far=() ;;
    split) near=(taskset -c 0); far=(taskset -c 1) ;;
    *) echo "$script: PLACEMENT is colocated or split, not $PLACEMENT" >&2; exit 1 ;;
esac
size_bytes="$(python3 -c "import re;s='$SIZE';n=int(re.match(r'\d+',s).group());print(n*(1<<30 if 'G' in s else 1<<20))")"

fio_json() { # URI RW BS RATE(empty: unlimited) DEPTH -> fio's JSON (its nbd engine prints a line before it)
    local rate=()
    [ -n "$4" ] && rate=(--rate="$4")
    "${near[@]}" fio --name=w --ioengine=nbd --uri="$1" --rw="$2" --bs="$3" --iodepth="$5" --size=1G --time_based \
        --runtime="$DURATION" "${rate[@]}" --output-format=json 2>/dev/null | python3 -c 'import sys; s=sys.stdin.read(); print(s[s.index("{"):])'
}
mbs_of() { python3 -c 'import json,sys; j=json.load(sys.stdin); print("%.1f" % (j["jobs"][0]["write"]["bw_bytes"]/1e6))'; }
p99_of() { python3 -c 'import json,sys; j=json.load(sys.stdin); print("%.3f" % (j["jobs"][0]["write"]["clat_ns"]["percentile"]["99.000000"]/1e6))'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_s() { # PID -> CPU seconds (user + system) the process has used so far
    python3 -c "import os; f=open('/proc/$1/stat').read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))"
}

preallocate() { # IMAGE: every byte written (zeroes) and on disk
    rm -f "$1"
    dd if=/dev/zero of="$1" bs=1M count=$((size_bytes >> 20)) conv=fsync status=none
}

roles_up() { # [SYNCHRONOUS]: (re)starts the roles on the round's replica; returns once the agent has nothing left to send
    for r in agent process-server master-target; do [ -n "${rpid[$r]:-}" ] && stop_role "$r"; done
    if [ ! -f "$work/data/disk0.img" ]; then   # a new replica: preallocated image, initial copy (once per round)
        rm -rf "$work/data"; mkdir -p "$work/data"
        preallocate "$work/data/disk0.img"
    fi
    write_configs "$SIZE" 1s "${1:-false}"
    start_role master-target "${far[@]}"; start_role process-server "${far[@]}"; start_role agent "${near[@]}"
    for _ in $(seq 1 3000); do
        [ "$(metric agent-metrics 'boomerang_agent_window_open')" = "0.0" ] && [ "$(metric agent-metrics 'boomerang_agent_lag_records')" = "0.0" ] && break
        sleep 0.2
    done
    sleep 1
}
stop_roles() { for r in agent process-server master-target; do stop_role "$r"; done; }

serve_plain() { # plain boomerang nbd serve of the preallocated image: sets pp (pid) and pport
    pport="$(free_port)"
    "${near[@]}" "$root/bin/boomerang" nbd serve --export "disk0=$work/plain.img" --port "$pport" >>"$work/plain.log" 2>&1 & pp=$!
    for _ in $(seq 1 300); do nbdinfo --size "nbd://127.0.0.1:$pport/disk0" >/dev/null 2>&1 && break; sleep 0.2; done
}
serve_nbdkit() { # nbdkit's file plugin on the preallocated image: sets kp and kport
    kport="$(free_port)"
    "${near[@]}" nbdkit -f -i 127.0.0.1 -p "$kport" -e disk0 file "$work/plain.img" >>"$work/nbdkit.log" 2>&1 & kp=$!
    for _ in $(seq 1 300); do nbdinfo --size "nbd://127.0.0.1:$kport/disk0" >/dev/null 2>&1 && break; sleep 0.2; done
}

declare -A res   # "table|row|column|round" -> value
declare -A res_set
trace() { # every figure as it is measured, on stderr: a run cut short still tells what it measured
    local k
    for k in "${!res[@]}"; do
        [ -n "${res_set[$k]:-}" ] || { res_set[$k]=1; echo "measured $k = ${res[$k]} (load $(load1), $(date -u +%H:%M:%S))" >&2; }
    done
}
loads=()
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS ($(date -u +%H:%M) UTC, load $(load1))" >&2
    rm -rf "$work/data"                      # a new replica each round
    preallocate "$work/plain.img"            # the plain server's and nbdkit's image, written in full
    # 1. RPO, and the CPU each role used per MB written
    for wl in "randwrite 4k" "write 1M"; do
        [[ " $SECTIONS " == *" rpo "* ]] || break
        set -- $wl
        for rate in $RATES; do
            roles_up
            declare -A cpu0=()
            for r in agent process-server master-target; do cpu0[$r]="$(cpu_s "${rpid[$r]}")"; done
            mbs="$(fio_json "nbd://127.0.0.1:${rport[nbd]}/disk0" "$1" "$2" "$rate" 16 | mbs_of)"
            res["rpo|$1 $2|$rate|mbs|$round"]="$mbs"
            loads+=("$(load1)")
            sleep 3
            trace
            for r in agent process-server master-target; do
                res["rpo|$1 $2|$rate|cpu-$r|$round"]="$(python3 -c "print(1000*($(cpu_s "${rpid[$r]}")-${cpu0[$r]})/max(0.001,$mbs*$DURATION))")"
            done
            res["rpo|$1 $2|$rate|p50|$round"]="$(metric agent-metrics 'boomerang_agent_rpo_seconds[{].*quantile="0.5"')"
            res["rpo|$1 $2|$rate|p99|$round"]="$(metric agent-metrics 'boomerang_agent_rpo_seconds[{].*quantile="0.99"')"
            res["rpo|$1 $2|$rate|max|$round"]="$(metric agent-metrics 'boomerang_agent_rpo_seconds_max')"
            churn="$(metric ps-metrics 'boomerang_process_server_churn_bytes_total')"
            wire="$(metric ps-metrics 'boomerang_process_server_compressed_bytes_total')"
            res["rpo|$1 $2|$rate|wire|$round"]="$(python3 -c "print('%.2f' % (float('${wire:-0}')/max(1.0,float('${churn:-1}'))))")"
        done
    done
    # 2. Overhead, unlimited; the contenders' order turns each round
    for wl in "randwrite 4k" "write 1M"; do
        [[ " $SECTIONS " == *" overhead "* ]] || break
        set -- $wl
        order=(agent plain nbdkit)
        for ((i = 0; i < (round - 1) % 3; i++)); do order=("${order[@]:1}" "${order[0]}"); done
        for c in "${order[@]}"; do
            case "$c" in
                agent) roles_up
                    res["ovh|$1 $2|agent|$round"]="$(fio_json "nbd://127.0.0.1:${rport[nbd]}/disk0" "$1" "$2" "" 16 | mbs_of)"
                    loads+=("$(load1)"); trace; stop_roles ;;
                plain) serve_plain
                    res["ovh|$1 $2|plain|$round"]="$(fio_json "nbd://127.0.0.1:$pport/disk0" "$1" "$2" "" 16 | mbs_of)"
                    loads+=("$(load1)"); trace; kill "$pp"; wait "$pp" 2>/dev/null || true ;;
                nbdkit) serve_nbdkit
                    res["ovh|$1 $2|nbdkit|$round"]="$(fio_json "nbd://127.0.0.1:$kport/disk0" "$1" "$2" "" 16 | mbs_of)"
                    loads+=("$(load1)"); trace; kill "$kp"; wait "$kp" 2>/dev/null || true ;;
            esac
        done
    done
    # 3. Latency of 4 KiB writes at queue depth 1
    [[ " $SECTIONS " == *" latency "* ]] || continue
    serve_plain
    res["lat|plain|$round"]="$(fio_json "nbd://127.0.0.1:$pport/disk0" randwrite 4k "" 1 | p99_of)"
    kill "$pp"; wait "$pp" 2>/dev/null || true
    for mode in false true; do
        roles_up "$mode"
        res["lat|$mode|$round"]="$(fio_json "nbd://127.0.0.1:${rport[nbd]}/disk0" randwrite 4k "" 1 | p99_of)"
        loads+=("$(load1)"); trace
        stop_roles
    done
done
trace

med() { # KEY-PREFIX FORMAT -> "median (min–max)" over the rounds, or the one value
    local vals=()
    for round in $(seq 1 "$ROUNDS"); do vals+=("${res[$1|$round]:-nan}"); done
    python3 - "$2" "${vals[@]}" <<'PY'
import statistics, sys
fmt, vals = sys.argv[1], [float(v) for v in sys.argv[2:] if v not in ("", "nan")]
if not vals: print("—"); sys.exit()
m = fmt % statistics.median(vals)
print(m if len(vals) == 1 else "%s (%s–%s)" % (m, fmt % min(vals), fmt % max(vals)))
PY
}
ratio() { # NUMERATOR-PREFIX DENOMINATOR-PREFIX -> median over rounds of the per-round ratio
    local vals=()
    for round in $(seq 1 "$ROUNDS"); do
        vals+=("$(python3 -c "print(float('${res[$1|$round]:-0}')/max(0.001,float('${res[$2|$round]:-0}')))")")
    done
    python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print('%.2f' % statistics.median(v) + ('' if len(v)==1 else ' (%.2f–%.2f)' % (min(v), max(v))))" "${vals[@]}"
}

echo "# $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM; fio $(fio --version); $ROUNDS rounds of ${DURATION}s runs; disk ${SIZE}, preallocated; placement $PLACEMENT"
echo "# commit $(git -C "$root" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M') UTC; load average (1 min) at the end of the runs: $(python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print('median %.1f, %.1f–%.1f' % (statistics.median(v), min(v), max(v)))" "${loads[@]}")"
if [[ " $SECTIONS " == *" rpo "* ]]; then
echo
echo "| workload | rate limit | written MB/s | RPO p50 s | RPO p99 s | RPO max s | bytes on wire / written | CPU ms per MB: agent / process server / master target |"
echo "|---|---|---|---|---|---|---|---|"
for wl in "randwrite 4k" "write 1M"; do
    for rate in $RATES; do
        k="rpo|$wl|$rate"
        echo "| $wl | ${rate%m} MB/s | $(med "$k|mbs" %.1f) | $(med "$k|p50" %.3f) | $(med "$k|p99" %.3f) | $(med "$k|max" %.3f) | $(med "$k|wire" %.2f) | $(med "$k|cpu-agent" %.1f) / $(med "$k|cpu-process-server" %.1f) / $(med "$k|cpu-master-target" %.1f) |"
    done
done
fi
if [[ " $SECTIONS " == *" overhead "* ]]; then
echo
echo "| workload (unlimited) | agent (replicating) MB/s | plain boomerang nbd serve MB/s | nbdkit file MB/s | agent / plain | agent / nbdkit |"
echo "|---|---|---|---|---|---|"
for wl in "randwrite 4k" "write 1M"; do
    k="ovh|$wl"
    echo "| $wl | $(med "$k|agent" %.1f) | $(med "$k|plain" %.1f) | $(med "$k|nbdkit" %.1f) | $(ratio "$k|agent" "$k|plain") | $(ratio "$k|agent" "$k|nbdkit") |"
done
fi
if [[ " $SECTIONS " == *" latency "* ]]; then
echo
echo "| 4 KiB randwrite, queue depth 1 | plain boomerang nbd serve | agent, asynchronous | agent, synchronous | synchronous / plain |"
echo "|---|---|---|---|---|"
echo "| completion latency p99 (ms) | $(med "lat|plain" %.3f) | $(med "lat|false" %.3f) | $(med "lat|true" %.3f) | $(ratio "lat|true" "lat|plain") |"
fi
