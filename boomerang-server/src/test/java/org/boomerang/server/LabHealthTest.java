package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item health from replication facts against the real server ({@code examples/lab/server.yaml}, port 0,
 * a temporary data folder) and its embedded data plane: enabling a machine shows initial sync, then
 * protected with a measured RPO and health OK; with the policy's threshold at 0 s, writes from an NBD
 * client that are not yet durable at the replica raise an alert, and the RPO is on {@code /metrics}.
 */
class LabHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "{\"name\":\"watched\",\"rpoThresholdSeconds\":%d,\"retentionSeconds\":86400,"
            + "\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":60,\"multiVmSync\":false}";

    @TempDir
    Path data;

    private LabClient lab;

    @BeforeEach
    void start() throws Exception {
        lab = LabClient.start(data);
        call("PUT", "/api/v1/policies/watched", POLICY.formatted(60));
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    @Test
    void enablingAMachineGoesFromInitialSyncToProtectedWithAMeasuredRpoAndATinyThresholdAlerts() throws Exception {
        HttpResponse<String> enable = send("POST", "/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"watched\",\"id\":\"web\","
                + "\"processServer\":\"ps-primary\"}");
        assertThat(enable.statusCode()).as(enable.body()).isEqualTo(202);
        String job = JSON.readTree(enable.body()).path("id").asText();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!call("GET", "/api/v1/jobs/" + job, null).path("job").path("terminal").asBoolean()) {
            assertThat(System.nanoTime()).as("the enable job ends").isLessThan(deadline);
            JsonNode item = call("GET", "/api/v1/items/web", null);
            String state = item.path("replication").path("state").asText("none") + "/" + item.path("health").asText();
            if (seen.isEmpty() || !seen.getLast().equals(state)) {
                seen.add(state);
            }
            Thread.sleep(10);
        }
        assertThat(call("GET", "/api/v1/jobs/" + job, null).path("job").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(seen).as("while the enable job runs the item shows its initial sync").contains("initial-sync/WARNING");

        JsonNode item = call("GET", "/api/v1/items/web", null);
        assertThat(item.path("state").asText()).isEqualTo("protected");
        assertThat(item.path("replication").path("state").asText()).isEqualTo("protected");
        assertThat(item.path("health").asText()).isEqualTo("OK");
        assertThat(item.path("conditions")).isEmpty();
        assertThat(item.path("replication").path("rpoSeconds").isNumber()).as("a measured RPO: %s", item).isTrue();
        assertThat(item.path("replication").path("rpoSeconds").asDouble()).isLessThan(60);
        assertThat(item.path("replication").path("rpoThresholdSeconds").asLong()).isEqualTo(60);
        assertThat(item.path("replication").path("initialSyncProgress").asDouble()).isEqualTo(1.0);
        assertThat(item.path("replication").path("unreachableRoles")).isEmpty();
        assertThat(call("GET", "/api/v1/alerts", null)).isEmpty();
        assertThat(awaitMetric("boomerang_item_rpo_seconds{item=\"web\"")).as("the RPO is exported per item").isNotNull();

        // a threshold of 0 s: any write not yet durable at the replica passes it
        call("PUT", "/api/v1/policies/watched", POLICY.formatted(0));
        URI disk = URI.create(nbdUri("primary", "web1"));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofVirtual().start(() -> {
            Random r = new Random(7);
            byte[] block = new byte[64 << 10];
            try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(disk.toString()))) {
                while (writing.get()) {
                    r.nextBytes(block);
                    d.write((long) r.nextInt(64) * block.length, ByteBuffer.wrap(block), false);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode alert = null;
        try {
            long until = System.nanoTime() + 60_000_000_000L;
            while (alert == null && System.nanoTime() < until) {
                JsonNode alerts = call("GET", "/api/v1/alerts", null);
                alert = alerts.isEmpty() ? null : alerts.get(0);
                Thread.sleep(5);
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(alert).as("an alert while writes are in flight and the threshold is 0 s").isNotNull();
        assertThat(alert.path("item").asText()).isEqualTo("web");
        assertThat(alert.path("rpoSeconds").asDouble()).isPositive();
        assertThat(alert.path("rpoThresholdSeconds").asLong()).isZero();
        assertThat(alert.path("conditions").findValuesAsText("code")).contains("RPO_EXCEEDED");
        assertThat(alert.path("health").asText()).isIn("WARNING", "CRITICAL");
    }

    @Test
    void anItemWhoseAgentStopsReportingIsAlertedUntilItReportsAgain() throws Exception {
        lab.runJob("POST", "/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"watched\",\"id\":\"web\",\"processServer\":\"ps-primary\"}");
        JsonNode agent = call("GET", "/api/v1/sites/primary/agents/web1", null);
        assertThat(agent.path("site").asText()).isEqualTo("primary");
        java.time.Instant first = java.time.Instant.parse(agent.path("lastHeartbeat").asText());
        awaitHealth("OK");
        java.time.Instant later = first;
        long beat = System.nanoTime() + 30_000_000_000L;
        while (!later.isAfter(first) && System.nanoTime() < beat) {
            Thread.sleep(200);
            later = java.time.Instant.parse(call("GET", "/api/v1/sites/primary/agents/web1", null).path("lastHeartbeat").asText());
        }
        assertThat(later).as("the embedded agent keeps reporting").isAfter(first);

        // the machine's agent is removed: it stops reporting, and after the silence the item is alerted
        call("PUT", "/api/v1/sites/primary/estate/machines/web1/agent", "{\"installed\":false}");
        JsonNode alert = null;
        long until = System.nanoTime() + 60_000_000_000L;
        while (alert == null && System.nanoTime() < until) {
            for (JsonNode a : call("GET", "/api/v1/alerts", null)) {
                if (a.path("item").asText().equals("web") && a.path("conditions").toString().contains("agent of machine web1")) {
                    alert = a;
                }
            }
            Thread.sleep(200);
        }
        assertThat(alert).as("an alert once the agent of web1 stopped reporting").isNotNull();
        assertThat(alert.path("conditions").findValuesAsText("code")).contains("ROLE_UNREACHABLE");
        assertThat(alert.path("health").asText()).isEqualTo("CRITICAL");
        JsonNode item = call("GET", "/api/v1/items/web", null);
        assertThat(item.path("health").asText()).isEqualTo("CRITICAL");
        assertThat(item.path("conditions").toString()).contains("has not reported since");

        // it reports again: the alert clears
        call("PUT", "/api/v1/sites/primary/estate/machines/web1/agent", "{\"installed\":true,\"registersAfterSeconds\":0}");
        awaitHealth("OK");
        assertThat(call("GET", "/api/v1/alerts", null)).isEmpty();
    }

    private void awaitHealth(String health) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            if (call("GET", "/api/v1/items/web", null).path("health").asText().equals(health)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("item web never became " + health + ": " + call("GET", "/api/v1/items/web", null));
    }

    private String awaitMetric(String prefix) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> m = send("GET", "/metrics", null);
            for (String line : m.body().split("\n")) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

    private String nbdUri(String site, String machine) throws Exception {
        return lab.nbdUri(site, machine);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        return lab.call(method, path, body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return lab.send(method, path, body);
    }
}
