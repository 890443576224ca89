package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.boomerang.common.DiskId;

/**
 * A disk to give a new machine: its id (the same on both sites for one protected disk) and size.
 * With {@code existing} empty a new empty disk is created on the machine's datastore; with a
 * backing (a failover view's NBD export) the machine is attached to that backing instead.
 */
public record DiskSpec(DiskId id, long sizeBytes, Optional<DiskBacking> existing) {
    public DiskSpec {
        requireNonNull(id, "id is null");
        requireNonNull(existing, "existing is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }

    /** A new empty disk. */
    public static DiskSpec empty(DiskId id, long sizeBytes) {
        return new DiskSpec(id, sizeBytes, Optional.empty());
    }

    /** A disk attached to what already holds its bytes. */
    public static DiskSpec backedBy(DiskId id, long sizeBytes, DiskBacking backing) {
        return new DiskSpec(id, sizeBytes, Optional.of(backing));
    }
}
