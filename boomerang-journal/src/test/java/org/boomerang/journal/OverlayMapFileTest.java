package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.Lsn;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paged overlay map ({@link OverlayMapFile}): a flush writes only the pages it changed, and a torn page keeps its previous version. */
class OverlayMapFileTest {
    private static final long SIZE = 1L << 30; // 262 144 blocks of 4 KiB: 9 pages
    private static final int BLOCK = WritableView.OVERLAY_BLOCK;

    @TempDir
    Path tmp;

    private final JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024)
            .withClock(new TestingClock(Instant.parse("2026-03-01T00:00:00Z")));

    private SegmentedJournal journal() throws IOException {
        SegmentedJournal j = SegmentedJournal.create(tmp.resolve("j"), JournalIdentity.create(JournalFixtures.DISK, SIZE, 512),
                options);
        j.appendWrite(0, ByteBuffer.wrap(JournalFixtures.payload(1, 8 * BLOCK)));
        j.sync();
        return j;
    }

    private static void writeBlock(WritableView w, long block, long seed) throws IOException {
        w.write(block * BLOCK, ByteBuffer.wrap(JournalFixtures.payload(seed, BLOCK)), false);
    }

    @Test
    void aFlushWritesOnlyThePagesItChanged() throws IOException {
        Path overlay = tmp.resolve("overlay");
        try (SegmentedJournal j = journal(); WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            writeBlock(w, 0, 10);
            w.flush();
            assertThat(w.mapPagesWritten()).isEqualTo(1);
            writeBlock(w, 1, 11); // page 0 again
            writeBlock(w, 5L * OverlayMapFile.BLOCKS_PER_PAGE + 7, 12); // page 5
            w.flush();
            assertThat(w.mapPagesWritten()).isEqualTo(3);
            writeBlock(w, 0, 13); // already marked: no page changes
            w.flush();
            assertThat(w.mapPagesWritten()).isEqualTo(3);
        }
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options);
                WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            assertThat(w.writtenBlocks().markedCount()).isEqualTo(3);
            assertThat(w.writtenBlocks().isMarked(5L * OverlayMapFile.BLOCKS_PER_PAGE + 7)).isTrue();
            assertThat(JournalFixtures.read(w::read, 0, BLOCK)).isEqualTo(JournalFixtures.payload(13, BLOCK));
        }
    }

    @Test
    void aTornPageWriteLeavesThePagesPreviousVersion() throws IOException {
        Path overlay = tmp.resolve("overlay");
        byte[] journalBlock1;
        try (SegmentedJournal j = journal(); WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            journalBlock1 = JournalFixtures.read(w::read, BLOCK, BLOCK);
            writeBlock(w, 0, 20);
            w.flush(); // page 0, version 1, first slot
            writeBlock(w, 1, 21);
            w.flush(); // page 0, version 2, second slot
        }
        // The second version's write tore: a sector of its slot never reached the disk.
        Path file = overlay.resolve(OverlayMapFile.FILE_NAME);
        JournalFixtures.flipByte(file, OverlayMapFile.SLOT * 2L + 1000);
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options);
                WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            assertThat(w.writtenBlocks().isMarked(0)).isTrue();
            assertThat(w.writtenBlocks().isMarked(1)).isFalse();
            assertThat(JournalFixtures.read(w::read, 0, BLOCK)).isEqualTo(JournalFixtures.payload(20, BLOCK));
            assertThat(JournalFixtures.read(w::read, BLOCK, BLOCK)).isEqualTo(journalBlock1);
            // The next version goes into the torn slot, never over the good one.
            writeBlock(w, 2, 22);
            w.flush();
        }
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options);
                WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            assertThat(w.writtenBlocks().isMarked(0)).isTrue();
            assertThat(w.writtenBlocks().isMarked(2)).isTrue();
        }
    }

    @Test
    void anOverlayWithTheWholeMapFileIsConvertedOnOpen() throws IOException {
        Path overlay = tmp.resolve("overlay");
        java.util.UUID generation;
        try (SegmentedJournal j = journal(); WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            writeBlock(w, 3, 30);
            writeBlock(w, 7L * OverlayMapFile.BLOCKS_PER_PAGE, 31);
            w.flush();
            generation = w.writtenBlocks().generation();
        }
        // The overlay as the previous format left it: the whole map in overlay.map, no paged map.
        Files.delete(overlay.resolve(OverlayMapFile.FILE_NAME));
        ChangeMap old = new ChangeMap(SIZE, BLOCK, generation);
        old.markBlock(3);
        old.markBlock(7L * OverlayMapFile.BLOCKS_PER_PAGE);
        old.writeTo(overlay.resolve(WritableView.MAP));
        try (SegmentedJournal j = SegmentedJournal.open(tmp.resolve("j"), options);
                WritableView w = j.openWritable(Lsn.of(1), overlay)) {
            assertThat(w.writtenBlocks().markedCount()).isEqualTo(2);
            assertThat(JournalFixtures.read(w::read, 3L * BLOCK, BLOCK)).isEqualTo(JournalFixtures.payload(30, BLOCK));
        }
        assertThat(Files.exists(overlay.resolve(WritableView.MAP))).isFalse();
        ChangeMap reread = new ChangeMap(SIZE, BLOCK, generation);
        OverlayMapFile.open(overlay, reread).close();
        assertThat(reread.markedCount()).isEqualTo(2);
        assertThat(reread.isMarked(7L * OverlayMapFile.BLOCKS_PER_PAGE)).isTrue();
    }
}
