package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.boomerang.common.DiskId;

/**
 * One disk of a machine: where it lives, its size, whether it is attached to the machine, what holds
 * its bytes ({@link DiskBacking}), and where it is served while the machine runs: the NBD export of
 * its site's agent that is the machine's guest view of the disk (writes through it are replicated
 * when the machine is protected). {@code served} is empty while the machine is off. A detached disk
 * still belongs to the machine it was detached from until it is attached to another one.
 */
public record MachineDisk(DiskId id, DatastoreId datastore, long sizeBytes, boolean attached, DiskBacking backing, Optional<URI> served) {
    public MachineDisk {
        requireNonNull(id, "id is null");
        requireNonNull(datastore, "datastore is null");
        requireNonNull(backing, "backing is null");
        served = served == null ? Optional.empty() : served; // documents stored before the field existed
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }

    /** A disk that is not served (its machine is off, or nothing serves the site's disks). */
    public MachineDisk(DiskId id, DatastoreId datastore, long sizeBytes, boolean attached, DiskBacking backing) {
        this(id, datastore, sizeBytes, attached, backing, Optional.empty());
    }

    public MachineDisk withAttached(boolean value) {
        return new MachineDisk(id, datastore, sizeBytes, value, backing, served);
    }

    public MachineDisk withServed(Optional<URI> value) {
        return new MachineDisk(id, datastore, sizeBytes, attached, backing, value);
    }

    /** The NBD address a guest reaches the disk at: where it is served, else its backing's export; empty for an image nobody serves. */
    public Optional<URI> nbdUri() {
        return served.or(() -> backing instanceof DiskBacking.NbdExport n ? Optional.of(n.uri()) : Optional.empty());
    }
}
