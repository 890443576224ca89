package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.boomerang.common.DiskId;

/**
 * Who a journal directory belongs to: the replica disk, its geometry and the generation (lineage) of
 * its data. Stamped on the directory by {@link org.boomerang.journal.recovery.IdentityStamp} and
 * checked on every open.
 */
public record JournalIdentity(DiskId diskId, long diskSize, int blockSize, UUID generation) {
    public JournalIdentity {
        requireNonNull(diskId, "diskId is null");
        requireNonNull(generation, "generation is null");
        if (diskSize <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + diskSize);
        }
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two >= 512: " + blockSize);
        }
    }

    /** A new identity with a fresh generation. */
    public static JournalIdentity create(DiskId diskId, long diskSize, int blockSize) {
        return new JournalIdentity(diskId, diskSize, blockSize, UUID.randomUUID());
    }
}
