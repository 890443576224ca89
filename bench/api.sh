#!/usr/bin/env bash
# REST API and CLI latency, side by side in one run (docs/benchmarks.md, "## REST API and CLI").
#   1. one request from a fresh process: curl (the peer) vs the boomerang CLI, GET /api/v1/items
#   2. sequential requests per second over one keep-alive connection (curl), public /health vs
#      authenticated /api/v1/items and /api/v1/jobs (token check + database read)
# Alternates the contenders, repeats REPEATS times, prints medians and ratios.
# Usage: bench/api.sh [REPEATS] [REQUESTS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
repeats="${1:-7}"
requests="${2:-300}"
root="$BOOMERANG_HOME"
"$root/bin/boomerang" --version >/dev/null   # builds when stale
jar="$root/boomerang-server/target/boomerang.jar"
java_cli=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar")

work="$(mktemp -d)"
"${java_cli[@]}" server --data "$work/data" --port 0 >"$work/out.txt" 2>"$work/err.txt" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q "listening on" "$work/out.txt" 2>/dev/null && break; sleep 0.5; done
url="$(grep -o 'http://[0-9.]*:[0-9]*' "$work/out.txt" | head -1)"
token="$("${java_cli[@]}" server token create --data "$work/data" --role reader 2>/dev/null | tail -1)"
export BOOMERANG_SERVER="$url" BOOMERANG_TOKEN="$token"

echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') memory, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), fs $(df -T "$work" | awk 'NR==2 {print $2}')"
echo "server: $url; repeats $repeats; $requests requests per throughput run; load average at start: $(cut -d" " -f1-3 /proc/loadavg)"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
rate() { # requests per second for $requests GETs of $1 over one connection
    local path="$1" s e args=()
    for _ in $(seq 1 "$requests"); do args+=("$url$path"); done
    s=$(date +%s%N)
    curl -sf -H "Authorization: Bearer $token" "${args[@]}" >/dev/null
    e=$(date +%s%N)
    awk -v n="$requests" -v ns=$((e - s)) 'BEGIN {printf "%.0f", n / (ns / 1e9)}'
}

# warm-up, not counted
curl -sf -H "Authorization: Bearer $token" "$url/api/v1/items" >/dev/null; "${java_cli[@]}" items list >/dev/null; rate /health >/dev/null

curl_ms=(); cli_ms=(); health=(); items=(); jobs=()
for i in $(seq 1 "$repeats"); do
    curl_ms+=("$(ms curl -sf -H "Authorization: Bearer $token" "$url/api/v1/items")")
    cli_ms+=("$(ms "${java_cli[@]}" items list -o json)")
    health+=("$(rate /health)"); items+=("$(rate /api/v1/items)"); jobs+=("$(rate /api/v1/jobs)")
done
mc=$(printf '%s\n' "${curl_ms[@]}" | median); mj=$(printf '%s\n' "${cli_ms[@]}" | median)
mh=$(printf '%s\n' "${health[@]}" | median); mi=$(printf '%s\n' "${items[@]}" | median); mb=$(printf '%s\n' "${jobs[@]}" | median)
echo
echo "| one GET /api/v1/items from a fresh process | median ms | ratio to curl | runs (ms) |"
echo "|---|---|---|---|"
echo "| curl (peer) | $mc | 1.0 | ${curl_ms[*]} |"
awk -v a="$mj" -v b="$mc" -v r="${cli_ms[*]}" 'BEGIN {printf "| boomerang items list -o json | %s | %.1f | %s |\n", a, a / b, r}'
echo
echo "| sequential requests, one connection | median req/s | ratio to /health | runs (req/s) |"
echo "|---|---|---|---|"
echo "| GET /health (public) | $mh | 1.00 | ${health[*]} |"
awk -v a="$mi" -v b="$mh" -v r="${items[*]}" 'BEGIN {printf "| GET /api/v1/items (token + database) | %s | %.2f | %s |\n", a, a / b, r}'
awk -v a="$mb" -v b="$mh" -v r="${jobs[*]}" 'BEGIN {printf "| GET /api/v1/jobs (token + database) | %s | %.2f | %s |\n", a, a / b, r}'
