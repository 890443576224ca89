package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.dataplane.RecoveryPoint;

/**
 * What an operator sees of an item: the item itself (request and state), its legal next actions,
 * and its RPO facts — the newest recovery point, how old it is, and whether that exceeds the
 * policy's RPO threshold.
 */
public record ItemStatus(
        ProtectedItem item,
        List<Operation> legalOperations,
        Optional<RecoveryPoint> latestPoint,
        Optional<Duration> rpo,
        boolean rpoExceeded) {
    public ItemStatus {
        requireNonNull(item, "item is null");
        legalOperations = List.copyOf(legalOperations);
        requireNonNull(latestPoint, "latestPoint is null");
        requireNonNull(rpo, "rpo is null");
    }
}
