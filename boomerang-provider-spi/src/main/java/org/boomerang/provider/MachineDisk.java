package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.DiskId;

/** One disk of a machine: where it lives, its size, and whether it is attached to the machine. */
public record MachineDisk(DiskId id, DatastoreId datastore, long sizeBytes, boolean attached) {
    public MachineDisk {
        requireNonNull(id, "id is null");
        requireNonNull(datastore, "datastore is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }
}
