package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.boomerang.control.dataplane.PairId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery plans over real HTTP: create, show, list, delete, run operations, a manual step resumed by an operator. */
class PlanApiTest {
    private static final String PLAN = "{\"name\":\"web tier\",\"groups\":[{\"name\":\"web\",\"items\":[\"web\"],"
            + "\"pre\":[{\"type\":\"MANUAL\",\"instruction\":\"tell the DBA\"}],"
            + "\"post\":[{\"type\":\"SCRIPT\",\"command\":[\"true\"],\"timeoutSeconds\":30}]}]}";

    @TempDir
    Path dir;

    TestingControlApi t;

    @BeforeEach
    void start() {
        t = new TestingControlApi(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void createShowListDelete() {
        t.protectWeb();
        TestingApi.Reply put = t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, PLAN);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode plan = t.api.get("/api/v1/plans/p1", Role.READER).json();
        assertThat(plan.path("name").asText()).isEqualTo("web tier");
        assertThat(plan.path("groups").get(0).path("pre").get(0).path("type").asText()).isEqualTo("MANUAL");
        assertThat(plan.path("groups").get(0).path("post").get(0).path("timeoutSeconds").asLong()).isEqualTo(30);
        assertThat(t.api.get("/api/v1/plans", Role.READER).json().findValuesAsText("id")).containsExactly("p1");
        assertThat(t.api.call("DELETE", "/api/v1/plans/p1", Role.ADMIN, null).status()).isEqualTo(204);
        assertError(t.api.get("/api/v1/plans/p1", Role.READER), 404, "PLAN_NOT_FOUND");
        assertError(t.api.call("DELETE", "/api/v1/plans/p1", Role.ADMIN, null), 404, "PLAN_NOT_FOUND");
    }

    @Test
    void planPayloadsAreValidatedNamingTheField() {
        t.protectWeb();
        TestingApi.Reply noCommand = t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN,
                "{\"name\":\"x\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"],\"pre\":[{\"type\":\"SCRIPT\",\"timeoutSeconds\":5}]}]}");
        assertError(noCommand, 400, "API_MISSING_FIELD");
        assertThat(noCommand.json().path("message").asText()).contains("groups[0].pre[0].command");
        TestingApi.Reply badType = t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN,
                "{\"name\":\"x\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"],\"pre\":[{\"type\":\"PRAYER\"}]}]}");
        assertError(badType, 400, "API_INVALID_VALUE");
        assertThat(badType.json().path("message").asText()).contains("groups[0].pre[0].type");
        assertError(t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, "{\"name\":\"x\",\"groups\":[{\"name\":\"g\",\"items\":[\"ghost\"]}]}"),
                404, "ITEM_NOT_FOUND");
        TestingApi.Reply noItems = t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, "{\"name\":\"x\",\"groups\":[{\"name\":\"g\"}]}");
        assertError(noItems, 400, "API_MISSING_FIELD");
        assertThat(noItems.json().path("message").asText()).contains("groups[0].items");
    }

    @Test
    void aPlanFailoverPausesAtTheManualStepUntilAnOperatorResumesIt() {
        t.protectWeb();
        t.forwardPoint("web");
        t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, PLAN);
        TestingApi.Reply started = t.api.post("/api/v1/plans/p1/failover", Role.OPERATOR, "{\"type\":\"PLANNED\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().path("id").asText();
        JsonNode waiting = awaitState(id, "WAITING_FOR_OPERATOR");
        assertThat(waiting.path("terminal").asBoolean()).isFalse();
        assertThat(t.state("web")).isEqualTo("protected");

        assertThat(t.api.post("/api/v1/jobs/" + id + "/resume", Role.OPERATOR, null).status()).isEqualTo(202);
        assertThat(t.awaitJob(id).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(t.state("web")).isEqualTo("failed-over");

        // The group's manual step comes before every plan operation, commit too.
        String commit = t.api.post("/api/v1/plans/p1/commit", Role.OPERATOR, null).json().path("id").asText();
        awaitState(commit, "WAITING_FOR_OPERATOR");
        t.api.post("/api/v1/jobs/" + commit + "/resume", Role.OPERATOR, null);
        assertThat(t.awaitJob(commit).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(t.state("web")).isEqualTo("committed");
    }

    @Test
    void aPlanFailoverDoesNotTakeTheConfirmationThatOneItemsSourceIsUnreachable() {
        t.protectWeb();
        t.forwardPoint("web");
        t.api.call("PUT", "/api/v1/plans/p3", Role.ADMIN, "{\"name\":\"plain\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"]}]}");
        TestingApi.Reply r = t.api.post("/api/v1/plans/p3/failover", Role.OPERATOR, "{\"type\":\"UNPLANNED\",\"confirmSourceUnreachable\":true}");
        assertError(r, 400, "INVALID_REQUEST");
        assertThat(r.json().path("hint").asText()).contains("one by one");
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void testFailoverAndCleanupOfAPlanWithoutBodies() {
        t.protectWeb();
        t.forwardPoint("web");
        t.api.call("PUT", "/api/v1/plans/p2", Role.ADMIN, "{\"name\":\"plain\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"]}]}");
        t.runOk("/api/v1/plans/p2/test-failover", null);
        assertThat(t.state("web")).isEqualTo("test-running");
        t.runOk("/api/v1/plans/p2/cleanup", null);
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void failbackOfAPlanIsRefusedUntilEveryMachineHasAPoint() {
        t.protectWeb();
        t.forwardPoint("web");
        t.api.call("PUT", "/api/v1/plans/p2", Role.ADMIN, "{\"name\":\"plain\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"]}]}");
        t.runOk("/api/v1/plans/p2/failover", "{\"type\":\"UNPLANNED\"}");
        t.runOk("/api/v1/plans/p2/commit", null);
        t.registerRecoveryAgent("web");
        t.runOk("/api/v1/plans/p2/reprotect", null);
        t.estate.dataPlane.clearPoints(org.boomerang.control.dataplane.PairId.reverse(new org.boomerang.control.protection.ItemId("web")));
        TestingApi.Reply refused = t.api.post("/api/v1/plans/p2/failback", Role.OPERATOR, null);
        assertError(refused, 409, "FB_16_NO_RECOVERY_POINT");
        t.reversePoint("web");
        t.runOk("/api/v1/plans/p2/failback", "{\"point\":\"latest\"}");
        assertThat(t.state("web")).isEqualTo("failed-back");
        assertError(t.api.post("/api/v1/plans/nope/commit", Role.OPERATOR, null), 404, "PLAN_NOT_FOUND");
    }

    private JsonNode awaitState(String id, String state) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode job = t.api.get("/api/v1/jobs/" + id, Role.READER).json().path("job");
            if (job.path("state").asText().equals(state)) {
                return job;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + id + " never reached " + state);
    }
}
