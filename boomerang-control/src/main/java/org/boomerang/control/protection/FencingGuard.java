package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.store.ItemStore;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * Never two writers. A failover fences the side it left; until failback, cancel or commit after
 * failback lifts the fence, nothing powers the fenced machine on or starts replication from it.
 * Every power-on and every replication start of the control server asks this guard first. Thread-safe.
 */
public final class FencingGuard {
    private final ItemStore items;

    public FencingGuard(ItemStore items) {
        this.items = requireNonNull(items, "items is null");
    }

    public void checkPowerOn(SiteId site, MachineId machine) {
        check(site, machine, "power on");
    }

    public void checkReplicationSource(SiteId site, MachineId machine) {
        check(site, machine, "start replication from");
    }

    private void check(SiteId site, MachineId machine, String action) {
        for (ProtectedItem item : items.list()) {
            if (item.fences(site, machine)) {
                throw new BoomerangException(ControlError.MACHINE_FENCED,
                        "cannot " + action + " machine " + machine + " at site " + site + ": it is fenced by item "
                                + item.id() + " (" + item.state().label() + "), whose workload runs at the other site",
                        "fail back, cancel the failover, or commit the failback to resolve the fence; two writers would corrupt the disks");
            }
        }
    }
}
