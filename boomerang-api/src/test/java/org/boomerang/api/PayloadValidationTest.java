package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;

/** Every way a body can be wrong becomes a 400 that names the field. */
class PayloadValidationTest {
    enum Mode { FULL, DELTA }

    record Inner(@JsonProperty(required = true) String name, @Nullable Integer size) {}

    /** Echoed back: the optional fields a request leaves out come back as null. */
    record Sample(
            @JsonProperty(required = true) String item,
            @JsonProperty(required = true) Mode mode,
            @Nullable Long lsn,
            @Nullable Boolean force,
            @Nullable List<String> tags,
            @Nullable Inner inner) {}

    @TempDir
    Path dir;

    TestingApi api;

    @BeforeEach
    void start() {
        RouteGroup group = () -> List.of(ApiRoute.post("/api/v1/sample", "sample").access(Access.OPERATOR).tag("test")
                .summary("echo").body(Sample.class).returns(Sample.class).handle(call -> call.body(Sample.class)));
        api = new TestingApi(dir, List.of(group));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TestingApi.Reply send(String body) {
        return api.post("/api/v1/sample", Role.OPERATOR, body);
    }

    @Test
    void aValidBodyIsAccepted() {
        TestingApi.Reply r = send("{\"item\":\"vm-1\",\"mode\":\"delta\",\"lsn\":42,\"force\":true,\"tags\":[\"a\"],\"inner\":{\"name\":\"n\",\"size\":3}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("mode").asText()).isEqualTo("DELTA");
        assertThat(r.json().path("lsn").asLong()).isEqualTo(42);
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        assertThat(send("{\"item\":\"vm-1\",\"mode\":\"FULL\"}").status()).isEqualTo(200);
    }

    @Test
    void unknownFieldIsRejectedByName() {
        TestingApi.Reply r = send("{\"item\":\"vm-1\",\"mode\":\"FULL\",\"colour\":\"red\"}");
        assertError(r, 400, "API_UNKNOWN_FIELD");
        assertThat(r.json().path("message").asText()).contains("'colour'");
        assertThat(r.json().path("hint").asText()).contains("item").contains("mode");
    }

    @Test
    void unknownNestedFieldIsRejectedWithItsPath() {
        TestingApi.Reply r = send("{\"item\":\"vm-1\",\"mode\":\"FULL\",\"inner\":{\"name\":\"n\",\"weight\":1}}");
        assertError(r, 400, "API_UNKNOWN_FIELD");
        assertThat(r.json().path("message").asText()).contains("'inner.weight'");
    }

    @Test
    void missingRequiredFieldIsRejectedByName() {
        TestingApi.Reply r = send("{\"mode\":\"FULL\"}");
        assertError(r, 400, "API_MISSING_FIELD");
        assertThat(r.json().path("message").asText()).contains("'item'");
    }

    @Test
    void missingNestedRequiredFieldIsRejectedWithItsPath() {
        TestingApi.Reply r = send("{\"item\":\"vm-1\",\"mode\":\"FULL\",\"inner\":{\"size\":1}}");
        assertError(r, 400, "API_MISSING_FIELD");
        assertThat(r.json().path("message").asText()).contains("'inner.name'");
    }

    @Test
    void explicitNullIsRejectedByName() {
        TestingApi.Reply r = send("{\"item\":null,\"mode\":\"FULL\"}");
        assertError(r, 400, "API_MISSING_FIELD");
        assertThat(r.json().path("message").asText()).contains("'item'");
        TestingApi.Reply optional = send("{\"item\":\"x\",\"mode\":\"FULL\",\"lsn\":null}");
        assertError(optional, 400, "API_MISSING_FIELD");
        assertThat(optional.json().path("message").asText()).contains("'lsn'");
    }

    @Test
    void wrongTypesAreRejectedByName() {
        assertWrongType("{\"item\":17,\"mode\":\"FULL\"}", "item");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"lsn\":\"42\"}", "lsn");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"lsn\":4.5}", "lsn");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"force\":\"yes\"}", "force");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"force\":1}", "force");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"tags\":\"a\"}", "tags");
        assertWrongType("{\"item\":\"x\",\"mode\":\"FULL\",\"tags\":[1]}", "tags[0]");
        assertWrongType("{\"item\":{},\"mode\":\"FULL\"}", "item");
        assertWrongType("{\"item\":\"x\",\"mode\":3}", "mode");
    }

    @Test
    void unknownEnumConstantNamesTheFieldAndTheChoices() {
        TestingApi.Reply r = send("{\"item\":\"x\",\"mode\":\"sideways\"}");
        assertError(r, 400, "API_INVALID_VALUE");
        assertThat(r.json().path("message").asText()).contains("'mode'").contains("FULL").contains("DELTA");
    }

    @Test
    void malformedBodiesAreRejected() {
        assertError(send("{\"item\":"), 400, "API_MALFORMED_PAYLOAD");
        assertError(send("[1,2]"), 400, "API_MALFORMED_PAYLOAD");
        assertError(send(""), 400, "API_MALFORMED_PAYLOAD");
        assertError(send("null"), 400, "API_MALFORMED_PAYLOAD");
        assertError(send("{\"item\":\"x\",\"mode\":\"FULL\"} {}"), 400, "API_MALFORMED_PAYLOAD");
    }

    private void assertWrongType(String body, String field) {
        TestingApi.Reply r = send(body);
        assertError(r, 400, "API_INVALID_VALUE");
        assertThat(r.json().path("message").asText()).as(body).contains("'" + field + "'");
    }
}
