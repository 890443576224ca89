package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import org.boomerang.blockdev.BlockDeviceError;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.journal.crash.CrashLog;
import org.boomerang.journal.crash.RecordingFileSystem;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal failure reaches the caller of {@link JournalingBlockDevice} as the block device's error, naming the journal's code. */
class JournalingBlockDeviceTest {
    private static final int DISK = 64 * 1024;

    @TempDir
    Path tmp;

    private final JournalOptions options = new JournalOptions(64 * 1024, 24,
            new TestingClock(Instant.parse("2026-01-01T00:00:00Z")));

    @Test
    void aFailedJournalFsyncIsTheDevicesFinalFsyncFailure() throws IOException {
        Path realDir = tmp.resolve("j");
        SegmentedJournal.create(realDir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512), options).close();
        CrashLog log = new CrashLog(realDir);
        try (SegmentedJournal journal = SegmentedJournal.open(new RecordingFileSystem(log).path(realDir), options);
                JournalingBlockDevice disk = new JournalingBlockDevice(journal)) {
            disk.write(0, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)), true);
            log.failForces(name -> name.endsWith(".seg"), 1);
            assertThatThrownBy(() -> disk.write(4096, ByteBuffer.wrap(JournalFixtures.payload(2, 4096)), true))
                    .isInstanceOfSatisfying(BlockDeviceException.class, e -> {
                        assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED);
                        assertThat(e.getMessage()).startsWith("journal FSYNC_FAILED: ").contains("injected fsync failure");
                        assertThat(e.hint()).isNotEmpty();
                        assertThat(e.getCause()).isInstanceOfSatisfying(JournalException.class,
                                c -> assertThat(c.code()).isEqualTo(JournalError.FSYNC_FAILED));
                    });
            // Final: the fsync would succeed now, but nothing more is taken or acknowledged.
            assertThatThrownBy(disk::flush).isInstanceOfSatisfying(BlockDeviceException.class,
                    e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            assertThatThrownBy(() -> disk.write(0, ByteBuffer.wrap(new byte[512]), false))
                    .isInstanceOfSatisfying(BlockDeviceException.class,
                            e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            assertThatThrownBy(() -> disk.trim(0, 512)).isInstanceOfSatisfying(BlockDeviceException.class,
                    e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            assertThatThrownBy(() -> disk.writeZeroes(0, 512, false, true)).isInstanceOfSatisfying(BlockDeviceException.class,
                    e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            // What was durable before still reads.
            assertThat(JournalFixtures.read(disk::read, 0, 4096)).isEqualTo(JournalFixtures.payload(1, 4096));
        } catch (JournalException closing) {
            assertThat(closing.code()).isEqualTo(JournalError.FSYNC_FAILED); // closing the journal cannot sync either
        }
    }

    @Test
    void aClosedJournalIsAnIoFailureAndAReadOnlyOneAReadOnlyDevice() throws IOException {
        Path dir = tmp.resolve("j");
        SegmentedJournal journal = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512), options);
        try (JournalingBlockDevice disk = new JournalingBlockDevice(journal)) {
            disk.write(0, ByteBuffer.wrap(JournalFixtures.payload(1, 512)), true);
            journal.close();
            assertThatThrownBy(() -> disk.write(512, ByteBuffer.wrap(new byte[512]), false))
                    .isInstanceOfSatisfying(BlockDeviceException.class, e -> {
                        assertThat(e.code()).isEqualTo(BlockDeviceError.IO_FAILED);
                        assertThat(e.getMessage()).startsWith("journal CLOSED: ");
                    });
        }
        try (SegmentedJournal readOnly = SegmentedJournal.openReadOnly(dir, options);
                JournalingBlockDevice disk = new JournalingBlockDevice(readOnly)) {
            assertThatThrownBy(() -> disk.writeZeroes(0, 512, false, false))
                    .isInstanceOfSatisfying(BlockDeviceException.class, e -> {
                        assertThat(e.code()).isEqualTo(BlockDeviceError.READ_ONLY);
                        assertThat(e.getMessage()).startsWith("journal READ_ONLY: ");
                    });
            assertThat(JournalFixtures.read(disk::read, 0, 512)).isEqualTo(JournalFixtures.payload(1, 512));
        }
    }
}
