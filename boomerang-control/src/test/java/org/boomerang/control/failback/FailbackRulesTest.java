package org.boomerang.control.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.boomerang.control.testing.TestingEstate.APP1;
import static org.boomerang.control.testing.TestingEstate.DB1;
import static org.boomerang.control.testing.TestingEstate.ESX1;
import static org.boomerang.control.testing.TestingEstate.ESX2;
import static org.boomerang.control.testing.TestingEstate.ESX9;
import static org.boomerang.control.testing.TestingEstate.HV1;
import static org.boomerang.control.testing.TestingEstate.MT1;
import static org.boomerang.control.testing.TestingEstate.PHYS1;
import static org.boomerang.control.testing.TestingEstate.PHYS2008;
import static org.boomerang.control.testing.TestingEstate.PRIMARY;
import static org.boomerang.control.testing.TestingEstate.RDM1;
import static org.boomerang.control.testing.TestingEstate.RECOVERY;
import static org.boomerang.control.testing.TestingEstate.VC1;
import static org.boomerang.control.testing.TestingEstate.VMFS1;
import static org.boomerang.control.testing.TestingEstate.VMFS_FAR;
import static org.boomerang.control.testing.TestingEstate.VSAN1;
import static org.boomerang.control.testing.TestingEstate.WEB1;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemJobRequest;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.control.testing.FakeDataPlane;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.boomerang.provider.ConnectionState;
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
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test per failback rule of SPEC §4, named after it; each asserts the refusal's code or the behaviour. */
class FailbackRulesTest {
    private final TestingEstate estate = new TestingEstate(new InMemoryControlStore());

    @AfterEach
    void close() {
        estate.close();
    }

    private static ItemId id(String s) {
        return new ItemId(s);
    }

    private static BoomerangException assertRefused(ThrowingCallable call, org.boomerang.common.ErrorCode rule) {
        BoomerangException e = catchThrowableOfType(BoomerangException.class, call);
        assertThat(e).as("expected a refusal by " + rule).isNotNull();
        assertThat(e.code()).isEqualTo(rule);
        if (rule instanceof FailbackRule fb) {
            assertThat(e.getMessage()).startsWith("FB-" + fb.number() + ":");
        }
        assertThat(e.hint()).isNotBlank();
        return e;
    }

    private ProtectedItem committedAfterFailover(String item, MachineId machine) {
        estate.protect(item, machine);
        estate.failOver(item);
        return estate.commit(item);
    }

    private ReprotectRequest alternate(String item, Optional<org.boomerang.provider.DatastoreId> ds) {
        return new ReprotectRequest(id(item), Optional.of(RecoveryLocation.ALTERNATE), Optional.empty(), ds, Optional.empty());
    }

    @Test
    void fb1_noFailbackAfterMigrationOrMoveOrDelete() {
        committedAfterFailover("migrated", WEB1);
        estate.server.protection().completeMigration(id("migrated"));
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("migrated"))),
                FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED);

        ProtectedItem moved = committedAfterFailover("moved", DB1);
        estate.recovery.setPresence(moved.recoveryMachine().orElseThrow(), MachinePresence.MOVED);
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("moved"))),
                FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED);

        ProtectedItem deleted = committedAfterFailover("deleted", APP1);
        estate.recovery.removeMachine(deleted.recoveryMachine().orElseThrow());
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("deleted"))),
                FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED);
        assertThat(estate.item("deleted").state()).isEqualTo(ItemState.COMMITTED);
    }

    @Test
    void fb2_vmwareVmNeverFailsBackToHyperV() {
        MachineId mtHv = new MachineId("mt-hv");
        estate.primary.machine(TestingEstate.vm(mtHv, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "2019"), VMFS1, Optional.of(HV1)));
        estate.server.inventory().registerMasterTarget(new MasterTarget(mtHv, PRIMARY, HV1));
        committedAfterFailover("web", WEB1);
        ReprotectRequest toHyperV = new ReprotectRequest(id("web"), Optional.empty(), Optional.of(mtHv), Optional.empty(), Optional.empty());
        assertRefused(() -> estate.server.protection().reprotect(toHyperV), FailbackRule.FB_2_NO_FAILBACK_TO_HYPER_V);
    }

    @Test
    void fb3_onlyOriginalManagerAndControlServer() {
        committedAfterFailover("web", WEB1);
        ProtectedItem phys = committedAfterFailover("phys", PHYS1);
        assertThat(phys.manager()).as("a physical server is protected without a vCenter").isEmpty();
        estate.clock.advance(Duration.ofMinutes(5));

        // a vCenter added after the items were protected, though its provider claims it has been there for a year:
        // when it was added is what this control server saw, not what the site says
        ManagerId vc2 = new ManagerId("vc2");
        HostId esx5 = new HostId("esx5");
        MachineId mt5 = new MachineId("mt5");
        estate.primary.manager(new HypervisorManager(vc2, "vc2.example", HypervisorType.VMWARE, ConnectionState.CONNECTED,
                TestingEstate.T0.minus(Duration.ofDays(365))));
        estate.primary.host(new Host(esx5, "esx5", HypervisorType.VMWARE, Optional.of(vc2), true));
        estate.primary.machine(TestingEstate.vm(mt5, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "2019"), VMFS1, Optional.of(esx5)));
        estate.server.inventory().registerMasterTarget(new MasterTarget(mt5, PRIMARY, esx5));
        // the physical server cannot fail back into it
        BoomerangException intoNew = assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("phys"),
                Optional.of(RecoveryLocation.ALTERNATE), Optional.of(mt5), Optional.of(VMFS1), Optional.empty())),
                FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY);
        assertThat(intoNew.getMessage()).contains("vc2").contains("first seen by this control server at");
        assertThat(estate.server.inventory().managersSeen(PRIMARY)).anyMatch(s -> s.manager().equals(vc2)
                && s.firstSeenAt().isAfter(phys.protectedAt()));
        // through the vCenter it knew when it was protected, it can
        estate.server.protection().checkReprotect(new ReprotectRequest(id("phys"), Optional.of(RecoveryLocation.ALTERNATE),
                Optional.of(TestingEstate.MT1), Optional.of(VMFS1), Optional.empty()));

        // a VM protected from vc1 fails back only through a master target under vc1
        assertRefused(() -> estate.server.protection().reprotect(
                new ReprotectRequest(id("web"), Optional.empty(), Optional.of(mt5), Optional.empty(), Optional.empty())),
                FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY);

        // another control server
        ProtectedItem item = estate.item("web");
        estate.store.items().update(new ProtectedItem(item.id(), item.machine(), item.kind(), item.os(), item.primarySite(),
                item.recoverySite(), item.policy(), item.group(), item.state(), item.health(), item.active(), item.manager(),
                "some-other-control-server", item.protectedAt(), item.recoveryMachine(), item.recoveryResourceGroup(),
                item.testMachine(), item.pair(), item.view(), item.point(), item.fencedSite(), item.processServer(), item.retention(),
                item.migrationCompleted(), item.autoResolution(), item.lastError(), item.version()));
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))),
                FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY);
    }

    @Test
    void fb4_originalLocationReplicatesOnlyChanges() {
        ProtectedItem item = estate.reverseProtected("web", WEB1);
        assertThat(item.machine()).isEqualTo(WEB1);
        FakeDataPlane.Sync reverse = estate.dataPlane.syncs().getLast();
        assertThat(reverse.pair()).isEqualTo(PairId.reverse(id("web")));
        assertThat(reverse.mode()).isNotEqualTo(SyncMode.FULL);
        assertThat(estate.primary.calls()).noneMatch(c -> c.startsWith("create"));

        committedAfterFailover("db", DB1);
        estate.primary.removeMachine(DB1);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("db"),
                Optional.of(RecoveryLocation.ORIGINAL), Optional.empty(), Optional.empty(), Optional.empty())),
                FailbackRule.FB_4_OLR_NEEDS_ORIGINAL_MACHINE);
    }

    @Test
    void fb5_masterTargetHostMustReachTheDatastore() {
        MachineId far = new MachineId("far1");
        estate.primary.machine(TestingEstate.vm(far, MachineKind.VM, new GuestOs(OsFamily.LINUX, "Debian 12"), VMFS_FAR, Optional.of(ESX2)));
        estate.server.inventory().agentHeartbeat(TestingEstate.PRIMARY, far);
        committedAfterFailover("far", far);
        // mt1 sits on esx1, which cannot reach vmfs-far
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("far"))),
                FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE);

        // standalone host, not discovered before reprotect (physical servers too)
        MachineId mt9 = new MachineId("mt9");
        estate.primary.machine(TestingEstate.vm(mt9, MachineKind.VM, new GuestOs(OsFamily.WINDOWS, "2019"), VMFS1, Optional.of(ESX9)));
        estate.server.inventory().registerMasterTarget(new MasterTarget(mt9, PRIMARY, ESX9));
        committedAfterFailover("phys", PHYS1);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("phys"), Optional.empty(),
                Optional.of(mt9), Optional.of(VMFS1), Optional.empty())), FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE);
    }

    @Test
    void fb6_originalLocationOntoVsanNeedsExistingAttachedDisks() {
        committedAfterFailover("app", APP1);
        Machine app = estate.primary.find(APP1).orElseThrow();
        MachineDisk disk = app.disks().getFirst();
        estate.primary.machine(app.withDisks(List.of(new MachineDisk(disk.id(), VSAN1, disk.sizeBytes(), false, disk.backing()))));
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("app"))),
                FailbackRule.FB_6_OLR_VSAN_RDM_NEEDS_ATTACHED_DISKS);

        estate.primary.machine(app.withDisks(List.of(new MachineDisk(new DiskId("other"), RDM1, disk.sizeBytes(), true, disk.backing()))));
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("app"))),
                FailbackRule.FB_6_OLR_VSAN_RDM_NEEDS_ATTACHED_DISKS);

        estate.primary.machine(app);
        assertThat(estate.reprotect(ReprotectRequest.defaults(id("app"))).state()).isEqualTo(ItemState.REVERSE_PROTECTED);
    }

    @Test
    void fb7_alternateLocationRecreatesMachineWithFullCopy() {
        committedAfterFailover("web", WEB1);
        estate.primary.removeMachine(WEB1);
        assertRefused(() -> estate.server.protection().reprotect(alternate("web", Optional.empty())),
                FailbackRule.FB_7_ALR_NEEDS_DATASTORE);

        ProtectedItem item = estate.reprotect(alternate("web", Optional.of(VMFS1)));
        assertThat(item.state()).isEqualTo(ItemState.REVERSE_PROTECTED);
        assertThat(item.machine()).isNotEqualTo(WEB1);
        Machine created = estate.primary.find(item.machine()).orElseThrow();
        assertThat(created.host()).contains(ESX1);
        assertThat(created.disks()).allMatch(d -> d.datastore().equals(VMFS1));
        assertThat(estate.dataPlane.syncs().getLast()).isEqualTo(new FakeDataPlane.Sync(PairId.reverse(id("web")), SyncMode.FULL));
    }

    @Test
    void fb8_alternateLocationOnlyOnVmfs() {
        committedAfterFailover("web", WEB1);
        estate.primary.removeMachine(WEB1);
        assertRefused(() -> estate.server.protection().reprotect(alternate("web", Optional.of(VSAN1))), FailbackRule.FB_8_ALR_ONLY_ON_VMFS);
        assertRefused(() -> estate.server.protection().reprotect(alternate("web", Optional.of(RDM1))), FailbackRule.FB_8_ALR_ONLY_ON_VMFS);
        assertThat(estate.primary.calls()).noneMatch(c -> c.startsWith("create"));
    }

    @Test
    void fb9_physicalServerFailsBackOnlyAsVmwareVmByAlternateLocation() {
        committedAfterFailover("phys", PHYS1);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("phys"),
                Optional.of(RecoveryLocation.ORIGINAL), Optional.empty(), Optional.of(VMFS1), Optional.empty())),
                FailbackRule.FB_9_PHYSICAL_FAILS_BACK_AS_VM_ALR_ONLY);

        ProtectedItem item = estate.reprotect(new ReprotectRequest(id("phys"), Optional.empty(), Optional.empty(),
                Optional.of(VMFS1), Optional.empty()));
        Machine vm = estate.primary.find(item.machine()).orElseThrow();
        assertThat(vm.kind()).isEqualTo(MachineKind.VM);
        assertThat(vm.host()).contains(ESX1);
        assertThat(estate.dataPlane.syncs().getLast().mode()).isEqualTo(SyncMode.FULL);
    }

    @Test
    void fb10_windows2008R2Sp1PhysicalServerCannotFailBack() {
        committedAfterFailover("old", PHYS2008);
        assertRefused(() -> estate.server.protection().reprotect(alternate("old", Optional.of(VMFS1))),
                FailbackRule.FB_10_WINDOWS_2008_R2_SP1_PHYSICAL_NO_FAILBACK);
    }

    @Test
    void fb11_masterTargetAndHostsMustBeDiscovered() {
        committedAfterFailover("web", WEB1);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("web"), Optional.empty(),
                Optional.of(new MachineId("no-such-mt")), Optional.empty(), Optional.empty())),
                FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED);

        MachineId mtGone = new MachineId("mt-gone");
        estate.server.inventory().registerMasterTarget(new MasterTarget(mtGone, PRIMARY, new HostId("esx-gone")));
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("web"), Optional.empty(),
                Optional.of(mtGone), Optional.empty(), Optional.empty())), FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED);
    }

    @Test
    void fb12_failbackNeedsCompletedReprotectionAndHealthOk() {
        committedAfterFailover("web", WEB1);
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE);

        estate.reprotect(ReprotectRequest.defaults(id("web")));
        PairId reverse = PairId.reverse(id("web"));
        // a resync pending: the reverse pair catches up
        estate.dataPlane.reportHealth(estate.dataPlane.measurement(reverse, org.boomerang.control.dataplane.ReplicationState.CATCHING_UP, 1,
                Optional.of(java.time.Duration.ZERO), java.util.List.of()));
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE);
        assertThat(estate.item("web").health()).isEqualTo(Health.WARNING);
        // protected, but the RPO is over the policy's threshold
        estate.dataPlane.reportHealth(estate.dataPlane.measurement(reverse, org.boomerang.control.dataplane.ReplicationState.PROTECTED, 1,
                Optional.of(java.time.Duration.ofDays(3)), java.util.List.of()));
        BoomerangException rpo = org.assertj.core.api.Assertions.catchThrowableOfType(BoomerangException.class,
                () -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED));
        assertThat(rpo.code()).isEqualTo(FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE);
        assertThat(rpo.hint()).contains("retry once it is OK");
        assertThat(estate.item("web").health()).isEqualTo(Health.CRITICAL);

        estate.dataPlane.measureNormally(reverse);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
    }

    @Test
    void fb13_controlServerAtPrimaryWithTheMachineInItsDatabase() {
        estate.reverseProtected("web", WEB1);
        // a new control server with an empty database does not know the machine: ITEM_NOT_FOUND, with FB-13's advice
        try (TestingEstate fresh = new TestingEstate(new InMemoryControlStore())) {
            BoomerangException unknown = org.assertj.core.api.Assertions.catchThrowableOfType(BoomerangException.class,
                    () -> fresh.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED));
            assertThat(unknown.code()).isEqualTo(org.boomerang.control.ControlError.ITEM_NOT_FOUND);
            assertThat(unknown.hint()).contains("FB-13").contains("boomerang server restore");
        }
        // a control server standing at the recovery site is not the primary's
        ControlServerIdentity me = estate.server.inventory().identity();
        estate.store.inventory().putIdentity(new ControlServerIdentity(me.id(), me.address(), RECOVERY, me.createdAt()));
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_13_CONTROL_SERVER_OR_MACHINE_MISSING);
    }

    @Test
    void fb14_masterTargetMustHaveNoSnapshots() {
        estate.reverseProtected("web", WEB1);
        estate.primary.snapshots().create(MT1, "before-patch");
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_14_MASTER_TARGET_HAS_SNAPSHOTS);
        estate.primary.snapshots().delete(MT1, "before-patch");
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
    }

    @Test
    void fb15_recoveryPointChoiceShowsDataLoss() {
        estate.reverseProtected("web", WEB1);
        PairId pair = PairId.reverse(id("web"));
        estate.clock.advance(Duration.ofMinutes(1));
        MachinePoint app = estate.dataPlane.addPoint(pair, MarkerKind.APP, Optional.empty());
        estate.clock.advance(Duration.ofMinutes(10));
        MachinePoint latest = estate.dataPlane.addPoint(pair, MarkerKind.CRASH, Optional.empty());

        SelectedPoint processed = estate.server.protection().previewPoint(id("web"), PointRequest.parse("latest-processed"));
        assertThat(processed.point()).isEqualTo(latest);
        assertThat(processed.dataLoss()).isZero();

        Job job = estate.server.protection().failover(id("web"), true, PointRequest.parse("latest-app-consistent"));
        ItemJobRequest request = (ItemJobRequest) job.request();
        assertThat(request.point()).contains(app.id());
        assertThat(request.dataLoss()).contains(Duration.ofMinutes(10));
        assertThat(request.describe()).contains("600 s behind the latest point");
        estate.await(job, JobState.SUCCEEDED);
        assertThat(estate.item("web").point()).contains(app.id());
    }

    @Test
    void fb16_noFailbackWithoutARecoveryPoint() {
        estate.reverseProtected("web", WEB1);
        estate.dataPlane.clearPoints(PairId.reverse(id("web")));
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_16_NO_RECOVERY_POINT);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
        assertThat(estate.item("web").active()).isEmpty();
    }

    @Test
    void fb17_recoverySiteMachinesAreShutDownDuringFailback() {
        ProtectedItem item = estate.reverseProtected("web", WEB1);
        MachineId rm = item.recoveryMachine().orElseThrow();
        assertThat(estate.recovery.find(rm).orElseThrow().power()).isEqualTo(PowerState.ON);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.recovery.find(rm).orElseThrow().power()).isEqualTo(PowerState.OFF);
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);

        // a planned failback whose recovery machine cannot be shut down fails with FB-17 and changes nothing
        try (TestingEstate other = new TestingEstate(new InMemoryControlStore())) {
            ProtectedItem db = other.reverseProtected("db", DB1);
            other.recovery.makeUnreachable(db.recoveryMachine().orElseThrow());
            Job failed = other.await(other.server.protection().failover(id("db"), true, PointRequest.LATEST_PROCESSED), JobState.FAILED);
            assertThat(failed.error().orElseThrow().code()).isEqualTo(FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.name());
            assertThat(other.item("db").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
            assertThat(other.item("db").lastError().orElseThrow().code()).isEqualTo("FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN");
        }
    }

    @Test
    void fb18_guestToolsDisabledOrUninstalledOnFailoverAndBackOnFailback() {
        ProtectedItem web = estate.reverseProtected("web", WEB1);
        ProtectedItem db = estate.reverseProtected("db", DB1);
        assertThat(estate.recovery.find(web.recoveryMachine().orElseThrow()).orElseThrow().tools()).isEqualTo(GuestToolsState.DISABLED);
        assertThat(estate.recovery.find(db.recoveryMachine().orElseThrow()).orElseThrow().tools()).isEqualTo(GuestToolsState.NOT_INSTALLED);

        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        estate.await(estate.server.protection().failover(id("db"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.primary.calls()).contains("toolsEnable web1", "toolsInstall db1");
        assertThat(estate.primary.calls()).doesNotContain("toolsInstall web1", "toolsEnable db1");

        // tools that cannot be re-enabled fail the failback with FB-18; it compensates and can be retried
        try (TestingEstate other = new TestingEstate(new InMemoryControlStore())) {
            ProtectedItem w = other.reverseProtected("web", WEB1);
            other.primary.makeUnreachable(WEB1);
            Job failed = other.await(other.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.FAILED);
            assertThat(failed.error().orElseThrow().code()).isEqualTo(FailbackRule.FB_18_GUEST_TOOLS_NOT_HANDLED.name());
            assertThat(other.item("web").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
            assertThat(other.item("web").fencedSite()).contains(TestingEstate.PRIMARY);
            assertThat(other.recovery.find(w.recoveryMachine().orElseThrow()).orElseThrow().power()).isEqualTo(PowerState.ON);
            other.primary.makeReachable(WEB1);
            other.await(other.server.jobs().restart(failed.id()), JobState.SUCCEEDED);
            assertThat(other.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
        }
    }

    @Test
    void fb19_commitAfterFailbackRemovesRecoverySiteMachines() {
        ProtectedItem item = estate.reverseProtected("web", WEB1);
        MachineId rm = item.recoveryMachine().orElseThrow();
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.recovery.find(rm)).isPresent();
        ProtectedItem committed = estate.commit("web");
        assertThat(committed.state()).isEqualTo(ItemState.COMMITTED_BACK);
        assertThat(estate.recovery.find(rm)).isEmpty();
        assertThat(committed.recoveryMachine()).isEmpty();
        assertThat(committed.fencedSite()).isEmpty();
    }

    @Test
    void fb20_reprotectAfterCommitChoosesTheProcessServer() {
        estate.reverseProtected("web", WEB1);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        estate.commit("web");
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))),
                FailbackRule.FB_20_CHOOSE_PROCESS_SERVER);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("web"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("ps-nowhere"))), FailbackRule.FB_20_CHOOSE_PROCESS_SERVER);

        ProtectedItem item = estate.reprotect(new ReprotectRequest(id("web"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("ps-primary")));
        assertThat(item.state()).isEqualTo(ItemState.PROTECTED);
        assertThat(item.processServer()).contains("ps-primary");
        assertThat(estate.dataPlane.pairs().get(PairId.forward(id("web"))).processServer()).isEqualTo("ps-primary");
    }

    @Test
    void fb21_reprotectWaitsForTheAgentToRegister() {
        estate.protect("web", WEB1);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        estate.commit("web");
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))),
                FailbackRule.FB_21_AGENT_NOT_REGISTERED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);

        estate.server.inventory().agentHeartbeat(TestingEstate.RECOVERY, estate.item("web").recoveryMachine().orElseThrow());
        assertThat(estate.reprotect(ReprotectRequest.defaults(id("web"))).state()).isEqualTo(ItemState.REVERSE_PROTECTED);
    }

    @Test
    void fb21_aHeartbeatFromBeforeTheLastBootDoesNotCount() {
        estate.protect("web", WEB1);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        estate.commit("web");
        MachineId recovered = estate.item("web").recoveryMachine().orElseThrow();
        estate.server.inventory().agentHeartbeat(TestingEstate.RECOVERY, recovered);
        estate.clock.advance(java.time.Duration.ofMinutes(1));
        estate.recovery.powerOff(recovered);
        estate.recovery.powerOn(recovered);
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))),
                FailbackRule.FB_21_AGENT_NOT_REGISTERED);

        estate.recovery.setAgent(recovered, new org.boomerang.provider.AgentSetup(true, java.time.Duration.ofMinutes(10)));
        estate.clock.advance(java.time.Duration.ofMinutes(9));
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))),
                FailbackRule.FB_21_AGENT_NOT_REGISTERED);
        estate.clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(estate.reprotect(ReprotectRequest.defaults(id("web"))).state()).isEqualTo(ItemState.REVERSE_PROTECTED);
    }

    @Test
    void fb22_vcenterMustBeConnectedBeforeFailback() {
        estate.reverseProtected("web", WEB1);
        estate.primary.setConnection(VC1, ConnectionState.DISCONNECTED);
        assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                FailbackRule.FB_22_MANAGER_NOT_CONNECTED);

        committedAfterFailover("db", DB1);
        assertRefused(() -> estate.server.protection().reprotect(ReprotectRequest.defaults(id("db"))),
                FailbackRule.FB_22_MANAGER_NOT_CONNECTED);
        estate.primary.setConnection(VC1, ConnectionState.CONNECTED);
        estate.await(estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
    }

    @Test
    void fb23_alternateLocationTurnsTheOriginalOffWhenItStillExists() {
        estate.protect("web", WEB1);
        estate.primary.makeUnreachable(WEB1);
        estate.await(estate.server.protection().failover(id("web"), false, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        ProtectedItem item = estate.commit("web");
        estate.server.inventory().agentHeartbeat(TestingEstate.RECOVERY, item.recoveryMachine().orElseThrow());
        estate.primary.makeReachable(WEB1);
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).as("still running after the unplanned failover").isEqualTo(PowerState.ON);

        estate.reprotect(alternate("web", Optional.of(VMFS1)));
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).as("FB-23: the original is off beside the recreated machine")
                .isEqualTo(PowerState.OFF);
    }

    @Test
    void fb23_reprotectTurnsOffOnPremMachineAndSyncsToItsDisks() {
        estate.protect("web", WEB1);
        // unplanned failover with the primary unreachable: the on-prem machine keeps running (and is fenced)
        estate.primary.makeUnreachable(WEB1);
        estate.await(estate.server.protection().failover(id("web"), false, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);
        ProtectedItem item = estate.commit("web");
        estate.server.inventory().agentHeartbeat(TestingEstate.RECOVERY, item.recoveryMachine().orElseThrow());

        Job failed = estate.await(estate.server.protection().reprotect(ReprotectRequest.defaults(id("web"))), JobState.FAILED);
        assertThat(failed.error().orElseThrow().code()).isEqualTo(FailbackRule.FB_23_ON_PREM_MACHINE_NOT_TURNED_OFF.name());
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);

        estate.primary.makeReachable(WEB1);
        ProtectedItem reprotected = estate.reprotect(ReprotectRequest.defaults(id("web")));
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.OFF);
        List<String> calls = estate.dataPlane.calls();
        String start = "start " + PairId.reverse(id("web")) + " " + reprotected.recoveryMachine().orElseThrow() + "->" + WEB1;
        assertThat(calls).contains(start);
        assertThat(calls.indexOf("sync " + PairId.reverse(id("web")) + " TRACKED")).isGreaterThan(calls.indexOf(start));
        assertThat(estate.primary.calls().lastIndexOf("powerOff web1")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void fb17_anUnplannedFailbackThatCannotReachTheRecoverySiteStopsUntilTheOperatorConfirms() {
        ProtectedItem item = estate.reverseProtected("web", WEB1);
        MachineId recovered = item.recoveryMachine().orElseThrow();
        estate.recovery.makeUnreachable(recovered);

        Job stopped = estate.await(estate.server.protection().failover(id("web"), false, PointRequest.LATEST_PROCESSED), JobState.FAILED);
        assertThat(stopped.error().orElseThrow().code()).isEqualTo(FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.name());
        assertThat(stopped.error().orElseThrow().message()).contains("could not be reached");
        assertThat(stopped.error().orElseThrow().hint()).contains("--confirm-source-unreachable");
        assertThat(estate.item("web").state()).as("nothing opened: the item is as it was").isEqualTo(ItemState.REVERSE_PROTECTED);
        assertThat(estate.dataPlane.calls()).noneMatch(c -> c.startsWith("open " + PairId.reverse(id("web"))));

        BoomerangException planned = catchThrowableOfType(BoomerangException.class, () -> estate.server.protection()
                .failover(id("web"), true, PointRequest.LATEST_PROCESSED, Optional.empty(), true));
        assertThat(planned.code()).isEqualTo(org.boomerang.control.ControlError.INVALID_REQUEST);

        Job confirmed = estate.await(estate.server.protection().failover(id("web"), false, PointRequest.LATEST_PROCESSED, Optional.empty(), true),
                JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
        assertThat(estate.store.jobs().log(confirmed.id()).toString()).contains("the operator confirmed it");
        assertThat(estate.item("web").fencedSite()).contains(RECOVERY);
    }

    @Test
    void fb17_anUnplannedFailbackSeesTheRecoveryMachineOffBeforeTheViewOpens() {
        ProtectedItem item = estate.reverseProtected("web", WEB1);
        MachineId recovered = item.recoveryMachine().orElseThrow();
        Job job = estate.await(estate.server.protection().failover(id("web"), false, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.recovery.find(recovered).orElseThrow().power()).isEqualTo(PowerState.OFF);
        assertThat(estate.store.jobs().log(job.id()).toString()).contains("is off and none of its disks is served any more");
    }

    @Test
    void step12_theReverseProcessServerExistsIsReachableAndStandsAtTheRecoverySite() {
        committedAfterFailover("web", WEB1);
        assertRefused(() -> estate.server.protection().reprotect(withProcessServer("web", "ps-nowhere")),
                org.boomerang.control.ControlError.PROCESS_SERVER_NOT_FOUND);
        BoomerangException wrongSite = assertRefused(() -> estate.server.protection().reprotect(withProcessServer("web", "ps-primary")),
                org.boomerang.control.ControlError.PROCESS_SERVER_AT_WRONG_SITE);
        assertThat(wrongSite.getMessage()).contains("ps-primary").contains("primary");
        // registered at the recovery site, but nothing answers at its address
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        estate.server.inventory().registerProcessServer(new org.boomerang.control.inventory.ProcessServer("ps-down", RECOVERY, "127.0.0.1:" + closed));
        assertRefused(() -> estate.server.protection().reprotect(withProcessServer("web", "ps-down")),
                org.boomerang.control.ControlError.PROCESS_SERVER_UNREACHABLE);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);
        // none named: the reachable one at the recovery site, never the item's forward (primary-site) process server
        ReprotectPlan plan = estate.server.protection().checkReprotect(ReprotectRequest.defaults(id("web")));
        assertThat(plan.processServer()).isEqualTo("ps-recovery");
        assertThat(estate.reprotect(withProcessServer("web", "ps-recovery")).processServer()).contains("ps-recovery");
    }

    @Test
    void step12_aWindowsMachineFailsBackThroughAWindowsMasterTargetALinuxOneThroughALinuxOne() {
        committedAfterFailover("db", DB1);
        BoomerangException mismatch = assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("db"),
                Optional.empty(), Optional.of(MT1), Optional.empty(), Optional.empty())), org.boomerang.control.ControlError.MASTER_TARGET_OS_MISMATCH);
        assertThat(mismatch.getMessage()).contains("WINDOWS").contains("LINUX");
        assertThat(estate.server.protection().checkReprotect(ReprotectRequest.defaults(id("db"))).masterTarget())
                .as("none named: the Linux master target").contains(TestingEstate.MT_LINUX);
        committedAfterFailover("web", WEB1);
        assertThat(estate.server.protection().checkReprotect(ReprotectRequest.defaults(id("web"))).masterTarget()).contains(MT1);
        assertRefused(() -> estate.server.protection().reprotect(new ReprotectRequest(id("web"),
                Optional.empty(), Optional.of(TestingEstate.MT_LINUX), Optional.empty(), Optional.empty())),
                org.boomerang.control.ControlError.MASTER_TARGET_OS_MISMATCH);
    }

    @Test
    void step12_membersOfAGroupAreReprotectedThroughOneProcessServerAndMasterTarget() {
        estate.server.inventory().putGroup(new org.boomerang.control.protection.ReplicationGroup(
                new org.boomerang.control.protection.GroupId("tier"), "web tier"));
        estate.server.inventory().registerProcessServer(new org.boomerang.control.inventory.ProcessServer("ps-recovery-2", RECOVERY,
                TestingEstate.listeningAddress(2)));
        for (String[] m : new String[][] {{"web", "web1"}, {"app", "app1"}}) {
            estate.await(estate.server.protection().protect(new org.boomerang.control.protection.ProtectRequest(id(m[0]), new MachineId(m[1]),
                    PRIMARY, RECOVERY, TestingEstate.POLICY, Optional.of(new org.boomerang.control.protection.GroupId("tier")),
                    Optional.of("ps-primary"))), JobState.SUCCEEDED);
            estate.failOver(m[0]);
            estate.commit(m[0]);
        }
        estate.reprotect(withProcessServer("web", "ps-recovery"));
        BoomerangException split = assertRefused(() -> estate.server.protection().reprotect(withProcessServer("app", "ps-recovery-2")),
                org.boomerang.control.ControlError.GROUP_NOT_TOGETHER);
        assertThat(split.getMessage()).contains("web").contains("ps-recovery");
        assertThat(split.hint()).contains("--process-server ps-recovery").contains("--master-target mt1");
        assertThat(estate.reprotect(withProcessServer("app", "ps-recovery")).state()).isEqualTo(ItemState.REVERSE_PROTECTED);
        // and they fail back together (a recovery plan), not one alone
        BoomerangException alone = assertRefused(() -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED),
                org.boomerang.control.ControlError.GROUP_NOT_TOGETHER);
        assertThat(alone.getMessage()).contains("app");
        assertThat(estate.item("web").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
    }

    private static ReprotectRequest withProcessServer(String item, String ps) {
        return new ReprotectRequest(new ItemId(item), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(ps));
    }
}
