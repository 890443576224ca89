package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.dataplane.MachinePoint;

/**
 * What an operator sees of an item: the item itself (request and state), its legal next actions,
 * its newest recovery point, and its health as measured now ({@link ItemHealth}: replication state,
 * measured RPO, conditions). {@code rpo} is the measured RPO of the current pair; it exceeds when
 * over the policy's threshold or when a replicating item has none. {@code retention} is how long its
 * replica keeps recovery points: the one chosen at reprotect, else its policy's.
 */
public record ItemStatus(
        ProtectedItem item,
        List<Operation> legalOperations,
        Optional<MachinePoint> latestPoint,
        Optional<Duration> rpo,
        boolean rpoExceeded,
        ItemHealth health,
        Duration retention) {
    public ItemStatus {
        requireNonNull(item, "item is null");
        legalOperations = List.copyOf(legalOperations);
        requireNonNull(latestPoint, "latestPoint is null");
        requireNonNull(rpo, "rpo is null");
        requireNonNull(health, "health is null");
        requireNonNull(retention, "retention is null");
    }
}
