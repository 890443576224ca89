package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventory, sites, process servers, master targets, agents, policies and groups over real HTTP. */
class InventoryApiTest {
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
    void identityAndSites() {
        JsonNode id = t.api.get("/api/v1/identity", Role.READER).json();
        assertThat(id.path("site").asText()).isEqualTo("primary");
        assertThat(id.path("id").asText()).isNotBlank();
        assertThat(t.api.get("/api/v1/sites", Role.READER).json().findValuesAsText("id")).containsExactlyInAnyOrder("primary", "recovery");
        TestingApi.Reply put = t.api.call("PUT", "/api/v1/sites/branch", Role.ADMIN, "{\"role\":\"recovery\",\"provider\":\"lab\"}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("role").asText()).isEqualTo("RECOVERY");
        assertError(t.api.call("PUT", "/api/v1/sites/branch", Role.ADMIN, "{\"role\":\"moon\",\"provider\":\"lab\"}"), 400, "API_INVALID_VALUE");
    }

    @Test
    void discoverAndReadTheInventory() {
        JsonNode inv = t.api.post("/api/v1/sites/primary/discover", Role.OPERATOR, null).json();
        assertThat(inv.path("machines").findValuesAsText("id")).contains("web1", "db1", "phys1");
        assertThat(inv.path("datastores").findValuesAsText("type")).contains("VMFS", "VSAN", "RDM");
        JsonNode web1 = null;
        for (JsonNode m : inv.path("machines")) {
            if (m.path("id").asText().equals("web1")) {
                web1 = m;
            }
        }
        assertThat(web1).isNotNull();
        assertThat(web1.path("disks").get(0).path("sizeBytes").asLong()).isEqualTo(1L << 30);
        assertThat(web1.path("host").asText()).isEqualTo("esx1");
        assertThat(t.api.get("/api/v1/sites/primary/inventory", Role.READER).json().path("hosts").findValuesAsText("id")).contains("esx1", "hv1");
        assertError(t.api.post("/api/v1/sites/mars/discover", Role.OPERATOR, null), 404, "SITE_NOT_FOUND");
    }

    @Test
    void processServersMasterTargetsAndAgents() {
        assertThat(t.api.get("/api/v1/process-servers", Role.READER).json().findValuesAsText("id")).contains("ps-primary", "ps-recovery");
        assertThat(t.api.call("PUT", "/api/v1/process-servers/ps-3", Role.ADMIN, "{\"site\":\"recovery\",\"address\":\"10.0.0.3:9000\"}").status()).isEqualTo(200);
        assertThat(t.api.get("/api/v1/process-servers", Role.READER).json().findValuesAsText("id")).contains("ps-3");
        assertThat(t.api.get("/api/v1/master-targets", Role.READER).json().findValuesAsText("machine")).contains("mt1");
        assertThat(t.api.call("PUT", "/api/v1/master-targets/mt2", Role.ADMIN, "{\"site\":\"primary\",\"host\":\"esx2\"}").status()).isEqualTo(200);
        assertThat(t.api.get("/api/v1/master-targets", Role.READER).json().findValuesAsText("machine")).contains("mt2");
        assertError(t.api.call("PUT", "/api/v1/master-targets/mt2", Role.ADMIN, "{\"site\":\"primary\"}"), 400, "API_MISSING_FIELD");
        assertThat(t.api.get("/api/v1/sites/primary/agents/web1", Role.READER).json().path("machine").asText()).isEqualTo("web1");
        assertThat(t.api.get("/api/v1/sites/primary/agents/web1", Role.READER).json().path("site").asText()).isEqualTo("primary");
        assertError(t.api.get("/api/v1/sites/recovery/agents/web1", Role.READER), 404, "MACHINE_NOT_FOUND");
        assertError(t.api.get("/api/v1/sites/primary/agents/ghost", Role.READER), 404, "MACHINE_NOT_FOUND");
        assertError(t.api.get("/api/v1/sites/nowhere/agents/web1", Role.READER), 404, "SITE_NOT_FOUND");
        assertThat(t.api.post("/api/v1/sites/recovery/agents/ghost/heartbeat", Role.ADMIN, null).json().path("machine").asText()).isEqualTo("ghost");
        assertThat(t.api.get("/api/v1/agents", Role.READER).json().findValuesAsText("machine")).contains("web1", "ghost");
    }

    @Test
    void policiesAndGroups() {
        assertThat(t.api.get("/api/v1/policies", Role.READER).json().findValuesAsText("id")).contains("default");
        String body = "{\"name\":\"gold\",\"rpoThresholdSeconds\":300,\"retentionSeconds\":86400,\"crashConsistentEverySeconds\":60,"
                + "\"appConsistentEverySeconds\":3600,\"multiVmSync\":true}";
        assertThat(t.api.call("PUT", "/api/v1/policies/gold", Role.ADMIN, body).status()).isEqualTo(200);
        assertThat(t.api.get("/api/v1/policies/gold", Role.READER).json().path("retentionSeconds").asLong()).isEqualTo(86400);
        TestingApi.Reply zero = t.api.call("PUT", "/api/v1/policies/gold", Role.ADMIN, body.replace("86400", "0"));
        assertError(zero, 400, "API_INVALID_VALUE");
        assertThat(zero.json().path("message").asText()).contains("retentionSeconds");
        assertError(t.api.call("PUT", "/api/v1/policies/gold", Role.ADMIN, body.replace("300", "\"5m\"")), 400, "API_INVALID_VALUE");
        assertError(t.api.get("/api/v1/policies/none", Role.READER), 404, "POLICY_NOT_FOUND");
        assertThat(t.api.call("PUT", "/api/v1/groups/g1", Role.ADMIN, "{\"name\":\"tier 1\"}").status()).isEqualTo(200);
        assertThat(t.api.get("/api/v1/groups/g1", Role.READER).json().path("name").asText()).isEqualTo("tier 1");
        assertError(t.api.get("/api/v1/groups/g2", Role.READER), 404, "GROUP_NOT_FOUND");
    }

    @Test
    void powerOnIsRefusedWhileTheMachineIsFenced() {
        t.protectWeb();
        t.forwardPoint("web");
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        TestingApi.Reply refused = t.api.post("/api/v1/sites/primary/machines/web1/power-on", Role.OPERATOR, null);
        assertError(refused, 409, "MACHINE_FENCED");
        assertThat(t.api.post("/api/v1/sites/primary/machines/db1/power-on", Role.OPERATOR, null).status()).isEqualTo(204);
    }
}
