package org.boomerang.control.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.boomerang.control.testing.TestingEstate.APP1;
import static org.boomerang.control.testing.TestingEstate.DB1;
import static org.boomerang.control.testing.TestingEstate.WEB1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanServiceTest {
    private final TestingEstate estate = new TestingEstate(new InMemoryControlStore());
    private final PlanService plans = estate.server.plans();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        estate.close();
    }

    private static ItemId id(String s) {
        return new ItemId(s);
    }

    @Test
    void aPlanRunsGroupsInOrderAndPausesAtAManualStep() throws Exception {
        estate.protect("web", WEB1);
        estate.protect("app", APP1);
        estate.protect("db", DB1);
        Path marker = dir.resolve("pre.txt");
        RecoveryPlan plan = plans.put(new RecoveryPlan(new PlanId("shop"), "shop", List.of(
                new PlanGroup("data", List.of(id("db")),
                        List.of(new ScriptAction(List.of("sh", "-c", "echo \"$BOOMERANG_PLAN $BOOMERANG_GROUP $BOOMERANG_OPERATION\" > " + marker),
                                Duration.ofSeconds(30))),
                        List.of(new ManualAction("check the database accepts connections"))),
                new PlanGroup("front", List.of(id("web"), id("app")), List.of(), List.of()))));

        Job job = plans.run(plan.id(), PlanOperation.PLANNED_FAILOVER, Optional.empty());
        estate.awaitState(job.id(), Set.of(JobState.WAITING_FOR_OPERATOR));
        assertThat(Files.readString(marker).trim()).isEqualTo("shop data PLANNED_FAILOVER");
        assertThat(estate.item("db").state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.PROTECTED);
        assertThat(estate.item("app").state()).isEqualTo(ItemState.PROTECTED);

        estate.server.jobs().resume(job.id());
        estate.await(job, JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(estate.item("app").state()).isEqualTo(ItemState.FAILED_OVER);
        assertThat(estate.store.jobs().children(job.id())).hasSize(3).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(estate.server.jobs().log(job.id())).anyMatch(l -> l.message().contains("waiting for an operator"));
    }

    @Test
    void aFailingOrSlowScriptFailsThePlanStep() {
        estate.protect("web", WEB1);
        plans.put(new RecoveryPlan(new PlanId("p1"), "p1", List.of(new PlanGroup("g", List.of(id("web")),
                List.of(new ScriptAction(List.of("sh", "-c", "echo boom; exit 3"), Duration.ofSeconds(30))), List.of()))));
        Job failed = estate.await(plans.run(new PlanId("p1"), PlanOperation.TEST_FAILOVER, Optional.empty()), JobState.FAILED);
        assertThat(failed.error().orElseThrow().code()).isEqualTo(ControlError.SCRIPT_FAILED.name());
        assertThat(estate.server.jobs().log(failed.id())).anyMatch(l -> l.message().endsWith("| boom"));
        assertThat(estate.item("web").state()).isEqualTo(ItemState.PROTECTED);

        plans.put(new RecoveryPlan(new PlanId("p2"), "p2", List.of(new PlanGroup("g", List.of(id("web")),
                List.of(new ScriptAction(List.of("sleep", "30"), Duration.ofMillis(300))), List.of()))));
        Job slow = estate.await(plans.run(new PlanId("p2"), PlanOperation.TEST_FAILOVER, Optional.empty()), JobState.FAILED);
        assertThat(slow.error().orElseThrow().code()).isEqualTo(ControlError.SCRIPT_TIMED_OUT.name());
    }

    @Test
    void fb16_noFailbackOfAPlanUntilAllItsMachinesHaveAPoint() {
        estate.reverseProtected("web", WEB1);
        estate.reverseProtected("db", DB1);
        plans.put(new RecoveryPlan(new PlanId("back"), "back", List.of(new PlanGroup("all", List.of(id("web"), id("db")), List.of(), List.of()))));
        estate.dataPlane.clearPoints(PairId.reverse(id("db")));
        BoomerangException e = catchThrowableOfType(BoomerangException.class,
                () -> plans.run(new PlanId("back"), PlanOperation.FAILBACK, Optional.empty()));
        assertThat(e.code()).isEqualTo(FailbackRule.FB_16_NO_RECOVERY_POINT);
        assertThat(e.getMessage()).contains("[db]");

        estate.dataPlane.addPoint(PairId.reverse(id("db")), org.boomerang.common.MarkerKind.CRASH, Optional.empty());
        estate.await(plans.run(new PlanId("back"), PlanOperation.FAILBACK, Optional.of(PointRequest.LATEST_PROCESSED)), JobState.SUCCEEDED);
        assertThat(estate.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
        assertThat(estate.item("db").state()).isEqualTo(ItemState.FAILED_BACK);
        estate.await(plans.run(new PlanId("back"), PlanOperation.COMMIT, Optional.empty()), JobState.SUCCEEDED);
        assertThat(estate.item("db").state()).isEqualTo(ItemState.COMMITTED_BACK);
    }

    @Test
    void aPlanNamesOnlyExistingItems() {
        BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> plans.put(new RecoveryPlan(new PlanId("x"), "x",
                List.of(new PlanGroup("g", List.of(id("ghost")), List.of(), List.of())))));
        assertThat(e.code()).isEqualTo(ControlError.ITEM_NOT_FOUND);
    }
}
