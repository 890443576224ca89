package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.api.TestingApi;
import org.boomerang.api.dto.Role;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;

/**
 * A real API server over a real control server whose sites and data plane are the control
 * module's hand-written fakes ({@link TestingEstate}: two sites, machines web1, db1, …, policy
 * {@code default}, process servers ps-primary and ps-recovery, master target mt1).
 */
public final class TestingControlApi implements AutoCloseable {
    public final TestingEstate estate = new TestingEstate(new InMemoryControlStore());
    public final TestingApi api;

    public TestingControlApi(Path dir) {
        api = new TestingApi(dir, ControlRoutes.of(estate.server));
    }

    /** A crash-consistent point on the item's forward (primary → recovery) pair. */
    public MachinePoint forwardPoint(String item) {
        return estate.dataPlane.addPoint(PairId.forward(new ItemId(item)), MarkerKind.CRASH, Optional.empty());
    }

    /** A crash-consistent point on the item's reverse pair (after reprotect). */
    public MachinePoint reversePoint(String item) {
        return estate.dataPlane.addPoint(PairId.reverse(new ItemId(item)), MarkerKind.CRASH, Optional.empty());
    }

    /** POSTs an operation, expects 202 with a job, waits for the job to end, returns the final job. */
    public JsonNode run(String path, String body) {
        TestingApi.Reply r = api.post(path, Role.OPERATOR, body);
        assertThat(r.status()).as("%s: %s", path, r.body()).isEqualTo(202);
        return awaitJob(r.json().path("id").asText());
    }

    /** Polls {@code GET /api/v1/jobs/{id}} until the job ends. */
    public JsonNode awaitJob(String id) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            TestingApi.Reply r = api.get("/api/v1/jobs/" + id, Role.READER);
            assertThat(r.status()).isEqualTo(200);
            if (r.json().path("job").path("terminal").asBoolean()) {
                return r.json().path("job");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + id + " did not end: " + api.get("/api/v1/jobs/" + id, Role.READER).body());
    }

    public JsonNode runOk(String path, String body) {
        JsonNode job = run(path, body);
        assertThat(job.path("state").asText()).as("job %s: %s", path, job).isEqualTo("SUCCEEDED");
        return job;
    }

    public String state(String item) {
        return api.get("/api/v1/items/" + item, Role.READER).json().path("state").asText();
    }

    /** The recovery-site machine's agent reports in (FB-21: reprotect needs it registered). */
    public void registerRecoveryAgent(String item) {
        JsonNode view = api.get("/api/v1/items/" + item, Role.READER).json();
        String machine = view.path("recoveryMachine").asText();
        assertThat(machine).as("recovery machine of %s", view).isNotBlank();
        TestingApi.Reply r = api.post("/api/v1/sites/" + view.path("recoverySite").asText("recovery") + "/agents/"
                + java.net.URLEncoder.encode(machine, java.nio.charset.StandardCharsets.UTF_8) + "/heartbeat", Role.ADMIN, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** Protects machine web1 as item "web" and waits for it. */
    public void protectWeb() {
        runOk("/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"default\",\"id\":\"web\",\"processServer\":\"ps-primary\"}");
        assertThat(state("web")).isEqualTo("protected");
    }

    @Override
    public void close() {
        api.close();
        estate.close();
    }
}
