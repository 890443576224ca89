package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.segment.SegmentIndexFile;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-segment index files ({@link SegmentIndexFile}): what reopening reads instead of scanning. */
class SegmentIndexTest {
    private static final long SIZE = 4 << 20;
    private static final int PAYLOAD = 4096;

    @TempDir
    Path tmp;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024).withClock(clock);

    private static void write(Journal j, long i) throws IOException {
        j.appendWrite((i % 1000) * PAYLOAD, ByteBuffer.wrap(JournalFixtures.payload(i, PAYLOAD)));
    }

    private static void assertRecords(Journal j, long through) throws IOException {
        try (PointInTimeView v = j.openView(Lsn.of(through))) {
            for (long i = Math.max(1, through - 999); i <= through; i++) {
                assertThat(JournalFixtures.read(v::read, ((i - 1) % 1000) * PAYLOAD, PAYLOAD))
                        .as("record %d", i).isEqualTo(JournalFixtures.payload(i - 1, PAYLOAD));
            }
        }
    }

    @Test
    void everySealedSegmentIsIndexedAndReopeningScansNothing() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options)) {
            for (long i = 0; i < 200; i++) {
                write(j, i);
            }
            j.appendMarker(MarkerKind.CRASH, "", "after 200");
            j.appendWindowOpen("catch-up");
            j.appendWindowClose();
            j.sync();
        }
        List<Path> segments = JournalFixtures.segments(dir);
        assertThat(segments).hasSizeGreaterThan(5);
        assertThat(JournalFixtures.indexes(dir)).hasSameSizeAs(segments);
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.recoveryReport().checkpointUsed()).isTrue();
            assertThat(j.recoveryReport().recordsScanned()).isZero();
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(203));
            assertThat(j.points()).extracting(p -> p.marker().tag()).containsExactly("after 200");
            assertThat(j.windows()).singleElement().satisfies(w -> assertThat(w.reason()).isEqualTo("catch-up"));
            assertRecords(j, 200);
            assertThat(j.verify()).isEqualTo(203);
        }
    }

    @Test
    void aCrashAfterTheIndexScansOnlyWhatWasAppendedAfterIt() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options)) {
            write(j, 0);
            write(j, 1);
        }
        Path crashed = tmp.resolve("crashed");
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            write(j, 2); // into the last segment, whose index (written at close) now ends before it
            j.sync();
            JournalFixtures.copyTree(dir, crashed); // the directory as a crash would leave it: no close
        }
        Files.deleteIfExists(crashed.resolve("lock"));
        try (SegmentedJournal j = SegmentedJournal.open(crashed, options)) {
            assertThat(j.recoveryReport().checkpointUsed()).isTrue();
            assertThat(j.recoveryReport().recordsScanned()).isEqualTo(1);
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(3));
            assertRecords(j, 3);
        }
    }

    @Test
    void retentionDeletesTheIndexesWithTheirSegmentsAndStaleOnesAreRemoved() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options)) {
            for (long i = 0; i < 100; i++) {
                write(j, i);
                if (i == 79) {
                    j.appendMarker(MarkerKind.CRASH, "", "old");
                    clock.advance(java.time.Duration.ofHours(2));
                }
            }
            j.appendMarker(MarkerKind.CRASH, "", "new");
            j.sync();
            // The sealed segments are indexed in the background; retention below must find their indexes
            // (an index written after retention moved the base into its segment is skipped: a cache).
            j.awaitIndexesWritten();
            Journal.RetentionReport r = j.applyRetention(org.boomerang.journal.recovery.RetentionPolicy.window(
                    java.time.Duration.ofHours(1)));
            assertThat(r.segmentsDeleted()).isPositive();
        }
        assertThat(JournalFixtures.indexes(dir)).hasSameSizeAs(JournalFixtures.segments(dir));
        // An index whose segment is gone, and the retired whole-journal checkpoint, are removed on open.
        Files.write(SegmentIndexFile.path(dir, Lsn.of(1)), new byte[] {1, 2, 3});
        Files.write(dir.resolve(SegmentIndexFile.RETIRED_CHECKPOINT), new byte[] {4, 5, 6});
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.recoveryReport().recordsScanned()).isZero();
            assertThat(j.baseLsn().value()).isPositive();
            try (PointInTimeView v = j.openView(j.lastLsn())) {
                for (long i = 0; i < 100; i++) {
                    assertThat(JournalFixtures.read(v::read, i * PAYLOAD, PAYLOAD)).as("write %d", i)
                            .isEqualTo(JournalFixtures.payload(i, PAYLOAD));
                }
            }
        }
        assertThat(Files.exists(SegmentIndexFile.path(dir, Lsn.of(1)))).isFalse();
        assertThat(Files.exists(dir.resolve(SegmentIndexFile.RETIRED_CHECKPOINT))).isFalse();
        assertThat(JournalFixtures.indexes(dir)).hasSameSizeAs(JournalFixtures.segments(dir));
    }

    @Test
    void aJournalWithoutIndexesOpensByScanningAndIndexesItsSealedSegments() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options)) {
            for (long i = 0; i < 100; i++) {
                write(j, i);
            }
        }
        JournalFixtures.deleteIndexes(dir);
        int segments = JournalFixtures.segments(dir).size();
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.recoveryReport().checkpointUsed()).isFalse();
            assertThat(j.recoveryReport().recordsScanned()).isEqualTo(100);
            // Every sealed segment got its index during the open; the last one gets it at close.
            assertThat(JournalFixtures.indexes(dir)).hasSize(segments - 1);
            assertRecords(j, 100);
        }
        assertThat(JournalFixtures.indexes(dir)).hasSize(segments);
    }
}
