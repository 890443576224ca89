package org.boomerang.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.DataPlaneContract;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PairPolicy;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.site.EmbeddedDataPlane;
import org.boomerang.dataplane.site.SiteError;
import org.boomerang.provider.AgentSetup;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.EstateEditor;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.Host;
import org.boomerang.provider.HostId;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.NewMachine;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.lab.LabSiteProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-plane contract against the real one: the embedded data plane of two lab sites (directory-backed
 * estates on a temporary folder), behind {@link EmbeddedDataPlaneSeam}, with the running machines' disks
 * served as {@code ServerRuntime} serves them ({@link ServingSiteProvider}). Each pair is a new powered-on
 * machine of the primary site with two 1 MiB disks, replicated to the recovery site every 200 ms.
 */
class EmbeddedDataPlaneSeamContractTest extends DataPlaneContract {
    private static final SiteId PRIMARY = new SiteId("primary");
    private static final SiteId RECOVERY = new SiteId("recovery");
    private static final HostId ESX1 = new HostId("esx1");
    private static final DatastoreId VMFS = new DatastoreId("vmfs1");
    private static final long DISK_SIZE = 1L << 20;
    private static final Duration CADENCE = Duration.ofMillis(200);
    private static final Duration POINTS_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EmbeddedDataPlane embedded;
    private final Map<SiteId, ServingSiteProvider> sites = new LinkedHashMap<>();
    private final Map<SiteId, EstateEditor> editors = new LinkedHashMap<>();

    @Override
    protected DataPlane newDataPlane() throws Exception {
        embedded = EmbeddedDataPlane.start(dir.resolve("dataplane"), List.of(PRIMARY.value(), RECOVERY.value()), CaptureOptions.defaults());
        for (SiteId site : List.of(PRIMARY, RECOVERY)) {
            LabSiteProvider lab = LabSiteProvider.open(site, dir.resolve("estate").resolve(site.value()), Optional.empty(), Clock.SYSTEM);
            EstateEditor editor = lab.editor().orElseThrow();
            ManagerId vc = new ManagerId("vc-" + site.value());
            editor.putManager(new HypervisorManager(vc, vc.value() + ".lab", HypervisorType.VMWARE, ConnectionState.CONNECTED, Clock.SYSTEM.now()));
            editor.putHost(new Host(ESX1, "esx1.lab", HypervisorType.VMWARE, Optional.of(vc), true));
            editor.putDatastore(new Datastore(VMFS, "vmfs1", DatastoreType.VMFS, Set.of(ESX1)));
            editors.put(site, editor);
            sites.put(site, new ServingSiteProvider(lab, embedded).serveRunning());
        }
        return new EmbeddedDataPlaneSeam(embedded, sites::get);
    }

    @Override
    protected void closeDataPlane() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Override
    protected ContractPair newPair(String id) {
        MachineId machine = new MachineId(id + "-vm");
        List<DiskId> disks = List.of(new DiskId(id + "-disk0"), new DiskId(id + "-disk1"));
        editors.get(PRIMARY).addMachine(new NewMachine(machine, machine.value(), MachineKind.VM, new GuestOs(OsFamily.LINUX, "Ubuntu 24.04"),
                Optional.of(ESX1), VMFS, disks.stream().map(d -> DiskSpec.empty(d, DISK_SIZE)).toList(), PowerState.OFF, "rg-a",
                AgentSetup.AT_ONCE));
        sites.get(PRIMARY).power().powerOn(machine);
        return new ContractPair(new ReplicationPair(pair(id), machine, PRIMARY, machine, RECOVERY, disks, "ps-primary", Optional.empty(),
                PairPolicy.of(Duration.ofHours(1), CADENCE, Duration.ofHours(1)), Optional.empty()), disks);
    }

    @Override
    protected List<MachinePoint> awaitPoints(PairId pair, int count) throws InterruptedException {
        long deadline = System.nanoTime() + POINTS_TIMEOUT.toNanos();
        while (true) {
            List<MachinePoint> points = dataPlane.points(pair);
            if (points.size() >= count) {
                return points;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pair " + pair + " has " + points.size() + " point(s), not " + count + ", after " + POINTS_TIMEOUT);
            }
            Thread.sleep(CADENCE.toMillis() / 4);
        }
    }

    @Override
    protected ViewDisks viewDisks() {
        return ViewDisks.NBD_EXPORT_PER_DISK;
    }

    /** Beyond the contract: a master target the pair names must be a machine of its target site. */
    @Test
    void aMasterTargetThatIsNotAMachineOfTheTargetSiteIsRefused() throws Exception {
        ContractPair p = newPair("no-mt");
        ReplicationPair named = new ReplicationPair(p.pair().id(), p.pair().source(), PRIMARY, p.pair().target(), RECOVERY, p.disks(),
                "ps-primary", Optional.of(new MachineId("mt-nowhere")), p.pair().policy(), Optional.empty());
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> dataPlane.startReplication(named, req("no-mt-start")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(SiteError.MASTER_TARGET_NOT_FOUND);
        assertThat(e.getMessage()).contains("mt-nowhere").contains("recovery");
        assertThat(e.hint()).contains("master target");
        assertThat(embedded.status(p.pair().id().text()).running()).as("nothing started").isFalse();
    }
}
