package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.boomerang.common.SyncMode;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.HostId;
import org.boomerang.provider.MachineId;

/**
 * What reprotect will do, decided and checked before its job starts and stored with the job:
 * where the machine goes, through which master target and process server, and how the data is
 * synchronised (incremental for original location, FB-4; full for alternate location, FB-7), and how
 * long the new replica keeps recovery points ({@code retention}: the operator's choice, set by the
 * protection service after the rules passed; empty: the item's policy's retention).
 */
public record ReprotectPlan(
        RecoveryLocation location,
        Optional<MachineId> masterTarget,
        Optional<HostId> host,
        Optional<DatastoreId> datastore,
        String processServer,
        SyncMode syncMode,
        Optional<Duration> retention) {
    public ReprotectPlan {
        requireNonNull(location, "location is null");
        requireNonNull(masterTarget, "masterTarget is null");
        requireNonNull(host, "host is null");
        requireNonNull(datastore, "datastore is null");
        requireNonNull(processServer, "processServer is null");
        requireNonNull(syncMode, "syncMode is null");
        requireNonNull(retention, "retention is null");
    }

    /** A plan whose retention is not decided yet (the rules decide everything else). */
    public ReprotectPlan(RecoveryLocation location, Optional<MachineId> masterTarget, Optional<HostId> host,
            Optional<DatastoreId> datastore, String processServer, SyncMode syncMode) {
        this(location, masterTarget, host, datastore, processServer, syncMode, Optional.empty());
    }

    /** The same plan keeping recovery points for {@code chosen}. */
    public ReprotectPlan withRetention(Duration chosen) {
        return new ReprotectPlan(location, masterTarget, host, datastore, processServer, syncMode, Optional.of(chosen));
    }
}
