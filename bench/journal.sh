#!/usr/bin/env bash
# Journal benchmark (not a test): ingest against dd oflag=direct on the same file system, view open time
# for a 1 GiB and a 64 GiB disk holding the same journal, and point-in-time read throughput against the
# plain image file. Contenders alternate; each figure is the median of REPS runs (default 3).
#
#   bench/journal.sh            # work files under bench/results/ (same file system as the checkout)
#   REPS=5 BENCH_DIR=/mnt/x bench/journal.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"

REPS="${REPS:-3}"
jar="$BOOMERANG_HOME/boomerang-server/target/boomerang.jar"
bin/boomerang --version >/dev/null   # builds the jar when it is missing or stale
mkdir -p "${BENCH_DIR:-$BOOMERANG_HOME/bench/results}"
work="$(mktemp -d "${BENCH_DIR:-$BOOMERANG_HOME/bench/results}/journal.XXXXXX")"
trap 'rm -rf "$work"' EXIT

bench() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" org.boomerang.server.bench.JournalBench "$@"; }
result() { awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
dd_mibs() { # dd BS COUNT -> MiB/s
    dd if=/dev/zero of="$work/dd.img" bs="$1" count="$2" oflag=direct 2>&1 \
        | awk '/copied/ {for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) s = $(i-1); print $1 / s / 1048576}'
    rm -f "$work/dd.img"
}

echo "# journal benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $REPS runs per figure (median)"
echo "machine: nproc=$(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), CPU $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "file system: $(df -T "$work" | awk 'NR==2 {print $2 " on " $1}')"
echo

echo "## ingest (MiB/s): dd oflag=direct vs journal (stream: one appender + group-commit acknowledger; ack: 4 threads, each record fsynced before the next)"
printf "%-8s %10s %14s %12s %14s %12s\n" record dd journal-stream stream/dd journal-ack ack/dd
for spec in "4K 8192" "1M 256"; do
    set -- $spec
    bs=$1 count=$2
    total=$(( $(numfmt --from=iec "$bs") * count ))
    d=() s=() a=()
    for r in $(seq "$REPS"); do
        if (( r % 2 )); then
            d+=("$(dd_mibs "$bs" "$count")")
            s+=("$(bench stream "$work/s$r" 1G "$bs" "$total" | result stream)"); rm -rf "$work/s$r"
            a+=("$(bench ingest "$work/a$r" 1G "$bs" "$total" 4 | result ingest)"); rm -rf "$work/a$r"
        else
            a+=("$(bench ingest "$work/a$r" 1G "$bs" "$total" 4 | result ingest)"); rm -rf "$work/a$r"
            s+=("$(bench stream "$work/s$r" 1G "$bs" "$total" | result stream)"); rm -rf "$work/s$r"
            d+=("$(dd_mibs "$bs" "$count")")
        fi
    done
    dm=$(printf '%s\n' "${d[@]}" | median); sm=$(printf '%s\n' "${s[@]}" | median); am=$(printf '%s\n' "${a[@]}" | median)
    printf "%-8s %10.1f %14.1f %12s %14.1f %12s\n" "$bs" "$dm" "$sm" "$(ratio "$sm" "$dm")" "$am" "$(ratio "$am" "$dm")"
done
echo

echo "## view open (ms, warm JVM: median of 4 opens after a first cold one): the same journal (20000 random 4 KiB writes within the first GiB) on a 1 GiB and a 64 GiB disk"
bench fill "$work/j1g" 1G 20000 1G >/dev/null
bench fill "$work/j64g" 64G 20000 1G >/dev/null
printf "%-10s %14s %12s %10s\n" disk open-journal open-view pieces
o1=() v1=() o64=() v64=()
for r in $(seq "$REPS"); do
    out1="$(bench open "$work/j1g" latest)"; out64="$(bench open "$work/j64g" latest)"
    o1+=("$(echo "$out1" | result open-journal)"); v1+=("$(echo "$out1" | result open-view)")
    o64+=("$(echo "$out64" | result open-journal)"); v64+=("$(echo "$out64" | result open-view)")
    p1="$(echo "$out1" | result view-pieces)"; p64="$(echo "$out64" | result view-pieces)"
done
mo1=$(printf '%s\n' "${o1[@]}" | median); mv1=$(printf '%s\n' "${v1[@]}" | median)
mo64=$(printf '%s\n' "${o64[@]}" | median); mv64=$(printf '%s\n' "${v64[@]}" | median)
printf "%-10s %14.1f %12.1f %10s\n" 1GiB "$mo1" "$mv1" "$p1"
printf "%-10s %14.1f %12.1f %10s\n" 64GiB "$mo64" "$mv64" "$p64"
echo "ratio 64GiB/1GiB: open-journal $(ratio "$mo64" "$mo1"), open-view $(ratio "$mv64" "$mv1")"
echo

echo "## point-in-time read (MiB/s, sequential 1 MiB reads of the whole 1 GiB disk, page cache warm)"
bin/boomerang journal export "$work/j1g" --at latest --to "$work/plain.img" >/dev/null
pv=() pf=()
for r in $(seq "$REPS"); do
    if (( r % 2 )); then
        pv+=("$(bench read-view "$work/j1g" latest 1M | result read)"); pf+=("$(bench read-file "$work/plain.img" 1M | result read)")
    else
        pf+=("$(bench read-file "$work/plain.img" 1M | result read)"); pv+=("$(bench read-view "$work/j1g" latest 1M | result read)")
    fi
done
mpv=$(printf '%s\n' "${pv[@]}" | median); mpf=$(printf '%s\n' "${pf[@]}" | median)
printf "%-22s %10.1f\n%-22s %10.1f\n" "view at latest" "$mpv" "plain image file" "$mpf"
echo "ratio view/plain: $(ratio "$mpv" "$mpf")"
