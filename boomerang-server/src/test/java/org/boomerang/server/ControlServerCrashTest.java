package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdClientException;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the control server (a child process running {@code server --config
 * examples/lab/server.yaml} on a temporary data folder and a free port) in the middle of an unplanned
 * failover and of a reprotect, at a step chosen at random from the job's progress. After each restart
 * on the same data folder: the job resumes and succeeds (docs/operations.md, "Jobs": done steps are
 * skipped, the interrupted one is replayed with its request id); the item ends in the operation's
 * state; the recovered disk equals the source at the point and, after reprotect and failback, the
 * original disk equals the recovered one (SHA-256 through the inventories' {@code nbdUri}); writes
 * acknowledged to the guest before the kill are there; and at no moment observed are the primary
 * machine's disk and the recovered machine's disk both served (fencing).
 */
class ControlServerCrashTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "lab", "server.yaml").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    /** Unplanned failover: shut down, fence, open the view, create the machine, guest tools, power on. */
    private static final int FAILOVER_STEPS = 6;
    /** Reprotect to the original location: power off the on-prem machine, start reverse replication, sync. */
    private static final int REPROTECT_STEPS = 3;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> log = new ArrayList<>();
    private Process server;
    private Path data;
    private Path serverLog;
    private int port;
    private String token;
    private int starts;
    /** The recovery site's machines before the first failover: any other one was created by a failover. */
    private List<String> recoverySeed = List.of();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void killedInTheMiddleOfAFailoverAndOfAReprotectTheServerResumesWithoutLosingAWriteOrOpeningTwoWriters() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int trial = 0; trial < 2; trial++) {
            // two trials: one kills early in each job, the other late, so that together they cover the steps
            int failoverKill = trial == 0 ? random.nextInt(3) : 3 + random.nextInt(FAILOVER_STEPS - 3);
            int reprotectKill = trial == 0 ? random.nextInt(REPROTECT_STEPS - 1) : REPROTECT_STEPS - 1;
            cycle(trial, failoverKill, reprotectKill, random);
        }
        System.out.println("crash test (seed " + seed + "): " + String.join("; ", log));
    }

    private void cycle(int trial, int failoverKill, int reprotectKill, Random random) throws Exception {
        data = dir.resolve("data" + trial);
        start();
        recoverySeed = machineIds("recovery");
        call("PUT", "/api/v1/master-targets/mt1", "{\"site\":\"primary\",\"host\":\"esx1\"}");
        call("PUT", "/api/v1/policies/fast", "{\"name\":\"fast\",\"rpoThresholdSeconds\":60,\"retentionSeconds\":86400,"
                + "\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":60,\"multiVmSync\":false}");
        awaitJob(submit("POST", "/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"fast\",\"id\":\"web\",\"processServer\":\"ps-primary\"}"));

        URI source = URI.create(nbdUri("primary", "web1"));
        write(source, 1 << 20, random(256 << 10, random.nextLong()));
        write(source, 9 << 20, random(4096, random.nextLong()));
        Instant written = Instant.now();
        String sourceDigest = sha256(source);
        awaitPointAfter("web", written);

        // (a) unplanned failover, killed at a random step
        String failover = submit("POST", "/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\",\"point\":\"latest-processed\"}");
        String inFlight = killAtStep(failover, failoverKill, random);
        log.add("trial " + trial + ": failover killed " + inFlight);
        start();
        JsonNode job = awaitJobWatchingFence(failover);
        assertThat(job.path("job").path("state").asText()).as("the failover resumes and succeeds: %s", job).isEqualTo("SUCCEEDED");
        assertThat(item("web").path("state").asText()).isEqualTo("failed-over");
        String recovered = item("web").path("recoveryMachine").asText();
        URI recoveredDisk = URI.create(nbdUri("recovery", recovered));
        assertThat(sha256(recoveredDisk)).as("the recovered disk equals the source at the point (killed %s)", inFlight).isEqualTo(sourceDigest);
        assertThat(nbdUri("primary", "web1")).as("the primary machine stays off and fenced").isNull();
        List<String> created = new ArrayList<>(machineIds("recovery"));
        created.removeAll(recoverySeed);
        assertThat(created).as("one recovery machine, not one per replay").containsExactly(recovered);

        write(recoveredDisk, 20 << 20, random(8192, random.nextLong()));
        awaitJob(submit("POST", "/api/v1/items/web/commit", null));
        write(recoveredDisk, 30 << 20, random(4096, random.nextLong()));
        write(recoveredDisk, 32 << 20, random(8 << 20, random.nextLong())); // a sync long enough to be killed in
        String beforeReprotect = sha256(recoveredDisk);

        // (b) reprotect, killed at a random step, with a write acknowledged to the guest just before the kill
        String reprotect = submit("POST", "/api/v1/items/web/reprotect",
                "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\"}");
        byte[] lastWrite = random(4096, random.nextLong());
        inFlight = killAtStep(reprotect, reprotectKill, random, () -> write(recoveredDisk, 40 << 20, lastWrite));
        log.add("trial " + trial + ": reprotect killed " + inFlight);
        start();
        URI recoveredAgain = URI.create(nbdUri("recovery", recovered));
        assertThat(read(recoveredAgain, 40 << 20, lastWrite.length)).as("the write acknowledged just before the kill").isEqualTo(lastWrite);
        String acknowledged = sha256(recoveredAgain);
        assertThat(acknowledged).isNotEqualTo(beforeReprotect);
        job = awaitJobWatchingFence(reprotect);
        assertThat(job.path("job").path("state").asText()).as("the reprotect resumes and succeeds: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("log").toString()).as("the replayed sync is still tracked").contains("TRACKED sync");
        assertThat(item("web").path("state").asText()).isEqualTo("reverse-protected");
        assertThat(nbdUri("primary", "web1")).as("the on-prem machine is the replica target: off").isNull();
        assertThat(sha256(URI.create(nbdUri("recovery", recovered)))).isEqualTo(acknowledged);

        // the original disk received everything: fail back and compare
        Instant late = Instant.now();
        awaitPointAfter("web", late);
        awaitJob(submit("POST", "/api/v1/items/web/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}"));
        assertThat(sha256(URI.create(nbdUri("primary", "web1"))))
                .as("after failback the original disk equals the recovered one (reprotect killed %s)", inFlight).isEqualTo(acknowledged);
        assertThat(served(nbdUri("recovery", recovered))).as("the recovery-site machine is off after failback: its disk is not served").isFalse();
        assertNotBothServed();
        stopGracefully();
    }

    private interface Action {
        void run() throws Exception;
    }

    private String killAtStep(String job, int step, Random random) throws Exception {
        return killAtStep(job, step, random, () -> { });
    }

    /**
     * Polls the job until its step {@code step} has started (or the job ended), waits a random few
     * milliseconds, runs {@code beforeKill} and kills the server with SIGKILL. Returns what was in flight.
     */
    private String killAtStep(String job, int step, Random random, Action beforeKill) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode details = null;
        while (System.nanoTime() < deadline) {
            details = call("GET", "/api/v1/jobs/" + job, null);
            if (details.path("steps").size() > step || details.path("job").path("terminal").asBoolean()) {
                break;
            }
            Thread.onSpinWait();
        }
        Thread.sleep(random.nextInt(step == REPROTECT_STEPS - 1 ? 40 : 3)); // the sync is the one long step
        beforeKill.run();
        details = call("GET", "/api/v1/jobs/" + job, null);
        server.destroyForcibly(); // SIGKILL
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        server = null;
        JsonNode steps = details.path("steps");
        JsonNode last = steps.size() == 0 ? null : steps.get(steps.size() - 1);
        return "at step " + (last == null ? "none" : last.path("index").asInt() + " " + last.path("name").asText() + " "
                + last.path("state").asText()) + (details.path("job").path("terminal").asBoolean() ? " (job already ended)" : "");
    }

    /** Waits for the job to end, checking at every poll that the two sides are never both served. */
    private JsonNode awaitJobWatchingFence(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertNotBothServed();
            JsonNode job = call("GET", "/api/v1/jobs/" + id, null);
            if (job.path("job").path("terminal").asBoolean()) {
                assertNotBothServed();
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not end after the restart: " + call("GET", "/api/v1/jobs/" + id, null));
    }

    private void assertNotBothServed() throws Exception {
        boolean primary = served(nbdUri("primary", "web1"));
        List<String> served = new ArrayList<>();
        for (JsonNode m : call("GET", "/api/v1/sites/recovery/inventory", null).path("machines")) {
            if (!recoverySeed.contains(m.path("id").asText()) && m.path("disks").size() > 0
                    && served(m.path("disks").get(0).path("nbdUri").asText(null))) {
                served.add(m.path("id").asText());
            }
        }
        assertThat(primary && !served.isEmpty()).as("fencing: web1 and its recovered machine %s are both served", served).isFalse();
        assertThat(served).as("at most one recovered machine is served").hasSizeLessThanOrEqualTo(1);
    }

    /**
     * Whether a guest can open the disk at the inventory's address: the inventory gives a view-backed
     * disk's export address even while its machine is off, so being served is checked by connecting.
     */
    private static boolean served(String nbdUri) {
        if (nbdUri == null) {
            return false;
        }
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(nbdUri))) {
            return d.size() > 0;
        } catch (IOException | NbdClientException e) {
            return false;
        }
    }

    private void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        serverLog = dir.resolve("server-" + starts++ + ".log");
        server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "--config", EXAMPLE.toString(), "--data", data.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(serverLog));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                token = Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip();
                return;
            }
            assertThat(server.isAlive()).as("the server exited: %s", Files.readString(serverLog)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + Files.readString(serverLog));
    }

    private void stopGracefully() throws Exception {
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(serverLog)).isTrue();
        server = null;
    }

    private void awaitPointAfter(String item, Instant t) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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

    private List<String> machineIds(String site) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : call("POST", "/api/v1/sites/" + site + "/discover", null).path("machines")) {
            ids.add(m.path("id").asText());
        }
        return ids;
    }

    private JsonNode item(String id) throws Exception {
        return call("GET", "/api/v1/items/" + id, null);
    }

    private String submit(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private JsonNode awaitJob(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = call("GET", "/api/v1/jobs/" + id, null);
            if (job.path("job").path("terminal").asBoolean()) {
                assertThat(job.path("job").path("state").asText()).as("job %s: %s", id, job).isEqualTo("SUCCEEDED");
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end");
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] random(int n, long seed) {
        return LabClient.random(n, seed);
    }

    private static void write(URI uri, long offset, byte[] bytes) throws Exception {
        LabClient.write(uri, offset, bytes);
    }

    private static byte[] read(URI uri, long offset, int length) throws Exception {
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            d.read(offset, buf);
            return buf.array();
        }
    }

    private static String sha256(URI uri) throws Exception {
        return LabClient.sha256(uri);
    }
}
