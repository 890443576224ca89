package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.api.OpenApiValidator;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real responses of items, jobs, plans, sites, inventory and errors conform to the served
 * {@code /openapi.json} ({@link TestingApi} checks each one with networknt's validator), the
 * document marks required and nullable fields, and the validator does reject what breaks it.
 */
class OpenApiConformanceTest {
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
    void everyAreasResponsesConformToTheServedDocument() {
        t.protectWeb();
        t.forwardPoint("web");
        t.api.get("/api/v1/items", Role.READER);
        t.api.get("/api/v1/items/web", Role.READER);
        t.api.get("/api/v1/items/web/points", Role.READER);
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        String job = t.api.get("/api/v1/jobs", Role.READER).json().get(0).path("id").asText();
        t.api.get("/api/v1/jobs/" + job, Role.READER);
        t.api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, "{\"name\":\"p\",\"groups\":[{\"name\":\"g\",\"items\":[\"web\"],"
                + "\"pre\":[{\"type\":\"MANUAL\",\"instruction\":\"call\"}],\"post\":[{\"type\":\"SCRIPT\",\"command\":[\"true\"],\"timeoutSeconds\":5}]}]}");
        t.api.get("/api/v1/plans", Role.READER);
        t.api.get("/api/v1/plans/p1", Role.READER);
        t.api.get("/api/v1/sites", Role.READER);
        t.api.post("/api/v1/sites/primary/discover", Role.OPERATOR, null);
        t.api.get("/api/v1/sites/primary/inventory", Role.READER);
        t.api.get("/api/v1/items/ghost", Role.READER);
        t.api.get("/api/v1/items", null);
        t.api.get("/api/v1/no-such-route", Role.READER);
        t.api.get("/metrics", Role.READER);
        t.api.get("/health", null);

        assertThat(t.api.validator().checked()).contains(
                "GET /api/v1/items 200", "GET /api/v1/items/{id} 200", "GET /api/v1/items/{id}/points 200", "POST /api/v1/items 202",
                "POST /api/v1/items/{id}/failover 202", "GET /api/v1/jobs 200", "GET /api/v1/jobs/{id} 200",
                "PUT /api/v1/plans/{id} 200", "GET /api/v1/plans 200", "GET /api/v1/plans/{id} 200",
                "GET /api/v1/sites 200", "POST /api/v1/sites/{site}/discover 200", "GET /api/v1/sites/{site}/inventory 200",
                "GET /api/v1/items/{id} 404", "GET /api/v1/items 401", "GET (no route) 404", "GET /metrics 200", "GET /health 200");
    }

    @Test
    void responseRecordsRequireEveryFieldAndMarkTheNullableOnes() {
        JsonNode schemas = t.api.validator().document().path("components").path("schemas");
        JsonNode item = schemas.path("ItemView");
        assertThat(item.path("required").size()).isEqualTo(item.path("properties").size());
        assertThat(item.path("properties").path("group").path("type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(item.path("properties").path("id").path("type").asText()).isEqualTo("string");
        assertThat(item.path("properties").path("lastError").path("anyOf").toString())
                .isEqualTo("[{\"$ref\":\"#/components/schemas/ErrorView\"},{\"type\":\"null\"}]");
        // A request names only the fields it needs, and none may be null.
        assertThat(schemas.path("EnableRequest").path("required").toString()).isEqualTo("[\"machine\",\"policy\"]");
        assertThat(schemas.path("EnableRequest").path("properties").path("group").path("type").asText()).isEqualTo("string");
        // A record read and written gets both shapes: the plan's groups.
        assertThat(schemas.path("PlanViewAction").path("required").size()).isEqualTo(4);
        assertThat(schemas.path("PlanViewActionInput").path("required").toString()).isEqualTo("[\"type\"]");
        assertThat(schemas.path("PlanViewRequest").path("properties").path("groups").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/PlanViewGroupInput");
        JsonNode metrics = t.api.validator().document().path("paths").path("/metrics").path("get").path("responses").path("200").path("content");
        assertThat(metrics.fieldNames()).toIterable().containsExactly("text/plain; version=0.0.4");
    }

    @Test
    void theValidatorRejectsWhatBreaksTheDocument() {
        OpenApiValidator v = t.api.validator();
        String point = "{\"id\":\"p\",\"item\":\"web\",\"lsn\":1,\"time\":\"2026-01-01T00:00:00Z\",\"consistency\":\"CRASH\",\"groupTag\":null}";
        assertThat(v.check("GET", "/api/v1/items/web/points", 200, "application/json", "[" + point + "]").problems()).isEmpty();
        List<String> nullId = v.check("GET", "/api/v1/items/web/points", 200, "application/json",
                "[" + point.replace("\"id\":\"p\"", "\"id\":null") + "]").problems();
        assertThat(nullId).as("null in a field that is not nullable").isNotEmpty();
        List<String> missing = v.check("GET", "/api/v1/items/web/points", 200, "application/json",
                "[" + point.replace(",\"groupTag\":null", "") + "]").problems();
        assertThat(missing).as("a required field left out").isNotEmpty();
        List<String> unknownEnum = v.check("GET", "/api/v1/items/web/points", 200, "application/json",
                "[" + point.replace("CRASH", "UNKNOWN") + "]").problems();
        assertThat(unknownEnum).as("a value the enum does not list").isNotEmpty();
        List<String> extra = v.check("GET", "/api/v1/items/web/points", 200, "application/json",
                "[" + point.replace("{", "{\"colour\":\"red\",") + "]").problems();
        assertThat(extra).as("a field the document does not have").isNotEmpty();
        assertThat(v.check("GET", "/metrics", 200, "application/json", "{}").problems()).as("wrong content type").isNotEmpty();
        assertThat(v.check("GET", "/api/v1/items", 201, "application/json", "[]").problems()).as("undocumented success status").isNotEmpty();
        assertThat(v.check("GET", "/api/v1/nothing", 404, "application/json", "{\"code\":\"X\"}").problems())
                .as("an error that is not an ApiError").isNotEmpty();
    }
}
