#!/usr/bin/env bash
# Drill benchmark (issue 17): `bin/boomerang drill` on sparse sample disks of growing size, each size
# repeated with the sizes alternated, and per size the medians of
#   - the unplanned failover's job per machine (the job alone, without the verification that the
#     drill's step time includes: the report's `jobs`), as the drill saw it and as the server recorded it;
#   - the reprotect's tracked syncs: bytes sent / changed bytes (the VMs; the physical server's is full, FB-9);
#   - the initial sync's bytes sent per disk;
# beside the peer a copy-based failover would cost: `cp --sparse=always` of one sample disk (the
# primary lin1 image as the drill left it), timed right after each drill.
#
#   bench/drill.sh                          1G 4G 16G 64G, 2 runs each, --verify sampled
#   SIZES="1G 4G" REPS=3 VERIFY=full bench/drill.sh
#   REPORTS=DIR bench/drill.sh              also keeps every drill's JSON report in DIR
#
# Each drill runs in a fresh folder under $TMPDIR (default /tmp), deleted after it. Before each drill
# the script checks the free space there (2 GiB + half the disk size: the disks are sparse and what the
# drill writes is a small part of them) and skips a size that does not fit, saying so.
# Prints Markdown for docs/benchmarks.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"

SIZES=${SIZES:-"1G 4G 16G 64G"}
REPS=${REPS:-2}
VERIFY=${VERIFY:-sampled}
for tool in python3 cp df; do
    command -v "$tool" >/dev/null || { echo "bench/drill.sh needs $tool" >&2; exit 1; }
done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/boomerang-drill-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results.tsv"
: > "$RESULTS"
[ -n "${REPORTS:-}" ] && mkdir -p "$REPORTS"

bytes_of() { # 1G -> 1073741824
    python3 -c "import sys; u={'K':1<<10,'M':1<<20,'G':1<<30,'T':1<<40}; s=sys.argv[1]; print(int(s[:-1])*u[s[-1].upper()] if s[-1].upper() in u else int(s))" "$1"
}
now() { date +%s.%N; }

echo "## machine"
echo "- nproc: $(nproc); memory: $(free -h | awk '/Mem:/ {print $2}'); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- file system of $TMP: $(df -T "$TMP" | awk 'NR==2 {print $2}'), $(df -h --output=avail "$TMP" | tail -1 | tr -d ' ') free; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- commit $(git rev-parse --short HEAD); java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); verification: --verify $VERIFY"
echo

# Build once (the launcher rebuilds when sources changed) so the first drill's time is not a build's.
bin/boomerang --version >/dev/null

skipped=""
for rep in $(seq 1 "$REPS"); do
    for size in $SIZES; do
        bytes=$(bytes_of "$size")
        need=$(( (2 << 30) + bytes / 2 ))
        avail=$(( $(df --output=avail -B1 "$TMP" | tail -1) ))
        if [ "$avail" -lt "$need" ]; then
            echo "skipped: $size (run $rep): needs $((need >> 30)) GiB free in $TMP, has $((avail >> 30)) GiB" >&2
            skipped="$skipped $size"
            continue
        fi
        data="$TMP/drill-$size"
        report="$TMP/report-$size-$rep.json"
        echo "drill: $size, run $rep …" >&2
        t0=$(now)
        if ! bin/boomerang drill --data "$data" --size "$size" --verify "$VERIFY" --output json --report "$report" \
                >/dev/null 2>"$TMP/drill.log"; then
            grep -v ' INFO \| DEBUG ' "$TMP/drill.log" | tail -20 >&2
            echo "drill: $size run $rep FAILED (report: ${REPORTS:-not kept})" >&2
            [ -n "${REPORTS:-}" ] && cp "$report" "$REPORTS/" 2>/dev/null || true
            exit 1
        fi
        t1=$(now)
        image=$(find "$data/estate/primary" -name 'lin1-disk0.img' | head -1)
        sync
        c0=$(now)
        cp --sparse=always "$image" "$TMP/copy.img"
        sync
        c1=$(now)
        rm -f "$TMP/copy.img"
        [ -n "${REPORTS:-}" ] && cp "$report" "$REPORTS/"
        python3 - "$report" "$size" "$rep" "$(awk "BEGIN {print $t1 - $t0}")" "$(awk "BEGIN {print $c1 - $c0}")" >> "$RESULTS" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
size, rep, total, cp = sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
steps = {s["name"]: s for s in r["steps"]}
f = steps["unplanned failover"]
for j in f.get("jobs", []):
    print(f"{size}\t{rep}\tfailover\t{j['item']}\t{j['seconds']}\t{j['serverSeconds']}")
print(f"{size}\t{rep}\tfailover-step\t-\t{f['seconds']}\t{len(f.get('jobs', []))}")
for y in steps["reprotect to the primary site"].get("syncs", []):
    if y.get("changedBytes"):
        print(f"{size}\t{rep}\treprotect\t{y['item']}\t{y['bytesSent']}\t{y['changedBytes']}")
for y in steps["enable protection and initial sync"].get("syncs", []):
    print(f"{size}\t{rep}\tinitial\t{y['item']}\t{y['bytesSent']}\t{y['diskSizeBytes']}")
print(f"{size}\t{rep}\ttotal\t-\t{total}\t{1 if r['passed'] else 0}")
print(f"{size}\t{rep}\tcp\t-\t{cp}\t0")
EOF
        rm -rf "$data"
    done
done

echo "## drill (median of $REPS runs per size; the failover job per machine is the median over 4 machines × runs)"
python3 - "$RESULTS" "$SIZES" <<'EOF'
import statistics as st, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("| disk size | runs | failover job per machine | as recorded by the server | max | cp --sparse=always of one disk | failover step (4 machines + verification) | reprotect sent / changed (median, max) | initial sync sent per disk | drill total |")
print("|---|---|---|---|---|---|---|---|---|---|")
def mib(b): return f"{b / (1 << 20):.1f} MiB"
for size in sys.argv[2].split():
    r = [x for x in rows if x[0] == size]
    if not r:
        print(f"| {size} | skipped (no room) | | | | | | | | |")
        continue
    runs = len({x[1] for x in r if x[2] == "total"})
    fo = [float(x[4]) for x in r if x[2] == "failover"]
    fs = [float(x[5]) for x in r if x[2] == "failover"]
    cp = [float(x[4]) for x in r if x[2] == "cp"]
    step = [float(x[4]) for x in r if x[2] == "failover-step"]
    ratio = [int(x[4]) / int(x[5]) for x in r if x[2] == "reprotect"]
    init = [int(x[4]) for x in r if x[2] == "initial"]
    total = [float(x[4]) for x in r if x[2] == "total"]
    passed = all(x[5] == "1" for x in r if x[2] == "total")
    print(f"| {size} | {runs}{'' if passed else ' (FAILED)'} | {st.median(fo):.3f} s | {st.median(fs):.3f} s | {max(fo):.3f} s | {st.median(cp):.3f} s "
          f"| {st.median(step):.1f} s | {st.median(ratio):.4f}, {max(ratio):.4f} | {mib(st.median(init))} | {st.median(total):.0f} s |")
EOF
[ -n "$skipped" ] && echo && echo "Skipped for lack of room:$skipped"
exit 0
