package org.boomerang.provider;

/** What moved/deleted detection found about a machine (FB-1). */
public enum MachinePresence {
    PRESENT,
    /** Moved to another resource group (the seed's Azure resource group) since protection. */
    MOVED,
    DELETED
}
