# Sourced (not run) by bench/replication.sh: a work folder
# with certificates and configs of the three roles on free loopback ports, and starting/stopping them
# through bin/boomerang. The caller sets `root` (the checkout) and `script` before sourcing.

work="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/boomerang-${script%.sh}.XXXXXX")"
declare -A rpid rport
cleanup() {
    for r in "${!rpid[@]}"; do kill "${rpid[$r]}" 2>/dev/null || true; done
    for r in "${!rpid[@]}"; do wait "${rpid[$r]}" 2>/dev/null || true; done
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
"$root/bin/boomerang" --version >/dev/null   # builds the jar when stale, before anything is timed
"$root/bin/boomerang" certs init "$work/certs" >/dev/null
for r in mt ps agent nbd mt-metrics ps-metrics agent-metrics; do rport[$r]="$(free_port)"; done

write_configs() { # SIZE MARKER_EVERY [SYNCHRONOUS: true|false]
    local tls='tls: {ca: certs/ca.crt, cert: certs/%s.crt, key: certs/%s.key}\n'
    printf "listen: 127.0.0.1:%s\ndata: data/mt\nmetrics: 127.0.0.1:%s\n$tls" "${rport[mt]}" "${rport[mt-metrics]}" master-target master-target >"$work/master-target.yaml"
    printf "listen: 127.0.0.1:%s\ncache: {dir: data/ps-cache, max-size: 2GiB}\nmaster-targets: [{address: '127.0.0.1:%s', disks: ['*']}]\nmetrics: 127.0.0.1:%s\n$tls" \
        "${rport[ps]}" "${rport[mt]}" "${rport[ps-metrics]}" process-server process-server >"$work/process-server.yaml"
    printf "nbd: {listen: '127.0.0.1:%s'}\nprocess-server: '127.0.0.1:%s'\nstate: data/agent-state\ndisks: [{id: disk0, image: data/disk0.img, size: %s}]\nmarker-every: %s\ncapture: {synchronous: %s}\nmetrics: 127.0.0.1:%s\n$tls" \
        "${rport[nbd]}" "${rport[ps]}" "$1" "$2" "${3:-false}" "${rport[agent-metrics]}" agent agent >"$work/agent.yaml"
}

start_role() { # ROLE (master-target | process-server | agent) [LAUNCHER…]; waits for its "listening"/"serving" line
    local r="$1" log="$work/$1.log"
    shift
    if [ -f "$log" ]; then cat "$log" >>"$work/$r.earlier.log"; : >"$log"; fi
    "$@" "$root/bin/boomerang" "$r" --config "$work/$r.yaml" >>"$log" 2>&1 &
    rpid[$r]=$!
    for _ in $(seq 1 600); do
        if grep -q -E '^(serving|process server listening|master target listening)' "$log"; then return 0; fi
        if ! kill -0 "${rpid[$r]}" 2>/dev/null; then echo "$r exited: $(tail -5 "$log")" >&2; exit 1; fi
        sleep 0.2
    done
    echo "$r did not start: $(tail -5 "$log")" >&2; exit 1
}

stop_role() { # ROLE [SIGNAL]
    local r="$1" sig="${2:-TERM}"
    kill -"$sig" "${rpid[$r]}" 2>/dev/null || true
    wait "${rpid[$r]}" 2>/dev/null || true
    unset "rpid[$r]"
}

metric() { # ROLE-metrics NAME-REGEX: the first sample's value
    curl -s "http://127.0.0.1:${rport[$1]}/metrics" | awk -v re="$2" '$0 !~ /^#/ && $1 ~ re {print $2; exit}'
}
