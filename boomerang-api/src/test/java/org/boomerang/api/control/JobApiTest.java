package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.boomerang.api.TestingApi.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs over real HTTP: list and filters, details, the event stream, cancel, resume, restart. */
class JobApiTest {
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
    void listFiltersByStateAndTargetAndShowHasStepsAndLog() {
        t.protectWeb();
        JsonNode all = t.api.get("/api/v1/jobs", Role.READER).json();
        assertThat(all).hasSize(1);
        String id = all.get(0).path("id").asText();
        assertThat(t.api.get("/api/v1/jobs?state=succeeded&target=web", Role.READER).json()).hasSize(1);
        assertThat(t.api.get("/api/v1/jobs?state=FAILED", Role.READER).json()).isEmpty();
        assertThat(t.api.get("/api/v1/jobs?target=db", Role.READER).json()).isEmpty();
        assertError(t.api.get("/api/v1/jobs?state=sleeping", Role.READER), 400, "API_INVALID_VALUE");
        assertError(t.api.get("/api/v1/jobs?limit=0", Role.READER), 400, "API_INVALID_VALUE");
        assertError(t.api.get("/api/v1/jobs?limit=many", Role.READER), 400, "API_INVALID_VALUE");

        JsonNode details = t.api.get("/api/v1/jobs/" + id, Role.READER).json();
        assertThat(details.path("job").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(details.path("job").path("percent").asInt()).isEqualTo(100);
        assertThat(details.path("steps").size()).isPositive();
        assertThat(details.path("steps").get(0).path("requestId").asText()).isNotBlank();
        assertThat(details.path("log").findValuesAsText("message")).anyMatch(m -> m.startsWith("requested: enable of item web"));
        assertError(t.api.get("/api/v1/jobs/nope", Role.READER), 404, "JOB_NOT_FOUND");
    }

    @Test
    void eventStreamSendsProgressAndEndsWithDone() throws Exception {
        committedWeb();
        CountDownLatch gate = new CountDownLatch(1);
        t.estate.dataPlane.holdSyncs(gate);
        String id = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, null).json().path("id").asText();
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.api.base() + "/api/v1/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + t.api.tokenOf.get(Role.READER)).build();
        List<String> events = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        Thread opener = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        ObjectMapper json = new ObjectMapper();
        response.body().forEach(line -> {
            if (line.startsWith("event:")) {
                events.add(line.substring(6).trim());
            } else if (line.startsWith("data:")) {
                try {
                    data.add(json.readTree(line.substring(5)));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        opener.join();
        assertThat(events).isNotEmpty();
        assertThat(events.getFirst()).isEqualTo("progress");
        assertThat(events.getLast()).isEqualTo("done");
        assertThat(data.getLast().path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(data.getLast().path("terminal").asBoolean()).isTrue();
        assertThat(events.stream().filter("done"::equals)).hasSize(1);
    }

    @Test
    void eventStreamOfAnUnknownJobIsAJson404AndAPlainGetIsRefused() {
        assertError(t.api.get("/api/v1/jobs/nope/events", Role.READER), 404, "JOB_NOT_FOUND");
        t.protectWeb();
        String id = t.api.get("/api/v1/jobs", Role.READER).json().get(0).path("id").asText();
        assertError(t.api.get("/api/v1/jobs/" + id + "/events", Role.READER), 400, "API_EVENT_STREAM_NOT_ACCEPTED");
    }

    @Test
    void cancelResumeRestartRefuseJobsInTheWrongState() {
        t.protectWeb();
        String id = t.api.get("/api/v1/jobs", Role.READER).json().get(0).path("id").asText();
        assertError(t.api.post("/api/v1/jobs/" + id + "/cancel", Role.OPERATOR, null), 409, "JOB_NOT_CANCELLABLE");
        assertError(t.api.post("/api/v1/jobs/" + id + "/resume", Role.OPERATOR, null), 409, "JOB_NOT_WAITING");
        assertError(t.api.post("/api/v1/jobs/" + id + "/restart", Role.OPERATOR, null), 409, "JOB_NOT_RESTARTABLE");
        assertError(t.api.post("/api/v1/jobs/nope/cancel", Role.OPERATOR, null), 404, "JOB_NOT_FOUND");
    }

    @Test
    void aFailedJobReportsItsErrorWithCategoryAndCanBeRestarted() {
        committedWeb();
        t.estate.dataPlane.failSyncs(new BoomerangException(ControlError.STEP_FAILED, "the process server is away", "bring it back"));
        JsonNode failed = t.run("/api/v1/items/web/reprotect", null);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("STEP_FAILED");
        assertThat(failed.path("error").path("category").asText()).isEqualTo("EXTERNAL");
        assertThat(t.state("web")).isEqualTo("committed");
        assertThat(t.api.get("/api/v1/items/web", Role.READER).json().path("lastError").path("code").asText()).isEqualTo("STEP_FAILED");

        t.estate.dataPlane.failSyncs(null);
        TestingApi.Reply restarted = t.api.post("/api/v1/jobs/" + failed.path("id").asText() + "/restart", Role.OPERATOR, null);
        assertThat(restarted.status()).isEqualTo(202);
        assertThat(restarted.json().path("restartOf").asText()).isEqualTo(failed.path("id").asText());
        JsonNode done = t.awaitJob(restarted.json().path("id").asText());
        assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(t.state("web")).isEqualTo("reverse-protected");
    }

    @Test
    void aRunningCancellableJobIsCancelled() throws Exception {
        committedWeb();
        CountDownLatch gate = new CountDownLatch(1);
        t.estate.dataPlane.holdSyncs(gate);
        String id = t.api.post("/api/v1/items/web/reprotect", Role.OPERATOR, null).json().path("id").asText();
        TestingApi.Reply cancel = t.api.post("/api/v1/jobs/" + id + "/cancel", Role.OPERATOR, null);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().path("cancelRequested").asBoolean()).isTrue();
        gate.countDown();
        JsonNode end = t.awaitJob(id);
        assertThat(end.path("state").asText()).isIn("CANCELLED", "SUCCEEDED");
    }

    /** web protected, failed over, committed, its recovery-site agent registered: ready to reprotect. */
    private void committedWeb() {
        t.protectWeb();
        t.forwardPoint("web");
        t.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        t.runOk("/api/v1/items/web/commit", null);
        t.registerRecoveryAgent("web");
    }
}
