package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import java.nio.file.Path;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per role boundary, on real operations with their real effects (the exhaustive walk of
 * every route and role is {@link ControlRouteContractTest}).
 */
class RoleBoundaryTest {
    @TempDir
    Path dir;

    TestingControlApi t;

    @BeforeEach
    void start() {
        t = new TestingControlApi(dir);
        t.protectWeb();
        t.forwardPoint("web");
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void anonymousGetsHealthAndTheDocumentOnly() {
        assertThat(t.api.get("/health", null).status()).isEqualTo(200);
        assertThat(t.api.get("/openapi.json", null).status()).isEqualTo(200);
        assertError(t.api.get("/api/v1/items", null), 401, "API_UNAUTHENTICATED");
        assertError(t.api.get("/metrics", null), 401, "API_UNAUTHENTICATED");
    }

    @Test
    void readerReadsButCannotOperate() {
        assertThat(t.api.get("/api/v1/items/web", Role.READER).status()).isEqualTo(200);
        assertThat(t.api.get("/metrics", Role.READER).status()).isEqualTo(200);
        TestingApi.Reply refused = t.api.post("/api/v1/items/web/failover", Role.READER, "{\"type\":\"UNPLANNED\"}");
        assertError(refused, 403, "API_ROLE_TOO_LOW");
        assertThat(refused.json().path("message").asText()).contains("operator");
        assertThat(t.state("web")).isEqualTo("protected");
        assertThat(t.api.get("/api/v1/jobs", Role.READER).json()).hasSize(1);
    }

    @Test
    void operatorOperatesButCannotAdminister() {
        assertThat(t.run("/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\"}").path("state").asText()).isEqualTo("SUCCEEDED");
        assertError(t.api.call("PUT", "/api/v1/policies/gold", Role.OPERATOR,
                "{\"name\":\"gold\",\"rpoThresholdSeconds\":1,\"retentionSeconds\":1,\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":1,\"multiVmSync\":false}"),
                403, "API_ROLE_TOO_LOW");
        assertError(t.api.call("PUT", "/api/v1/plans/p", Role.OPERATOR, "{\"name\":\"p\",\"groups\":[]}"), 403, "API_ROLE_TOO_LOW");
        assertError(t.api.post("/api/v1/tokens", Role.OPERATOR, "{\"role\":\"admin\"}"), 403, "API_ROLE_TOO_LOW");
        assertError(t.api.get("/api/v1/tokens", Role.OPERATOR), 403, "API_ROLE_TOO_LOW");
        assertError(t.api.get("/api/v1/policies/gold", Role.OPERATOR), 404, "POLICY_NOT_FOUND");
    }

    @Test
    void adminAdministersAndOperates() {
        assertThat(t.api.call("PUT", "/api/v1/policies/gold", Role.ADMIN,
                "{\"name\":\"gold\",\"rpoThresholdSeconds\":1,\"retentionSeconds\":1,\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":1,\"multiVmSync\":false}")
                .status()).isEqualTo(200);
        assertThat(t.api.post("/api/v1/tokens", Role.ADMIN, "{\"role\":\"admin\"}").status()).isEqualTo(201);
        TestingApi.Reply op = t.api.post("/api/v1/items/web/test-failover", Role.ADMIN, null);
        assertThat(op.status()).isEqualTo(202);
        t.awaitJob(op.json().path("id").asText());
        assertThat(t.state("web")).isEqualTo("test-running");
    }
}
