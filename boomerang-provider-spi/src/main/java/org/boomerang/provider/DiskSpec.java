package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.DiskId;

/** A disk to create: its id (the same on both sites for one protected disk) and size. */
public record DiskSpec(DiskId id, long sizeBytes) {
    public DiskSpec {
        requireNonNull(id, "id is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }
}
