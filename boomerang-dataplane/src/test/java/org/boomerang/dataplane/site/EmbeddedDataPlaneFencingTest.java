package org.boomerang.dataplane.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.boomerang.dataplane.site.EmbeddedDataPlaneTest.await;
import static org.boomerang.dataplane.site.EmbeddedDataPlaneTest.awaitPointAfterWrites;
import static org.boomerang.dataplane.site.EmbeddedDataPlaneTest.bytes;
import static org.boomerang.dataplane.site.EmbeddedDataPlaneTest.sha256;
import static org.boomerang.dataplane.site.EmbeddedDataPlaneTest.write;

import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairDisk;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairSpec;
import org.boomerang.dataplane.site.EmbeddedDataPlane.Point;
import org.boomerang.dataplane.site.EmbeddedDataPlane.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing on the embedded data plane, two sites on loopback: a failover view fences the pair's source
 * off at the recovery site's master target (the source's later writes stay in its dirty map), the fence
 * holds across a restart of every role, closing the view re-admits the source (its writes then reach
 * the replica), and starting the reverse direction from a view fences the forward source again.
 */
class EmbeddedDataPlaneFencingTest {
    private static final long SIZE = 16L << 20;
    private static final String PAIR = "db:forward";

    @TempDir
    Path dir;

    @Test
    void aFailoverViewFencesTheSourceUntilItClosesAndTheReverseDirectionFencesItAgain() throws Exception {
        Path image = dir.resolve("primary-disk0.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SIZE);
            f.seek(1 << 20);
            f.write(bytes(128 << 10, 1));
        }
        Path dpDir = dir.resolve("dp");
        List<String> sites = List.of("primary", "recovery");
        PairSpec forward = new PairSpec(PAIR, "primary", "recovery", List.of(new PairDisk("disk0", "db1.disk0", image.toString(), null, null)),
                Duration.ofMillis(200), Duration.ofSeconds(60), null, "db1", null);
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dpDir, sites, CaptureOptions.defaults())) {
            URI uri = dp.online("primary", "db1.disk0", image);
            dp.startPair(forward);
            dp.sync(PAIR, org.boomerang.common.SyncMode.FULL, Duration.ofSeconds(60));
            write(uri, 3 << 20, bytes(64 << 10, 2));
            await(() -> dp.status(PAIR).replicated());
            Point p = awaitPointAfterWrites(dp, PAIR);
            assertThat(dp.status(PAIR).fenced()).isEmpty();

            dp.openView(PAIR, p.id(), "db-fo-1", true);
            await(() -> dp.status(PAIR).fenced().contains("FENCED"));
            write(uri, 6 << 20, bytes(64 << 10, 3)); // the old source goes on writing
            assertThat(dp.status(PAIR).lagBytes()).as("its dirty map keeps the write").isGreaterThanOrEqualTo(64 << 10);
            assertThat(dp.status(PAIR).replicated()).isFalse();
            assertThat(dp.status(PAIR).connected()).as("refused, not unreachable").isTrue();
        }
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dpDir, sites, CaptureOptions.defaults())) {
            await(() -> dp.status(PAIR).fenced().contains("FENCED"));
            assertThat(dp.status(PAIR).lagBytes()).as("the write is still only in the dirty map").isGreaterThanOrEqualTo(64 << 10);

            dp.closeView("db-fo-1");
            await(() -> dp.status(PAIR).replicated());
            assertThat(dp.status(PAIR).fenced()).isEmpty();
            Point after = awaitPointAfterWrites(dp, PAIR);
            View v = dp.openView(PAIR, after.id(), "db-fo-2", true);
            URI viewUri = v.disks().getFirst().uri();
            assertThat(sha256(viewUri)).as("after re-admission the source's writes reached the replica").isEqualTo(sha256(image));

            dp.closeView("db-fo-2");
            await(() -> dp.status(PAIR).replicated());
            assertThat(dp.status(PAIR).fenced()).isEmpty();

            Path recovered = dir.resolve("recovery-disk0.img");
            try (RandomAccessFile f = new RandomAccessFile(recovered.toFile(), "rw")) {
                f.setLength(SIZE);
            }
            dp.online("recovery", "db1r.disk0", recovered);
            dp.startPair(new PairSpec("db:reverse", "recovery", "primary",
                    List.of(new PairDisk("disk0", "db1r.disk0", recovered.toString(), image.toString(), "db1.disk0")), Duration.ofMillis(200),
                    Duration.ofSeconds(60), null, "db1", null));
            await(() -> dp.status(PAIR).fenced().contains("FENCED"));
            dp.stopPair("db:reverse");
        }
    }

    @Test
    void aJobsCallUnderALowerLeaseEpochThanOneAdmittedIsRefusedAlsoAfterARestart() throws Exception {
        Path dpDir = dir.resolve("dp");
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dpDir, List.of("primary"), CaptureOptions.defaults())) {
            dp.admitJob("job-1", 0);
            dp.admitJob("job-1", 1);
            dp.admitJob("job-1", 3);
            dp.admitJob("job-1", 3);
            dp.admitJob("job-2", 1);
            assertThatThrownBy(() -> dp.admitJob("job-1", 2)).isInstanceOfSatisfying(BoomerangException.class, e -> {
                assertThat(e.code()).isEqualTo(SiteError.STALE_JOB_LEASE);
                assertThat(e.getMessage()).contains("epoch 2").contains("epoch 3");
            });
        }
        try (EmbeddedDataPlane dp = EmbeddedDataPlane.start(dpDir, List.of("primary"), CaptureOptions.defaults())) {
            assertThatThrownBy(() -> dp.admitJob("job-1", 1)).isInstanceOfSatisfying(BoomerangException.class,
                    e -> assertThat(e.code()).isEqualTo(SiteError.STALE_JOB_LEASE));
            dp.admitJob("job-1", 4);
        }
    }
}
