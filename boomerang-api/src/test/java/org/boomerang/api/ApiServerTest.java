package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import java.nio.file.Path;
import java.util.List;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    @TempDir
    Path dir;

    TestingApi api;

    @BeforeEach
    void start() {
        api = new TestingApi(dir, List.of());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void healthIsPublicAndUp() {
        TestingApi.Reply r = api.get("/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("UP");
        assertThat(r.json().path("checks").get(0).path("name").asText()).isEqualTo("test");
    }

    @Test
    void metricsNeedAReaderAndCountRequestsByRouteTemplate() {
        assertError(api.get("/metrics", null), 401, "API_UNAUTHENTICATED");
        api.call("DELETE", "/api/v1/tokens/0000000000", Role.ADMIN, null);
        TestingApi.Reply r = api.get("/metrics", Role.READER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("boomerang_api_requests_seconds_count{")
                .contains("route=\"/api/v1/tokens/{id}\"")
                .contains("status=\"404\"");
    }

    @Test
    void unknownRouteIs404WithTheErrorBody() {
        assertError(api.get("/api/v1/nothing-here", Role.ADMIN), 404, "API_ROUTE_NOT_FOUND");
        // a path that exists with another method is 405, naming the allowed ones
        assertError(api.call("PATCH", "/health", null, null), 405, "API_METHOD_NOT_ALLOWED");
    }

    @Test
    void unauthenticatedAnswers401WithAChallengeAndNeverEchoesTheToken() {
        String forged = "bmr_0123456789_" + "A".repeat(43);
        TestingApi.Reply r = api.callWithHeader("GET", "/api/v1/whoami", "Bearer " + forged);
        assertError(r, 401, "API_UNAUTHENTICATED");
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"boomerang\"");
        assertThat(r.body()).doesNotContain(forged).doesNotContain("A".repeat(43));
        assertThat(r.json().path("category").asText()).isEqualTo("FORBIDDEN");
        assertError(api.callWithHeader("GET", "/api/v1/whoami", "Basic dXNlcjpwYXNz"), 401, "API_UNAUTHENTICATED");
        assertError(api.callWithHeader("GET", "/api/v1/whoami", "Bearer not-a-token"), 401, "API_UNAUTHENTICATED");
    }

    @Test
    void whoAmIShowsTheCallersRoleButNotItsSecret() {
        TestingApi.Reply r = api.get("/api/v1/whoami", Role.OPERATOR);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("role").asText()).isEqualTo("OPERATOR");
        assertThat(r.body()).doesNotContain(api.tokenOf.get(Role.OPERATOR));
    }

    @Test
    void adminCreatesUsesListsAndRevokesATokenOverHttp() {
        TestingApi.Reply created = api.post("/api/v1/tokens", Role.ADMIN, "{\"role\":\"reader\",\"label\":\"grafana\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        String id = created.json().path("token").path("id").asText();
        assertThat(secret).startsWith("bmr_" + id + "_");

        assertThat(api.callWithHeader("GET", "/api/v1/whoami", "Bearer " + secret).json().path("label").asText()).isEqualTo("grafana");
        TestingApi.Reply list = api.get("/api/v1/tokens", Role.ADMIN);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().findValuesAsText("id")).contains(id);
        assertThat(list.body()).doesNotContain(secret.substring(15));

        assertThat(api.call("DELETE", "/api/v1/tokens/" + id, Role.ADMIN, null).status()).isEqualTo(200);
        assertError(api.callWithHeader("GET", "/api/v1/whoami", "Bearer " + secret), 401, "API_UNAUTHENTICATED");
        assertError(api.call("DELETE", "/api/v1/tokens/" + id, Role.ADMIN, null), 404, "API_TOKEN_NOT_FOUND");
    }
}
