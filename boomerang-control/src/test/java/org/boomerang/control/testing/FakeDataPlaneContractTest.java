package org.boomerang.control.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.DataPlaneContract;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PairPolicy;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/** The data-plane contract against the control plane's fake, which exports no disks. */
class FakeDataPlaneContractTest extends DataPlaneContract {
    private FakeDataPlane fake;

    @Override
    protected DataPlane newDataPlane() {
        fake = new FakeDataPlane(Clock.SYSTEM);
        return fake;
    }

    @Override
    protected ContractPair newPair(String id) {
        MachineId machine = new MachineId(id + "-vm");
        List<DiskId> disks = List.of(new DiskId("disk0"), new DiskId("disk1"));
        return new ContractPair(new ReplicationPair(pair(id), machine, new SiteId("primary"), machine, new SiteId("recovery"), disks, "ps-primary",
                Optional.empty(), PairPolicy.of(Duration.ofHours(1), Duration.ofMillis(200), Duration.ofHours(1)), Optional.empty()), disks);
    }

    @Override
    protected List<MachinePoint> awaitPoints(PairId pair, int count) {
        while (fake.points(pair).size() < count) {
            if (fake.takeMarker(pair).isEmpty()) {
                throw new AssertionError("pair " + pair + " takes no marker: it is not replicating or not synced");
            }
        }
        return fake.points(pair);
    }

    @Override
    protected ViewDisks viewDisks() {
        return ViewDisks.NONE;
    }
}
