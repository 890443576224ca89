package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal whose base is an existing disk, as it is (the reverse journal of an original-location recovery). */
class BaseOnDiskTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path tmp;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024).withClock(clock);

    @Test
    void theBaseIsTheDiskAsItIsAndRetentionFoldsRecordsIntoIt() throws IOException {
        Path disk = tmp.resolve("on-prem.img");
        byte[] original = JournalFixtures.payload(7, SIZE);
        Files.write(disk, original);
        Path dir = tmp.resolve("reverse");
        JournalIdentity identity = JournalIdentity.create(JournalFixtures.DISK, SIZE, 512);
        try (SegmentedJournal j = SegmentedJournal.createOnDisk(dir, identity, disk, options)) {
            assertThat(dir.resolve(SegmentedJournal.BASE_IMAGE)).doesNotExist();
            try (PointInTimeView v = j.openView(Lsn.NONE)) {
                assertThat(JournalFixtures.read(v::read, 0, SIZE)).isEqualTo(original);
            }
            j.appendWrite(4096, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)));
            j.appendMarker(MarkerKind.CRASH, "", "first");
            j.sync();
            // Records stay in the journal: the disk is untouched until retention folds them in.
            assertThat(Files.readAllBytes(disk)).isEqualTo(original);
            try (PointInTimeView v = j.openView(Lsn.of(1))) {
                assertThat(JournalFixtures.read(v::read, 4096, 4096)).isEqualTo(JournalFixtures.payload(1, 4096));
                assertThat(JournalFixtures.read(v::read, 0, 4096)).isEqualTo(java.util.Arrays.copyOf(original, 4096));
            }
        }
        long journalBytes;
        try (var files = Files.list(dir)) {
            journalBytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(journalBytes).as("nothing of the disk was copied into the journal").isLessThan(SIZE / 8);
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            clock.advance(Duration.ofHours(2));
            j.appendMarker(MarkerKind.CRASH, "", "second");
            j.sync();
            assertThat(j.applyRetention(RetentionPolicy.window(Duration.ofHours(1))).newBase()).isEqualTo(Lsn.of(2));
            byte[] expected = original.clone();
            System.arraycopy(JournalFixtures.payload(1, 4096), 0, expected, 4096, 4096);
            assertThat(Files.readAllBytes(disk)).isEqualTo(expected);
        }
        try (Journal r = Journal.openReadOnly(dir)) {
            assertThat(r.baseLsn()).isEqualTo(Lsn.of(2));
        }
        Files.move(disk, tmp.resolve("elsewhere.img"));
        assertThatThrownBy(() -> SegmentedJournal.open(dir, options)).isInstanceOfSatisfying(JournalException.class, e -> {
            assertThat(e.code()).isEqualTo(JournalError.BASE_UNAVAILABLE);
            assertThat(e.getMessage()).contains(disk.toString());
        });
    }

    @Test
    void aDiskOfAnotherSizeIsRefused() throws IOException {
        Path disk = tmp.resolve("small.img");
        Files.write(disk, new byte[SIZE / 2]);
        assertThatThrownBy(() -> SegmentedJournal.createOnDisk(tmp.resolve("j"),
                JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), disk, options))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.IDENTITY_MISMATCH));
        assertThat(SegmentedJournal.exists(tmp.resolve("j"))).isFalse();
    }
}
