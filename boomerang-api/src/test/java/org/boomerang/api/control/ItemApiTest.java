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

/** Protected items over real HTTP: every operation's happy path and its refusals. */
class ItemApiTest {
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
    void theWholeCycleFailoverCommitReprotectFailbackCommitReprotect() {
        t.protectWeb();
        JsonNode list = t.api.get("/api/v1/items", Role.READER).json();
        assertThat(list.findValuesAsText("id")).containsExactly("web");
        assertThat(list.get(0).path("allowedActions").toString()).contains("planned-failover", "test-failover", "disable");

        String point = t.forwardPoint("web").id().value();
        TestingApi.Reply points = t.api.get("/api/v1/items/web/points", Role.READER);
        assertThat(points.json().findValuesAsText("id")).endsWith(point);

        JsonNode failover = t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}");
        assertThat(failover.path("description").asText()).contains("planned-failover of item web").contains(point);
        assertThat(t.state("web")).isEqualTo("failed-over");
        assertThat(t.api.get("/api/v1/items/web", Role.READER).json().path("fencedSite").asText()).isEqualTo("primary");

        t.runOk("/api/v1/items/web/commit", null);
        assertThat(t.state("web")).isEqualTo("committed");
        t.registerRecoveryAgent("web");

        assertThat(t.api.get("/api/v1/items/web", Role.READER).json().path("retentionFromPolicy").asBoolean()).isTrue();
        TestingApi.Reply badRetention = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, "{\"retention\":\"12\"}");
        assertThat(badRetention.status()).isEqualTo(400);
        assertThat(badRetention.json().path("code").asText()).isEqualTo("API_INVALID_VALUE");
        assertThat(badRetention.json().path("message").asText()).contains("retention");
        TestingApi.Reply zeroRetention = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, "{\"retention\":\"0s\"}");
        assertThat(zeroRetention.status()).isEqualTo(400);
        assertThat(zeroRetention.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        t.runOk("/api/v1/items/web/reprotect",
                "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\",\"retention\":\"12h\"}");
        assertThat(t.state("web")).isEqualTo("reverse-protected");
        JsonNode reverse = t.api.get("/api/v1/items/web", Role.READER).json();
        assertThat(reverse.path("retentionSeconds").asLong()).as("the retention chosen at reprotect").isEqualTo(12 * 3600);
        assertThat(reverse.path("retentionFromPolicy").asBoolean()).isFalse();

        t.reversePoint("web");
        JsonNode failback = t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        assertThat(failback.path("description").asText()).contains("(failback)");
        assertThat(t.state("web")).isEqualTo("failed-back");

        t.runOk("/api/v1/items/web/commit", null);
        assertThat(t.state("web")).isEqualTo("committed-back");
        t.runOk("/api/v1/items/web/reprotect", "{\"processServer\":\"ps-primary\"}");
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void testFailoverAndCleanupWithoutABody() {
        t.protectWeb();
        t.forwardPoint("web");
        t.runOk("/api/v1/items/web/test-failover", null);
        assertThat(t.state("web")).isEqualTo("test-running");
        t.runOk("/api/v1/items/web/cleanup", null);
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void changePointThenCancelFailover() {
        t.protectWeb();
        String first = t.forwardPoint("web").id().value();
        String second = t.forwardPoint("web").id().value();
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\",\"point\":\"" + first + "\"}");
        assertThat(t.api.get("/api/v1/items/web", Role.READER).json().path("point").asText()).isEqualTo(first);
        t.runOk("/api/v1/items/web/change-point", "{\"point\":\"" + second + "\"}");
        assertThat(t.api.get("/api/v1/items/web", Role.READER).json().path("point").asText()).isEqualTo(second);
        t.runOk("/api/v1/items/web/cancel", null);
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void disableThenEnableAgain() {
        t.protectWeb();
        t.runOk("/api/v1/items/web/disable", null);
        assertThat(t.state("web")).isEqualTo("unprotected");
        t.runOk("/api/v1/items/web/enable", null);
        assertThat(t.state("web")).isEqualTo("protected");
    }

    @Test
    void previewShowsTheSelectedPointAndItsDataLoss() {
        t.protectWeb();
        String p = t.forwardPoint("web").id().value();
        TestingApi.Reply r = t.api.get("/api/v1/items/web/points/preview?point=latest", Role.READER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("point").path("id").asText()).isEqualTo(p);
        assertThat(r.json().path("dataLossSeconds").asLong()).isZero();
        assertError(t.api.get("/api/v1/items/web/points/preview?point=lsn:abc", Role.READER), 400, "INVALID_REQUEST");
    }

    @Test
    void anIllegalTransitionIsRefusedWithTheStateAndTheAllowedActions() {
        t.protectWeb();
        TestingApi.Reply r = t.api.post("/api/v1/items/web/commit", Role.OPERATOR, null);
        assertError(r, 409, "ILLEGAL_TRANSITION");
        assertThat(r.json().path("category").asText()).isEqualTo("PRECONDITION");
        assertThat(r.json().path("state").asText()).isEqualTo("protected");
        assertThat(r.json().path("allowedActions").toString()).contains("planned-failover", "unplanned-failover", "test-failover");
        assertThat(r.json().path("hint").asText()).isNotBlank();
    }

    @Test
    void aFailbackRuleRefusalKeepsItsStableCode() {
        t.protectWeb();
        t.forwardPoint("web");
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        t.runOk("/api/v1/items/web/commit", null);
        t.registerRecoveryAgent("web");
        TestingApi.Reply r = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, "{\"location\":\"ALTERNATE\",\"datastore\":\"vsan1\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("code").asText()).isEqualTo("FB_8_ALR_ONLY_ON_VMFS");
        assertThat(r.json().path("state").asText()).isEqualTo("committed");
        assertThat(r.json().path("allowedActions").toString()).contains("reprotect");
    }

    @Test
    void unknownItemIs404() {
        assertError(t.api.get("/api/v1/items/nope", Role.READER), 404, "ITEM_NOT_FOUND");
        assertError(t.api.post("/api/v1/items/nope/commit", Role.OPERATOR, null), 404, "ITEM_NOT_FOUND");
        assertError(t.api.get("/api/v1/items/nope/points", Role.READER), 404, "ITEM_NOT_FOUND");
    }

    @Test
    void protectValidatesItsPayloadAndItsReferences() {
        TestingApi.Reply missing = t.api.post("/api/v1/items", Role.OPERATOR, "{\"policy\":\"default\"}");
        assertError(missing, 400, "API_MISSING_FIELD");
        assertThat(missing.json().path("message").asText()).contains("'machine'");
        TestingApi.Reply unknown = t.api.post("/api/v1/items", Role.OPERATOR, "{\"machine\":\"web1\",\"policy\":\"default\",\"colour\":1}");
        assertError(unknown, 400, "API_UNKNOWN_FIELD");
        assertError(t.api.post("/api/v1/items", Role.OPERATOR, "{\"machine\":\"nope\",\"policy\":\"default\"}"), 404, "MACHINE_NOT_FOUND");
        assertError(t.api.post("/api/v1/items", Role.OPERATOR, "{\"machine\":\"web1\",\"policy\":\"nope\"}"), 404, "POLICY_NOT_FOUND");
        TestingApi.Reply type = t.api.post("/api/v1/items/web/failover", Role.OPERATOR, "{\"type\":\"sideways\"}");
        assertError(type, 400, "API_INVALID_VALUE");
        assertThat(type.json().path("message").asText()).contains("'type'");
        assertError(t.api.post("/api/v1/items/web/failover", Role.OPERATOR, null), 400, "API_MALFORMED_PAYLOAD");
        assertError(t.api.post("/api/v1/items/web/change-point", Role.OPERATOR, "{}"), 400, "API_MISSING_FIELD");
    }

    @Test
    void aSecondOperationWhileOneRunsIsAConflict() throws Exception {
        t.protectWeb();
        t.forwardPoint("web");
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        t.estate.dataPlane.holdSyncs(gate);
        TestingApi.Reply first = t.api.post("/api/v1/items/web/disable", Role.OPERATOR, null);
        assertThat(first.status()).isEqualTo(202);
        TestingApi.Reply second = t.api.post("/api/v1/items/web/failover", Role.OPERATOR, "{\"type\":\"PLANNED\"}");
        gate.countDown();
        if (second.status() == 409) {
            assertThat(second.json().path("code").asText()).isIn("ITEM_BUSY", "ILLEGAL_TRANSITION");
            assertThat(second.json().path("state").asText()).isNotBlank();
        }
        t.awaitJob(first.json().path("id").asText());
    }

    @Test
    void healthFromReplicationFactsAlertsAndMigration() {
        t.protectWeb();
        TestingApi.Reply ok = t.api.get("/api/v1/items/web", Role.READER);
        assertThat(ok.json().path("health").asText()).isEqualTo("OK");
        assertThat(ok.json().path("replication").path("state").asText()).isEqualTo("protected");
        assertThat(ok.json().path("replication").path("rpoSeconds").asDouble()).isZero();
        assertThat(ok.json().path("conditions")).isEmpty();
        assertThat(t.api.get("/api/v1/alerts", Role.READER).json()).isEmpty();
        // the PUT that set health by hand is gone: health is measured
        assertThat(t.api.call("PUT", "/api/v1/items/web/health", Role.ADMIN, "{\"health\":\"OK\"}").status()).isIn(404, 405);

        org.boomerang.control.dataplane.PairId pair = org.boomerang.control.dataplane.PairId.forward(new org.boomerang.control.protection.ItemId("web"));
        t.estate.dataPlane.reportHealth(t.estate.dataPlane.measurement(pair, org.boomerang.control.dataplane.ReplicationState.INITIAL_SYNC,
                0.25, java.util.Optional.empty(), java.util.List.of()));
        TestingApi.Reply syncing = t.api.get("/api/v1/items", Role.READER);
        assertThat(syncing.json().get(0).path("health").asText()).isEqualTo("WARNING");
        assertThat(syncing.json().get(0).path("replication").path("state").asText()).isEqualTo("initial-sync");
        assertThat(syncing.json().get(0).path("replication").path("initialSyncProgress").asDouble()).isEqualTo(0.25);
        assertThat(syncing.json().get(0).path("conditions").get(0).path("code").asText()).isEqualTo("INITIAL_SYNC");
        assertThat(t.api.get("/api/v1/alerts", Role.READER).json()).isEmpty();

        t.estate.dataPlane.reportHealth(t.estate.dataPlane.measurement(pair, org.boomerang.control.dataplane.ReplicationState.PROTECTED,
                1, java.util.Optional.of(java.time.Duration.ofHours(1)), java.util.List.of("agent of web1")));
        TestingApi.Reply alerts = t.api.get("/api/v1/alerts", Role.READER);
        assertThat(alerts.status()).isEqualTo(200);
        assertThat(alerts.json()).hasSize(1);
        assertThat(alerts.json().get(0).path("item").asText()).isEqualTo("web");
        assertThat(alerts.json().get(0).path("health").asText()).isEqualTo("CRITICAL");
        assertThat(alerts.json().get(0).path("rpoSeconds").asDouble()).isEqualTo(3600.0);
        assertThat(alerts.json().get(0).path("rpoThresholdSeconds").asLong()).isPositive();
        assertThat(alerts.json().get(0).path("conditions").findValuesAsText("code")).containsExactlyInAnyOrder("ROLE_UNREACHABLE", "RPO_EXCEEDED");
        assertThat(t.api.get("/api/v1/alerts", null).status()).isEqualTo(401);
        t.estate.dataPlane.measureNormally(pair);

        assertError(t.api.post("/api/v1/items/web/complete-migration", Role.OPERATOR, null), 409, "ILLEGAL_TRANSITION");
        t.forwardPoint("web");
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        t.runOk("/api/v1/items/web/commit", null);
        TestingApi.Reply m = t.api.post("/api/v1/items/web/complete-migration", Role.OPERATOR, null);
        assertThat(m.status()).isEqualTo(200);
        TestingApi.Reply refused = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, null);
        assertThat(refused.json().path("code").asText()).isEqualTo("FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED");
    }
}
