package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.Marker;
import org.boomerang.nbd.server.NbdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture exported with the real NBD server on an ephemeral port, written by the real clients
 * (qemu-io, fio with crc32c verification) while a receiver replays the feed: the replica equals the
 * local image byte for byte (SHA-256 and cmp), and at a marker equals a snapshot taken under the same lock.
 */
class RealNbdClientsTest {
    private static final int MIB = 1 << 20;
    private static final int SIZE = 32 * MIB;
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    @Test
    void qemuIoAndFioThroughTheCaptureReplayToTheLocalImage() throws Exception {
        replicate(CaptureOptions.defaults(), 1);
    }

    @Test
    void aSmallQueueUnderRealLoadCatchesUpAndStillReplaysExactly() throws Exception {
        TestingReplica replica = replicate(CaptureOptions.defaults().withQueueBytes(CapturedChange.MAX_WRITE_BYTES)
                .withExtentBytes(256 << 10).withFinalPassBytes(MIB), 3);
        assertThat(replica.windows).isGreaterThan(1);
    }

    private TestingReplica replicate(CaptureOptions options, int receiverDelayMillis) throws Exception {
        Path image = dir.resolve("disk.img");
        try (RawFileBlockDevice local = RawFileBlockDevice.create(image, SIZE)) {
            byte[] before = new byte[3 * MIB];
            new Random(5).nextBytes(before);
            local.write(8 * MIB, ByteBuffer.wrap(before), false); // data the initial copy must carry
            TestingReplica replica = new TestingReplica(new byte[SIZE]);
            try (InlineCapture capture = InlineCapture.open(new DiskId("disk0"), local, dir.resolve("state"), options);
                    NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
                            .export("disk0", capture.device(), "captured").build().start()) {
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                ChangeFeed feed = capture.feed();
                feed.resume(0);
                AtomicBoolean running = new AtomicBoolean(true);
                CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
                    try {
                        while (running.get()) {
                            for (CapturedChange c : feed.poll(MIB, Duration.ofMillis(50))) {
                                replica.apply(c);
                            }
                            feed.released(replica.durable);
                            feed.durableAtTarget(replica.durable);
                            if (receiverDelayMillis > 0) {
                                Thread.sleep(receiverDelayMillis);
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, threads);
                String uri = "nbd://127.0.0.1:" + server.port() + "/disk0";
                List<CompletableFuture<Result>> clients = new ArrayList<>();
                clients.add(CompletableFuture.supplyAsync(() -> run("qemu-io", "-f", "raw",
                        "-c", "write -P 0xab 0 1M", "-c", "write -z 2M 1M", "-c", "discard 4M 512k",
                        "-c", "write -P 0xcd 1536k 3M", "-c", "write -P 0x11 9M 64k", "-c", "read -P 0xcd 1536k 3M", uri), threads));
                clients.add(CompletableFuture.supplyAsync(() -> run("qemu-io", "-f", "raw",
                        "-c", "write -P 0x5a 5M 2M", "-c", "write -z -u 8704k 512k", "-c", "flush", uri), threads));
                clients.add(CompletableFuture.supplyAsync(() -> run("fio", "--name=verify", "--ioengine=nbd", "--uri=" + uri,
                        "--rw=randwrite", "--bs=4k", "--offset=12M", "--size=8M", "--iodepth=16", "--verify=crc32c",
                        "--do_verify=1", "--verify_fatal=1"), threads));
                clients.add(CompletableFuture.supplyAsync(() -> run("fio", "--name=seq", "--ioengine=nbd", "--uri=" + uri,
                        "--rw=write", "--bs=1M", "--offset=20M", "--size=12M", "--iodepth=8", "--verify=crc32c",
                        "--do_verify=1", "--verify_fatal=1"), threads));
                for (CompletableFuture<Result> c : clients) {
                    Result r = c.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).ok();
                    assertThat(r.out + r.err).doesNotContain("Pattern verification failed").doesNotContain("verify: bad");
                }
                // a marker with a snapshot under the ordering lock; the replica must equal it there
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                boolean marked = false;
                while (!marked && System.nanoTime() < deadline) {
                    marked = capture.whileQuiesced(() -> {
                        Marker m = new Marker(MarkerKind.CRASH, "end", Instant.now(), "", "");
                        if (capture.mark(m).isEmpty()) {
                            return false;
                        }
                        replica.expectAtMark("end", TestingReplica.read(local));
                        return true;
                    });
                    Thread.sleep(20);
                }
                assertThat(marked).as("a marker once the catch-up windows closed").isTrue();
                while (!replica.markersChecked.contains("end") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                running.set(false);
                receiver.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(replica.markersChecked).contains("end");
                threads.shutdown();
            }
            Path replicaImage = dir.resolve("replica.img");
            Files.write(replicaImage, replica.bytes);
            assertThat(sha256(replica.bytes)).isEqualTo(sha256(Files.readAllBytes(image)));
            run("cmp", image.toString(), replicaImage.toString()).ok();
            return replica;
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    record Result(int exitCode, String out, String err, String command) {
        Result ok() {
            assertThat(exitCode).as("%s exit code; stdout:%n%s%nstderr:%n%s", command, out, err).isZero();
            return this;
        }
    }

    private Result run(String... command) {
        try {
            boolean found = false;
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(d, command[0]));
            }
            if (!found) {
                fail(command[0] + " is not installed; run bin/test (it installs qemu-utils and fio) or apt-get install it");
            }
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    String.join(" ", command));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
