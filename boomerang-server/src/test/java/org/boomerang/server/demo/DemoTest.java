package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.provider.lab.SampleEstate;
import org.boomerang.server.Main;
import org.boomerang.server.ServerError;
import org.boomerang.server.ServerRuntime;
import org.boomerang.server.TestingCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boomerang demo} on a temporary folder and an ephemeral port: the API answers with the
 * admin token it prints, the CLI lists the sample machines as items and the primary site's
 * inventory with each disk's NBD export, every machine gets protected and a guest workload writes
 * through each export, it stops within 5 s, a second start reuses the estate, {@code --reset} starts over, and a
 * folder the demo did not make is refused. One test runs the real command as a process and stops it
 * with SIGTERM, as Ctrl-C does.
 */
class DemoTest {
    private static final long SIZE = 16L << 20;
    private static final List<String> MACHINES = List.of("lin1", "lin2", "win1", "phys1");

    @TempDir
    Path dir;

    private Demo.Options options(Path data, boolean reset) {
        return new Demo.Options(data, 0, reset, SIZE, 20);
    }

    @Test
    void startsServesTheSampleMachinesStopsWithin5sAndASecondStartReusesTheEstate() throws Exception {
        Path data = dir.resolve("demo");
        StringWriter text = new StringWriter();
        String token;
        String manifest;
        try (Demo demo = Demo.start(options(data, false), new PrintWriter(text, true))) {
            assertThat(demo.reused()).isFalse();
            token = Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip();
            String base = "http://127.0.0.1:" + demo.port();
            assertThat(text.toString()).contains("Portal: " + base + "/").contains("API:    " + base + "/api/v1")
                    .contains("Admin token: " + token).contains("Sample estate created: 4 machines (lin1, lin2, win1, phys1)")
                    .contains("export BOOMERANG_SERVER=" + base).contains("bin/boomerang items list");
            assertThat(demo.protection().await(60_000)).as("protection was tried for every machine: " + text).isTrue();
            assertThat(demo.protection().outcomes().keySet()).containsExactlyInAnyOrderElementsOf(MACHINES);
            assertThat(demo.protection().outcomes().values()).as(text.toString()).containsOnly(DemoProtection.Outcome.PROTECTED);
            assertThat(text.toString()).contains("lin1: protected (job ");
            assertThat(demo.protection().workloads()).as(text.toString()).hasSize(4);
            for (GuestWorkload w : demo.protection().workloads()) {
                GuestWorkload.Acknowledged ack = w.awaitWrites(5, 60_000);
                assertThat(ack.error()).isEmpty();
                assertThat(ack.count()).as("the guest writes through its NBD export").isGreaterThanOrEqualTo(5);
            }
            assertThat(text.toString()).contains("Guest workload on lin1/lin1-disk0 through nbd://");

            TestingCli cli = new TestingCli(List.of("--server", base, "--token", token));
            TestingCli.Run items = cli.client("items", "list", "--output", "json");
            assertThat(items.exit()).as(items.err()).isZero();
            JsonNode list = new ObjectMapper().readTree(items.out());
            assertThat(list.findValuesAsText("machine")).containsExactlyInAnyOrderElementsOf(MACHINES);
            TestingCli.Run inventory = cli.client("inventory", "show", "primary", "--output", "json");
            assertThat(inventory.exit()).as(inventory.err()).isZero();
            JsonNode inv = new ObjectMapper().readTree(inventory.out());
            List<String> ids = new ArrayList<>();
            inv.get("machines").forEach(m -> ids.add(m.get("id").asText()));
            List<String> expected = new ArrayList<>(MACHINES);
            expected.add(DemoProtection.MASTER_TARGET); // added by the demo for reprotect (FB-11), Linux
            expected.add(DemoProtection.WINDOWS_MASTER_TARGET); // and Windows (seed step 1.2)
            assertThat(ids).containsExactlyElementsOf(expected);
            assertThat(inv.get("datastores").findValuesAsText("type")).containsExactly("VMFS", "VSAN", "RDM");
            assertThat(cli.client("inventory", "master-targets").out()).contains(DemoProtection.MASTER_TARGET)
                    .contains(DemoProtection.WINDOWS_MASTER_TARGET);
            assertThat(inv.get("machines").findValuesAsText("nbdUri")).as("every powered-on disk is exported").hasSize(6)
                    .allSatisfy(u -> assertThat(u).startsWith("nbd://"));
            assertThat(cli.client("policies", "show", "demo", "--output", "json").out()).contains("\"crashConsistentEverySeconds\" : 1");
            manifest = Files.readString(data.resolve("estate").resolve(SampleEstate.MANIFEST));

            long started = System.nanoTime();
            demo.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("stops within 5 s").isLessThan(5_000);
        }

        StringWriter again = new StringWriter();
        try (Demo second = Demo.start(options(data, false), new PrintWriter(again, true))) {
            assertThat(second.reused()).isTrue();
            assertThat(again.toString()).contains("Sample estate reused").contains("Admin token: " + token);
            assertThat(Files.readString(data.resolve("estate").resolve(SampleEstate.MANIFEST))).isEqualTo(manifest);
            assertThat(second.protection().await(60_000)).isTrue();
            assertThat(second.protection().outcomes().values()).as(again.toString()).containsOnly(DemoProtection.Outcome.ALREADY_PROTECTED);
            assertThat(second.protection().workloads()).hasSize(4);
            TestingCli cli = new TestingCli(List.of("--server", "http://127.0.0.1:" + second.port(), "--token", token));
            JsonNode list = new ObjectMapper().readTree(cli.client("items", "list", "--output", "json").out());
            assertThat(list.findValuesAsText("machine")).as("no item twice").containsExactlyInAnyOrderElementsOf(MACHINES);
        }

        try (Demo reset = Demo.start(options(data, true), new PrintWriter(new StringWriter(), true))) {
            assertThat(reset.reused()).isFalse();
            assertThat(Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip()).as("a new database, a new token").isNotEqualTo(token);
            assertThat(reset.protection().await(60_000)).isTrue();
        }
    }

    @Test
    void aFolderTheDemoDidNotMakeIsNeitherUsedNorReset() throws Exception {
        Path other = dir.resolve("home");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        for (boolean reset : List.of(false, true)) {
            assertThatThrownBy(() -> Demo.start(options(other, reset), new PrintWriter(new StringWriter())))
                    .isInstanceOfSatisfying(BoomerangException.class, e -> {
                        assertThat(e.code()).isEqualTo(DemoError.DEMO_FOLDER_NOT_DEMO);
                        assertThat(e.hint()).contains("--data");
                    });
        }
        assertThat(Files.readString(other.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void resetIsRefusedWhileAnotherDemoRunsOnTheFolder() {
        Path data = dir.resolve("demo");
        try (Demo running = Demo.start(options(data, false), new PrintWriter(new StringWriter()))) {
            assertThatThrownBy(() -> Demo.start(options(data, true), new PrintWriter(new StringWriter())))
                    .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ServerError.DATA_FOLDER_IN_USE));
            assertThat(data.resolve("estate").resolve(SampleEstate.MANIFEST)).exists();
        }
    }

    @Test
    void theCommandRunsUntilSigtermAndStopsWithin5s() throws Exception {
        Path data = dir.resolve("demo");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--data", data.toString(), "--port", "0", "--size", "16M").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("Press Ctrl-C") && demo.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains("Portal: http://127.0.0.1:").contains("Press Ctrl-C");
            long started = System.nanoTime();
            demo.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C's SIGINT
            assertThat(demo.waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        } finally {
            demo.destroyForcibly();
        }
        assertThat(Files.readString(log)).as("exit " + demo.exitValue()).contains("stopping the demo").contains(" stopped");
        assertThat(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).exists();
        assertThat(SampleEstate.read(data.resolve("estate"))).isPresent();
    }
}
