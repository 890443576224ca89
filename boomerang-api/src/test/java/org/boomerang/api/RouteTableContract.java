package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.boomerang.api.dto.Role;

/**
 * Checks that hold for any route table: the OpenAPI document and the HTTP server agree route for
 * route, and every route enforces its declared role at every boundary. Used by the API tests with
 * the real route groups.
 */
final class RouteTableContract {
    private RouteTableContract() {}

    /** Every registered route is documented, every documented route is registered and answers. */
    static void documentMatchesRoutes(TestingApi api) {
        TestingApi.Reply doc = api.get("/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        Set<String> documented = new HashSet<>();
        Set<String> operationIds = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.json().path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                assertThat(operationIds.add(op.getValue().path("operationId").asText())).as("unique operationId").isTrue();
                assertThat(op.getValue().path("x-boomerang-role").asText()).as("role of " + path.getKey()).isIn("public", "reader", "operator", "admin");
                assertThat(op.getValue().path("summary").asText()).isNotBlank();
                op.getValue().findValues("$ref").forEach(ref -> {
                    String name = ref.asText().substring("#/components/schemas/".length());
                    assertThat(doc.json().path("components").path("schemas").has(name)).as("schema " + name + " exists").isTrue();
                });
            }
        }
        Set<String> registered = new HashSet<>(api.server.registeredEndpoints());
        Set<String> table = new HashSet<>();
        for (ApiRoute r : api.server.routes()) {
            table.add(r.method() + " " + r.path());
        }
        assertThat(documented).as("documented routes = registered routes").isEqualTo(registered);
        assertThat(table).isEqualTo(registered);
        // Every documented route answers with something other than "no such route".
        for (String endpoint : documented) {
            String[] parts = endpoint.split(" ", 2);
            TestingApi.Reply r = api.call(parts[0], concrete(parts[1]), Role.ADMIN, parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}");
            assertThat(r.json() == null ? "" : r.json().path("code").asText()).as(endpoint).isNotEqualTo("API_ROUTE_NOT_FOUND");
        }
    }

    /**
     * For every route: no token gives 401; each role below the route's role gives 403
     * {@code API_ROLE_TOO_LOW}; the route's own role gets past the check.
     */
    static List<String> rolesAreEnforced(TestingApi api) {
        List<String> checked = new ArrayList<>();
        for (ApiRoute route : api.server.routes()) {
            String path = concrete(route.path());
            String method = route.method().name();
            String body = route.requestBody().isPresent() ? "{}" : null;
            if (route.access().role().isEmpty()) {
                assertThat(api.call(method, path, null, body).status()).as("%s %s is public", method, path).isNotIn(401, 403);
                continue;
            }
            Role needed = route.access().role().get();
            TestingApi.assertError(api.call(method, path, null, body), 401, "API_UNAUTHENTICATED");
            for (Role role : Role.values()) {
                TestingApi.Reply r = api.call(method, path, role, body);
                if (role.includes(needed)) {
                    assertThat(r.status()).as("%s %s with %s", method, path, role).isNotIn(401, 403);
                } else {
                    TestingApi.assertError(r, 403, "API_ROLE_TOO_LOW");
                }
                checked.add(method + " " + route.path() + " " + role + (role.includes(needed) ? " allowed" : " refused"));
            }
        }
        return checked;
    }

    private static String concrete(String path) {
        return path.replaceAll("\\{[a-zA-Z0-9]+}", "no-such-id");
    }
}
