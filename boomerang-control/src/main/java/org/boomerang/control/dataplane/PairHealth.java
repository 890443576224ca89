package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pair's replication as measured now by the data plane: its {@link ReplicationState}, the
 * progress of its initial copy (0 to 1; 1 once it is done), its measured RPO (how far the replica's
 * durable data lags the source's writes; empty while nothing could be measured), the bytes written at
 * the source that have not reached the replica, the time of its newest crash- and app-consistent
 * point, and which of its roles (agent, process server, master target) cannot be reached now.
 */
public record PairHealth(
        PairId pair,
        ReplicationState state,
        double initialSyncProgress,
        Optional<Duration> rpo,
        long lagBytes,
        Optional<Instant> lastCrashPoint,
        Optional<Instant> lastAppPoint,
        List<String> unreachableRoles) {
    public PairHealth {
        requireNonNull(pair, "pair is null");
        requireNonNull(state, "state is null");
        requireNonNull(rpo, "rpo is null");
        requireNonNull(lastCrashPoint, "lastCrashPoint is null");
        requireNonNull(lastAppPoint, "lastAppPoint is null");
        unreachableRoles = List.copyOf(unreachableRoles);
        if (!(initialSyncProgress >= 0 && initialSyncProgress <= 1)) {
            throw new IllegalArgumentException("initialSyncProgress must be within 0..1: " + initialSyncProgress);
        }
        if (lagBytes < 0) {
            throw new IllegalArgumentException("lagBytes must not be negative: " + lagBytes);
        }
    }

    /** True when every role of the pair answered the last measurement. */
    public boolean rolesReachable() {
        return unreachableRoles.isEmpty();
    }
}
