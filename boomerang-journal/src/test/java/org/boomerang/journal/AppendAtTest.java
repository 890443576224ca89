package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends at an expected LSN (a stream's resends and gaps) and inconsistent windows. */
class AppendAtTest {
    private static final long SIZE = 4 << 20;

    @TempDir
    Path tmp;

    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024);

    private SegmentedJournal create() throws IOException {
        return SegmentedJournal.create(tmp.resolve("j"), JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options);
    }

    private static JournalRecordSpec write(long offset, long seed) {
        return new JournalRecordSpec.Write(offset, ByteBuffer.wrap(JournalFixtures.payload(seed, 4096)));
    }

    private static void assertCode(Throwable e, JournalError code) {
        assertThat(e).isInstanceOfSatisfying(JournalException.class, j -> assertThat(j.code()).isEqualTo(code));
    }

    @Test
    void aResendIsSkippedAGapIsRefusedAndADifferentRecordIsAConflict() throws IOException {
        Marker marker = new Marker(MarkerKind.APP, "p-1", Instant.parse("2026-01-01T00:00:00Z"), "", "t");
        List<JournalRecordSpec> stream = List.of(write(0, 1), new JournalRecordSpec.Trim(8192, 4096),
                new JournalRecordSpec.Zero(16384, 512), new JournalRecordSpec.MarkerRecord(marker),
                new JournalRecordSpec.WindowOpen("catch-up"), write(4096, 2), new JournalRecordSpec.WindowClose());
        try (SegmentedJournal j = create()) {
            for (int i = 0; i < stream.size(); i++) {
                assertThat(j.appendAt(Lsn.of(i + 1), stream.get(i))).isEqualTo(AppendOutcome.APPENDED);
            }
            j.sync();
            // The stream reconnects and resends everything: nothing is written twice.
            for (int i = 0; i < stream.size(); i++) {
                assertThat(j.appendAt(Lsn.of(i + 1), stream.get(i))).as("resend of %d", i + 1).isEqualTo(AppendOutcome.DUPLICATE);
            }
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(7));
            assertThatThrownBy(() -> j.appendAt(Lsn.of(9), write(0, 3))).satisfies(e -> {
                assertCode(e, JournalError.LSN_GAP);
                assertThat(e.getMessage()).contains("expected LSN 9").contains("next 8");
            });
            assertThatThrownBy(() -> j.appendAt(Lsn.of(1), write(0, 99))).satisfies(e -> assertCode(e, JournalError.LSN_CONFLICT));
            assertThatThrownBy(() -> j.appendAt(Lsn.of(2), new JournalRecordSpec.Trim(8192, 512)))
                    .satisfies(e -> assertCode(e, JournalError.LSN_CONFLICT));
            assertThatThrownBy(() -> j.appendAt(Lsn.of(4), new JournalRecordSpec.MarkerRecord(
                    new Marker(MarkerKind.APP, "p-2", marker.time(), "", "t")))).satisfies(e -> assertCode(e, JournalError.LSN_CONFLICT));
            assertThat(j.appendAt(Lsn.of(8), write(0, 3))).isEqualTo(AppendOutcome.APPENDED);
            j.sync();
            assertThat(j.verify()).isEqualTo(8);
            try (PointInTimeView v = j.openView(Lsn.of(8))) {
                assertThat(JournalFixtures.read(v::read, 0, 4096)).isEqualTo(JournalFixtures.payload(3, 4096));
                assertThat(JournalFixtures.read(v::read, 4096, 4096)).isEqualTo(JournalFixtures.payload(2, 4096));
            }
        }
        // Resends are recognised after a reopen too (the records are read back from the segments).
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options)) {
            assertThat(j.appendAt(Lsn.of(6), write(4096, 2))).isEqualTo(AppendOutcome.DUPLICATE);
            assertThat(j.appendAt(Lsn.of(5), new JournalRecordSpec.WindowOpen("catch-up"))).isEqualTo(AppendOutcome.DUPLICATE);
            assertThatThrownBy(() -> j.appendAt(Lsn.of(5), new JournalRecordSpec.WindowOpen("other")))
                    .satisfies(e -> assertCode(e, JournalError.LSN_CONFLICT));
        }
    }

    @Test
    void aWriteRecordMustFitOneRecord() throws IOException {
        try (SegmentedJournal j = create()) {
            assertThatThrownBy(() -> j.appendAt(Lsn.of(1), new JournalRecordSpec.Write(0, ByteBuffer.allocate(0))))
                    .satisfies(e -> assertCode(e, JournalError.BAD_REQUEST));
            assertThatThrownBy(() -> j.appendAt(Lsn.of(1), new JournalRecordSpec.Write(SIZE - 10, ByteBuffer.allocate(20))))
                    .satisfies(e -> assertCode(e, JournalError.BAD_REQUEST));
            assertThat(j.lastLsn()).isEqualTo(Lsn.NONE);
        }
    }

    @Test
    void noPointIsOfferedInsideAnInconsistentWindow() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = create()) {
            j.appendWrite(0, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)));        // 1
            RecoveryPoint before = j.appendMarker(MarkerKind.CRASH, "", "before");     // 2
            Lsn open = j.appendWindowOpen("catch-up from dirty map");                  // 3
            assertThatThrownBy(() -> j.appendWindowOpen("again")).satisfies(e -> assertCode(e, JournalError.BAD_REQUEST));
            j.appendWrite(8192, ByteBuffer.wrap(JournalFixtures.payload(2, 4096)));     // 4
            j.appendMarker(MarkerKind.CRASH, "", "inside");                             // 5
            j.sync();
            assertThat(j.windows()).containsExactly(new InconsistentWindow(open, null, "catch-up from dirty map"));
            assertThat(j.points()).extracting(p -> p.marker().tag()).containsExactly("before");
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(2));
            assertThat(j.resolve(PointName.parse("latest-processed"))).isEqualTo(before.lsn());
            assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:4"))).satisfies(e -> {
                assertCode(e, JournalError.INCONSISTENT_POINT);
                assertThat(e.getMessage()).contains("lsn:3").contains("catch-up from dirty map");
            });
            Lsn close = j.appendWindowClose();                                            // 6
            assertThatThrownBy(j::appendWindowClose).satisfies(e -> assertCode(e, JournalError.BAD_REQUEST));
            j.sync();
            assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:6"))).satisfies(e -> assertCode(e, JournalError.INCONSISTENT_POINT));
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(2));
            j.appendMarker(MarkerKind.APP, "", "after");                                // 7
            j.sync();
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(7));
            assertThat(j.resolve(PointName.parse("lsn:2"))).isEqualTo(Lsn.of(2));
            assertThat(j.windows()).containsExactly(new InconsistentWindow(open, close, "catch-up from dirty map"));
        }
        // Windows are records: they survive a reopen, with and without the index checkpoint.
        for (int pass = 0; pass < 2; pass++) {
            try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
                assertThat(j.windows()).hasSize(1);
                assertThat(j.windows().get(0).reason()).isEqualTo("catch-up from dirty map");
                assertThat(j.points()).extracting(p -> p.marker().tag()).containsExactly("before", "after");
                assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:5"))).satisfies(e -> assertCode(e, JournalError.INCONSISTENT_POINT));
            }
            JournalFixtures.deleteIndexes(dir);
        }
    }

    @Test
    void aStreamedWindowOpenInsideAnOpenWindowContinuesIt() throws IOException {
        Path dir = tmp.resolve("j");
        try (SegmentedJournal j = create()) {
            assertThat(j.appendAt(Lsn.of(1), write(0, 1))).isEqualTo(AppendOutcome.APPENDED);
            assertThat(j.appendAt(Lsn.of(2), new JournalRecordSpec.MarkerRecord(
                    new Marker(MarkerKind.CRASH, "p-1", Instant.parse("2026-01-01T00:00:00Z"), "", "before")))).isEqualTo(AppendOutcome.APPENDED);
            assertThat(j.appendAt(Lsn.of(3), new JournalRecordSpec.WindowOpen("initial copy"))).isEqualTo(AppendOutcome.APPENDED);
            assertThat(j.appendAt(Lsn.of(4), write(4096, 2))).isEqualTo(AppendOutcome.APPENDED);
            // the sender restarted inside its window: its catch-up opens a window again
            assertThat(j.appendAt(Lsn.of(5), new JournalRecordSpec.WindowOpen("agent restart"))).isEqualTo(AppendOutcome.APPENDED);
            assertThat(j.appendAt(Lsn.of(5), new JournalRecordSpec.WindowOpen("agent restart"))).isEqualTo(AppendOutcome.DUPLICATE);
            assertThat(j.appendAt(Lsn.of(6), write(8192, 3))).isEqualTo(AppendOutcome.APPENDED);
            j.sync();
            assertThat(j.windows()).containsExactly(new InconsistentWindow(Lsn.of(3), null, "initial copy"));
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(2));
            assertThatThrownBy(() -> j.appendWindowOpen("local")).satisfies(e -> assertCode(e, JournalError.BAD_REQUEST));
            assertThat(j.appendAt(Lsn.of(7), new JournalRecordSpec.WindowClose())).isEqualTo(AppendOutcome.APPENDED);
            assertThat(j.appendAt(Lsn.of(8), write(0, 4))).isEqualTo(AppendOutcome.APPENDED);
            j.sync();
            assertThat(j.windows()).containsExactly(new InconsistentWindow(Lsn.of(3), Lsn.of(7), "initial copy"));
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(8));
            assertThatThrownBy(() -> j.resolve(PointName.parse("lsn:6"))).satisfies(e -> assertCode(e, JournalError.INCONSISTENT_POINT));
        }
        for (int pass = 0; pass < 2; pass++) {
            try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
                assertThat(j.windows()).as("reopened, pass %d", pass)
                        .containsExactly(new InconsistentWindow(Lsn.of(3), Lsn.of(7), "initial copy"));
                assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.of(8));
            }
            JournalFixtures.deleteIndexes(dir);
        }
    }

    @Test
    void aJournalWholeInsideAWindowHasNoLatestPoint() throws IOException {
        try (SegmentedJournal j = create()) {
            j.appendWindowOpen("initial copy");
            j.appendWrite(0, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)));
            j.sync();
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(Lsn.NONE);
        }
    }
}
