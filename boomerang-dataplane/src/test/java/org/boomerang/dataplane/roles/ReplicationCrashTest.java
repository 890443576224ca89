package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.boomerang.stream.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults as child processes under write load: the master target, the process server and the agent are
 * each killed with SIGKILL while qemu-io writes through the agent, then started again on the same
 * ports. Afterwards replication resumes (no resync of the whole disk) and the replica journal equals the
 * agent's image byte for byte: no acknowledged write is missing at the recovery site.
 */
class ReplicationCrashTest {
    static final long SIZE = 32L << 20;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killAll() {
        for (Process p : children) {
            p.destroyForcibly();
        }
    }

    /** A role in a child JVM with its config; restartable on the port it got first. */
    private final class Child {
        final String role;
        final Path config;
        final String template;
        Process process;
        int port;

        Child(String role, String template) throws IOException {
            this.role = role;
            this.template = template;
            this.config = dir.resolve(role + ".yaml");
        }

        void start(int listenPort, int nextHopPort) throws IOException, InterruptedException {
            Files.writeString(config, template.replace("LISTEN", Integer.toString(listenPort)).replace("NEXT", Integer.toString(nextHopPort)));
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), RoleMain.class.getName(), role, config.toString())
                    .redirectError(dir.resolve(role + ".log").toFile()).start();
            children.add(process);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String first;
            try {
                first = line.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(role + " did not start: " + Files.readString(dir.resolve(role + ".log")), e);
            }
            if (first == null || !first.startsWith("port=")) {
                throw new AssertionError(role + " did not start: " + Files.readString(dir.resolve(role + ".log")));
            }
            port = Integer.parseInt(first.substring(5));
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(role + " stops on SIGTERM").isTrue();
        }
    }

    @Test
    void killingEachRoleUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        CertificateAuthority.initDirectory(dir.resolve("certs"), Set.of());
        String tls = "tls: {ca: certs/ca.crt, cert: certs/%s.crt, key: certs/%s.key}\n";
        Child mt = new Child("master-target", "listen: 127.0.0.1:LISTEN\ndata: mt\n" + tls.formatted("master-target", "master-target"));
        Child ps = new Child("process-server", "listen: 127.0.0.1:LISTEN\ncache: {dir: ps-cache, max-size: 256MiB}\n"
                + "master-targets: [{address: 127.0.0.1:NEXT, disks: ['*']}]\n" + tls.formatted("process-server", "process-server"));
        Child agent = new Child("agent", "nbd: {listen: 127.0.0.1:LISTEN}\nprocess-server: 127.0.0.1:NEXT\nstate: agent-state\n"
                + "disks: [{id: disk0, image: disk0.img, size: 32MiB}]\nmarker-every: 100ms\n" + tls.formatted("agent", "agent"));
        mt.start(0, 0);
        ps.start(0, mt.port);
        agent.start(0, ps.port);
        String uri = "nbd://127.0.0.1:" + agent.port + "/disk0";
        Random random = new Random(15);

        write(uri, random, 20);
        mt.kill9();
        write(uri, random, 20);
        mt.start(mt.port, 0);
        write(uri, random, 20);
        ps.kill9();
        write(uri, random, 5);
        ps.start(ps.port, mt.port);
        write(uri, random, 20);
        agent.kill9();
        agent.start(agent.port, ps.port);
        write(uri, random, 20);

        agent.stop();
        Thread.sleep(2000);
        ps.stop();
        mt.stop();
        byte[] source = Files.readAllBytes(dir.resolve("disk0.img"));
        byte[] replica = TestingTools.replica(dir.resolve("mt/journals/disk0"), null);
        assertThat(Arrays.equals(source, replica)).as("the replica holds every acknowledged write").isTrue();
        String agentLog = Files.readString(dir.resolve("agent.log"));
        assertThat(agentLog).as("resumed without copying the whole disk again").doesNotContain("initial copy (" + (SIZE >> 20) + " extents");
    }

    /** {@code count} qemu-io writes of 4 KiB .. 256 KiB at random offsets; each acknowledged when qemu-io returns. */
    private void write(String uri, Random random, int count) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (int i = 0; i < count; i++) {
            long len = 4096L << random.nextInt(7);
            long off = (random.nextLong(SIZE - len) / 4096) * 4096;
            cmd.add("-c");
            cmd.add("write -P " + (1 + random.nextInt(250)) + " " + off + " " + len);
        }
        cmd.add(uri);
        TestingTools.ok(dir, cmd.toArray(String[]::new));
    }
}
