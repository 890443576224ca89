package org.boomerang.api.dto;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An item's replication as measured now ({@code ItemView.replication}; absent while the item does not
 * replicate): its state, the initial copy's progress (0 to 1), the measured RPO in seconds (absent
 * until the first copy is done) against the policy's threshold, the bytes written at the source that
 * have not reached the replica, the time of the newest crash- and app-consistent point, and the roles
 * of the pair that cannot be reached now.
 */
public record ReplicationView(
        ReplicationStateView state,
        double initialSyncProgress,
        @Nullable Double rpoSeconds,
        long rpoThresholdSeconds,
        boolean rpoExceeded,
        long lagBytes,
        @Nullable Instant lastCrashConsistentPoint,
        @Nullable Instant lastAppConsistentPoint,
        List<String> unreachableRoles) {
    public ReplicationView {
        unreachableRoles = List.copyOf(unreachableRoles);
    }
}
