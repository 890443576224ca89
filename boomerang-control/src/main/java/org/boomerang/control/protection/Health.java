package org.boomerang.control.protection;

/** The replication health of an item (FB-12: failback needs OK). */
public enum Health {
    OK,
    WARNING,
    CRITICAL
}
