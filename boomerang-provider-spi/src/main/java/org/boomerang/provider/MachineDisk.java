package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.boomerang.common.DiskId;

/**
 * One disk of a machine: where it lives, its size, whether it is attached to the machine, what holds
 * its bytes ({@link DiskBacking}), and where it is served while the machine runs: the NBD export of
 * its site's agent that is the machine's guest view of the disk (writes through it are replicated
 * when the machine is protected). {@code served} is empty while the machine is off. {@code servedBySite}
 * says the site itself serves the disk (a lab site with its data plane): then {@code served} is the only
 * address a guest reaches it at, also for a disk backed by an NBD export of that site (a recovered
 * machine's failover view), which is not reachable while its machine is off. A detached disk still
 * belongs to the machine it was detached from until it is attached to another one.
 */
public record MachineDisk(DiskId id, DatastoreId datastore, long sizeBytes, boolean attached, DiskBacking backing, Optional<URI> served,
        boolean servedBySite) {
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
        this(id, datastore, sizeBytes, attached, backing, Optional.empty(), false);
    }

    public MachineDisk withAttached(boolean value) {
        return new MachineDisk(id, datastore, sizeBytes, value, backing, served, servedBySite);
    }

    /** This disk as its site serves it: at {@code value} while its machine runs, nowhere while it is off. */
    public MachineDisk withServed(Optional<URI> value) {
        return new MachineDisk(id, datastore, sizeBytes, attached, backing, value, true);
    }

    /**
     * The NBD address a guest reaches the disk at now: where its site serves it; for a disk its site does not
     * serve, its backing's export; empty for an image nobody serves and for any disk of a machine that is off.
     */
    public Optional<URI> nbdUri() {
        if (servedBySite) {
            return served;
        }
        return served.or(() -> backing instanceof DiskBacking.NbdExport n ? Optional.of(n.uri()) : Optional.empty());
    }
}
