package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Role;
import org.boomerang.api.dto.Health;
import org.boomerang.common.Clock;

/**
 * A real API server on 127.0.0.1 and an ephemeral port, with one token per role, and a plain
 * java.net.http client to call it. Every response is checked against the OpenAPI document the
 * server serves ({@link OpenApiValidator}); one that does not conform fails the test. Close it
 * after the test.
 */
public final class TestingApi implements AutoCloseable {
    public final ApiServer server;
    public final TokenStore tokens;
    public final Map<Role, String> tokenOf = new EnumMap<>(Role.class);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private volatile OpenApiValidator validator;

    public TestingApi(Path dataDir, List<RouteGroup> groups) {
        this(dataDir, groups, ErrorDetails.NONE);
    }

    public TestingApi(Path dataDir, List<RouteGroup> groups, ErrorDetails details) {
        tokens = new TokenStore(new TokenFile(dataDir), Clock.SYSTEM);
        for (Role role : Role.values()) {
            tokenOf.put(role, tokens.create(role, "test " + role.label()).token().text());
        }
        server = new ApiServer(new ApiServerConfig(groups, tokens, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(() -> new Health.HealthCheck("test", org.boomerang.api.dto.HealthStatusView.UP, "")), details, "test")).start("127.0.0.1", 0);
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A response: status, body text, and the body as JSON when it is JSON. */
    public record Reply(int status, String body, JsonNode json, HttpResponse<String> raw) {}

    public Reply call(String method, String path, Role role, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (role != null) {
            b.header("Authorization", "Bearer " + tokenOf.get(role));
        }
        return send(b.build());
    }

    public Reply callWithHeader(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    public Reply get(String path, Role role) {
        return call("GET", path, role, null);
    }

    public Reply post(String path, Role role, String body) {
        return call("POST", path, role, body);
    }

    /** The validator of the served document, fetched on first use. */
    public OpenApiValidator validator() {
        OpenApiValidator v = validator;
        if (v == null) {
            HttpResponse<String> doc = exchange(HttpRequest.newBuilder(URI.create(base() + "/openapi.json")).GET().build());
            assertThat(doc.statusCode()).as("GET /openapi.json: %s", doc.body()).isEqualTo(200);
            v = new OpenApiValidator(doc.body());
            validator = v;
        }
        return v;
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = exchange(request);
            OpenApiValidator.Verdict verdict = validator().check(request.method(), request.uri().getRawPath(), r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(null), r.body());
            if (!verdict.ok()) {
                throw new AssertionError("the response of " + verdict.operation() + " does not conform to /openapi.json: "
                        + verdict.problems() + "\nbody: " + r.body());
            }
            JsonNode node = null;
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/json") && !r.body().isEmpty()) {
                node = json.readTree(r.body());
            }
            return new Reply(r.statusCode(), r.body(), node, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asserts an error reply: status, code, and that message and hint are not empty. */
    public static void assertError(Reply reply, int status, String code) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.json()).as("error body").isNotNull();
        assertThat(reply.json().path("code").asText()).isEqualTo(code);
        assertThat(reply.json().path("message").asText()).isNotBlank();
        assertThat(reply.json().has("hint")).isTrue();
        assertThat(reply.json().has("state")).isTrue();
        assertThat(reply.json().path("allowedActions").isArray()).isTrue();
    }

    @Override
    public void close() {
        server.close();
    }
}
