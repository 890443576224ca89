package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw IOException out of a handler (a data-plane library that let it through) is 502 IO_FAILED naming what failed, not "a bug". */
class IoFailureResponseTest {
    @TempDir
    Path dir;

    TestingApi api;

    @BeforeEach
    void start() {
        RouteGroup group = () -> List.of(
                ApiRoute.get("/api/v1/disk", "readDisk").access(Access.READER).tag("test").summary("reads a disk").returns(String.class)
                        .handle(call -> {
                            throw new UncheckedIOException(new java.nio.file.FileSystemException("/srv/journals/d0/00000042.seg", null, "Input/output error"));
                        }),
                ApiRoute.get("/api/v1/bug", "bug").access(Access.READER).tag("test").summary("fails").returns(String.class)
                        .handle(call -> {
                            throw new IllegalStateException("a bug");
                        }));
        api = new TestingApi(dir, List.of(group));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anIoFailureIsAnExternalErrorThatNamesTheFile() {
        TestingApi.Reply r = api.get("/api/v1/disk", Role.READER);
        assertError(r, 502, "IO_FAILED");
        assertThat(r.json().path("category").asText()).isEqualTo("EXTERNAL");
        assertThat(r.json().path("message").asText()).isEqualTo("I/O failed: /srv/journals/d0/00000042.seg: Input/output error");
        assertThat(r.json().path("hint").asText()).contains("retry").doesNotContain("bug");
    }

    @Test
    void anythingElseIsStillAnInternalError() {
        assertError(api.get("/api/v1/bug", Role.READER), 500, "API_INTERNAL");
    }
}
