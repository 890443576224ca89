package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.failback.PointChoice;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.RecoveryPointSelector;
import org.boomerang.control.failback.SelectedPoint;
import org.boomerang.control.store.ItemStore;

/**
 * Chooses an item's recovery point from the data plane's list (FB-15, FB-16). An app-consistent
 * request for a member of a replication group takes the group's newest common app-consistent point,
 * looked up across the members that replicate in the same direction.
 */
final class PointChooser {
    private final ItemStore items;
    private final DataPlane dataPlane;

    PointChooser(ItemStore items, DataPlane dataPlane) {
        this.items = requireNonNull(items, "items is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
    }

    SelectedPoint choose(ProtectedItem item, PointRequest request) {
        PairId pair = currentPair(item);
        if (item.group().isPresent() && request.choice() == PointChoice.LATEST_APP_CONSISTENT) {
            Map<ItemId, List<MachinePoint>> members = new LinkedHashMap<>();
            members.put(item.id(), dataPlane.points(pair));
            for (ProtectedItem other : items.list()) {
                if (!other.id().equals(item.id()) && other.group().equals(item.group())
                        && other.state().workloadAtRecovery() == item.state().workloadAtRecovery()) {
                    members.put(other.id(), dataPlane.points(currentPair(other)));
                }
            }
            return RecoveryPointSelector.forGroup(members, request).get(item.id());
        }
        return RecoveryPointSelector.forItem(item.id(), dataPlane.points(pair), request);
    }

    List<MachinePoint> points(ProtectedItem item) {
        return dataPlane.points(currentPair(item));
    }

    static PairId currentPair(ProtectedItem item) {
        return item.pair().orElse(item.state().workloadAtRecovery() ? PairId.reverse(item.id()) : PairId.forward(item.id()));
    }
}
