package org.boomerang.control.protection;

/**
 * Where reprotect puts the machine at the primary site (FB-4, FB-7): the original machine
 * (only changes travel back) or a new machine on the master target's host (full copy).
 */
public enum RecoveryLocation {
    /** Original location recovery: the on-prem machine still exists. */
    ORIGINAL,
    /** Alternate location recovery: recreate the machine on the master target's host. */
    ALTERNATE
}
