package org.boomerang.control.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.DiskId;
import org.boomerang.control.ControlServer;
import org.boomerang.control.ControlServerConfig;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ProtectRequest;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.control.store.ControlStore;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.Host;
import org.boomerang.provider.HostId;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.SiteId;
import org.boomerang.testing.TestingClock;

/**
 * A small two-site estate and a control server over it, for tests:
 *
 * <pre>
 * primary (vCenter vc1, connected, added a day before protection)
 *   hosts   esx1, esx2 (VMware, under vc1), hv1 (Hyper-V, standalone), esx9 (VMware, standalone, not discovered)
 *   stores  vmfs1 (esx1, esx2, esx9), vsan1 (esx1), rdm1 (esx1), vmfs-far (esx2 only)
 *   machines web1 (Windows VM, vmfs1), db1 (Linux VM, vmfs1), app1 (Windows VM, disk on vsan1),
 *            phys1 (physical Windows 2016), phys2008 (physical Windows Server 2008 R2 SP1), mt1 (master target on esx1)
 * recovery (cloud): host cloud-host, store cloud-store
 * process servers ps-primary, ps-recovery; policy "default"; agents registered for every primary machine
 * </pre>
 */
public final class TestingEstate implements AutoCloseable {
    public static final SiteId PRIMARY = new SiteId("primary");
    public static final SiteId RECOVERY = new SiteId("recovery");
    public static final ManagerId VC1 = new ManagerId("vc1");
    public static final HostId ESX1 = new HostId("esx1");
    public static final HostId ESX2 = new HostId("esx2");
    public static final HostId HV1 = new HostId("hv1");
    public static final HostId ESX9 = new HostId("esx9");
    public static final DatastoreId VMFS1 = new DatastoreId("vmfs1");
    public static final DatastoreId VSAN1 = new DatastoreId("vsan1");
    public static final DatastoreId RDM1 = new DatastoreId("rdm1");
    public static final DatastoreId VMFS_FAR = new DatastoreId("vmfs-far");
    public static final MachineId WEB1 = new MachineId("web1");
    public static final MachineId DB1 = new MachineId("db1");
    public static final MachineId APP1 = new MachineId("app1");
    public static final MachineId PHYS1 = new MachineId("phys1");
    public static final MachineId PHYS2008 = new MachineId("phys2008");
    public static final MachineId MT1 = new MachineId("mt1");
    /** A Linux master target on esx1: Linux machines fail back through it (seed step 1.2). */
    public static final MachineId MT_LINUX = new MachineId("mt-linux");
    public static final PolicyId POLICY = new PolicyId("default");
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public final TestingClock clock;
    public final FakeSiteProvider primary;
    public final FakeSiteProvider recovery;
    public final FakeDataPlane dataPlane;
    public final ControlStore store;
    public final ControlServer server;

    public TestingEstate(ControlStore store) {
        this(store, "node-a");
    }

    public TestingEstate(ControlStore store, String node) {
        this(store, node, dp -> {});
    }

    /** {@code configure} prepares the data plane before the server starts (and resumes unfinished jobs). */
    public TestingEstate(ControlStore store, String node, java.util.function.Consumer<FakeDataPlane> configure) {
        this(store, node, configure, null);
    }

    /**
     * A control server over {@code store} that sees the same sites and data plane as {@code sameSites}
     * (e.g. a server restored from backup after the first one was lost: the estate survived).
     */
    public TestingEstate(ControlStore store, TestingEstate sameSites) {
        this(store, "node-restored", dp -> {}, sameSites);
    }

    /** A second control server, named {@code node}, over {@code store} and the same sites as {@code sameSites}. */
    public static TestingEstate sharing(ControlStore store, String node, TestingEstate sameSites) {
        return new TestingEstate(store, node, dp -> {}, sameSites);
    }

    private TestingEstate(ControlStore store, String node, java.util.function.Consumer<FakeDataPlane> configure, TestingEstate sameSites) {
        this.store = store;
        if (sameSites == null) {
            clock = new TestingClock(T0);
            primary = new FakeSiteProvider(PRIMARY, clock);
            recovery = new FakeSiteProvider(RECOVERY, clock);
            dataPlane = new FakeDataPlane(clock);
            buildPrimary();
            buildRecovery();
        } else {
            clock = sameSites.clock;
            primary = sameSites.primary;
            recovery = sameSites.recovery;
            dataPlane = sameSites.dataPlane;
        }
        configure.accept(dataPlane);
        SiteProviders providers = site -> site.equals(PRIMARY) ? primary : recovery;
        server = new ControlServer(store, providers, dataPlane, clock,
                new ControlServerConfig(node, "127.0.0.1:8080", PRIMARY, Duration.ofSeconds(30), Duration.ofMillis(50), false,
                Duration.ZERO));
        server.start();
        if (store.inventory().sites().isEmpty()) {
            server.inventory().addSite(new Site(PRIMARY, SiteRole.PRIMARY, "fake"));
            server.inventory().addSite(new Site(RECOVERY, SiteRole.RECOVERY, "fake"));
            server.inventory().registerProcessServer(new ProcessServer("ps-primary", PRIMARY, listeningAddress(0)));
            server.inventory().registerProcessServer(new ProcessServer("ps-recovery", RECOVERY, listeningAddress(1)));
            server.inventory().registerMasterTarget(new MasterTarget(MT1, PRIMARY, ESX1));
            server.inventory().registerMasterTarget(new MasterTarget(MT_LINUX, PRIMARY, ESX1));
            server.inventory().putPolicy(new ReplicationPolicy(POLICY, "default", Duration.ofMinutes(15), Duration.ofHours(24),
                    Duration.ofMinutes(5), Duration.ofHours(1), true));
            for (MachineId m : List.of(WEB1, DB1, APP1, PHYS1, PHYS2008)) {
                server.inventory().agentHeartbeat(PRIMARY, m);
            }
        }
    }

    private void buildPrimary() {
        primary.manager(new HypervisorManager(VC1, "vc1.example", HypervisorType.VMWARE, ConnectionState.CONNECTED, T0.minus(Duration.ofDays(1))));
        primary.host(new Host(ESX1, "esx1", HypervisorType.VMWARE, Optional.of(VC1), true));
        primary.host(new Host(ESX2, "esx2", HypervisorType.VMWARE, Optional.of(VC1), true));
        primary.host(new Host(HV1, "hv1", HypervisorType.HYPER_V, Optional.empty(), true));
        primary.host(new Host(ESX9, "esx9", HypervisorType.VMWARE, Optional.empty(), false));
        primary.datastore(new Datastore(VMFS1, "vmfs1", DatastoreType.VMFS, Set.of(ESX1, ESX2, ESX9)));
        primary.datastore(new Datastore(VSAN1, "vsan1", DatastoreType.VSAN, Set.of(ESX1)));
        primary.datastore(new Datastore(RDM1, "rdm1", DatastoreType.RDM, Set.of(ESX1)));
        primary.datastore(new Datastore(VMFS_FAR, "vmfs-far", DatastoreType.VMFS, Set.of(ESX2)));
        primary.machine(vm(WEB1, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), VMFS1, Optional.of(ESX1)));
        primary.machine(vm(DB1, MachineKind.VM, new GuestOs(OsFamily.LINUX, "Ubuntu 24.04"), VMFS1, Optional.of(ESX1)));
        primary.machine(vm(APP1, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2022"), VSAN1, Optional.of(ESX1)));
        primary.machine(vm(PHYS1, MachineKind.PHYSICAL, new GuestOs(OsFamily.WINDOWS, "Windows Server 2016"), VMFS1, Optional.empty()));
        primary.machine(vm(PHYS2008, MachineKind.PHYSICAL, new GuestOs(OsFamily.WINDOWS, "Windows Server 2008 R2 SP1"), VMFS1, Optional.empty()));
        primary.machine(vm(MT1, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), VMFS1, Optional.of(ESX1)));
        primary.machine(vm(MT_LINUX, MachineKind.VM, new GuestOs(OsFamily.LINUX, "Ubuntu 24.04"), VMFS1, Optional.of(ESX1)));
    }

    /**
     * Addresses that accept TCP connections for as long as the test JVM runs: the estate's process
     * servers answer a reachability probe (seed step 1.2) there. Each connection is accepted and
     * closed at once (an unaccepted one would fill the backlog); nothing is read.
     */
    private static final List<java.net.ServerSocket> LISTENERS = listeners(3);

    private static List<java.net.ServerSocket> listeners(int n) {
        List<java.net.ServerSocket> out = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Thread.ofPlatform().daemon().name("testing-process-server-" + i).start(() -> {
                    while (true) {
                        try (java.net.Socket c = s.accept()) {
                            c.getInetAddress();
                        } catch (java.io.IOException e) {
                            return;
                        }
                    }
                });
                out.add(s);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** A loopback address where something listens, for a process server that must be reachable ({@code i} of 0..2). */
    public static String listeningAddress(int i) {
        return "127.0.0.1:" + LISTENERS.get(i).getLocalPort();
    }

    private void buildRecovery() {
        recovery.host(new Host(new HostId("cloud-host"), "cloud", HypervisorType.CLOUD, Optional.empty(), true));
        recovery.datastore(new Datastore(new DatastoreId("cloud-store"), "cloud", DatastoreType.VMFS, Set.of(new HostId("cloud-host"))));
    }

    public static Machine vm(MachineId id, MachineKind kind, GuestOs os, DatastoreId ds, Optional<HostId> host) {
        return new Machine(id, id.value(), kind, os, List.of(new MachineDisk(new DiskId(id.value() + "-disk0"), ds, 1L << 30, true,
                        FakeSiteProvider.imageOf(id.value() + "-disk0"))),
                PowerState.ON, GuestToolsState.RUNNING, List.of(), host, "", Optional.of(T0),
                new org.boomerang.provider.AgentPresence(true, Optional.of(T0)));
    }

    public ProtectedItem item(String id) {
        return server.protection().item(new ItemId(id));
    }

    /** Protects a machine as item {@code id} and waits until it is protected. */
    public ProtectedItem protect(String id, MachineId machine) {
        Job job = server.protection().protect(new ProtectRequest(new ItemId(id), machine, PRIMARY, RECOVERY, POLICY,
                Optional.empty(), Optional.of("ps-primary")));
        await(job, JobState.SUCCEEDED);
        return item(id);
    }

    /** Waits (polling the store) until the job ends, and checks it ended as expected. */
    public Job await(Job job, JobState expected) {
        Job end = awaitEnd(job.id());
        if (end.state() != expected) {
            throw new AssertionError("job " + job.request().describe() + " ended " + end.state() + " not " + expected
                    + end.error().map(e -> ": " + e.code() + " " + e.message()).orElse("") + "\nlog: " + store.jobs().log(job.id()));
        }
        return end;
    }

    public Job awaitEnd(JobId id) {
        return awaitState(id, Set.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED));
    }

    public Job awaitState(JobId id, Set<JobState> states) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Job j = store.jobs().get(id).orElseThrow();
            if (states.contains(j.state())) {
                return j;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + id + " did not reach " + states + "; it is " + store.jobs().get(id).orElseThrow().state()
                + "\nlog: " + store.jobs().log(id));
    }

    /** Planned failover of a protected item to the recovery site; the recovery machine's agent then registers. */
    public ProtectedItem failOver(String id) {
        await(server.protection().failover(new ItemId(id), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        ProtectedItem item = item(id);
        server.inventory().agentHeartbeat(RECOVERY, item.recoveryMachine().orElseThrow());
        return item;
    }

    public ProtectedItem commit(String id) {
        await(server.protection().commit(new ItemId(id)), JobState.SUCCEEDED);
        return item(id);
    }

    public ProtectedItem reprotect(ReprotectRequest request) {
        await(server.protection().reprotect(request), JobState.SUCCEEDED);
        return item(request.item().value());
    }

    /** Protect, fail over, commit, reprotect: the item ends reverse-protected. */
    public ProtectedItem reverseProtected(String id, MachineId machine) {
        protect(id, machine);
        failOver(id);
        commit(id);
        ProtectedItem item = reprotect(ReprotectRequest.defaults(new ItemId(id)));
        if (item.state() != ItemState.REVERSE_PROTECTED) {
            throw new AssertionError("expected reverse-protected, got " + item.state());
        }
        return item;
    }

    @Override
    public void close() {
        server.close();
    }
}
