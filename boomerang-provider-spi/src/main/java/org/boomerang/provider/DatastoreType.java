package org.boomerang.provider;

/**
 * The kind of a datastore. It decides what failback may do there: alternate-location recovery
 * creates new disks and can do so only on {@link #VMFS} (FB-8); original-location recovery onto
 * {@link #VSAN} or {@link #RDM} needs the disks to exist and be attached already (FB-6).
 */
public enum DatastoreType {
    VMFS,
    VSAN,
    RDM,
    NFS;

    /** True when new disks can be created here (alternate-location recovery). */
    public boolean canCreateDisks() {
        return switch (this) {
            case VMFS -> true;
            case VSAN, RDM, NFS -> false;
        };
    }

    /** True when original-location recovery needs the disks to already exist and be attached. */
    public boolean needsExistingAttachedDisks() {
        return switch (this) {
            case VSAN, RDM -> true;
            case VMFS, NFS -> false;
        };
    }
}
