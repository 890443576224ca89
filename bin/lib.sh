# Shared by bin/boomerang and bin/test: find a JDK >= 25 and the project root.
# shellcheck shell=bash

BOOMERANG_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() {
    # Prints the major version of the java binary in $1/bin/java, or nothing.
    local v
    v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
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
