package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cycle through the REST API of {@code boomerang server --config examples/lab/server.yaml}
 * (port 0, a temporary data folder), against the lab provider and the embedded data plane, with a real
 * NBD client as the guest: enable → initial sync → writes → unplanned failover at latest-processed → the
 * recovered disk equals the source (SHA-256) → writes at the recovery site → commit → reprotect (tracked
 * sync: only the changed blocks cross) → writes → failback → the original disk equals the recovered one →
 * commit (the recovery-site machine is gone, FB-19) → reprotect again (FB-20).
 */
class LabLifecycleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "lab", "server.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private ServerRuntime server;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> options = new HashMap<>();
        options.put("data", data.toString());
        options.put("port", 0);
        server = new ServerRuntime(ServerConfig.load(EXAMPLE, options)).start();
        token = Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip();
        call("PUT", "/api/v1/master-targets/mt1", "{\"site\":\"primary\",\"host\":\"esx1\"}");
        call("PUT", "/api/v1/policies/fast", "{\"name\":\"fast\",\"rpoThresholdSeconds\":60,\"retentionSeconds\":86400,"
                + "\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":60,\"multiVmSync\":false}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aVmGoesThroughTheWholeCycleWithRealBytes() throws Exception {
        assertThat(nbdUri("primary", "web1")).as("a powered-on lab machine's disk is served").startsWith("nbd://127.0.0.1:");
        runJob("POST", "/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"fast\",\"id\":\"web\",\"processServer\":\"ps-primary\"}");
        assertThat(item("web").path("state").asText()).isEqualTo("protected");

        URI source = URI.create(nbdUri("primary", "web1"));
        write(source, 1 << 20, random(256 << 10, 1));
        write(source, 9 << 20, random(4096, 2));
        Instant written = Instant.now();
        String sourceDigest = sha256(source);
        awaitPointAfter("web", written);

        runJob("POST", "/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\",\"point\":\"latest-processed\"}");
        String recovered = item("web").path("recoveryMachine").asText();
        URI recoveredDisk = URI.create(nbdUri("recovery", recovered));
        assertThat(sha256(recoveredDisk)).as("the recovered disk equals the source at the point").isEqualTo(sourceDigest);
        assertThat(nbdUri("primary", "web1")).as("the primary machine is off: nothing serves its disk").isNull();

        write(recoveredDisk, 20 << 20, random(8192, 3));
        runJob("POST", "/api/v1/items/web/commit", null);
        write(recoveredDisk, 30 << 20, random(4096, 4));
        String afterRecoveryWrites = sha256(recoveredDisk);

        JsonNode reprotect = runJob("POST", "/api/v1/items/web/reprotect",
                "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\"}");
        String log = reprotect.toString();
        assertThat(log).as("tracked sync: the 3 changed 4 KiB blocks, nothing else").contains("TRACKED sync").contains("sent 12288 B")
                .contains("3 blocks changed");
        assertThat(item("web").path("state").asText()).isEqualTo("reverse-protected");

        write(recoveredDisk, 40 << 20, random(4096, 5));
        Instant late = Instant.now();
        String beforeFailback = sha256(recoveredDisk);
        assertThat(beforeFailback).isNotEqualTo(afterRecoveryWrites);
        awaitPointAfter("web", late);
        runJob("POST", "/api/v1/items/web/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}");
        URI back = URI.create(nbdUri("primary", "web1"));
        assertThat(sha256(back)).as("after failback the original machine's disk equals the recovered one").isEqualTo(beforeFailback);

        runJob("POST", "/api/v1/items/web/commit", null);
        assertThat(machineIds("recovery")).as("FB-19: the recovery-site machine is removed").doesNotContain(recovered);
        assertThat(sha256(back)).isEqualTo(beforeFailback);

        runJob("POST", "/api/v1/items/web/reprotect", "{\"processServer\":\"ps-primary\"}");
        assertThat(item("web").path("state").asText()).isEqualTo("protected");
    }

    private void awaitPointAfter(String item, Instant t) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode points = call("GET", "/api/v1/items/" + item + "/points", null);
            if (points.size() > 0 && Instant.parse(points.get(points.size() - 1).path("time").asText()).isAfter(t)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no point of " + item + " after " + t);
    }

    private String nbdUri(String site, String machine) throws Exception {
        JsonNode inv = call("GET", "/api/v1/sites/" + site + "/inventory", null);
        for (JsonNode m : inv.path("machines")) {
            if (m.path("id").asText().equals(machine)) {
                JsonNode uri = m.path("disks").get(0).path("nbdUri");
                return uri.isNull() || uri.isMissingNode() ? null : uri.asText();
            }
        }
        throw new AssertionError("no machine " + machine + " at " + site + ": " + inv);
    }

    private java.util.List<String> machineIds(String site) throws Exception {
        return call("POST", "/api/v1/sites/" + site + "/discover", null).path("machines").findValuesAsText("id");
    }

    private JsonNode item(String id) throws Exception {
        return call("GET", "/api/v1/items/" + id, null);
    }

    private JsonNode runJob(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode job = call("GET", "/api/v1/jobs/" + id, null);
            if (job.path("job").path("terminal").asBoolean()) {
                assertThat(job.path("job").path("state").asText()).as("job %s: %s", path, job).isEqualTo("SUCCEEDED");
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " of " + path + " did not end");
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(URI uri, long offset, byte[] data) throws Exception {
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
            d.write(offset, ByteBuffer.wrap(data), false);
            d.flush();
        }
    }

    private static String sha256(URI uri) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            for (long pos = 0; pos < d.size(); pos += buf.capacity()) {
                buf.clear();
                d.read(pos, buf);
                buf.flip();
                md.update(buf);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
