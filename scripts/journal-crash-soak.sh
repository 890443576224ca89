#!/usr/bin/env bash
# The long version of CrashTest: a child JVM appends to a journal under load and is killed with SIGKILL
# at random moments, KILLS times (default 500); after each kill the journal must hold every acknowledged
# LSN with its bytes, without a gap. Prints the seed; rerun a failure with SEED=N.
#
#   scripts/journal-crash-soak.sh            # 500 kills
#   KILLS=2000 SEED=42 scripts/journal-crash-soak.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"
kills="${KILLS:-500}"
seed="${SEED:-$RANDOM$RANDOM}"
echo "journal crash soak: $kills kills, seed $seed"
exec mvn -B -q -o verify -pl boomerang-journal -am -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Djournal.crash.kills="$kills" -Djournal.crash.seed="$seed" \
    -Dsurefire.argLine="--enable-native-access=ALL-UNNAMED -Djournal.crash.kills=$kills -Djournal.crash.seed=$seed"
