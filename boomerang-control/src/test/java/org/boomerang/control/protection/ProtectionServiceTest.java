package org.boomerang.control.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.boomerang.control.testing.TestingEstate.PRIMARY;
import static org.boomerang.control.testing.TestingEstate.RECOVERY;
import static org.boomerang.control.testing.TestingEstate.WEB1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobState;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProtectionServiceTest {
    private static final ItemId WEB = new ItemId("web");
    private final TestingEstate estate = new TestingEstate(new InMemoryControlStore());
    private final ProtectionService protection = estate.server.protection();

    @AfterEach
    void close() {
        estate.close();
    }

    @Test
    void theWholeCycleOfTheSeed() {
        ProtectedItem item = estate.protect("web", WEB1);
        assertThat(item.state()).isEqualTo(ItemState.PROTECTED);
        item = estate.failOver("web");
        assertThat(item.state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(item.fencedSite()).contains(PRIMARY);
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.OFF);
        assertThat(estate.recovery.find(item.recoveryMachine().orElseThrow()).orElseThrow().power()).isEqualTo(PowerState.ON);
        assertThat(estate.commit("web").state()).isEqualTo(ItemState.COMMITTED);
        assertThat(estate.reprotect(ReprotectRequest.defaults(WEB)).state()).isEqualTo(ItemState.REVERSE_PROTECTED);
        estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
        assertThat(estate.item("web").fencedSite()).contains(RECOVERY);
        assertThat(estate.commit("web").state()).isEqualTo(ItemState.COMMITTED_BACK);
        ProtectedItem again = estate.reprotect(new ReprotectRequest(WEB, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("ps-primary")));
        assertThat(again.state()).isEqualTo(ItemState.PROTECTED);
        assertThat(again.fencedSite()).isEmpty();
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);
    }

    @Test
    void reprotectRecordsTheRetentionChosenOrElseThePolicys() {
        estate.protect("web", WEB1);
        assertThat(estate.item("web").retention()).as("before any reprotect the item follows its policy").isEmpty();
        assertThat(protection.status(WEB).retention()).isEqualTo(Duration.ofHours(24));
        estate.failOver("web");
        estate.commit("web");

        BoomerangException zero = catchThrowableOfType(BoomerangException.class,
                () -> protection.reprotect(ReprotectRequest.defaults(WEB).withRetention(Optional.of(Duration.ZERO))));
        assertThat(zero.code()).isEqualTo(ControlError.INVALID_REQUEST);
        assertThat(zero.hint()).contains("positive retention");
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);
        assertThat(protection.checkReprotect(ReprotectRequest.defaults(WEB)).retention()).as("none chosen: the policy's").isEmpty();

        ProtectedItem reverse = estate.reprotect(ReprotectRequest.defaults(WEB).withRetention(Optional.of(Duration.ofHours(6))));
        assertThat(reverse.retention()).contains(Duration.ofHours(6));
        assertThat(protection.status(WEB).retention()).isEqualTo(Duration.ofHours(6));

        estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        estate.commit("web");
        ProtectedItem again = estate.reprotect(new ReprotectRequest(WEB, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("ps-primary")));
        assertThat(again.retention()).as("no choice at this reprotect: the item follows its policy again").isEmpty();
        assertThat(protection.status(WEB).retention()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void anIllegalRequestNamesTheStateAndTheLegalActions() {
        estate.protect("web", WEB1);
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> protection.commit(WEB));
        assertThat(e.code()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
        assertThat(e.getMessage()).isEqualTo("cannot commit item web: it is protected");
        assertThat(e.hint()).isEqualTo("legal actions in state protected: test-failover, planned-failover, unplanned-failover, disable");
        assertThat(estate.item("web").active()).isEmpty();
    }

    @Test
    void theDryChecksRefuseAsTheOperationsWouldWithoutActing() {
        estate.protect("web", WEB1);
        protection.checkFailover(WEB, false);
        BoomerangException illegal = catchThrowableOfType(BoomerangException.class,
                () -> protection.checkReprotect(ReprotectRequest.defaults(WEB)));
        BoomerangException real = catchThrowableOfType(BoomerangException.class, () -> protection.reprotect(ReprotectRequest.defaults(WEB)));
        assertThat(illegal.code()).isEqualTo(real.code()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
        assertThat(illegal.getMessage()).isEqualTo(real.getMessage());

        estate.failOver("web");
        estate.commit("web");
        assertThat(protection.checkReprotect(ReprotectRequest.defaults(WEB)).location()).isEqualTo(RecoveryLocation.ORIGINAL);
        BoomerangException fb12 = catchThrowableOfType(BoomerangException.class, () -> protection.checkFailover(WEB, true));
        assertThat(fb12.code()).isEqualTo(org.boomerang.control.failback.FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE);
        estate.reprotect(ReprotectRequest.defaults(WEB));
        protection.checkFailover(WEB, true);
        estate.dataPlane.reportHealth(estate.dataPlane.measurement(PairId.reverse(WEB), org.boomerang.control.dataplane.ReplicationState.INITIAL_SYNC,
                0.5, Optional.empty(), List.of()));
        BoomerangException warning = catchThrowableOfType(BoomerangException.class, () -> protection.checkFailover(WEB, true));
        BoomerangException refused = catchThrowableOfType(BoomerangException.class,
                () -> protection.failover(WEB, true, PointRequest.LATEST_PROCESSED));
        assertThat(warning.code()).isEqualTo(refused.code()).isEqualTo(org.boomerang.control.failback.FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE);
        assertThat(warning.getMessage()).isEqualTo(refused.getMessage());
        assertThat(estate.item("web").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
        assertThat(estate.item("web").active()).isEmpty();
    }

    @Test
    void healthIsMeasuredFromReplicationFactsOnReadAndEveryPollAndAlertsListTheItemsOverThreshold() throws Exception {
        estate.protect("web", WEB1);
        PairId forward = PairId.forward(WEB);
        assertThat(protection.status(WEB).health().health()).isEqualTo(Health.OK);
        assertThat(protection.status(WEB).rpo()).contains(Duration.ZERO);
        assertThat(protection.alerts()).isEmpty();

        estate.dataPlane.reportHealth(estate.dataPlane.measurement(forward, org.boomerang.control.dataplane.ReplicationState.PROTECTED, 1,
                Optional.of(Duration.ofMinutes(20)), List.of()));
        // the control server's poll records the measurement on the item without anyone reading it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (estate.item("web").health() != Health.WARNING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(estate.item("web").health()).isEqualTo(Health.WARNING);
        ItemStatus st = protection.status(WEB);
        assertThat(st.rpo()).contains(Duration.ofMinutes(20));
        assertThat(st.rpoExceeded()).isTrue();
        assertThat(st.health().conditions()).extracting(HealthCondition::code).containsExactly(ItemHealth.RPO_EXCEEDED);
        assertThat(protection.alerts()).extracting(a -> a.item().id()).containsExactly(WEB);

        estate.dataPlane.reportHealth(estate.dataPlane.measurement(forward, org.boomerang.control.dataplane.ReplicationState.PROTECTED, 1,
                Optional.of(Duration.ofSeconds(1)), List.of("process server ps1")));
        assertThat(protection.status(WEB).health().health()).isEqualTo(Health.CRITICAL);
        assertThat(protection.alerts()).extracting(a -> a.health().conditions().getFirst().code()).containsExactly(ItemHealth.ROLE_UNREACHABLE);

        estate.dataPlane.measureNormally(forward);
        assertThat(protection.status(WEB).health().health()).isEqualTo(Health.OK);
        assertThat(estate.item("web").health()).isEqualTo(Health.OK);
        assertThat(protection.alerts()).isEmpty();
    }

    @Test
    void twoOperatorsRacingOnOneItemOneWinsTheOtherGetsAConflict() throws Exception {
        estate.protect("web", WEB1);
        CountDownLatch gate = new CountDownLatch(1);
        estate.recovery.holdCreates(gate);
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Job>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            boolean planned = i % 2 == 0;
            Callable<Job> race = () -> {
                start.await();
                return protection.failover(WEB, planned, PointRequest.LATEST_PROCESSED);
            };
            results.add(pool.submit(race));
        }
        List<Job> won = new ArrayList<>();
        List<BoomerangException> lost = new ArrayList<>();
        for (Future<Job> f : results) {
            try {
                won.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                lost.add((BoomerangException) e.getCause());
            }
        }
        pool.shutdown();
        gate.countDown();
        assertThat(won).hasSize(1);
        assertThat(lost).hasSize(racers - 1).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo(ControlError.ITEM_BUSY);
            assertThat(e.type()).isEqualTo(ErrorType.CONFLICT);
            assertThat(e.getMessage()).contains(won.getFirst().id().value());
        });
        estate.await(won.getFirst(), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(estate.recovery.calls().stream().filter(c -> c.startsWith("create"))).hasSize(1);
    }

    @Test
    void aFencedMachineIsNeverPoweredOnNorReplicatedUntilResolved() {
        estate.protect("web", WEB1);
        estate.failOver("web");
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> protection.powerOn(PRIMARY, WEB1));
        assertThat(e.code()).isEqualTo(ControlError.MACHINE_FENCED);
        assertThat(e.hint()).contains("two writers");
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.OFF);
        assertThat(estate.primary.calls()).doesNotContain("powerOn web1");

        FencingGuard guard = new FencingGuard(estate.store.items());
        assertThat(catchThrowableOfType(BoomerangException.class, () -> guard.checkReplicationSource(PRIMARY, WEB1)).code())
                .isEqualTo(ControlError.MACHINE_FENCED);
        // reprotect keeps the on-prem machine off as the replica target: still fenced
        estate.commit("web");
        estate.reprotect(ReprotectRequest.defaults(WEB));
        assertThat(catchThrowableOfType(BoomerangException.class, () -> protection.powerOn(PRIMARY, WEB1)).code())
                .isEqualTo(ControlError.MACHINE_FENCED);
        // failback moves the fence to the recovery side
        estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        MachineId rm = estate.item("web").recoveryMachine().orElseThrow();
        assertThat(catchThrowableOfType(BoomerangException.class, () -> protection.powerOn(RECOVERY, rm)).code())
                .isEqualTo(ControlError.MACHINE_FENCED);
        protection.powerOn(PRIMARY, WEB1);
    }

    @Test
    void cancelAPlannedFailoverBringsThePrimaryBack() {
        estate.protect("web", WEB1);
        ProtectedItem failed = estate.failOver("web");
        estate.await(protection.cancelFailover(WEB), JobState.SUCCEEDED);
        ProtectedItem item = estate.item("web");
        assertThat(item.state()).isEqualTo(ItemState.PROTECTED);
        assertThat(item.fencedSite()).isEmpty();
        assertThat(item.recoveryMachine()).isEmpty();
        assertThat(estate.recovery.find(failed.recoveryMachine().orElseThrow())).isEmpty();
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);
        assertThat(estate.dataPlane.views()).isEmpty();
    }

    @Test
    void changeTheRecoveryPointBeforeCommit() {
        estate.protect("web", WEB1);
        MachinePoint older = estate.dataPlane.points(PairId.forward(WEB)).getFirst();
        estate.clock.advance(Duration.ofMinutes(5));
        estate.dataPlane.addPoint(PairId.forward(WEB), MarkerKind.CRASH, Optional.empty());
        ProtectedItem item = estate.failOver("web");
        assertThat(item.point()).isNotEqualTo(Optional.of(older.id()));
        estate.await(protection.changeRecoveryPoint(WEB, PointRequest.parse(older.id().value())), JobState.SUCCEEDED);
        item = estate.item("web");
        assertThat(item.state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(item.point()).contains(older.id());
        assertThat(estate.dataPlane.views()).hasSize(1);
        assertThat(estate.dataPlane.views().values().iterator().next().point()).isEqualTo(older.id());
        assertThat(estate.commit("web").state()).isEqualTo(ItemState.COMMITTED);
    }

    @Test
    void testFailoverAndCleanupLeaveProductionAlone() {
        estate.protect("web", WEB1);
        estate.await(protection.testFailover(WEB, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
        ProtectedItem item = estate.item("web");
        assertThat(item.state()).isEqualTo(ItemState.TEST_RUNNING);
        assertThat(item.fencedSite()).isEmpty();
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);
        MachineId test = item.testMachine().orElseThrow();
        assertThat(estate.recovery.find(test).orElseThrow().power()).isEqualTo(PowerState.ON);
        estate.await(protection.cleanupTestFailover(WEB), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.PROTECTED);
        assertThat(estate.recovery.find(test)).isEmpty();
        assertThat(estate.dataPlane.views()).isEmpty();
    }

    @Test
    void aFailedOperationReturnsToTheStateBeforeAndCanBeRetried() {
        estate.protect("web", WEB1);
        estate.recovery.datastore(new org.boomerang.provider.Datastore(new org.boomerang.provider.DatastoreId("cloud-store"),
                "cloud", org.boomerang.provider.DatastoreType.VMFS, java.util.Set.of(new org.boomerang.provider.HostId("cloud-host"))));
        estate.primary.makeUnreachable(WEB1);
        Job failed = estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED), JobState.FAILED);
        assertThat(failed.error()).isPresent();
        ProtectedItem item = estate.item("web");
        assertThat(item.state()).isEqualTo(ItemState.PROTECTED);
        assertThat(item.active()).isEmpty();
        assertThat(item.fencedSite()).isEmpty();
        assertThat(item.lastError()).isPresent();

        estate.primary.makeReachable(WEB1);
        Job retried = estate.server.jobs().restart(failed.id());
        assertThat(retried.restartOf()).contains(failed.id());
        estate.await(retried, JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_OVER);
    }

    @Test
    void groupMembersFailOverToTheirCommonAppConsistentPoint() {
        estate.server.inventory().putGroup(new ReplicationGroup(new GroupId("g"), "web tier"));
        for (String[] m : new String[][] {{"web", "web1"}, {"db", "db1"}}) {
            estate.await(protection.protect(new ProtectRequest(new ItemId(m[0]), new MachineId(m[1]), PRIMARY, RECOVERY,
                    TestingEstate.POLICY, Optional.of(new GroupId("g")), Optional.empty())), JobState.SUCCEEDED);
        }
        PairId web = PairId.forward(new ItemId("web"));
        PairId db = PairId.forward(new ItemId("db"));
        estate.clock.advance(Duration.ofMinutes(1));
        MachinePoint webCommon = estate.dataPlane.addPoint(web, MarkerKind.APP, Optional.of("cut-1"));
        MachinePoint dbCommon = estate.dataPlane.addPoint(db, MarkerKind.APP, Optional.of("cut-1"));
        estate.clock.advance(Duration.ofMinutes(1));
        estate.dataPlane.addPoint(web, MarkerKind.APP, Optional.of("cut-2")); // db missed cut-2
        estate.clock.advance(Duration.ofMinutes(3));
        estate.dataPlane.addPoint(db, MarkerKind.CRASH, Optional.empty());

        assertThat(protection.previewPoint(new ItemId("web"), PointRequest.parse("latest-app-consistent")).point()).isEqualTo(webCommon);
        var dbChoice = protection.previewPoint(new ItemId("db"), PointRequest.parse("latest-app-consistent"));
        assertThat(dbChoice.point()).isEqualTo(dbCommon);
        assertThat(dbChoice.dataLoss()).isEqualTo(Duration.ofMinutes(4));
        // latest processed: each its own newest point, also inside the group
        assertThat(protection.previewPoint(new ItemId("web"), PointRequest.LATEST_PROCESSED).point().groupTag()).contains("cut-2");
    }

    @Test
    void aFailoverCommitsOrRollsBackByItselfAfterItsTimeout() {
        estate.protect("web", WEB1);
        estate.protect("db", TestingEstate.DB1);
        estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED,
                Optional.of(AutoResolution.commitAfter(Duration.ofMinutes(10)))), JobState.SUCCEEDED);
        ItemId db = new ItemId("db");
        estate.await(protection.failover(db, true, PointRequest.LATEST_PROCESSED,
                Optional.of(AutoResolution.rollbackAfter(Duration.ofMinutes(10)))), JobState.SUCCEEDED);
        assertThat(estate.item("web").autoResolution().orElseThrow().deadline()).contains(TestingEstate.T0.plus(Duration.ofMinutes(10)));

        estate.clock.advance(Duration.ofMinutes(9));
        assertThat(protection.resolveExpired()).isEmpty();
        estate.clock.advance(Duration.ofMinutes(1));
        List<Job> started = protection.resolveExpired();
        assertThat(started).hasSize(2);
        started.forEach(j -> estate.await(j, JobState.SUCCEEDED));
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);
        assertThat(estate.item("web").autoResolution()).isEmpty();
        assertThat(estate.item("db").state()).isEqualTo(ItemState.PROTECTED);
        assertThat(estate.primary.find(TestingEstate.DB1).orElseThrow().power()).isEqualTo(PowerState.ON);
        assertThat(protection.resolveExpired()).isEmpty();
    }

    @Test
    void anOperatorsCommitBeforeTheDeadlineWins() {
        estate.protect("web", WEB1);
        estate.await(protection.failover(WEB, true, PointRequest.LATEST_PROCESSED,
                Optional.of(AutoResolution.rollbackAfter(Duration.ofMinutes(10)))), JobState.SUCCEEDED);
        estate.commit("web");
        estate.clock.advance(Duration.ofHours(1));
        assertThat(protection.resolveExpired()).isEmpty();
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);
    }

    @Test
    void statusShowsLegalActionsAndRpoAgainstThePolicy() {
        estate.protect("web", WEB1);
        ItemStatus fresh = protection.status(WEB);
        assertThat(fresh.legalOperations()).containsExactly(Operation.TEST_FAILOVER, Operation.PLANNED_FAILOVER,
                Operation.UNPLANNED_FAILOVER, Operation.DISABLE);
        assertThat(fresh.rpo()).contains(Duration.ZERO);
        assertThat(fresh.rpoExceeded()).isFalse();
        // the RPO is what the data plane measures, not the age of the newest point
        estate.dataPlane.reportHealth(estate.dataPlane.measurement(PairId.forward(WEB), org.boomerang.control.dataplane.ReplicationState.PROTECTED,
                1, Optional.of(Duration.ofMinutes(16)), List.of()));
        ItemStatus late = protection.status(WEB);
        assertThat(late.rpo()).contains(Duration.ofMinutes(16));
        assertThat(late.rpoExceeded()).isTrue();
        estate.failOver("web");
        assertThat(protection.status(WEB).rpo()).isEmpty();
    }

    @Test
    void cancellingARunningPlannedFailoverUndoesWhatItDid() {
        estate.protect("web", WEB1);
        CountDownLatch gate = new CountDownLatch(1);
        estate.recovery.holdCreates(gate);
        Job job = protection.failover(WEB, true, PointRequest.LATEST_PROCESSED);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (estate.store.jobs().steps(job.id()).size() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        estate.server.jobs().cancel(job.id());
        gate.countDown();
        estate.await(job, JobState.CANCELLED);
        ProtectedItem item = estate.item("web");
        assertThat(item.state()).isEqualTo(ItemState.PROTECTED);
        assertThat(item.fencedSite()).isEmpty();
        assertThat(item.recoveryMachine()).isEmpty();
        assertThat(item.active()).isEmpty();
        assertThat(estate.primary.find(WEB1).orElseThrow().power()).isEqualTo(PowerState.ON);
        assertThat(estate.recovery.discover().machines()).isEmpty();
        assertThat(estate.dataPlane.views()).isEmpty();
        assertThat(estate.server.jobs().log(job.id())).anyMatch(l -> l.message().equals("cancelled"));
    }

    @Test
    void aClaimWhoseJobWasNeverWrittenIsClearedAtStart() {
        estate.protect("web", WEB1);
        ProtectedItem item = estate.item("web");
        estate.store.items().update(item.toBuilder()
                .active(Optional.of(new ActiveOperation(Operation.PLANNED_FAILOVER, new org.boomerang.control.job.JobId("lost")))).build());
        assertThat(catchThrowableOfType(BoomerangException.class, () -> protection.commit(WEB)).code()).isEqualTo(ControlError.ITEM_BUSY);
        protection.recoverClaims();
        assertThat(estate.item("web").active()).isEmpty();
        estate.failOver("web");
    }
}
