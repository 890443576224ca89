package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.MachineId;

/**
 * What an operator asks of reprotect. Empty fields are chosen by the control server: the location
 * is original when the on-prem machine still exists (alternate otherwise, and always for physical
 * servers), the master target is the first one registered at the target site, the process server is
 * the item's. A datastore is required for alternate location recovery (FB-7); a process server is
 * required when reprotecting to the recovery site after failback (FB-20). {@code retention} is how
 * long the reverse replica keeps recovery points (positive); empty: the item's policy's retention.
 */
public record ReprotectRequest(
        ItemId item,
        Optional<RecoveryLocation> location,
        Optional<MachineId> masterTarget,
        Optional<DatastoreId> datastore,
        Optional<String> processServer,
        Optional<Duration> retention) {
    public ReprotectRequest {
        requireNonNull(item, "item is null");
        requireNonNull(location, "location is null");
        requireNonNull(masterTarget, "masterTarget is null");
        requireNonNull(datastore, "datastore is null");
        requireNonNull(processServer, "processServer is null");
        requireNonNull(retention, "retention is null");
    }

    /** A request that leaves the retention to the item's policy. */
    public ReprotectRequest(ItemId item, Optional<RecoveryLocation> location, Optional<MachineId> masterTarget,
            Optional<DatastoreId> datastore, Optional<String> processServer) {
        this(item, location, masterTarget, datastore, processServer, Optional.empty());
    }

    /** The same request with {@code retention} chosen. */
    public ReprotectRequest withRetention(Optional<Duration> chosen) {
        return new ReprotectRequest(item, location, masterTarget, datastore, processServer, chosen);
    }

    public static ReprotectRequest defaults(ItemId item) {
        return new ReprotectRequest(item, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
