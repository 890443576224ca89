package org.boomerang.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SiteProvider} does, run against each implementation (the lab provider, the
 * control server's fake): the estate is built through the provider's {@link EstateEditor}, every
 * operation is checked for its effect as {@link SiteProvider#discover()} shows it, for idempotence
 * and for its error code. A subclass gives a provider over an empty estate and the clock it reads.
 */
public abstract class SiteProviderContract {
    protected static final SiteId SITE = new SiteId("primary");
    protected static final ManagerId VC = new ManagerId("vc1");
    protected static final HostId ESX1 = new HostId("esx1");
    protected static final HostId ESX2 = new HostId("esx2");
    protected static final DatastoreId VMFS = new DatastoreId("vmfs1");
    protected static final MachineId WEB = new MachineId("web1");
    protected static final MachineId DB = new MachineId("db1");
    protected static final long DISK_SIZE = 1L << 20;

    /** The clock the contract advances by hand. */
    protected final TestingClock clock = new TestingClock(Instant.parse("2026-03-01T10:00:00Z"));
    protected SiteProvider provider;
    protected EstateEditor editor;

    /** A provider of site {@link #SITE} over an empty estate, reading {@code clock}. */
    protected abstract SiteProvider newProvider(SiteId site, Clock clock) throws Exception;

    @BeforeEach
    void estate() throws Exception {
        provider = newProvider(SITE, clock);
        editor = provider.editor().orElseThrow();
        editor.putManager(new HypervisorManager(VC, "vc1.lab", HypervisorType.VMWARE, ConnectionState.CONNECTED, clock.now()));
        editor.putHost(new Host(ESX1, "esx1.lab", HypervisorType.VMWARE, Optional.of(VC), true));
        editor.putHost(new Host(ESX2, "esx2.lab", HypervisorType.VMWARE, Optional.empty(), false));
        editor.putDatastore(new Datastore(VMFS, "vmfs1", DatastoreType.VMFS, Set.of(ESX1, ESX2)));
        editor.addMachine(new NewMachine(WEB, "web1", MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), Optional.of(ESX1), VMFS,
                List.of(DiskSpec.empty(new DiskId("web1-disk0"), DISK_SIZE)), PowerState.ON, "rg-a", AgentSetup.AT_ONCE));
        editor.addMachine(new NewMachine(DB, "db1", MachineKind.VM, new GuestOs(OsFamily.LINUX, "Ubuntu 24.04"), Optional.of(ESX2), VMFS,
                List.of(DiskSpec.empty(new DiskId("db1-disk0"), DISK_SIZE)), PowerState.OFF, "rg-a", AgentSetup.AT_ONCE));
    }

    private Machine machine(MachineId id) {
        return provider.discover().machine(id).orElseThrow(() -> new AssertionError("no machine " + id));
    }

    @Test
    void discoverShowsWhatTheEditorPut() {
        Inventory inv = provider.discover();
        assertThat(inv.site()).isEqualTo(SITE);
        assertThat(inv.manager(VC).orElseThrow().connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(inv.host(ESX1).orElseThrow().manager()).contains(VC);
        assertThat(inv.host(ESX2).orElseThrow().standalone()).isTrue();
        assertThat(inv.host(ESX2).orElseThrow().discovered()).isFalse();
        assertThat(inv.datastore(VMFS).orElseThrow().reachableFrom()).containsExactlyInAnyOrder(ESX1, ESX2);
        Machine web = machine(WEB);
        assertThat(web.os()).isEqualTo(new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"));
        assertThat(web.power()).isEqualTo(PowerState.ON);
        assertThat(web.bootedAt()).contains(clock.now());
        assertThat(web.disks()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(new DiskId("web1-disk0"));
            assertThat(d.sizeBytes()).isEqualTo(DISK_SIZE);
            assertThat(d.attached()).isTrue();
            assertThat(d.backing()).isInstanceOf(DiskBacking.ImageFile.class);
        });
        assertThat(web.resourceGroup()).isEqualTo("rg-a");
    }

    @Test
    void powerIsIdempotentAndBootTimeFollowsIt() {
        provider.power().powerOff(WEB);
        provider.power().powerOff(WEB);
        assertThat(machine(WEB).power()).isEqualTo(PowerState.OFF);
        assertThat(machine(WEB).bootedAt()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        provider.power().powerOn(WEB);
        Instant booted = clock.now();
        clock.advance(Duration.ofMinutes(1));
        provider.power().powerOn(WEB);
        assertThat(machine(WEB).bootedAt()).contains(booted);
        assertThatThrownBy(() -> provider.power().powerOn(new MachineId("nope")))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_MACHINE_NOT_FOUND));
    }

    @Test
    void anAgentCountsAsRegisteredOnlyAfterReportingSinceTheLastBoot() {
        editor.setAgent(DB, new AgentSetup(true, Duration.ofMinutes(10)));
        assertThat(machine(DB).agentRegisteredSinceBoot()).as("off").isFalse();
        provider.power().powerOn(DB);
        clock.advance(Duration.ofMinutes(9));
        assertThat(machine(DB).agentRegisteredSinceBoot()).as("9 minutes after boot").isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(machine(DB).agentRegisteredSinceBoot()).as("10 minutes after boot").isTrue();
        editor.setAgent(DB, AgentSetup.ABSENT);
        assertThat(machine(DB).agentRegisteredSinceBoot()).as("agent removed").isFalse();
        assertThat(machine(DB).agent().installed()).isFalse();
    }

    @Test
    void createIsIdempotentUnderItsRequestId() {
        MachineSpec spec = new MachineSpec("web1-recovered", MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), ESX1, VMFS,
                List.of(DiskSpec.empty(new DiskId("web1-disk0"), DISK_SIZE)));
        Machine first = provider.machines().create(spec, "req-1");
        Machine again = provider.machines().create(spec, "req-1");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(provider.discover().machines()).hasSize(3);
        Machine created = machine(first.id());
        assertThat(created.power()).isEqualTo(PowerState.OFF);
        assertThat(created.host()).contains(ESX1);
        assertThat(created.disks()).singleElement().satisfies(d -> {
            assertThat(d.attached()).isTrue();
            assertThat(d.sizeBytes()).isEqualTo(DISK_SIZE);
        });
        Machine other = provider.machines().create(spec, "req-2");
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void aMachineCreatedOnAFailoverViewIsAttachedToTheViewsExport() {
        DiskBacking view = new DiskBacking.NbdExport(URI.create("nbd://127.0.0.1:10811/view-web1-disk0"));
        Machine m = provider.machines().create(new MachineSpec("web1", MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), ESX1,
                VMFS, List.of(DiskSpec.backedBy(new DiskId("web1-disk0"), DISK_SIZE, view))), "req-view");
        assertThat(machine(m.id()).disks()).singleElement().satisfies(d -> assertThat(d.backing()).isEqualTo(view));
    }

    @Test
    void deleteIsIdempotentAndPresenceSeesDeletedAndMoved() {
        assertThat(provider.presence().presence(WEB, "rg-a")).isEqualTo(MachinePresence.PRESENT);
        editor.moveMachine(WEB, "rg-b");
        assertThat(provider.presence().presence(WEB, "rg-a")).isEqualTo(MachinePresence.MOVED);
        assertThat(machine(WEB).resourceGroup()).isEqualTo("rg-b");
        provider.machines().delete(WEB);
        provider.machines().delete(WEB);
        assertThat(provider.discover().machine(WEB)).isEmpty();
        assertThat(provider.presence().presence(WEB, "rg-b")).isEqualTo(MachinePresence.DELETED);
    }

    @Test
    void aDetachedDiskMovesToTheMachineItIsAttachedTo() {
        DiskId disk = new DiskId("db1-disk0");
        assertThatThrownBy(() -> provider.disks().attach(WEB, disk))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_DISK_IN_USE));
        provider.disks().detach(DB, disk);
        provider.disks().detach(DB, disk);
        assertThat(machine(DB).disk(disk).orElseThrow().attached()).isFalse();
        provider.disks().attach(WEB, disk);
        provider.disks().attach(WEB, disk);
        assertThat(machine(DB).disk(disk)).isEmpty();
        assertThat(machine(WEB).disk(disk).orElseThrow().attached()).isTrue();
        assertThat(machine(WEB).disks()).hasSize(2);
        assertThatThrownBy(() -> provider.disks().attach(WEB, new DiskId("nope")))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_DISK_NOT_FOUND));
    }

    @Test
    void attachAndDetachNeedAConnectedManager() {
        editor.setConnection(VC, ConnectionState.DISCONNECTED);
        assertThat(provider.discover().manager(VC).orElseThrow().connection()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThatThrownBy(() -> provider.disks().detach(WEB, new DiskId("web1-disk0")))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_MANAGER_DISCONNECTED));
        editor.setConnection(VC, ConnectionState.CONNECTED);
        provider.disks().detach(WEB, new DiskId("web1-disk0"));
        assertThat(machine(WEB).disks().getFirst().attached()).isFalse();
        assertThatThrownBy(() -> editor.setConnection(new ManagerId("vc9"), ConnectionState.CONNECTED))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_MANAGER_NOT_FOUND));
    }

    @Test
    void snapshotsAreListedCreatedAndDeleted() {
        provider.snapshots().create(WEB, "before-patch");
        assertThat(provider.snapshots().list(WEB)).containsExactly("before-patch");
        assertThat(machine(WEB).snapshots()).containsExactly("before-patch");
        provider.snapshots().delete(WEB, "before-patch");
        provider.snapshots().delete(WEB, "before-patch");
        assertThat(provider.snapshots().list(WEB)).isEmpty();
    }

    @Test
    void guestToolsFollowFb18() {
        provider.guestTools().disable(WEB);
        assertThat(machine(WEB).tools()).isEqualTo(GuestToolsState.DISABLED);
        provider.guestTools().enable(WEB);
        provider.guestTools().enable(WEB);
        assertThat(machine(WEB).tools()).isEqualTo(GuestToolsState.RUNNING);
        provider.guestTools().uninstall(DB);
        provider.guestTools().uninstall(DB);
        assertThat(machine(DB).tools()).isEqualTo(GuestToolsState.NOT_INSTALLED);
        provider.guestTools().install(DB);
        assertThat(machine(DB).tools()).isEqualTo(GuestToolsState.RUNNING);
    }

    @Test
    void aHostCanBeDiscoveredLater() {
        editor.putHost(new Host(ESX2, "esx2.lab", HypervisorType.VMWARE, Optional.empty(), true));
        assertThat(provider.discover().host(ESX2).orElseThrow().discovered()).isTrue();
        assertThat(provider.discover().hosts()).hasSize(2);
    }

    @Test
    void aPhysicalServerHasNoHost() {
        MachineId phys = new MachineId("phys2008");
        editor.addMachine(new NewMachine(phys, "phys2008", MachineKind.PHYSICAL, new GuestOs(OsFamily.WINDOWS, "Windows Server 2008 R2 SP1"),
                Optional.empty(), VMFS, List.of(DiskSpec.empty(new DiskId("phys2008-disk0"), DISK_SIZE)), PowerState.ON, "rg-a", AgentSetup.AT_ONCE));
        Machine m = machine(phys);
        assertThat(m.kind()).isEqualTo(MachineKind.PHYSICAL);
        assertThat(m.host()).isEmpty();
        assertThat(m.os().isWindowsServer2008R2Sp1()).isTrue();
    }
}
