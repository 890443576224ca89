# Shared by bench/nbd.sh and bench/nbd-cold.sh (sourced, not run): the work folder and its cleanup, the
# 2 GiB image, and starting the NBD servers that are compared. The caller sets `root` (the checkout) and
# `script` (its name, for messages) before sourcing.

for tool in fio nbdkit qemu-nbd nbdinfo python3; do
    command -v "$tool" >/dev/null || { echo "$script needs $tool (bin/test installs the NBD tools)" >&2; exit 1; }
done

work="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/boomerang-${script%.sh}.XXXXXX")"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
img="$work/disk.img"
truncate -s 2G "$img"
echo "filling the 2 GiB image once (so that reads return data, not holes)…" >&2
fio --name=fill --filename="$img" --rw=write --bs=1M --size=2G --ioengine=psync --end_fsync=1 >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
    for _ in $(seq 1 300); do
        if nbdinfo --size "nbd://127.0.0.1:$1/d" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "server on port $1 did not come up" >&2; exit 1
}

declare -A port pid
"$root/bin/boomerang" --version >/dev/null  # builds the jar when stale, before timing anything
qemu_args=(-f raw -x d -b 127.0.0.1 -t -e 8 --cache=writeback --aio=threads)
start_server() { # contender: (re)starts it on a fresh port, records port and pid; the servers run until cleanup
    local c="$1" p
    p="$(free_port)"
    case "$c" in
        boomerang) # bin/boomerang execs java, so $! is the JVM
            "$root/bin/boomerang" nbd serve --export "d=$img" --port "$p" ${BOOMERANG_TCP_CONGESTION:+--tcp-congestion "$BOOMERANG_TCP_CONGESTION"} >>"$work/$c.log" 2>&1 & ;;
        nbdkit) # file plugin, default thread model (parallel, 16 threads per connection)
            nbdkit -f -i 127.0.0.1 -p "$p" -e d file "$img" >>"$work/$c.log" 2>&1 & ;;
        qemu-nbd) # malloc's mmap threshold raised to 64 MiB: no mmap/munmap per 1 MiB buffer
            GLIBC_TUNABLES=glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456 \
                qemu-nbd "${qemu_args[@]}" -p "$p" "$img" >>"$work/$c.log" 2>&1 & ;;
        qemu-nbd-default-malloc)
            qemu-nbd "${qemu_args[@]}" -p "$p" "$img" >>"$work/$c.log" 2>&1 & ;;
    esac
    pid[$c]=$!
    pids+=($!)
    port[$c]="$p"
    wait_port "$p"
}

machine_lines() { # the two header lines every NBD table starts with: the machine and the peers' versions
    echo "# machine: $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(df -T "$work" | awk 'NR==2{print $2}') file system"
    echo "# $(qemu-nbd --version | head -1); nbdkit $(nbdkit --version | awk '{print $2}'); $(fio --version)"
    echo "# TCP congestion control: system default $(cat /proc/sys/net/ipv4/tcp_congestion_control) (nbdkit, qemu-nbd); Boomerang's connections ${BOOMERANG_TCP_CONGESTION:-cubic}"
}
