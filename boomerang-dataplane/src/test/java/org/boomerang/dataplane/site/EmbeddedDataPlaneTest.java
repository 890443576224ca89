package org.boomerang.dataplane.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairDisk;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairSpec;
import org.boomerang.dataplane.site.EmbeddedDataPlane.Point;
import org.boomerang.dataplane.site.EmbeddedDataPlane.SyncResult;
import org.boomerang.dataplane.site.EmbeddedDataPlane.View;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cycle on the embedded data plane, two sites on loopback, through real NBD clients:
 * protect → writes → failover at a point (the view equals the source) → writes at the recovery site →
 * commit → reverse pair onto the original disk with a tracked sync (only the changed blocks cross) →
 * failback view bound to the original export → commit → the original disk equals the recovered one.
 */
class EmbeddedDataPlaneTest {
    private static final long SIZE = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void protectsFailsOverCommitsReprotectsWithTrackedSyncAndFailsBack() throws Exception {
        Path image = dir.resolve("primary-disk0.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SIZE);
            f.seek(1 << 20);
            f.write(bytes(256 << 10, 1));
        }
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dir.resolve("dp"), List.of("primary", "recovery"), CaptureOptions.defaults())) {
            URI uri = dp.online("primary", "web1.disk0", image);
            PairSpec forward = new PairSpec("web:forward", "primary", "recovery",
                    List.of(new PairDisk("disk0", "web1.disk0", image.toString(), null, null)), Duration.ofMillis(200), Duration.ofSeconds(60), null, "web1", null);
            dp.startPair(forward);
            SyncResult initial = dp.sync("web:forward", SyncMode.FULL, Duration.ofSeconds(60));
            assertThat(initial.bytesRead()).isGreaterThanOrEqualTo(256 << 10);

            write(uri, 3 << 20, bytes(64 << 10, 2));
            write(uri, 5 << 20, bytes(4096, 3));
            await(() -> dp.status("web:forward").replicated());
            String sourceDigest = sha256(image);
            Point p = awaitPointAfterWrites(dp, "web:forward");

            View v = dp.openView("web:forward", p.id(), "web-fo-1");
            URI viewUri = v.disks().getFirst().uri();
            assertThat(sha256(viewUri)).as("the failover view equals the source at the point").isEqualTo(sourceDigest);

            write(viewUri, 7 << 20, bytes(8192, 4));
            dp.commitView("web-fo-1");
            write(viewUri, 9 << 20, bytes(4096, 5)); // after commit: tracked by the committed disk
            String recovered = sha256(viewUri);

            dp.offline("primary", "web1.disk0");
            PairSpec reverse = new PairSpec("web:reverse", "recovery", "primary",
                    List.of(new PairDisk("disk0", "web-fo-1.disk0", null, image.toString(), "web1.disk0")), Duration.ofMillis(200),
                    Duration.ofSeconds(60), null, "web1", null);
            dp.startPair(reverse);
            SyncResult tracked = dp.sync("web:reverse", SyncMode.TRACKED, Duration.ofSeconds(60));
            assertThat(tracked.mode()).as(tracked.fallbackReason()).isEqualTo(SyncMode.TRACKED);
            assertThat(tracked.blocksChanged()).isEqualTo(3); // 8 KiB + 4 KiB written at the recovery site
            assertThat(tracked.bytesSent()).isLessThanOrEqualTo((long) (1.02 * 3 * 4096));
            assertThat(sha256(image)).as("after the tracked sync the original disk equals the recovered one").isEqualTo(recovered);

            write(viewUri, 11 << 20, bytes(4096, 6));
            await(() -> dp.status("web:reverse").replicated());
            String beforeFailback = sha256(viewUri);
            Point back = awaitPointAfterWrites(dp, "web:reverse");
            View fb = dp.openView("web:reverse", back.id(), "web-fb-1");
            URI onPrem = dp.online("primary", "web1.disk0", image);
            assertThat(fb.disks().getFirst().uri()).isEqualTo(onPrem);
            assertThat(sha256(onPrem)).as("the failback view equals the recovered disk").isEqualTo(beforeFailback);
            write(onPrem, 13 << 20, bytes(4096, 7));
            String afterFailback = sha256(onPrem);
            dp.commitView("web-fb-1");
            assertThat(sha256(onPrem)).isEqualTo(afterFailback);
            dp.offline("primary", "web1.disk0");
            assertThat(sha256(image)).as("after the failback commit the original image holds it all").isEqualTo(afterFailback);
        }
    }

    @Test
    void anApplicationConsistentPointRunsThePairsFreezeAndThawCommandsAroundItsCut() throws Exception {
        Path image = dir.resolve("app-disk0.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        Path log = dir.resolve("hooks.log");
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dir.resolve("dp"), List.of("primary", "recovery"), CaptureOptions.defaults())) {
            dp.online("primary", "app1.disk0", image);
            PairSpec spec = new PairSpec("app:forward", "primary", "recovery",
                    List.of(new PairDisk("disk0", "app1.disk0", image.toString(), null, null)), Duration.ofHours(1), Duration.ofHours(1), null,
                    "app1", null, "mt1", List.of("sh", "-c", "echo freeze >> " + log), List.of("sh", "-c", "echo thaw >> " + log));
            dp.startPair(spec);
            dp.sync("app:forward", SyncMode.FULL, Duration.ofSeconds(60));

            Point p = dp.mark("app:forward", MarkerKind.APP, "hooked").orElseThrow();
            assertThat(p.kind()).isEqualTo(MarkerKind.APP);
            assertThat(Files.readAllLines(log)).as("freeze before the cut, thaw after it").containsExactly("freeze", "thaw");
            await(() -> dp.points("app:forward").stream().anyMatch(x -> x.id().equals(p.id())));

            PairSpec failing = new PairSpec("bad:forward", "primary", "recovery",
                    List.of(new PairDisk("disk0", "app1.disk0", image.toString(), null, null)), Duration.ofHours(1), Duration.ofHours(1), null,
                    "app1", null, null, List.of("sh", "-c", "exit 3"), List.of("sh", "-c", "echo released >> " + log));
            dp.stopPair("app:forward");
            dp.startPair(failing);
            assertThat(dp.mark("bad:forward", MarkerKind.APP, "refused")).as("no point when the freeze fails").isEmpty();
            assertThat(Files.readAllLines(log)).as("a failed freeze is released").endsWith("released");
        }
    }

    static Point awaitPointAfterWrites(EmbeddedDataPlane dp, String pair) throws Exception {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Point> points = dp.points(pair);
            if (!points.isEmpty() && points.getLast().time().toEpochMilli() > since) {
                return points.getLast();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no point of " + pair + " after the writes");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void write(URI uri, long offset, byte[] data) throws IOException {
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
            d.write(offset, ByteBuffer.wrap(data), false);
            d.flush();
        }
    }

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

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(md.digest());
    }
}
