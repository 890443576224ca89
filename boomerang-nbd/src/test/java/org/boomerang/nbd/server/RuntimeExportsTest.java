package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports added, removed and swapped while the server runs, driven by real clients (nbdinfo, qemu-io). A
 * qemu-io that stays connected across the change runs its commands with a {@code sleep} between them; the test
 * makes the change during that sleep, once the first command's data is in the image file.
 */
class RuntimeExportsTest {
    private static final int MIB = 1 << 20;
    private static final int SIZE = 8 * MIB;
    /** The pause a connected qemu-io makes for the test to act in; generous, since the machine may be loaded. */
    private static final String SLEEP_MS = "6000";

    @TempDir
    Path dir;

    private RawFileBlockDevice first;
    private NbdServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        first = RawFileBlockDevice.create(dir.resolve("first.img"), SIZE);
        server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("first", first, "there from the start").build().start();
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        server.close();
        first.close();
    }

    private String uri(String export) {
        return "nbd://127.0.0.1:" + server.port() + "/" + export;
    }

    private ExternalTools.Result run(String... command) throws Exception {
        return ExternalTools.run(dir, command);
    }

    private CompletableFuture<ExternalTools.Result> qemuIoInBackground(String export, String... commands) {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(uri(export));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(cmd.toArray(String[]::new));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private static byte[] fileBytes(Path file, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(b, offset);
        }
        return b.array();
    }

    private static void awaitByte(Path file, long offset, int value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fileBytes(file, offset, 1)[0] != (byte) value) {
            assertThat(System.nanoTime()).as("0x%x at %d of %s within a minute", value, offset, file).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void anExportAddedAtRuntimeIsListedAndServedAndARemovedOneIsGone() throws Exception {
        Path image = dir.resolve("late.img");
        try (RawFileBlockDevice late = RawFileBlockDevice.create(image, SIZE)) {
            server.addExport("late", late, "added at runtime");
            assertThat(server.exportNames()).containsExactly("first", "late");
            assertThat(run("nbdinfo", "--list", uri("")).ok().out()).contains("first").contains("late").contains("added at runtime");
            run("qemu-io", "-f", "raw", "-c", "write -P 0x5a 64k 64k", uri("late")).ok();
            assertThat(fileBytes(image, 64 * 1024, 64 * 1024)).containsOnly(0x5a);

            assertThatThrownBy(() -> server.addExport("late", first, "")).isInstanceOfSatisfying(NbdProtocolException.class,
                    e -> assertThat(e.code()).isEqualTo(NbdError.BAD_EXPORT_CONFIG));

            assertThat(server.removeExport("late")).isSameAs(late);
            assertThat(server.exportNames()).containsExactly("first");
            assertThat(run("nbdinfo", "--list", uri("")).ok().out()).contains("first").doesNotContain("late");
            ExternalTools.Result gone = run("nbdinfo", uri("late"));
            assertThat(gone.exitCode()).as("nbdinfo of a removed export fails").isNotZero();
            assertThat(gone.err()).contains("late");
            run("qemu-io", "-f", "raw", "-c", "write -P 0x11 0 4k", uri("first")).ok(); // the others go on
            assertThatThrownBy(() -> server.removeExport("late")).isInstanceOfSatisfying(NbdProtocolException.class,
                    e -> assertThat(e.code()).isEqualTo(NbdError.UNKNOWN_EXPORT));
        }
        assertThat(fileBytes(dir.resolve("first.img"), 0, 4096)).containsOnly(0x11);
    }

    @Test
    void aClientOfARemovedExportGetsAnErrorForItsNextRequestAndTheDeviceIsNoLongerTouched() throws Exception {
        Path image = dir.resolve("late.img");
        try (RawFileBlockDevice late = RawFileBlockDevice.create(image, SIZE)) {
            server.addExport("late", late, "");
            CompletableFuture<ExternalTools.Result> client = qemuIoInBackground("late",
                    "write -P 0x21 0 64k", "sleep " + SLEEP_MS, "write -P 0x22 1M 64k", "read -P 0x21 0 64k");
            awaitByte(image, 0, 0x21);
            BlockDevice removed = server.removeExport("late");
            assertThat(removed).isSameAs(late);
            ExternalTools.Result r = client.get(2, TimeUnit.MINUTES);
            assertThat(r.out() + r.err()).as("what qemu-io reports after the removal").contains("write failed");
            assertThat(fileBytes(image, MIB, 64 * 1024)).as("the write sent after the removal did not land").containsOnly(0);
            assertThat(fileBytes(image, 0, 64 * 1024)).containsOnly(0x21);
        }
        assertThat(server.exportNames()).containsExactly("first");
    }

    @Test
    void aSwapMovesAConnectedClientToTheNewDeviceWithoutAnError() throws Exception {
        Path oldImage = dir.resolve("first.img");
        Path newImage = dir.resolve("hydrated.img");
        try (RawFileBlockDevice hydrated = RawFileBlockDevice.create(newImage, SIZE)) {
            CompletableFuture<ExternalTools.Result> client = qemuIoInBackground("first",
                    "write -P 0x31 0 64k", "sleep " + SLEEP_MS, "write -P 0x32 1M 64k", "read -P 0x31 0 64k", "read -P 0x32 1M 64k");
            awaitByte(oldImage, 0, 0x31);
            BlockDevice old = server.swapExport("first", replaced -> {
                // The final pass of a hydration: copy what the old device holds; nothing writes to it meanwhile.
                ByteBuffer all = ByteBuffer.allocate(SIZE);
                replaced.read(0, all);
                hydrated.write(0, all.flip(), true);
                return hydrated;
            });
            assertThat(old).isSameAs(first);
            ExternalTools.Result r = client.get(2, TimeUnit.MINUTES).ok();
            assertThat(r.out() + r.err()).doesNotContain("failed").doesNotContain("Pattern verification");
            assertThat(fileBytes(newImage, 0, 64 * 1024)).as("copied by the swap step").containsOnly(0x31);
            assertThat(fileBytes(newImage, MIB, 64 * 1024)).as("written after the swap, to the new device").containsOnly(0x32);
            assertThat(fileBytes(oldImage, MIB, 64 * 1024)).as("the old device is left alone").containsOnly(0);
            run("qemu-io", "-f", "raw", "-c", "read -P 0x32 1M 64k", uri("first")).ok();
            // Back to the old device (it is still open), which must not keep the new one's writes.
            assertThat(server.swapExport("first", first)).isSameAs(hydrated);
            run("qemu-io", "-f", "raw", "-c", "read -P 0 1M 64k", uri("first")).ok();
        }
    }
}
