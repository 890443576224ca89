#!/usr/bin/env bash
# Replication benchmark (issue #15): fio through the agent's NBD export with the three roles running as
# separate processes on loopback (gRPC + mutual TLS, zstd at the process server, journal at the master
# target).
#  1. RPO: random 4 KiB and sequential 1 MiB writes rate-limited to 10, 50 and 100 MB/s for DURATION
#     seconds each (default 60); RPO p50/p99/max from the agent's boomerang_agent_rpo_seconds (time from
#     a change leaving the agent to its being durable in the replica journal); bytes on the wire
#     (process server → master target, after zstd) against bytes written.
#  2. Capture overhead: the same two workloads unlimited through the agent (replication on), the plain
#     `boomerang nbd serve` and nbdkit's file plugin.
# Prints markdown tables for docs/benchmarks.md. Performance is shown here, never in tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
script="$(basename "$0")"
DURATION="${DURATION:-60}"
SIZE="${SIZE:-4GiB}"
for tool in fio nbdkit nbdinfo curl python3; do
    command -v "$tool" >/dev/null || { echo "$script needs $tool (bin/test installs the NBD tools)" >&2; exit 1; }
done
source "$root/bench/replication-lib.sh"

fio_run() { # URI RW BS RATE(empty: unlimited) -> MB/s written (fio's nbd engine prints a line before its JSON)
    local rate=()
    [ -n "$4" ] && rate=(--rate="$4")
    fio --name=w --ioengine=nbd --uri="$1" --rw="$2" --bs="$3" --iodepth=16 --size=1G --time_based --runtime="$DURATION" \
        "${rate[@]}" --output-format=json 2>/dev/null | python3 -c 'import json,sys; s=sys.stdin.read(); j=json.loads(s[s.index("{"):]); print("%.1f" % (j["jobs"][0]["write"]["bw_bytes"]/1e6))'
}

fresh_roles() {
    for r in agent process-server master-target; do [ -n "${rpid[$r]:-}" ] && stop_role "$r"; done
    rm -rf "$work/data"
    write_configs "$SIZE" 1s
    start_role master-target; start_role process-server; start_role agent
    sleep 2
}

echo "# $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM; fio $(fio --version); runs of ${DURATION}s; disk ${SIZE}"
echo
echo "| workload | rate limit | written MB/s | RPO p50 | RPO p99 | RPO max | bytes on wire / written |"
echo "|---|---|---|---|---|---|---|"
for wl in "randwrite 4k" "write 1M"; do
    set -- $wl
    for rate in 10m 50m 100m; do
        fresh_roles
        uri="nbd://127.0.0.1:${rport[nbd]}/disk0"
        mbs="$(fio_run "$uri" "$1" "$2" "$rate")"
        sleep 3
        p50="$(metric agent-metrics 'boomerang_agent_rpo_seconds\{.*quantile="0.5"')"
        p99="$(metric agent-metrics 'boomerang_agent_rpo_seconds\{.*quantile="0.99"')"
        max="$(metric agent-metrics 'boomerang_agent_rpo_seconds_max')"
        churn="$(metric ps-metrics 'boomerang_process_server_churn_bytes_total')"
        wire="$(metric ps-metrics 'boomerang_process_server_compressed_bytes_total')"
        ratio="$(python3 -c "print('%.2f' % (float('${wire:-0}')/max(1.0,float('${churn:-1}'))))")"
        printf '| %s %s | %s | %s | %.3f s | %.3f s | %.3f s | %s |\n' "$1" "$2" "${rate%m} MB/s" "$mbs" "${p50:-0}" "${p99:-0}" "${max:-0}" "$ratio"
    done
done

echo
echo "| workload | agent (replicating) MB/s | plain boomerang nbd serve MB/s | nbdkit file MB/s | agent / plain |"
echo "|---|---|---|---|---|"
for wl in "randwrite 4k" "write 1M"; do
    set -- $wl
    fresh_roles
    agent_mbs="$(fio_run "nbd://127.0.0.1:${rport[nbd]}/disk0" "$1" "$2" "")"
    for r in agent process-server master-target; do stop_role "$r"; done
    plain_img="$work/plain.img"; rm -f "$plain_img"; truncate -s "$(python3 -c "import re;s='$SIZE';n=int(re.match(r'\d+',s).group());print(n*(1<<30 if 'G' in s else 1<<20))")" "$plain_img"
    p="$(free_port)"
    "$root/bin/boomerang" nbd serve --export "disk0=$plain_img" --port "$p" >>"$work/plain.log" 2>&1 & pp=$!
    for _ in $(seq 1 300); do nbdinfo --size "nbd://127.0.0.1:$p/disk0" >/dev/null 2>&1 && break; sleep 0.2; done
    plain_mbs="$(fio_run "nbd://127.0.0.1:$p/disk0" "$1" "$2" "")"
    kill "$pp"; wait "$pp" 2>/dev/null || true
    p="$(free_port)"
    nbdkit -f -i 127.0.0.1 -p "$p" -e disk0 file "$plain_img" >>"$work/nbdkit.log" 2>&1 & kp=$!
    for _ in $(seq 1 300); do nbdinfo --size "nbd://127.0.0.1:$p/disk0" >/dev/null 2>&1 && break; sleep 0.2; done
    nbdkit_mbs="$(fio_run "nbd://127.0.0.1:$p/disk0" "$1" "$2" "")"
    kill "$kp"; wait "$kp" 2>/dev/null || true
    printf '| %s %s | %s | %s | %s | %s |\n' "$1" "$2" "$agent_mbs" "$plain_mbs" "$nbdkit_mbs" \
        "$(python3 -c "print('%.2f' % (float('$agent_mbs')/max(0.001,float('$plain_mbs'))))")"
done
