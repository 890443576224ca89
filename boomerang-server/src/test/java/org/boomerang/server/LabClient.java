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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.server.config.ServerConfig;

/**
 * The tests' way to run {@code boomerang server --config examples/lab/server.yaml} (a temporary data
 * folder, port 0) and talk to it as an operator and as a guest: the REST API with the admin token, jobs
 * followed to their end, recovery points awaited, a machine's disk through its inventory {@code nbdUri}
 * with the in-tree NBD client. Closing it stops the server.
 */
final class LabClient implements AutoCloseable {
    static final Path EXAMPLE = Path.of("..", "examples", "lab", "server.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerRuntime server;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    private LabClient(ServerRuntime server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Starts the lab example's server on {@code data}. */
    static LabClient start(Path data) throws Exception {
        Map<String, Object> options = new HashMap<>();
        options.put("data", data.toString());
        options.put("port", 0);
        ServerRuntime server = new ServerRuntime(ServerConfig.load(EXAMPLE, options)).start();
        return new LabClient(server, Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip());
    }

    ServerRuntime server() {
        return server;
    }

    String token() {
        return token;
    }

    /** Registers the lab's master target {@code mt1} and a policy {@code id} with a crash point every second. */
    LabClient withMasterTargetAndPolicy(String policy, long rpoThresholdSeconds) throws Exception {
        call("PUT", "/api/v1/master-targets/mt1", "{\"site\":\"primary\",\"host\":\"esx1\"}");
        call("PUT", "/api/v1/policies/" + policy, "{\"name\":\"" + policy + "\",\"rpoThresholdSeconds\":" + rpoThresholdSeconds
                + ",\"retentionSeconds\":86400,\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":60,\"multiVmSync\":false}");
        return this;
    }

    /** Waits for a recovery point of {@code item} newer than {@code t}. */
    void awaitPointAfter(String item, Instant t) throws Exception {
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

    /** The address of {@code machine}'s first disk at {@code site}; null while nothing serves it. */
    String nbdUri(String site, String machine) throws Exception {
        JsonNode inv = call("GET", "/api/v1/sites/" + site + "/inventory", null);
        for (JsonNode m : inv.path("machines")) {
            if (m.path("id").asText().equals(machine)) {
                JsonNode uri = m.path("disks").get(0).path("nbdUri");
                return uri.isNull() || uri.isMissingNode() ? null : uri.asText();
            }
        }
        throw new AssertionError("no machine " + machine + " at " + site + ": " + inv);
    }

    List<String> machineIds(String site) throws Exception {
        return call("POST", "/api/v1/sites/" + site + "/discover", null).path("machines").findValuesAsText("id");
    }

    JsonNode item(String id) throws Exception {
        return call("GET", "/api/v1/items/" + id, null);
    }

    /** Submits a job and follows it until it ends; it must succeed. Returns the job with its steps and log. */
    JsonNode runJob(String method, String path, String body) throws Exception {
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

    /** A call that must succeed (2xx); its JSON body. */
    JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes through an NBD export, flushed: what a guest's acknowledged, durable write is. */
    static void write(URI uri, long offset, byte[] data) throws Exception {
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
            d.write(offset, ByteBuffer.wrap(data), false);
            d.flush();
        }
    }

    /** The SHA-256 of a whole disk read through NBD. */
    static String sha256(URI uri) throws Exception {
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

    @Override
    public void close() {
        server.close();
    }
}
