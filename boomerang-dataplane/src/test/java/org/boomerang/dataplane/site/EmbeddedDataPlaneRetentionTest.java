package org.boomerang.dataplane.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairDisk;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairSpec;
import org.boomerang.dataplane.site.EmbeddedDataPlane.Point;
import org.boomerang.journal.segment.SegmentName;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal retention on the embedded data plane, two sites on loopback, writes through a real NBD client:
 * a pair with a 3 s retention and a crash point every 200 ms keeps only the points of the last 3 s (plus the
 * newest, and any point a failover view is open at), and its journal's segment files are deleted.
 */
class EmbeddedDataPlaneRetentionTest {
    private static final long SIZE = 16L << 20;
    private static final long SEGMENT = 64L << 10;
    private static final Duration RETENTION = Duration.ofSeconds(3);
    /** A retention run every 300 ms, plus the time a run takes on a loaded machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    @Test
    void keepsOnlyPointsInsideTheWindowDeletesSegmentsAndNeverDropsAViewsPoint() throws Exception {
        Path image = image("web1-disk0.img");
        Path dpDir = dir.resolve("dp");
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dpDir, List.of("primary", "recovery"), CaptureOptions.defaults(), SEGMENT)) {
            URI uri = dp.online("primary", "web1.disk0", image);
            dp.startPair(new PairSpec("web:forward", "primary", "recovery",
                    List.of(new PairDisk("disk0", "web1.disk0", image.toString(), null, null)), Duration.ofMillis(200), Duration.ZERO, null,
                    "web1", RETENTION));
            dp.sync("web:forward", SyncMode.FULL, Duration.ofSeconds(60));
            Path journal = journalDir(dpDir);

            try (NbdBlockDevice disk = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
                Random random = new Random(7);
                Set<String> seen = new TreeSet<>();
                long writesEnd = System.nanoTime() + Duration.ofSeconds(12).toNanos();
                while (System.nanoTime() < writesEnd) {
                    write(disk, random);
                    seen.addAll(segments(journal));
                }
                Set<String> left = segments(journal);
                assertThat(seen).as("the writes filled many 64 KiB segments").hasSizeGreaterThan(20);
                assertThat(left).as("the first segments are deleted").doesNotContain(((TreeSet<String>) seen).first());
                // 12 s of writes, a 3 s window (plus a run's period and slack): about a third of the segments stay
                assertThat(left.size()).as("segments older than the window are deleted (%d seen, %d left)", seen.size(), left.size())
                        .isLessThan(seen.size() * 2 / 3);
                assertWindow(dp.points("web:forward"), Instant.now());

                // A failover view pins its point: it is offered however old it gets, until the view closes.
                Point pinned = dp.points("web:forward").getLast();
                dp.openView("web:forward", pinned.id(), "web-test-1");
                long pinnedEnd = System.nanoTime() + RETENTION.plus(SLACK).toNanos();
                while (System.nanoTime() < pinnedEnd) {
                    write(disk, random);
                }
                List<Point> withView = dp.points("web:forward");
                assertThat(withView.getFirst().id()).as("the oldest point is the one the view is open at").isEqualTo(pinned.id());
                assertThat(Duration.between(pinned.time(), Instant.now())).isGreaterThan(RETENTION);

                dp.closeView("web-test-1");
                long afterEnd = System.nanoTime() + SLACK.multipliedBy(2).toNanos();
                while (System.nanoTime() < afterEnd) {
                    write(disk, random);
                }
                List<Point> after = dp.points("web:forward");
                assertThat(after).extracting(Point::id).as("the view's point goes once the view is closed").doesNotContain(pinned.id());
                assertWindow(after, Instant.now());
            }
        }
    }

    @Test
    void neverDropsTheNewestPointHoweverOld() throws Exception {
        Path image = image("db1-disk0.img");
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dir.resolve("dp"), List.of("primary", "recovery"), CaptureOptions.defaults(), SEGMENT)) {
            URI uri = dp.online("primary", "db1.disk0", image);
            // no automatic points: the test takes them
            dp.startPair(new PairSpec("db:forward", "primary", "recovery",
                    List.of(new PairDisk("disk0", "db1.disk0", image.toString(), null, null)), Duration.ZERO, Duration.ZERO, null, "db1",
                    Duration.ofMillis(500)));
            dp.sync("db:forward", SyncMode.FULL, Duration.ofSeconds(60));
            try (NbdBlockDevice disk = NbdBlockDevice.open(NbdUri.parse(uri.toString()))) {
                Random random = new Random(11);
                write(disk, random);
                Point older = dp.mark("db:forward", MarkerKind.CRASH, "older").orElseThrow();
                write(disk, random);
                Point newest = dp.mark("db:forward", MarkerKind.APP, "newest").orElseThrow();
                await(() -> dp.points("db:forward").stream().anyMatch(p -> p.id().equals(newest.id())));
                Thread.sleep(1000); // both points are older than the window now
                dp.applyRetention("db:forward");
                assertThat(dp.points("db:forward")).extracting(Point::id).as("the older point is dropped, the newest is kept")
                        .containsExactly(newest.id()).doesNotContain(older.id());
            }
        }
    }

    /** Every point but the newest (and a pinned one) is inside the window, give or take one retention run. */
    private static void assertWindow(List<Point> points, Instant now) {
        assertThat(points).as("points are offered").isNotEmpty();
        for (Point p : points.subList(0, points.size() - 1)) {
            assertThat(Duration.between(p.time(), now)).as("age of point %s", p.id()).isLessThanOrEqualTo(RETENTION.plus(SLACK));
        }
        assertThat(points.size()).as("about one point per 200 ms of the window").isBetween(3, 30);
    }

    private Path image(String name) throws IOException {
        Path image = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        return image;
    }

    /** 16 KiB of random bytes at a random 4 KiB-aligned offset, flushed; about 40 per second. */
    private static void write(NbdBlockDevice disk, Random random) throws Exception {
        byte[] data = new byte[16 << 10];
        random.nextBytes(data);
        long offset = (long) random.nextInt((int) (SIZE / 4096 - 4)) * 4096;
        disk.write(offset, ByteBuffer.wrap(data), false);
        disk.flush();
        Thread.sleep(25);
    }

    private static Path journalDir(Path dpDir) throws IOException {
        try (Stream<Path> s = Files.list(dpDir.resolve("sites").resolve("recovery").resolve("master-target").resolve("journals"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("recovery.web-forward.")).findFirst().orElseThrow();
        }
    }

    /** The journal's segment files now (named by their first LSN, zero-padded: sorted by name is sorted by LSN). */
    private static Set<String> segments(Path journal) throws IOException {
        try (Stream<Path> s = Files.list(journal)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SegmentName.SUFFIX))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
