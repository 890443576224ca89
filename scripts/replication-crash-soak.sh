#!/usr/bin/env bash
# Replication crash soak (issue #15): runs the kill -9 rounds of ReplicationCrashTest (boomerang-dataplane)
# ROUNDS times in all. Each round kills the agent, the process server or the master target — child JVMs —
# with SIGKILL at a random moment while a writer sends writes through the agent's NBD export, restarts it,
# and checks that the replica's latest point becomes a prefix state of the writes holding every write
# acknowledged before the kill, and that every catch-up window covers only dirty extents (no full resync).
# The rounds run in batches of at most 6 on a fresh setup each (the journal of one batch stays small);
# every batch ends with the replica at latest compared to the agent's image byte for byte.
# Usage: scripts/replication-crash-soak.sh [ROUNDS]   (default 30; SEED=N repeats a run; the logs of a
# failed batch are kept under the printed folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-${ROUNDS:-30}}"
BATCH=6
SEED="${SEED:-$RANDOM$RANDOM}"
source "$root/bin/lib.sh"
use_jdk
work="$(mktemp -d "${TMPDIR:-/tmp}/boomerang-replication-crash-soak.XXXXXX")"
cd "$root"

echo "replication crash soak: $ROUNDS rounds in batches of $BATCH, seed $SEED, work folder $work"
left=$ROUNDS
batch=0
failed=0
while [ "$left" -gt 0 ]; do
    batch=$((batch + 1))
    n=$(( left < BATCH ? left : BATCH ))
    out="$work/batch-$batch.out"
    if mvn -B -o -q -pl boomerang-dataplane -am test -Dtest=ReplicationCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
            -Dcrash.rounds="$n" -Dcrash.seed="$((SEED + batch))" -Dcrash.keep-logs="$work/batch-$batch" >"$out" 2>&1; then
        result=passed
        rm -rf "$work/batch-$batch"
    else
        result=FAILED
        failed=$((failed + 1))
        cp boomerang-dataplane/target/surefire-reports/org.boomerang.dataplane.roles.ReplicationCrashTest.txt "$work/batch-$batch/" 2>/dev/null || true
    fi
    grep -E '^round ' "$out" | sed "s/^/batch $batch: /" || true
    echo "batch $batch ($n rounds, seed $((SEED + batch))): $result"
    if [ "$result" = FAILED ]; then
        grep -E 'AssertionError|AssertionFailed|expected|after PT' "$out" | head -5 || true
    fi
    left=$((left - n))
done

# Summary: kills per role and how long after the restart the latest point held every acknowledged write.
cat "$work"/batch-*.out | awk -v failed="$failed" -v batches="$batch" '
    /^round / {
        role = $4; ms = $10 + 0
        kills[role]++; total++
        sum[role] += ms; if (ms > max[role]) max[role] = ms
    }
    /writes acknowledged, .* sent again/ { writes += $2; retries += $5 }
    /catch-up windows, each within/ { windows += $2 }
    END {
        printf "\nsummary: %d kill -9 rounds in %d batches, %d batch(es) failed\n", total, batches, failed
        for (r in kills) printf "  %-15s %3d kills, recovered to a prefix state holding every acknowledged write in %6.0f ms on average, %6d ms at most\n", r, kills[r], sum[r] / kills[r], max[r]
        printf "  %d writes acknowledged through the agent, %d sent again after a kill, %d catch-up windows (none over the whole disk)\n", writes, retries, windows
    }'
if [ "$failed" -gt 0 ]; then
    echo "FAILED: see $work" >&2
    exit 1
fi
rm -rf "$work"
echo "OK: no acknowledged write was missing at the recovery site after any kill"
