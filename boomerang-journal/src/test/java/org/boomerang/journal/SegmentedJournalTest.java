package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedJournalTest {
    private static final long SIZE = 4 << 20;

    @TempDir
    Path tmp;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024).withClock(clock);

    private SegmentedJournal create() throws IOException {
        return SegmentedJournal.create(tmp.resolve("j"), JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options);
    }

    private static void write(Journal j, long offset, int length, long seed) throws IOException {
        j.appendWrite(offset, ByteBuffer.wrap(JournalFixtures.payload(seed, length)));
    }

    @Test
    void pointsResolveByEveryName() throws IOException {
        try (SegmentedJournal j = create()) {
            write(j, 0, 4096, 1);
            RecoveryPoint crash = j.appendMarker(MarkerKind.CRASH, "", "");
            write(j, 4096, 4096, 2);
            RecoveryPoint app = j.appendMarker(MarkerKind.APP, "", "pre-upgrade");
            write(j, 8192, 4096, 3);
            RecoveryPoint group = j.appendMarker(MarkerKind.GROUP, "g1", "");
            write(j, 8192, 4096, 4);
            // Nothing is offered before it is durable.
            assertThat(j.points()).isEmpty();
            assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:3")))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.NONE);
            j.sync();

            assertThat(j.points()).extracting(RecoveryPoint::kind).containsExactly(MarkerKind.CRASH, MarkerKind.APP, MarkerKind.GROUP);
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(7));
            assertThat(j.resolve(PointName.parse("latest-processed"))).isEqualTo(group.lsn());
            assertThat(j.resolve(PointName.parse("latest-app-consistent"))).isEqualTo(app.lsn());
            assertThat(j.resolve(PointName.parse("lsn:3"))).isEqualTo(Lsn.of(3));
            assertThat(j.resolve(PointName.parse(crash.id()))).isEqualTo(crash.lsn());
            assertThat(j.resolve(PointName.parse(app.id().substring(0, 8)))).isEqualTo(app.lsn());
            assertThat(j.points().get(1).marker().tag()).isEqualTo("pre-upgrade");
            assertThat(j.points().get(2).marker().groupId()).isEqualTo("g1");
            assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:99")))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
            assertThatThrownBy(() -> PointName.parse("lsn:x"))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.BAD_POINT_NAME));
            assertThatThrownBy(() -> j.resolve(PointName.parse("no-such-point")))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
        }
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options)) {
            assertThat(j.points()).hasSize(3);
            assertThat(j.points().get(1).marker().time()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        }
    }

    @Test
    void aJournalOpenElsewhereIsRefused() throws IOException {
        try (SegmentedJournal j = create()) {
            write(j, 0, 512, 1);
            assertThatThrownBy(() -> SegmentedJournal.open(tmp.resolve("j"), options))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.IN_USE));
        }
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(1));
        }
    }

    @Test
    void noAppConsistentPointIsAClearError() throws IOException {
        try (SegmentedJournal j = create()) {
            write(j, 0, 512, 1);
            assertThatThrownBy(() -> j.resolve(PointName.parse("latest-app-consistent")))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
            assertThatThrownBy(() -> j.resolve(PointName.parse("latest-processed")))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
        }
    }

    @Test
    void changedSinceListsEveryRangeWrittenTrimmedOrZeroedAfterThePoint() throws IOException {
        try (SegmentedJournal j = create()) {
            write(j, 0, 4096, 1);
            RecoveryPoint p = j.appendMarker(MarkerKind.CRASH, "", "");
            write(j, 65536, 4096, 2);
            write(j, 65536 + 2048, 4096, 3);
            j.appendTrim(1 << 20, 8192);
            j.appendZero(2 << 20, 100);
            assertThat(j.changedSince(p.lsn())).containsExactly(new ByteRange(65536, 6144), new ByteRange(1 << 20, 8192),
                    new ByteRange(2 << 20, 100));
            ChangeMap map = j.changeMapSince(p.lsn(), 65536);
            assertThat(map.generation()).isEqualTo(j.identity().generation());
            assertThat(map.markedCount()).isEqualTo(3);
            assertThat(map.isMarked(1)).isTrue();
            assertThat(map.isMarked(0)).isFalse();
            assertThat(j.changedSince(j.lastLsn())).isEmpty();
        }
    }

    @Test
    void retentionAppliesExpiredRecordsDeletesSegmentsAndThins() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = create()) {
            for (int hour = 0; hour < 6; hour++) {
                for (int i = 0; i < 4; i++) {
                    write(j, (hour * 4 + i) * 8192L, 8192, hour * 10 + i);
                    j.appendMarker(MarkerKind.CRASH, "", "");
                    clock.advance(Duration.ofMinutes(15));
                }
            }
            j.sync(); // retention keeps and thins durable points only
            int segmentsBefore = JournalFixtures.segments(dir).size();
            assertThat(segmentsBefore).isGreaterThan(2);
            Lsn before = j.lastLsn();
            byte[] latest = readAll(j, before);
            // Keep 3 hours; inside them every point for 1 hour, then one per hour.
            RetentionPolicy policy = new RetentionPolicy(Duration.ofHours(3),
                    List.of(new RetentionPolicy.Tier(Duration.ofHours(1), Duration.ofHours(1))));
            Journal.RetentionReport r = j.applyRetention(policy);
            assertThat(r.newBase().value()).isGreaterThan(0);
            assertThat(r.segmentsDeleted()).isPositive();
            assertThat(JournalFixtures.segments(dir).size()).isLessThan(segmentsBefore);
            assertThat(r.pointsThinned()).isPositive();
            assertThat(j.points()).allSatisfy(p -> assertThat(p.marker().time()).isAfter(clock.now().minus(Duration.ofHours(3))));
            assertThat(readAll(j, before)).isEqualTo(latest);
            assertThat(j.baseLsn()).isEqualTo(r.newBase());
            assertThatThrownBy(() -> j.openView(Lsn.of(1)))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND));
        }
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.baseLsn().value()).isPositive();
            assertThat(j.recoveryReport().checkpointUsed()).isTrue();
            assertThat(j.points()).isNotEmpty().allSatisfy(p -> assertThat(p.lsn()).isGreaterThan(j.baseLsn()));
        }
    }

    @Test
    void thinnedPointsStayHiddenAcrossReopenButTheirLsnsStayReadable() throws IOException {
        Path dir = tmp.resolve("j");
        List<RecoveryPoint> all = new java.util.ArrayList<>();
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < 12; i++) {
                write(j, i * 4096L, 4096, i);
                all.add(j.appendMarker(i == 4 ? MarkerKind.APP : MarkerKind.CRASH, "", ""));
                clock.advance(Duration.ofMinutes(10));
            }
            j.sync();
            // Window 1 day (nothing expires); points older than 30 minutes keep one per hour.
            RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(1),
                    List.of(new RetentionPolicy.Tier(Duration.ofMinutes(30), Duration.ofHours(1))));
            assertThat(j.applyRetention(policy).pointsThinned()).isPositive();
            assertThat(j.baseLsn()).isEqualTo(Lsn.NONE);
        }
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            List<Lsn> kept = j.points().stream().map(RecoveryPoint::lsn).toList();
            assertThat(kept).hasSizeLessThan(all.size()).contains(all.get(4).lsn(), all.get(11).lsn());
            RecoveryPoint thinned = all.stream().filter(p -> !kept.contains(p.lsn())).findFirst().orElseThrow();
            assertThatThrownBy(() -> j.resolve(PointName.parse(thinned.id())))
                    .isInstanceOfSatisfying(JournalException.class, e -> {
                        assertThat(e.code()).isEqualTo(JournalError.POINT_NOT_FOUND);
                        assertThat(e.getMessage()).contains("thinned");
                    });
            assertThat(j.resolve(PointName.parse("lsn:" + thinned.lsn().value()))).isEqualTo(thinned.lsn());
            assertThat(j.resolve(PointName.parse("latest-app-consistent"))).isEqualTo(all.get(4).lsn());
        }
    }

    @Test
    void anOpenViewKeepsItsSegmentsAndPointThroughRetention() throws IOException {
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < 40; i++) {
                write(j, i * 8192L, 8192, i);
                j.appendMarker(MarkerKind.CRASH, "", "");
                clock.advance(Duration.ofMinutes(10));
            }
            j.sync(); // retention keeps and thins durable points only
            Lsn at = Lsn.of(20);
            byte[] expected;
            try (PointInTimeView v = j.openView(at)) {
                expected = JournalFixtures.read(v::read, 0, (int) SIZE);
            }
            try (PointInTimeView v = j.openView(at)) {
                Journal.RetentionReport r = j.applyRetention(RetentionPolicy.window(Duration.ofMinutes(30)));
                assertThat(r.newBase().value()).isLessThanOrEqualTo(20);
                assertThat(JournalFixtures.read(v::read, 0, (int) SIZE)).isEqualTo(expected);
            }
            Journal.RetentionReport r = j.applyRetention(RetentionPolicy.window(Duration.ofMinutes(30)));
            assertThat(r.newBase().value()).isGreaterThan(20);
        }
    }

    @Test
    void retentionWithALimitNeverMovesTheBasePastIt() throws IOException {
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < 40; i++) {
                write(j, i * 8192L, 8192, i);
                j.appendMarker(MarkerKind.CRASH, "", "");
                clock.advance(Duration.ofMinutes(10));
            }
            j.sync();
            Lsn newest = j.points().getLast().lsn();
            Journal.RetentionReport limited = j.applyRetention(RetentionPolicy.window(Duration.ZERO), Lsn.of(newest.value() - 1));
            assertThat(limited.newBase()).as("every point is expired, but the base stays below the limit").isLessThan(newest);
            assertThat(limited.segmentsDeleted()).isPositive();
            assertThat(j.points()).extracting(RecoveryPoint::lsn).containsExactly(newest);

            Journal.RetentionReport unlimited = j.applyRetention(RetentionPolicy.window(Duration.ZERO));
            assertThat(unlimited.newBase()).as("without a limit the newest expired point becomes the base").isEqualTo(newest);
            assertThat(j.points()).isEmpty();
        }
    }

    @Test
    void retentionNeverMakesAMarkerInsideAnInconsistentWindowTheBase() throws IOException {
        try (SegmentedJournal j = create()) {
            write(j, 0, 8192, 1);
            Lsn before = j.appendMarker(MarkerKind.CRASH, "", "before").lsn();
            clock.advance(Duration.ofMinutes(10));
            j.appendWindowOpen("catch-up");
            write(j, 8192, 8192, 2);
            Lsn inside = j.appendMarker(MarkerKind.CRASH, "", "inside").lsn();
            clock.advance(Duration.ofMinutes(10));
            write(j, 16384, 8192, 3);
            j.appendWindowClose();
            write(j, 24576, 8192, 4);
            Lsn after = j.appendMarker(MarkerKind.CRASH, "", "after").lsn();
            clock.advance(Duration.ofMinutes(10));
            j.sync();
            Journal.RetentionReport r = j.applyRetention(RetentionPolicy.window(Duration.ofMinutes(5)), Lsn.of(after.value() - 1));
            assertThat(r.newBase()).as("the marker inside the window (LSN %d) is no consistent base", inside.value()).isEqualTo(before);
            assertThat(j.points()).extracting(RecoveryPoint::lsn).containsExactly(after);
        }
    }

    @Test
    void aWritableViewWritesOnlyTheOverlayAndPersistsItsMap() throws IOException {
        Path overlay = tmp.resolve("overlay");
        byte[] journalBytesAtPoint;
        Lsn at;
        try (SegmentedJournal j = create()) {
            write(j, 0, 16384, 1);
            at = j.appendMarker(MarkerKind.CRASH, "", "").lsn();
            write(j, 0, 16384, 2);
            long segBytes = Files.size(JournalFixtures.segments(tmp.resolve("j")).get(0));
            try (PointInTimeView v = j.openView(at)) {
                journalBytesAtPoint = JournalFixtures.read(v::read, 0, 16384);
            }
            try (WritableView w = j.openWritable(at, overlay)) {
                assertThat(JournalFixtures.read(w::read, 0, 16384)).isEqualTo(journalBytesAtPoint);
                w.write(100, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
                w.writeZeroes(8192, 4096, true, false);
                w.flush();
                byte[] expected = journalBytesAtPoint.clone();
                expected[100] = 1;
                expected[101] = 2;
                expected[102] = 3;
                java.util.Arrays.fill(expected, 8192, 12288, (byte) 0);
                assertThat(JournalFixtures.read(w::read, 0, 16384)).isEqualTo(expected);
                assertThat(w.writtenBlocks().markedCount()).isEqualTo(2);
                List<Extent> alloc = w.allocation(0, SIZE);
                assertThat(alloc.get(0).hole()).isFalse();
            }
            assertThat(Files.size(JournalFixtures.segments(tmp.resolve("j")).get(0))).isEqualTo(segBytes);
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(3));
            try (WritableView w = j.openWritable(at, overlay)) {
                assertThat(w.writtenBlocks().markedCount()).isEqualTo(2);
                assertThat(JournalFixtures.read(w::read, 100, 3)).containsExactly(1, 2, 3);
                assertThat(JournalFixtures.read(w::read, 103, 10)).isEqualTo(java.util.Arrays.copyOfRange(journalBytesAtPoint, 103, 113));
            }
            assertThatThrownBy(() -> j.openWritable(Lsn.of(3), overlay))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.OVERLAY_MISMATCH));
        }
        ChangeMap persisted = new ChangeMap(SIZE, WritableView.OVERLAY_BLOCK, OverlayStamp.read(overlay).overlayGeneration());
        OverlayMapFile.open(overlay, persisted).close();
        assertThat(persisted.markedCount()).isEqualTo(2);
    }

    @Test
    void anOverlayCrashLosesOnlyUnflushedWritesAndItsMapNeverMissesVisibleData() throws IOException {
        Path overlay = tmp.resolve("overlay");
        Path crashed = tmp.resolve("crashed");
        try (SegmentedJournal j = create()) {
            write(j, 0, 65536, 1);
            Lsn at = j.sync();
            byte[] view = readAll(j, at);
            try (WritableView w = j.openWritable(at, overlay)) {
                w.write(0, ByteBuffer.wrap(JournalFixtures.payload(2, 4096)), false);
                w.flush();
                w.write(8192, ByteBuffer.wrap(JournalFixtures.payload(3, 4096)), false); // never flushed
                JournalFixtures.copyTree(overlay, crashed); // what a crash leaves behind
            }
            try (WritableView w = j.openWritable(at, crashed)) {
                assertThat(JournalFixtures.read(w::read, 0, 4096)).isEqualTo(JournalFixtures.payload(2, 4096));
                assertThat(w.writtenBlocks().isMarked(0)).isTrue();
                // The unflushed write is gone whole: unmarked, so the block reads from the view even
                // though the overlay file may hold its bytes.
                assertThat(w.writtenBlocks().isMarked(2)).isFalse();
                assertThat(JournalFixtures.read(w::read, 8192, 4096)).isEqualTo(java.util.Arrays.copyOfRange(view, 8192, 12288));
            }
            try (WritableView w = j.openWritable(at, overlay)) {
                assertThat(JournalFixtures.read(w::read, 8192, 4096)).isEqualTo(JournalFixtures.payload(3, 4096));
            }
        }
    }

    @Test
    void hydrationWritesViewPlusOverlayIntoAStandaloneSparseImageWhileInUse() throws Exception {
        try (SegmentedJournal j = create()) {
            write(j, 0, 65536, 1);
            write(j, 1 << 20, 4096, 2);
            Lsn at = j.sync();
            try (WritableView w = j.openWritable(at, tmp.resolve("ov"))) {
                w.write(4096, ByteBuffer.wrap(JournalFixtures.payload(9, 4096)), false);
                Hydration h = new Hydration(w, tmp.resolve("hydrated.img")).start();
                for (int i = 0; i < 50; i++) {
                    w.write((2L << 20) + i * 4096L, ByteBuffer.wrap(JournalFixtures.payload(100 + i, 4096)), false);
                }
                h.await();
                try (RawFileBlockDevice img = RawFileBlockDevice.open(tmp.resolve("hydrated.img"), true)) {
                    assertThat(JournalFixtures.read(img::read, 0, (int) SIZE)).isEqualTo(JournalFixtures.read(w::read, 0, (int) SIZE));
                    assertThat(img.allocation(3 << 20, 1 << 20)).allSatisfy(e -> assertThat(e.hole()).isTrue());
                }
            }
        }
    }

    @Test
    void theJournalingDeviceReadsItsOwnWritesAndJournalsEveryOne() throws IOException {
        try (SegmentedJournal j = create(); JournalingBlockDevice d = new JournalingBlockDevice(j)) {
            d.write(512, ByteBuffer.wrap(new byte[] {5, 6}), false);
            d.writeZeroes(0, 512, false, true);
            d.trim(4096, 4096);
            d.flush();
            assertThat(JournalFixtures.read(d::read, 512, 2)).containsExactly(5, 6);
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(3));
            assertThat(j.durableLsn()).isEqualTo(Lsn.of(3));
            j.applyRetention(RetentionPolicy.window(Duration.ZERO));
            assertThat(JournalFixtures.read(d::read, 512, 2)).containsExactly(5, 6);
        }
    }

    @Test
    void largeRecordsWrittenWithDirectIoInterleaveWithSmallOnesAndSurviveACrashCopy() throws IOException {
        Path dir = tmp.resolve("j");
        Path crashed = tmp.resolve("crashed");
        byte[] expected = new byte[(int) SIZE];
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < 12; i++) {
                int length = i % 3 == 0 ? 300 : (1 << 20) - 4096 * i;
                long offset = (i * 196_613L) % (SIZE - length);
                byte[] data = JournalFixtures.payload(i, length);
                System.arraycopy(data, 0, expected, (int) offset, length);
                j.appendWrite(offset, ByteBuffer.wrap(data));
                assertThat(readAll(j, j.lastLsn())).isEqualTo(expected);
            }
            j.sync();
            // A copy of the directory while the journal is open is what a crash leaves: the last direct
            // write may end in zero padding, which recovery cuts off as a torn tail.
            JournalFixtures.copyTree(dir, crashed);
        }
        for (Path d : List.of(dir, crashed)) {
            try (SegmentedJournal j = SegmentedJournal.open(d, options)) {
                assertThat(j.lastLsn()).isEqualTo(Lsn.of(12));
                assertThat(j.verify()).isEqualTo(12);
                assertThat(readAll(j, j.lastLsn())).isEqualTo(expected);
            }
        }
        for (Path seg : JournalFixtures.segments(dir)) {
            assertThat(Files.size(seg) % 4096).as("sealed segments carry no padding: %s", seg).isNotZero();
        }
    }

    @Test
    void aRetentionInterruptedAfterItsIntentIsFinishedOnOpen() throws IOException {
        Path dir = tmp.resolve("j");
        byte[] atTarget;
        byte[] latest;
        Lsn target;
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < 30; i++) {
                write(j, (i % 7) * 65536L, 65536, i);
            }
            target = j.appendMarker(MarkerKind.CRASH, "", "").lsn();
            write(j, 0, 4096, 99);
            atTarget = readAll(j, target);
            latest = readAll(j, j.lastLsn());
        }
        // The crash: the intent is durable and the first ten writes reached the base image, nothing more.
        new org.boomerang.journal.recovery.BaseState(Lsn.NONE, target.value()).write(dir);
        try (RawFileBlockDevice base = RawFileBlockDevice.open(dir.resolve(SegmentedJournal.BASE_IMAGE), false)) {
            for (int i = 0; i < 10; i++) {
                base.write((i % 7) * 65536L, ByteBuffer.wrap(JournalFixtures.payload(i, 65536)), false);
            }
        }
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.recoveryReport().retentionCompleted()).isTrue();
            assertThat(j.baseLsn()).isEqualTo(target);
            assertThat(readAll(j, target)).isEqualTo(atTarget);
            assertThat(readAll(j, j.lastLsn())).isEqualTo(latest);
        }
        try (RawFileBlockDevice base = RawFileBlockDevice.open(dir.resolve(SegmentedJournal.BASE_IMAGE), true)) {
            assertThat(JournalFixtures.read(base::read, 0, (int) SIZE)).isEqualTo(atTarget);
        }
        assertThat(org.boomerang.journal.recovery.BaseState.read(dir).applying()).isFalse();
    }

    private static byte[] readAll(Journal j, Lsn at) throws IOException {
        try (PointInTimeView v = j.openView(at)) {
            return JournalFixtures.read(v::read, 0, (int) SIZE);
        }
    }
}
