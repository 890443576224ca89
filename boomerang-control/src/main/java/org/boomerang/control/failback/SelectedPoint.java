package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.protection.ItemId;

/**
 * The point chosen for one item, and its data loss: how far it is behind the item's newest point
 * (zero for the newest; app-consistent points can be behind, FB-15).
 */
public record SelectedPoint(ItemId item, MachinePoint point, MachinePoint latest, Duration dataLoss) {
    public SelectedPoint {
        requireNonNull(item, "item is null");
        requireNonNull(point, "point is null");
        requireNonNull(latest, "latest is null");
        requireNonNull(dataLoss, "dataLoss is null");
    }

    static SelectedPoint of(ItemId item, MachinePoint point, MachinePoint latest) {
        Duration loss = Duration.between(point.time(), latest.time());
        return new SelectedPoint(item, point, latest, loss.isNegative() ? Duration.ZERO : loss);
    }
}
