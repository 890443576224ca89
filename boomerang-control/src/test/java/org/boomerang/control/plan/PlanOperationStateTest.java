package org.boomerang.control.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.boomerang.control.testing.TestingEstate.APP1;
import static org.boomerang.control.testing.TestingEstate.DB1;
import static org.boomerang.control.testing.TestingEstate.WEB1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plan operations have state: one at a time per plan and per item, and only what the items' states allow. */
class PlanOperationStateTest {
    private final TestingEstate estate = new TestingEstate(new InMemoryControlStore());
    private final PlanService plans = estate.server.plans();

    @AfterEach
    void close() {
        estate.close();
    }

    private static ItemId id(String s) {
        return new ItemId(s);
    }

    /** A plan whose first group pauses at a manual action before its second group runs. */
    private RecoveryPlan pausingPlan(String name) {
        return plans.put(new RecoveryPlan(new PlanId(name), name, List.of(
                new PlanGroup("data", List.of(id("db")), List.of(new ManualAction("check the database")), List.of()),
                new PlanGroup("front", List.of(id("web")), List.of(), List.of()))));
    }

    private long planJobs() {
        return estate.store.jobs().list().stream().filter(j -> j.kind() == JobKind.PLAN_OPERATION).count();
    }

    @Test
    void twoConcurrentFailoversOfOnePlanGiveOneJob() throws Exception {
        estate.protect("web", WEB1);
        estate.protect("db", DB1);
        RecoveryPlan plan = pausingPlan("shop");
        CyclicBarrier together = new CyclicBarrier(4);
        List<Future<Object>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit((Callable<Object>) () -> {
                    together.await();
                    try {
                        return plans.run(plan.id(), PlanOperation.PLANNED_FAILOVER, Optional.empty());
                    } catch (BoomerangException e) {
                        return e;
                    }
                }));
            }
        }
        List<Job> jobs = new ArrayList<>();
        List<BoomerangException> refusals = new ArrayList<>();
        for (Future<Object> f : results) {
            switch (f.get()) {
                case Job j -> jobs.add(j);
                case BoomerangException e -> refusals.add(e);
                default -> throw new AssertionError(f.get());
            }
        }
        assertThat(jobs).hasSize(1);
        assertThat(refusals).hasSize(3).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo(ControlError.PLAN_BUSY);
            assertThat(e.getMessage()).contains(jobs.getFirst().id().value());
            assertThat(e.hint()).contains("wait for that job to finish");
        });
        assertThat(planJobs()).isEqualTo(1);
        estate.awaitState(jobs.getFirst().id(), Set.of(JobState.WAITING_FOR_OPERATOR));
    }

    @Test
    void anotherOperationOfARunningPlanIsRefusedAndSoIsAnyOperationOnItsItems() {
        estate.protect("web", WEB1);
        estate.protect("db", DB1);
        estate.protect("app", APP1);
        RecoveryPlan plan = pausingPlan("shop");
        Job running = plans.run(plan.id(), PlanOperation.TEST_FAILOVER, Optional.empty());
        estate.awaitState(running.id(), Set.of(JobState.WAITING_FOR_OPERATOR));

        for (PlanOperation op : PlanOperation.values()) {
            BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> plans.run(plan.id(), op, Optional.empty()));
            assertThat(e.code()).as(op.name()).isEqualTo(ControlError.PLAN_BUSY);
        }
        // web is in the plan's second group, not reached yet: the plan holds it all the same
        BoomerangException item = catchThrowableOfType(BoomerangException.class,
                () -> estate.server.protection().failover(id("web"), true, PointRequest.LATEST_PROCESSED));
        assertThat(item.code()).isEqualTo(ControlError.ITEM_BUSY);
        assertThat(item.getMessage()).contains("job " + running.id());
        // another plan sharing an item of the running one is refused, naming the item; nothing of it was claimed
        plans.put(new RecoveryPlan(new PlanId("other"), "other", List.of(new PlanGroup("g", List.of(id("app"), id("web")), List.of(), List.of()))));
        BoomerangException other = catchThrowableOfType(BoomerangException.class,
                () -> plans.run(new PlanId("other"), PlanOperation.TEST_FAILOVER, Optional.empty()));
        assertThat(other.code()).isEqualTo(ControlError.ITEM_BUSY);
        assertThat(other.getMessage()).contains("item web is busy");
        assertThat(estate.item("app").active()).isEmpty();
        assertThat(planJobs()).isEqualTo(1);

        // cancelled, the plan lets its items go
        estate.server.jobs().cancel(running.id());
        estate.await(running, JobState.CANCELLED);
        assertThat(estate.item("web").active()).isEmpty();
        assertThat(estate.item("db").active()).isEmpty();
        assertThat(estate.item("db").state()).isEqualTo(ItemState.PROTECTED);
        estate.await(plans.run(new PlanId("other"), PlanOperation.TEST_FAILOVER, Optional.empty()), JobState.SUCCEEDED);
    }

    @Test
    void anOperationTheItemsStatesDoNotAllowIsRefusedLikeAnItemsWithoutAJob() {
        estate.protect("web", WEB1);
        estate.protect("db", DB1);
        RecoveryPlan plan = plans.put(new RecoveryPlan(new PlanId("p"), "p",
                List.of(new PlanGroup("g", List.of(id("db"), id("web")), List.of(), List.of()))));
        for (PlanOperation op : List.of(PlanOperation.COMMIT, PlanOperation.CLEANUP, PlanOperation.REPROTECT)) {
            BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> plans.run(plan.id(), op, Optional.empty()));
            assertThat(e.code()).as(op.name()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
            assertThat(e.getMessage()).contains("item db: it is protected");
            assertThat(e.hint()).startsWith("legal actions in state protected: test-failover");
        }
        BoomerangException back = catchThrowableOfType(BoomerangException.class, () -> plans.run(plan.id(), PlanOperation.FAILBACK, Optional.empty()));
        assertThat(back.code()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
        assertThat(back.getMessage()).contains("item db is protected, not reverse-protected");
        assertThat(planJobs()).isZero();
        assertThat(estate.item("db").active()).isEmpty();

        // after a successful failover, the plan's commit is legal and the failover is not
        estate.await(plans.run(plan.id(), PlanOperation.PLANNED_FAILOVER, Optional.empty()), JobState.SUCCEEDED);
        BoomerangException twice = catchThrowableOfType(BoomerangException.class,
                () -> plans.run(plan.id(), PlanOperation.PLANNED_FAILOVER, Optional.empty()));
        assertThat(twice.code()).isEqualTo(ControlError.ILLEGAL_TRANSITION);
        assertThat(twice.getMessage()).contains("it is failed-over");
        estate.await(plans.run(plan.id(), PlanOperation.COMMIT, Optional.empty()), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.COMMITTED);
        assertThat(estate.item("web").active()).isEmpty();
    }
}
