package org.boomerang.control.dataplane;

/** How a resync compares the two sides (SPEC §2.4). */
public enum SyncMode {
    /** Copy every non-zero block: first protection and alternate-location recovery (FB-7). */
    FULL,
    /** Digest both sides and send the differing blocks: original-location recovery (FB-4). */
    DELTA,
    /** Send the union of both change maps without reading the whole disk (FB-4 when maps are trusted). */
    TRACKED
}
