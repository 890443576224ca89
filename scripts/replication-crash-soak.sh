#!/usr/bin/env bash
# Replication crash soak (issue #15): the agent, the process server and the master target run as
# separate processes (bin/boomerang) on loopback; qemu-io writes through the agent's NBD export while,
# ROUNDS times (default 30), one role picked at random is killed with SIGKILL and started again. At the
# end the roles stop on SIGTERM and `journal export --at latest` must equal the agent's image byte for
# byte: replication resumed after every kill and no acknowledged write is missing at the recovery site.
# Usage: scripts/replication-crash-soak.sh [ROUNDS]   (KEEP_WORK=1 keeps the work folder for a look)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
script="$(basename "$0")"
ROUNDS="${1:-${ROUNDS:-30}}"
for tool in qemu-io cmp curl python3; do
    command -v "$tool" >/dev/null || { echo "$script needs $tool" >&2; exit 1; }
done
source "$root/bench/replication-lib.sh"
write_configs 64MiB 100ms
start_role master-target; start_role process-server; start_role agent
uri="nbd://127.0.0.1:${rport[nbd]}/disk0"

burst() { # a few qemu-io writes at random offsets, 4 KiB .. 256 KiB; returns when all are acknowledged
    local args=() i len off
    for i in $(seq 1 20); do
        len=$((4096 << (RANDOM % 7)))
        off=$(( (RANDOM * 32768 + RANDOM) % ((64 << 20) - len) / 4096 * 4096 ))
        args+=(-c "write -P $((RANDOM % 250 + 1)) $off $len")
    done
    qemu-io -f raw "${args[@]}" "$uri" >/dev/null
}

roles=(agent process-server master-target)
for round in $(seq 1 "$ROUNDS"); do
    victim="${roles[RANDOM % 3]}"
    burst &
    writer=$!
    sleep "0.$((RANDOM % 9 + 1))"
    stop_role "$victim" KILL
    if [ "$victim" = agent ]; then
        wait "$writer" 2>/dev/null || true   # writes in flight at the kill were never acknowledged
    fi
    start_role "$victim"
    wait "$writer" 2>/dev/null || true
    burst
    echo "round $round/$ROUNDS: killed $victim -9, restarted; replication resumed"
done

stop_role agent TERM
stop_role process-server TERM
stop_role master-target TERM
"$root/bin/boomerang" journal export "$work/data/mt/journals/disk0" --at latest --to "$work/replica.img" >/dev/null
if cmp "$work/data/disk0.img" "$work/replica.img"; then
    echo "OK: after $ROUNDS kills the replica at latest equals the agent's image byte for byte"
else
    echo "FAILED: the replica differs from the agent's image (work folder kept: $work)" >&2
    KEEP_WORK=1
    exit 1
fi
