package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.common.DiskId;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.SegmentFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BookKeeper's corruption matrix for the journal: empty segment, header only, torn tail at every byte
 * of the last record, bad checksum in the middle, missing segment, wrong identity stamp.
 */
class CorruptionMatrixTest {
    private static final long SIZE = 8 << 20;
    private static final int PAYLOAD = 100;

    @TempDir
    Path tmp;

    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024);
    private final JournalIdentity identity = JournalIdentity.create(JournalFixtures.DISK, SIZE, 512);

    /** Writes {@code n} records of PAYLOAD bytes; record i (LSN i) goes to offset i * 4096. */
    private Path journalWith(String name, int n) throws IOException {
        return journalWith(name, n, identity);
    }

    private Path journalWith(String name, int n, JournalIdentity id) throws IOException {
        Path dir = tmp.resolve(name);
        try (Journal j = SegmentedJournal.create(dir, id, options)) {
            for (int i = 1; i <= n; i++) {
                j.appendWrite(i * 4096L, ByteBuffer.wrap(JournalFixtures.payload(i, PAYLOAD)));
            }
        }
        return dir;
    }

    private static void assertRecordsIntact(Journal j, int through) throws IOException {
        try (PointInTimeView v = j.openView(Lsn.of(through))) {
            for (int i = 1; i <= through; i++) {
                assertThat(JournalFixtures.read(v::read, i * 4096L, PAYLOAD)).isEqualTo(JournalFixtures.payload(i, PAYLOAD));
            }
        }
    }

    @Test
    void anEmptyLastSegmentIsDroppedAndNothingIsLost() throws IOException {
        Path dir = journalWith("empty-last", 5);
        Files.createFile(dir.resolve("00000000000000000006.seg"));
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(5));
            assertRecordsIntact(j, 5);
            j.appendWrite(0, ByteBuffer.wrap(new byte[] {1}));
        }
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(6));
        }
    }

    @Test
    void anEmptySegmentInTheMiddleIsCorruption() throws IOException {
        Path dir = journalWith("empty-middle", 1200);
        List<Path> segs = JournalFixtures.segments(dir);
        assertThat(segs).hasSizeGreaterThan(2);
        Files.write(segs.get(1), new byte[0]);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> {
                    assertThat(e.code()).isEqualTo(JournalError.CORRUPT_SEGMENT);
                    assertThat(e.getMessage()).contains(segs.get(1).getFileName().toString());
                });
    }

    @Test
    void aHeaderOnlySegmentIsAValidEmptySegment() throws IOException {
        Path dir = tmp.resolve("header-only");
        try (Journal j = SegmentedJournal.create(dir, identity, options)) {
            j.appendWrite(0, ByteBuffer.wrap(new byte[] {7}));
        }
        Path seg = JournalFixtures.segments(dir).get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(SegmentFormat.HEADER_SIZE);
        }
        JournalFixtures.deleteIndexes(dir);
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.NONE);
            assertThat(j.recoveryReport().truncatedBytes()).isZero();
            Lsn lsn = j.appendWrite(0, ByteBuffer.wrap(new byte[] {9}));
            assertThat(lsn).isEqualTo(Lsn.of(1));
        }
        try (Journal j = SegmentedJournal.open(dir, options); PointInTimeView v = j.openView(Lsn.of(1))) {
            assertThat(JournalFixtures.read(v::read, 0, 1)).containsExactly(9);
        }
    }

    @Test
    void aTornTailIsTruncatedAtEveryByteOfTheLastRecord() throws IOException {
        Path dir = journalWith("torn", 4);
        Path seg = JournalFixtures.segments(dir).get(0);
        long end = Files.size(seg);
        long lastStart = end - JournalFixtures.writeRecordSize(PAYLOAD);
        for (long cut = lastStart; cut < end; cut++) {
            Path copy = tmp.resolve("torn-" + cut);
            JournalFixtures.copyTree(dir, copy);
            try (RandomAccessFile f = new RandomAccessFile(copy.resolve(seg.getFileName()).toFile(), "rw")) {
                f.setLength(cut);
            }
            JournalFixtures.rewindWatermark(copy, 1, lastStart, 3);
            try (Journal j = SegmentedJournal.open(copy, options)) {
                assertThat(j.lastLsn()).as("cut at %d", cut).isEqualTo(Lsn.of(3));
                assertThat(j.recoveryReport().truncatedBytes()).isEqualTo(cut - lastStart);
                assertRecordsIntact(j, 3);
                assertThat(j.appendWrite(4 * 4096L, ByteBuffer.wrap(JournalFixtures.payload(4, PAYLOAD)))).isEqualTo(Lsn.of(4));
            }
            try (Journal j = SegmentedJournal.open(copy, options)) {
                assertRecordsIntact(j, 4);
                assertThat(j.verify()).isEqualTo(4);
            }
            JournalFixtures.deleteTree(copy);
        }
    }

    @Test
    void aBadChecksumOnTheLastRecordIsATornWrite() throws IOException {
        Path dir = journalWith("bad-last", 4);
        Path seg = JournalFixtures.segments(dir).get(0);
        JournalFixtures.flipByte(seg, Files.size(seg) - 3);
        JournalFixtures.deleteIndexes(dir);
        Path durable = tmp.resolve("bad-last-durable");
        JournalFixtures.copyTree(dir, durable);
        long lastStart = Files.size(seg) - JournalFixtures.writeRecordSize(PAYLOAD);
        JournalFixtures.rewindWatermark(dir, 1, lastStart, 3);
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(3));
            assertThat(j.recoveryReport().tornReason()).contains("checksum");
        }
        // The same damage before the watermark (the record was fsynced) is corruption, not a torn tail.
        Path durableSeg = JournalFixtures.segments(durable).get(0);
        assertThatThrownBy(() -> SegmentedJournal.open(durable, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, durableSeg, lastStart));
    }

    @Test
    void aBadRecordPastTheWatermarkIsATornTailEvenWhenValidRecordsFollowIt() throws IOException {
        // After a power loss unsynced pages land in any order: record 4 lost, record 5 written.
        Path dir = journalWith("power-loss", 6);
        Path seg = JournalFixtures.segments(dir).get(0);
        long fourth = SegmentFormat.HEADER_SIZE + 3L * JournalFixtures.writeRecordSize(PAYLOAD);
        JournalFixtures.flipByte(seg, fourth + SegmentFormat.RECORD_HEADER_SIZE + 3);
        JournalFixtures.deleteIndexes(dir);
        JournalFixtures.rewindWatermark(dir, 1, fourth, 3);
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(3));
            assertThat(j.recoveryReport().tornPosition()).isEqualTo(fourth);
            assertThat(j.recoveryReport().truncatedBytes()).isEqualTo(3L * JournalFixtures.writeRecordSize(PAYLOAD));
            assertRecordsIntact(j, 3);
        }
        // One byte earlier in the watermark, the same damage is corruption naming segment and offset.
        Path again = journalWith("power-loss-durable", 6);
        Path seg2 = JournalFixtures.segments(again).get(0);
        JournalFixtures.flipByte(seg2, fourth + SegmentFormat.RECORD_HEADER_SIZE + 3);
        JournalFixtures.deleteIndexes(again);
        JournalFixtures.rewindWatermark(again, 1, fourth + 1, 4);
        assertThatThrownBy(() -> SegmentedJournal.open(again, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, seg2, fourth));
    }

    @Test
    void aBadChecksumInTheMiddleIsCorruptionNamingSegmentAndOffset() throws IOException {
        Path dir = journalWith("bad-middle", 6);
        Path seg = JournalFixtures.segments(dir).get(0);
        long third = SegmentFormat.HEADER_SIZE + 2L * JournalFixtures.writeRecordSize(PAYLOAD);
        JournalFixtures.flipByte(seg, third + SegmentFormat.RECORD_HEADER_SIZE + SegmentFormat.WRITE_PREFIX + 10);

        // With the index checkpoint the record is not rescanned on open, but it is never served.
        try (Journal j = SegmentedJournal.open(dir, options)) {
            assertThat(j.recoveryReport().checkpointUsed()).isTrue();
            try (PointInTimeView v = j.openView(Lsn.of(6))) {
                assertThat(JournalFixtures.read(v::read, 2 * 4096L, PAYLOAD)).isEqualTo(JournalFixtures.payload(2, PAYLOAD));
                assertThatThrownBy(() -> JournalFixtures.read(v::read, 3 * 4096L, PAYLOAD))
                        .isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, seg, third));
            }
            assertThatThrownBy(j::verify).isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, seg, third));
        }
        // Without it, opening scans the segment and refuses the journal.
        JournalFixtures.deleteIndexes(dir);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, seg, third));
    }

    @Test
    void aDamagedLengthFieldInTheMiddleIsStillCorruption() throws IOException {
        Path dir = journalWith("bad-length", 6);
        Path seg = JournalFixtures.segments(dir).get(0);
        long second = SegmentFormat.HEADER_SIZE + JournalFixtures.writeRecordSize(PAYLOAD);
        JournalFixtures.flipByte(seg, second + 18);
        JournalFixtures.deleteIndexes(dir);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertCorruptAt(e, seg, second));
    }

    private static void assertCorruptAt(JournalException e, Path seg, long position) {
        assertThat(e.code()).isEqualTo(JournalError.CORRUPT_RECORD);
        assertThat(e.getMessage()).contains("segment=" + seg.getFileName()).contains("offset=" + position);
    }

    @Test
    void aMissingSegmentIsRefused() throws IOException {
        Path dir = journalWith("missing", 1200);
        List<Path> segs = JournalFixtures.segments(dir);
        assertThat(segs).hasSizeGreaterThan(2);
        Files.delete(segs.get(1));
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.MISSING_SEGMENT));
        JournalFixtures.deleteIndexes(dir);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.MISSING_SEGMENT));
    }

    @Test
    void aMissingFirstSegmentIsRefused() throws IOException {
        Path dir = journalWith("missing-first", 1200);
        Files.delete(JournalFixtures.segments(dir).get(0));
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.MISSING_SEGMENT));
    }

    @Test
    void aWrongIdentityIsRefused() throws IOException {
        Path dir = journalWith("identity", 2);
        JournalIdentity other = new JournalIdentity(new DiskId("disk-2"), SIZE, 512, identity.generation());
        assertThatThrownBy(() -> SegmentedJournal.open(dir, other, options))
                .isInstanceOfSatisfying(JournalException.class, e -> {
                    assertThat(e.code()).isEqualTo(JournalError.IDENTITY_MISMATCH);
                    assertThat(e.getMessage()).contains("disk-1").contains("disk-2");
                });
        JournalIdentity otherGeneration = JournalIdentity.create(JournalFixtures.DISK, SIZE, 512);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, otherGeneration, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.IDENTITY_MISMATCH));
        try (Journal j = SegmentedJournal.open(dir, identity, options)) {
            assertThat(j.lastLsn()).isEqualTo(Lsn.of(2));
        }
    }

    @Test
    void aDamagedIdentityStampOrAForeignSegmentIsRefused() throws IOException {
        Path dir = journalWith("stamp", 2);
        Path foreign = journalWith("foreign", 2, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512));
        Path copy = tmp.resolve("stamp-copy");
        JournalFixtures.copyTree(dir, copy);
        JournalFixtures.flipByte(dir.resolve("identity"), 10);
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.IDENTITY_DAMAGED));
        Path seg = JournalFixtures.segments(copy).get(0);
        Files.copy(JournalFixtures.segments(foreign).get(0), seg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> SegmentedJournal.open(copy, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.CORRUPT_SEGMENT));
        assertThatThrownBy(() -> SegmentedJournal.open(tmp.resolve("nothing"), options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.NOT_A_JOURNAL));
    }

    @Test
    void aDamagedSegmentIndexIsIgnoredAndItsSegmentScanned() throws IOException {
        Path dir = journalWith("damaged-index", 6);
        Path index = JournalFixtures.indexes(dir).get(0);
        for (long at : new long[] {3, Files.size(index) / 2, Files.size(index) - 1}) {
            JournalFixtures.flipByte(index, at);
            try (Journal j = SegmentedJournal.open(dir, options)) {
                assertThat(j.recoveryReport().checkpointUsed()).as("flip at %d", at).isFalse();
                assertThat(j.recoveryReport().recordsScanned()).isEqualTo(6);
                assertRecordsIntact(j, 6);
            }
            // Closing rewrote it whole and valid.
            try (Journal j = SegmentedJournal.open(dir, options)) {
                assertThat(j.recoveryReport().checkpointUsed()).isTrue();
                assertThat(j.recoveryReport().recordsScanned()).isZero();
            }
        }
    }
}
