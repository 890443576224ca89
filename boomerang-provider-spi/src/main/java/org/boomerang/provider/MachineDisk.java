package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.DiskId;

/**
 * One disk of a machine: where it lives, its size, whether it is attached to the machine, and what
 * holds its bytes ({@link DiskBacking}). A detached disk still belongs to the machine it was
 * detached from until it is attached to another one.
 */
public record MachineDisk(DiskId id, DatastoreId datastore, long sizeBytes, boolean attached, DiskBacking backing) {
    public MachineDisk {
        requireNonNull(id, "id is null");
        requireNonNull(datastore, "datastore is null");
        requireNonNull(backing, "backing is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }

    public MachineDisk withAttached(boolean value) {
        return new MachineDisk(id, datastore, sizeBytes, value, backing);
    }
}
