#!/usr/bin/env bash
# The long version of CrashStateTest: a workload runs on a file system that records every write, fsync,
# truncation, creation, rename and deletion of the journal's files; STATES crash states (default 20000)
# are built from that record (synced writes kept, a random subset of unsynced ones in any order, torn at
# 512-byte sectors) and each must open with every acknowledged LSN and only prefix states as points.
# OverlayCrashStateTest does the same for a failed-over disk's overlay (overlay.img and its paged map)
# and for change-map files: every byte reads as acknowledged or as a later write left it.
# Prints the seed; rerun a failure with SEED=N.
#
#   scripts/journal-crashsim.sh              # 20000 states
#   STATES=100000 SEED=42 scripts/journal-crashsim.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"
use_jdk
cd "$BOOMERANG_HOME"
states="${STATES:-20000}"
seed="${SEED:-$RANDOM$RANDOM}"
echo "crash-state simulator (journal, overlay, change maps): $states states each, seed $seed"
exec mvn -B -q -o verify -pl boomerang-journal -am -Dtest='CrashStateTest#everyCrashState*,OverlayCrashStateTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Djournal.crashsim.states="$states" -Djournal.crashsim.seed="$seed"
