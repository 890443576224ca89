#!/usr/bin/env bash
# Resync benchmark (issue 4): Boomerang delta and tracked sync against rsync, Boomerang full sync
# against cp --sparse=always and qemu-img convert, side by side in one run, contenders alternated,
# each case repeated (median of $REPS, default 3). Prints Markdown tables for docs/benchmarks.md.
#
#   bench/sync.sh                 2 GiB (all data) and 8 GiB (sparse, 25 % data) images
#   SIZES=2G REPS=3 PERCENTS="1" bench/sync.sh
#
# Images live in a temporary directory ($TMPDIR or /tmp) that is deleted at the end. Times are wall
# clock of the whole process (Boomerang: JVM start included, launched as `java -jar` with the launcher's
# options but without its build check); page cache is warm for every contender alike (the images are read once
# before timing); each contender's target is a fresh sparse copy of the old image, synced to disk first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"

SIZES=${SIZES:-"2G 8G"}
PERCENTS=${PERCENTS:-"0.1 1 10"}
REPS=${REPS:-3}
for tool in rsync qemu-img cp cmp python3; do
    command -v "$tool" >/dev/null || { echo "bench/sync.sh needs $tool" >&2; exit 1; }
done

mvn -q -B -o -DskipTests package -pl boomerang-server -am >/dev/null 2>&1 || mvn -q -B -DskipTests package -pl boomerang-server -am

TMP="$(mktemp -d "${TMPDIR:-/tmp}/boomerang-sync-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
# A private copy of the launcher's jar and libraries, so a rebuild during the run changes nothing.
mkdir -p "$TMP/app"
cp -r "$BOOMERANG_HOME/boomerang-server/target/boomerang.jar" "$BOOMERANG_HOME/boomerang-server/target/lib" "$TMP/app/"
JAR="$TMP/app/boomerang.jar"
CP="$JAR:$TMP/app/lib/*"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
# The same JVM options as bin/boomerang for `sync` (its AOT cache, made here for the private jar, and C1),
# without its build check.
mapfile -t SYNC_OPTS < <(boomerang_jvm_opts "$(aot_cache "$JAR" sync)" sync)
BMRG=("$JAVA_HOME/bin/java" "${SYNC_OPTS[@]}" -jar "$JAR")
RESULTS="$TMP/results.tsv"
: > "$RESULTS"

echo "## machine"
echo "- nproc: $(nproc); memory: $(free -h | awk '/Mem:/ {print $2}'); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- file system of $TMP: $(df -T "$TMP" | awk 'NR==2 {print $2}'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rsync --version | head -1); $(qemu-img --version | head -1); java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo
echo "## digest choice (single thread, 64 KiB blocks, in memory, median of 5)"
echo "| digest | throughput |"
echo "|---|---|"
"${JAVA[@]}" -cp "$CP" bench/DigestChoice.java
echo

now() { date +%s.%N; }

# run_case SIZE PCT CONTENDER REP: syncs $TMP/new.img into a fresh copy of $TMP/old.img, appends a result row.
run_case() {
    local size=$1 pct=$2 who=$3 rep=$4 t0 t1 sent extra
    rm -f "$TMP/t.img"
    cp --sparse=always "$TMP/old.img" "$TMP/t.img"
    sync
    case "$who" in
        delta|tracked)
            local args=(sync --source "$TMP/new.img" --target "$TMP/t.img" --mode "$who" --output json)
            [ "$who" = tracked ] && args+=(--changes "$TMP/changes.map")
            t0=$(now); "${BMRG[@]}" "${args[@]}" > "$TMP/out.json"; t1=$(now)
            read -r sent extra < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["bytesSent"], "compressed=%d digests=%d engine=%.3fs" % (d["bytesSentCompressed"], d["digestBytes"], d["elapsedSeconds"]))' "$TMP/out.json")
            ;;
        rsync-64K|rsync-default)
            local bs=(); [ "$who" = rsync-64K ] && bs=(-B 65536)
            t0=$(now); rsync -I --inplace --no-whole-file "${bs[@]}" --stats "$TMP/new.img" "$TMP/t.img" > "$TMP/out.txt"; t1=$(now)
            sent=$(awk -F': ' '/^Literal data/ {gsub(/[ ,a-z]/, "", $2); print $2}' "$TMP/out.txt")
            extra="total-sent=$(awk -F': ' '/^Total bytes sent/ {gsub(/[ ,]/, "", $2); print $2}' "$TMP/out.txt") received=$(awk -F': ' '/^Total bytes received/ {gsub(/[ ,]/, "", $2); print $2}' "$TMP/out.txt")"
            ;;
    esac
    if [ "$rep" = 1 ] && ! cmp -s "$TMP/new.img" "$TMP/t.img"; then
        echo "error: $who left a target that differs from the source ($size, $pct %)" >&2; exit 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$pct" "$who" "$rep" "$(echo "$t1 - $t0" | bc)" "$sent" "$extra" >> "$RESULTS"
}

# run_full SIZE CONTENDER REP: copies $TMP/new.img to a new file.
run_full() {
    local size=$1 who=$2 rep=$3 t0 t1
    rm -f "$TMP/f.img"; sync
    t0=$(now)
    case "$who" in
        sync-full) "${BMRG[@]}" sync --source "$TMP/new.img" --target "$TMP/f.img" --mode full --output json > "$TMP/out.json" ;;
        cp-sparse) cp --sparse=always "$TMP/new.img" "$TMP/f.img"; sync -f "$TMP/f.img" ;;
        qemu-img-convert) qemu-img convert -f raw -O raw "$TMP/new.img" "$TMP/f.img"; sync -f "$TMP/f.img" ;;
    esac
    t1=$(now)
    if [ "$rep" = 1 ] && ! cmp -s "$TMP/new.img" "$TMP/f.img"; then
        echo "error: $who made a copy that differs ($size)" >&2; exit 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" full "$who" "$rep" "$(echo "$t1 - $t0" | bc)" \
        "$(du -B1 "$TMP/f.img" | cut -f1)" "allocated" >> "$RESULTS"
}

for size in $SIZES; do
    data=100; [ "$size" != 2G ] && data=25
    rm -f "$TMP"/*.img "$TMP"/*.map
    "${JAVA[@]}" -cp "$CP" bench/SyncBenchImages.java base "$TMP/old.img" "$size" "$data" 1 >/dev/null
    for pct in $PERCENTS; do
        "${JAVA[@]}" -cp "$CP" bench/SyncBenchImages.java diverge "$TMP/old.img" "$TMP/new.img" "$TMP/changes.map" "$pct" 2 \
            | sed "s/^/$size $pct %: /" >&2
        cat "$TMP/old.img" "$TMP/new.img" > /dev/null   # warm the page cache alike for everyone
        contenders=(delta tracked rsync-64K rsync-default)
        for rep in $(seq 1 "$REPS"); do
            for i in 0 1 2 3; do   # rotate the order each repetition
                run_case "$size" "$pct" "${contenders[$(( (i + rep - 1) % 4 ))]}" "$rep"
            done
        done
    done
    fulls=(sync-full cp-sparse qemu-img-convert)
    for rep in $(seq 1 "$REPS"); do
        for i in 0 1 2; do
            run_full "$size" "${fulls[$(( (i + rep - 1) % 3 ))]}" "$rep"
        done
    done
    echo "$size done" >&2
done

python3 - "$RESULTS" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
engines = collections.defaultdict(list)
extra = {}
for line in open(sys.argv[1]):
    size, pct, who, rep, wall, sent, ext = line.rstrip("\n").split("\t")
    rows[(size, pct, who)].append(float(wall))
    extra[(size, pct, who)] = (int(sent or 0), ext)
    for field in ext.split():
        if field.startswith("engine="):
            engines[(size, pct, who)].append(float(field[len("engine="):-1]))
def med(k): return statistics.median(rows[k])
sizes = sorted({k[0] for k in rows}, key=lambda s: int(s[:-1]))
print("## delta and tracked against rsync (wall seconds, median of %d)" % len(next(iter(rows.values()))))
print("| image | changed | contender | median s | runs s | bytes sent | sent / changed | vs rsync -B 64K | vs rsync default | detail |")
print("|---|---|---|---|---|---|---|---|---|---|")
for size in sizes:
    for pct in sorted({k[1] for k in rows if k[0] == size and k[1] != "full"}, key=float):
        # tracked sends exactly the marked blocks, which are the changed blocks: the yardstick for "sent / changed"
        changed = extra.get((size, pct, "tracked"), (None, ""))[0]
        for who in ("delta", "tracked", "rsync-64K", "rsync-default"):
            k = (size, pct, who)
            if k not in rows: continue
            sent, ext = extra[k]
            m = med(k)
            r64 = med((size, pct, "rsync-64K")) / m
            rdef = med((size, pct, "rsync-default")) / m
            ratio = "%.3f" % (sent / changed) if changed else "-"
            runs = " ".join("%.2f" % x for x in rows[k])
            if engines[k]:
                # the engine alone, as reprotect runs it inside a server: no JVM start, no argument parsing
                e = statistics.median(engines[k])
                ext += " median-engine=%.3fs engine-vs-rsync-64K=%.1fx" % (e, med((size, pct, "rsync-64K")) / e)
            print(f"| {size} | {pct} % | {who} | {m:.2f} | {runs} | {sent:,} | {ratio} | {r64:.2f}x | {rdef:.2f}x | {ext} |")
print()
print("## full sync against cp and qemu-img (wall seconds to a new file, fsync included, median)")
print("| image | contender | median s | runs s | target allocated bytes | vs cp --sparse=always | vs qemu-img convert |")
print("|---|---|---|---|---|---|---|")
for size in sizes:
    for who in ("sync-full", "cp-sparse", "qemu-img-convert"):
        k = (size, "full", who)
        if k not in rows: continue
        m = med(k)
        runs = " ".join("%.2f" % x for x in rows[k])
        print(f"| {size} | {who} | {m:.2f} | {runs} | {extra[k][0]:,} | {med((size,'full','cp-sparse'))/m:.2f}x | {med((size,'full','qemu-img-convert'))/m:.2f}x |")
PY
