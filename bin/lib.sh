# Shared by bin/boomerang and bin/test: find a JDK >= 25 and the project root.
# shellcheck shell=bash

BOOMERANG_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() {
    # Prints the major version of the JDK in $1, or nothing: from its release file (JAVA_VERSION="25.0.3"),
    # else by asking its java, which costs a JVM start (a quarter of a second here) on every command.
    local v=""
    if [ -f "$1/release" ]; then
        v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -1)"
    fi
    if [ -z "$v" ]; then
        v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
    fi
    printf '%s' "${v%%.*}"
}

find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        local m; m="$(java_major "$JAVA_HOME")"
        if [ -n "$m" ] && [ "$m" -ge 25 ]; then
            printf '%s' "$JAVA_HOME"; return 0
        fi
    fi
    local best="" best_m=0 d m
    for d in /usr/lib/jvm/*; do
        [ -x "$d/bin/javac" ] || continue
        m="$(java_major "$d")"
        if [ -n "$m" ] && [ "$m" -ge 25 ] && [ "$m" -gt "$best_m" ]; then best="$d"; best_m="$m"; fi
    done
    if [ -n "$best" ]; then printf '%s' "$best"; return 0; fi
    return 1
}

use_jdk() {
    local jdk
    if ! jdk="$(find_jdk)"; then
        echo "error: Boomerang needs a JDK 25 or newer. Set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. Temurin 25)." >&2
        exit 1
    fi
    export JAVA_HOME="$jdk"
    export PATH="$JAVA_HOME/bin:$PATH"
    # Maven 3.8 bundles a Guava that touches sun.misc.Unsafe; keep its warning out of every build log.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# The JDK 25 ahead-of-time cache of a jar for a command (JEP 483/514/515): the classes a training run
# loaded and linked, and the profiles it gathered, so that a short command starts without reading and
# verifying them again. Two kinds (org.boomerang.server.AotTraining): "data" for sync, nbd and journal,
# "control" for the rest. Made once per build, next to the jar, and remade when the jar is newer (not
# tried where the jar's folder is read-only); prints the cache's path, or nothing when there is none
# usable (the command then starts without it).
aot_cache() {
    local jar="$1" kind=control tmp aot
    case "${2:-}" in sync|nbd|journal|agent|process-server|master-target) kind=data ;; esac
    aot="${jar%.jar}-$kind.aot"
    if { [ ! -f "$aot" ] || [ "$jar" -nt "$aot" ]; } && [ -w "$(dirname "$jar")" ]; then
        tmp="${aot%.aot}.$$.aot"
        echo "boomerang: making the start-up cache for $kind commands (once per build)…" >&2
        if "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$tmp" -Xlog:aot*=off -Xlog:cds*=off \
                --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
                -jar "$jar" __aot-training "$kind" >/dev/null 2>&1 && [ -f "$tmp" ]; then
            mv -f "$tmp" "$aot"
        else
            rm -f "$tmp" "$tmp.config"
        fi
    fi
    if [ -f "$aot" ]; then printf '%s' "$aot"; fi
}

# The JVM options of a command: the AOT cache ($1, may be empty) and, for `sync` ($2), the C1 compiler
# alone. A sync's digest (libxxhash) and compression (zstd) run in native code and the Java around them
# is glue: C1 compiles that sooner and leaves the second core to the sync (2 GiB delta 1.31 -> 1.07 s,
# tracked 0.66 -> 0.54 s, docs/benchmarks.md). Long-running commands (server, nbd serve) keep C2.
boomerang_jvm_opts() {
    local aot="$1" cmd="${2:-}"
    if [ -n "$aot" ]; then printf '%s\n' "-XX:AOTCache=$aot"; fi
    printf '%s\n' -Xlog:aot*=off -Xlog:cds*=off --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
    if [ "$cmd" = sync ]; then printf '%s\n' -XX:TieredStopAtLevel=1; fi
}
