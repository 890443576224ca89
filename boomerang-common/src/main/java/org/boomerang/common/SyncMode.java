package org.boomerang.common;

import java.util.Locale;

/** What a sync does (SPEC §2.4). */
public enum SyncMode {
    /** Copies every non-zero block of the source; zero ranges become holes on the target. */
    FULL,
    /** Both sides digest their blocks, coarse regions first; only differing blocks are sent. */
    DELTA,
    /** Sends the union of trusted change maps, reading no other block. */
    TRACKED,
    /** Digest-compares every block and reports the differing ranges; writes nothing. */
    VERIFY;

    /** The name on the command line and in reports: {@code full}, {@code delta}, … */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the mode changes the target. */
    public boolean writesTarget() {
        return switch (this) {
            case FULL, DELTA, TRACKED -> true;
            case VERIFY -> false;
        };
    }
}
