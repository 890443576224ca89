package org.boomerang.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.common.ErrorType;
import org.boomerang.common.SyncMode;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.control.failback.PointChoice;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobError;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobLease;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobProgress;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.job.StepState;
import org.boomerang.control.plan.ManualAction;
import org.boomerang.control.plan.PlanGroup;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.PlanJobRequest;
import org.boomerang.control.plan.PlanOperation;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.plan.ScriptAction;
import org.boomerang.control.protection.ActiveOperation;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemError;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemJobRequest;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.Operation;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;
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
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.SiteId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one repository test suite every {@link ControlStore} passes: the in-memory fake, SQLite and
 * PostgreSQL. Subclasses open a fresh, empty store for each test.
 */
public abstract class ControlStoreContract {
    protected static final Instant T = Instant.parse("2026-03-04T05:06:07.123456Z");
    protected ControlStore store;

    protected abstract ControlStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    public static ProtectedItem sampleItem(String id) {
        ProtectedItem base = ProtectedItem.create(new ItemId(id), new MachineId("m-" + id), MachineKind.VM,
                new GuestOs(OsFamily.WINDOWS, "Windows Server 2019"), new SiteId("primary"), new SiteId("recovery"),
                new PolicyId("default"), Optional.of(new GroupId("g1")), Optional.of(new ManagerId("vc1")), "cs-1", T,
                "rg-1", Optional.of("ps-1"));
        return base.toBuilder()
                .state(ItemState.FAILED_OVER)
                .health(Health.WARNING)
                .active(Optional.of(new ActiveOperation(Operation.COMMIT, new JobId("job-1"))))
                .recoveryMachine(Optional.of(new MachineId("m-" + id + "@recovery")))
                .pair(Optional.of(PairId.parse(id + ":forward")))
                .view(Optional.of(new ViewId("view-1")))
                .point(Optional.of(new PointId("p7")))
                .fencedSite(Optional.of(new SiteId("primary")))
                .autoResolution(Optional.of(new org.boomerang.control.protection.AutoResolution(
                        org.boomerang.control.protection.AutoResolution.Action.ROLLBACK, Duration.ofMinutes(30), Optional.of(T))))
                .lastError(Optional.of(new ItemError("FB_22_MANAGER_NOT_CONNECTED", ErrorType.PRECONDITION, "FB-22: vc1 down", "reconnect")))
                .build();
    }

    public static Job sampleJob(String id, Instant at) {
        ReprotectPlan plan = new ReprotectPlan(RecoveryLocation.ALTERNATE, Optional.of(new MachineId("mt1")),
                Optional.of(new HostId("esx1")), Optional.of(new DatastoreId("vmfs1")), "ps-2", SyncMode.FULL);
        ItemJobRequest r = new ItemJobRequest(new ItemId("web"), Operation.REPROTECT, ItemState.COMMITTED, Optional.of(new PointId("p3")),
                Optional.of(Duration.ofSeconds(90)), Optional.of(plan), Optional.of(new MachineId("web1")));
        return Job.queued(new JobId(id), r, at, Optional.empty(), Optional.empty());
    }

    // items

    @Test
    void itemsRoundTripEveryField() {
        ProtectedItem item = sampleItem("web");
        store.items().create(item);
        assertThat(store.items().get(new ItemId("web"))).contains(item);
        assertThat(store.items().list()).containsExactly(item);
        assertThat(store.items().get(new ItemId("nope"))).isEmpty();
    }

    @Test
    void itemUpdatesAreOptimistic() {
        store.items().create(sampleItem("web"));
        ProtectedItem v0 = store.items().get(new ItemId("web")).orElseThrow();
        ProtectedItem v1 = store.items().update(v0.toBuilder().state(ItemState.COMMITTED).build());
        assertThat(v1.version()).isEqualTo(v0.version() + 1);
        assertThat(store.items().get(new ItemId("web")).orElseThrow()).isEqualTo(v1);
        BoomerangException stale = catchThrowableOfType(BoomerangException.class,
                () -> store.items().update(v0.toBuilder().state(ItemState.PROTECTED).build()));
        assertThat(stale.code()).isEqualTo(ControlError.CONCURRENT_UPDATE);
        assertThat(store.items().get(new ItemId("web")).orElseThrow().state()).isEqualTo(ItemState.COMMITTED);
        assertThat(catchThrowableOfType(BoomerangException.class, () -> store.items().create(sampleItem("web"))).code())
                .isEqualTo(ControlError.ITEM_ALREADY_PROTECTED);
        store.items().delete(new ItemId("web"));
        assertThat(store.items().list()).isEmpty();
    }

    @Test
    void concurrentWritersOfOneItemNeverLoseAnUpdate() throws Exception {
        store.items().create(sampleItem("web"));
        int writers = 6;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> wins = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            wins.add(pool.submit(() -> {
                start.await();
                int won = 0;
                for (int i = 0; i < 10; i++) {
                    ProtectedItem current = store.items().get(new ItemId("web")).orElseThrow();
                    try {
                        store.items().update(current);
                        won++;
                    } catch (BoomerangException e) {
                        assertThat(e.code()).isEqualTo(ControlError.CONCURRENT_UPDATE);
                    }
                }
                return won;
            }));
        }
        int total = 0;
        for (Future<Integer> f : wins) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isPositive();
        assertThat(store.items().get(new ItemId("web")).orElseThrow().version()).isEqualTo(total);
    }

    // jobs

    @Test
    void jobsRoundTripWithTheirTypedRequests() {
        Job item = sampleJob("j1", T);
        assertThat(store.jobs().create(item)).isTrue();
        assertThat(store.jobs().create(item)).isFalse();
        assertThat(store.jobs().get(new JobId("j1"))).contains(item);

        RecoveryPlan plan = samplePlan();
        Job planJob = Job.queued(new JobId("j2"), new PlanJobRequest(plan, PlanOperation.FAILBACK,
                Optional.of(new PointRequest(PointChoice.LATEST_APP_CONSISTENT, ""))), T.plusSeconds(1), Optional.empty(),
                Optional.of(new JobId("j0")));
        store.jobs().create(planJob);
        assertThat(store.jobs().get(new JobId("j2"))).contains(planJob);
        assertThat(store.jobs().list()).extracting(Job::id).containsExactly(new JobId("j2"), new JobId("j1"));

        Job child = Job.queued(new JobId("j3"), sampleJob("x", T).request(), T.plusSeconds(2), Optional.of(new JobId("j2")), Optional.empty());
        store.jobs().create(child);
        assertThat(store.jobs().children(new JobId("j2"))).containsExactly(child);
    }

    @Test
    void jobUpdatesAreOptimisticAndKeepLeaseAndCancel() {
        Job j = sampleJob("j1", T);
        store.jobs().create(j);
        assertThat(store.jobs().acquireLease(j.id(), "node-a", Duration.ofSeconds(30))).isPresent();
        store.jobs().requestCancel(j.id());
        Job running = store.jobs().get(j.id()).orElseThrow();
        assertThat(running.cancelRequested()).isTrue();
        assertThat(running.leaseOwner()).contains("node-a");
        Job next = store.jobs().update(running.withState(JobState.RUNNING, T.plusSeconds(1))
                .withProgress(new JobProgress(42, "sync", 100, 1000), T.plusSeconds(1))
                .withError(Optional.of(new JobError("STEP_FAILED", ErrorType.EXTERNAL, "boom", "retry")), T.plusSeconds(1)));
        assertThat(next.version()).isEqualTo(running.version() + 1);
        Job read = store.jobs().get(j.id()).orElseThrow();
        assertThat(read).isEqualTo(next);
        assertThat(read.leaseOwner()).contains("node-a");
        assertThat(read.cancelRequested()).isTrue();
        assertThat(read.progress()).isEqualTo(new JobProgress(42, "sync", 100, 1000));
        assertThat(catchThrowableOfType(BoomerangException.class, () -> store.jobs().update(running)).code())
                .isEqualTo(ControlError.CONCURRENT_UPDATE);
    }

    @Test
    void leasesAreExclusiveUntilExpiryOnTheStoresClockAndEachAcquisitionHasAHigherEpoch() throws Exception {
        store.jobs().create(sampleJob("j1", T));
        JobId id = new JobId("j1");
        assertThat(store.jobs().runnable("b")).containsExactly(id);
        Instant before = Instant.now();
        JobLease a1 = store.jobs().acquireLease(id, "a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(a1.epoch()).isEqualTo(1);
        assertThat(a1.owner()).isEqualTo("a");
        assertThat(a1.until()).as("30 s from the store's clock (the same machine's)")
                .isBetween(before.plusSeconds(25), Instant.now().plusSeconds(35));
        assertThat(store.jobs().get(id).orElseThrow().leaseUntil()).contains(a1.until());
        assertThat(store.jobs().runnable("b")).isEmpty();
        assertThat(store.jobs().runnable("a")).containsExactly(id);
        assertThat(store.jobs().acquireLease(id, "b", Duration.ofSeconds(30))).isEmpty();
        assertThat(store.jobs().holds(a1)).isTrue();
        JobLease renewed = store.jobs().renewLease(a1, Duration.ofSeconds(60)).orElseThrow();
        assertThat(renewed.epoch()).as("a renewal keeps the epoch").isEqualTo(1);
        assertThat(renewed.until()).isAfter(a1.until());

        JobLease a2 = store.jobs().acquireLease(id, "a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(a2.epoch()).as("the same owner acquiring again (a restart) gets a new epoch").isEqualTo(2);
        assertThat(store.jobs().holds(a1)).isFalse();
        assertThat(store.jobs().renewLease(a1, Duration.ofSeconds(30))).isEmpty();
        store.jobs().releaseLease(a1);
        assertThat(store.jobs().get(id).orElseThrow().leaseOwner()).as("a stale lease releases nothing").contains("a");

        JobLease shortOne = store.jobs().acquireLease(id, "a", Duration.ofMillis(200)).orElseThrow();
        assertThat(shortOne.epoch()).isEqualTo(3);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!store.jobs().runnable("b").contains(id)) {
            assertThat(System.nanoTime()).as("the lease expires on the store's clock").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(store.jobs().holds(shortOne)).as("expired").isFalse();
        JobLease b = store.jobs().acquireLease(id, "b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(b.epoch()).isEqualTo(4);
        assertThat(store.jobs().renewLease(shortOne, Duration.ofSeconds(30))).as("lost to b").isEmpty();
        store.jobs().releaseLease(shortOne);
        assertThat(store.jobs().get(id).orElseThrow().leaseOwner()).contains("b");
        JobLease c = store.jobs().seizeLease(id, "c", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.epoch()).as("seized whoever held it").isEqualTo(5);
        assertThat(store.jobs().unfinished()).containsExactly(id);
        store.jobs().releaseLease(c);
        assertThat(store.jobs().get(id).orElseThrow().leaseOwner()).isEmpty();

        Job j = store.jobs().get(id).orElseThrow();
        store.jobs().update(j.withState(JobState.SUCCEEDED, T));
        assertThat(store.jobs().acquireLease(id, "a", Duration.ofSeconds(30))).isEmpty();
        assertThat(store.jobs().seizeLease(id, "a", Duration.ofSeconds(30))).isEmpty();
        assertThat(store.jobs().runnable("a")).isEmpty();
        assertThat(store.jobs().unfinished()).isEmpty();
    }

    @Test
    void racingServersGetALeaseExactlyOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            store.jobs().create(sampleJob("j" + i, T));
        }
        int servers = 4;
        CyclicBarrier start = new CyclicBarrier(servers);
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        List<Future<List<String>>> got = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            String owner = "node-" + s;
            got.add(pool.submit(() -> {
                start.await();
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    if (store.jobs().acquireLease(new JobId("j" + i), owner, Duration.ofSeconds(30)).isPresent()) {
                        mine.add("j" + i);
                    }
                }
                return mine;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : got) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void stepsAndLogsAreDurableAndOrdered() {
        JobId id = new JobId("j1");
        store.jobs().create(sampleJob("j1", T));
        JobStep s0 = new JobStep(id, 0, "start replication", RequestId.parse("j1:0"), StepState.STARTED, "", T);
        JobStep s1 = new JobStep(id, 1, "sync", RequestId.parse("j1:1"), StepState.WAITING, "check it", T.plusSeconds(1));
        store.jobs().putStep(s1);
        store.jobs().putStep(s0);
        store.jobs().putStep(s0.with(StepState.DONE, "ok", T.plusSeconds(2)));
        assertThat(store.jobs().steps(id)).containsExactly(s0.with(StepState.DONE, "ok", T.plusSeconds(2)), s1);
        store.jobs().appendLog(id, T, "requested");
        store.jobs().appendLog(id, T.plusSeconds(1), "started — ünïcode ok");
        assertThat(store.jobs().log(id)).containsExactly(new JobLogEntry(id, 1, T, "requested"),
                new JobLogEntry(id, 2, T.plusSeconds(1), "started — ünïcode ok"));
        assertThat(store.jobs().log(new JobId("other"))).isEmpty();
    }

    // inventory

    @Test
    void inventoryRoundTrips() {
        InventoryStore inv = store.inventory();
        assertThat(inv.identity()).isEmpty();
        ControlServerIdentity me = new ControlServerIdentity("cs-1", "10.0.0.5:8080", new SiteId("primary"), T);
        inv.putIdentity(me);
        assertThat(inv.identity()).contains(me);

        Site site = new Site(new SiteId("primary"), SiteRole.PRIMARY, "lab");
        inv.putSite(site);
        inv.putSite(site);
        assertThat(inv.sites()).containsExactly(site);
        assertThat(inv.site(new SiteId("primary"))).contains(site);

        Inventory estate = new Inventory(new SiteId("primary"),
                List.of(new HypervisorManager(new ManagerId("vc1"), "vc1", HypervisorType.VMWARE, ConnectionState.CONNECTED, T)),
                List.of(new Host(new HostId("esx1"), "esx1", HypervisorType.VMWARE, Optional.of(new ManagerId("vc1")), true),
                        new Host(new HostId("esx9"), "esx9", HypervisorType.VMWARE, Optional.empty(), false)),
                List.of(new Datastore(new DatastoreId("vsan1"), "vsan1", DatastoreType.VSAN, Set.of(new HostId("esx1")))),
                List.of(new Machine(new MachineId("web1"), "web1", MachineKind.PHYSICAL, new GuestOs(OsFamily.LINUX, "Debian 12"),
                        List.of(new MachineDisk(new DiskId("d0"), new DatastoreId("vsan1"), 1L << 34, false,
                                new org.boomerang.provider.DiskBacking.NbdExport(java.net.URI.create("nbd://127.0.0.1:10809/d0")))),
                        PowerState.OFF, GuestToolsState.NOT_INSTALLED, List.of("snap-1"), Optional.empty(), "rg", Optional.empty(),
                        org.boomerang.provider.AgentPresence.NONE)));
        inv.putInventory(estate);
        assertThat(inv.inventory(new SiteId("primary"))).contains(estate);
        assertThat(inv.inventory(new SiteId("recovery"))).isEmpty();

        ProcessServer ps = new ProcessServer("ps-1", new SiteId("primary"), "127.0.0.1:9000");
        inv.putProcessServer(ps);
        assertThat(inv.processServers()).containsExactly(ps);
        MasterTarget mt = new MasterTarget(new MachineId("mt1"), new SiteId("primary"), new HostId("esx1"));
        inv.putMasterTarget(mt);
        assertThat(inv.masterTargets()).containsExactly(mt);
        Agent agent = new Agent(new SiteId("primary"), new MachineId("web1"), T, T.plusSeconds(5));
        inv.putAgent(agent);
        assertThat(inv.agent(new SiteId("primary"), new MachineId("web1"))).contains(agent);
        // a recovered machine named like the primary one has its own agent
        Agent recovered = new Agent(new SiteId("recovery"), new MachineId("web1"), T.plusSeconds(7), T.plusSeconds(9));
        inv.putAgent(recovered);
        assertThat(inv.agent(new SiteId("primary"), new MachineId("web1"))).contains(agent);
        assertThat(inv.agent(new SiteId("recovery"), new MachineId("web1"))).contains(recovered);
        assertThat(inv.agents()).containsExactly(agent, recovered);
        Agent later = new Agent(new SiteId("primary"), new MachineId("web1"), T, T.plusSeconds(60));
        inv.putAgent(later);
        assertThat(inv.agent(new SiteId("primary"), new MachineId("web1"))).contains(later);
        // FB-3: the first sighting of a manager stays, later ones do not replace it
        org.boomerang.control.inventory.ManagerSighting first = new org.boomerang.control.inventory.ManagerSighting(
                new SiteId("primary"), new org.boomerang.provider.ManagerId("vc1"), T.plusNanos(123_456_789));
        inv.recordManagerSeen(first);
        inv.recordManagerSeen(new org.boomerang.control.inventory.ManagerSighting(new SiteId("primary"),
                new org.boomerang.provider.ManagerId("vc1"), T.plusSeconds(3600)));
        assertThat(inv.managersSeen(new SiteId("primary"))).containsExactly(first);
        assertThat(inv.managersSeen(new SiteId("recovery"))).isEmpty();
        ReplicationPolicy policy = new ReplicationPolicy(new PolicyId("p"), "gold", Duration.ofMinutes(15), Duration.ofDays(1),
                Duration.ofMinutes(5), Duration.ofHours(1), true);
        inv.putPolicy(policy);
        assertThat(inv.policy(new PolicyId("p"))).contains(policy);
        assertThat(inv.policies()).containsExactly(policy);
        ReplicationGroup group = new ReplicationGroup(new GroupId("g"), "tier");
        inv.putGroup(group);
        assertThat(inv.group(new GroupId("g"))).contains(group);
        assertThat(inv.groups()).containsExactly(group);
    }

    // plans

    public static RecoveryPlan samplePlan() {
        return new RecoveryPlan(new PlanId("shop"), "shop", List.of(
                new PlanGroup("data", List.of(new ItemId("db")),
                        List.of(new ScriptAction(List.of("sh", "-c", "echo hi"), Duration.ofSeconds(30))),
                        List.of(new ManualAction("check the database"))),
                new PlanGroup("front", List.of(new ItemId("web"), new ItemId("app")), List.of(), List.of())));
    }

    @Test
    void plansRoundTrip() {
        RecoveryPlan plan = samplePlan();
        store.plans().put(plan);
        assertThat(store.plans().get(new PlanId("shop"))).contains(plan);
        RecoveryPlan changed = new RecoveryPlan(plan.id(), "shop v2", plan.groups().subList(0, 1));
        store.plans().put(changed);
        assertThat(store.plans().list()).containsExactly(changed);
        store.plans().delete(plan.id());
        assertThat(store.plans().get(plan.id())).isEmpty();
    }
}
