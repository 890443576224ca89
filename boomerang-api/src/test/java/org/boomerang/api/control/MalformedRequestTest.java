package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed request gets the API's JSON error with a stable code, including the ones Jetty
 * refuses before any route sees them; ids follow one grammar.
 */
class MalformedRequestTest {
    @TempDir
    Path dir;

    private TestingControlApi control;
    private TestingApi api;

    @BeforeEach
    void start() {
        control = new TestingControlApi(dir);
        api = control.api;
    }

    @AfterEach
    void stop() {
        control.close();
    }

    /** Sends raw bytes (what no HTTP client library would send) and returns the whole response. */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertJsonError(String response, int status, String code) {
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
        assertThat(response).contains("\"code\":\"" + code + "\"").contains("\"hint\"").doesNotContain("<html").doesNotContain("<h2>");
    }

    @Test
    void aTenThousandCharacterPathIs414Json() throws Exception {
        String path = "/api/v1/items/" + "a".repeat(10_000);
        assertJsonError(raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414, "API_URI_TOO_LONG");
        assertError(api.get(path, Role.READER), 414, "API_URI_TOO_LONG");
    }

    @Test
    void aNulInThePathIs400Json() throws Exception {
        assertJsonError(raw("GET /api/v1/items/a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "API_MALFORMED_REQUEST");
        assertError(api.get("/api/v1/items/a%00b", Role.READER), 400, "API_MALFORMED_REQUEST");
    }

    @Test
    void aRequestLineJettyCannotParseIs400Json() throws Exception {
        assertJsonError(raw("GET /api/v1/items\u0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "API_MALFORMED_REQUEST");
    }

    @Test
    void aBodyOverTheLimitIs413Json() {
        String big = "{\"name\":\"" + "x".repeat(2 << 20) + "\",\"groups\":[]}";
        TestingApi.Reply r = api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, big);
        assertError(r, 413, "API_PAYLOAD_TOO_LARGE");
        assertThat(r.json().path("message").asText()).contains("1048576 bytes");
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        TestingApi.Reply r = api.call("DELETE", "/api/v1/jobs", Role.ADMIN, null);
        assertError(r, 405, "API_METHOD_NOT_ALLOWED");
        assertThat(r.raw().headers().firstValue("Allow")).contains("GET");
        assertError(api.call("PATCH", "/api/v1/plans/p1", Role.ADMIN, null), 405, "API_METHOD_NOT_ALLOWED");
        assertError(api.get("/api/v1/nothing-here", Role.ADMIN), 404, "API_ROUTE_NOT_FOUND");
    }

    @Test
    void twoConcatenatedObjectsAreOneClearErrorWithoutJacksonText() {
        TestingApi.Reply r = api.call("PUT", "/api/v1/plans/p1", Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}{\"name\":\"q\"}");
        assertError(r, 400, "API_MALFORMED_PAYLOAD");
        assertThat(r.json().path("message").asText()).isEqualTo("the body holds more than one JSON value");
        assertThat(r.body()).doesNotContain("com.fasterxml").doesNotContain("Trailing token").doesNotContain("`");
    }

    @Test
    void idsFollowOneGrammarInPathsAndBodies() {
        for (String bad : new String[] {"x".repeat(65), "..", ".hidden", "a%2Fb", "%3Cscript%3E", "a%20b", "-rf"}) {
            TestingApi.Reply r = api.call("PUT", "/api/v1/plans/" + bad, Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}");
            assertThat(r.status()).as(bad + ": " + r.body()).isIn(400, 404);
            if (r.status() == 400) {
                assertThat(r.json().path("code").asText()).as(bad).isIn("API_INVALID_ID", "API_MALFORMED_REQUEST");
            }
            assertThat(api.get("/api/v1/plans", Role.READER).body()).as(bad).doesNotContain("\"name\":\"p\"");
        }
        TestingApi.Reply seven = api.call("PUT", "/api/v1/plans/" + "y".repeat(7000), Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}");
        assertError(seven, 400, "API_INVALID_ID");
        assertThat(seven.json().path("message").asText()).contains("(7000 characters)").hasSizeLessThan(300);
        TestingApi.Reply script = api.call("PUT", "/api/v1/plans/%3Cscript%3E", Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}");
        assertError(script, 400, "API_INVALID_ID");
        assertThat(script.json().path("message").asText()).contains("'<script>'").contains("1 to 64 characters");

        TestingApi.Reply body = api.post("/api/v1/items", Role.OPERATOR,
                "{\"machine\":\"web1\",\"policy\":\"default\",\"id\":\"a/b\",\"processServer\":\"ps-primary\"}");
        assertError(body, 400, "API_INVALID_ID");
        assertThat(body.json().path("message").asText()).contains("field 'id'");
        assertThat(api.get("/api/v1/items", Role.READER).body()).doesNotContain("a/b");

        assertThat(api.call("PUT", "/api/v1/plans/" + "z".repeat(64), Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}").status()).isEqualTo(200);
        assertThat(api.call("PUT", "/api/v1/plans/shop.db_2-x", Role.ADMIN, "{\"name\":\"p\",\"groups\":[]}").status()).isEqualTo(200);
    }

    @Test
    void failoverOfAnUnknownItemIsItemNotFound() {
        TestingApi.Reply r = api.post("/api/v1/items/ghost/failover", Role.OPERATOR, "{\"type\":\"planned\"}");
        assertError(r, 404, "ITEM_NOT_FOUND");
        assertThat(r.json().path("hint").asText()).contains("FB-13");
    }
}
