package org.boomerang.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.boomerang.common.DiskId;
import org.boomerang.journal.segment.SegmentFormat;
import org.boomerang.testing.Corruption;

/** Shared helpers of the journal tests: deterministic payloads, segment listing, byte surgery. */
final class JournalFixtures {
    static final DiskId DISK = new DiskId("disk-1");

    private JournalFixtures() {}

    static byte[] payload(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(PointInTimeViewLike view, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        view.read(offset, b);
        return b.array();
    }

    /** Anything with a positional read. */
    interface PointInTimeViewLike {
        void read(long offset, ByteBuffer dst) throws IOException;
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** The segment index files ({@code .idx}), in LSN order. */
    static List<Path> indexes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".idx")).sorted().toList();
        }
    }

    /** Deletes every segment index file, so that the next open scans every segment. */
    static void deleteIndexes(Path dir) throws IOException {
        for (Path p : indexes(dir)) {
            Files.delete(p);
        }
    }

    /** The size of a write record with this payload length. */
    static int writeRecordSize(int payload) {
        return SegmentFormat.RECORD_HEADER_SIZE + SegmentFormat.WRITE_PREFIX + payload;
    }

    /**
     * Sets the durability watermark back to {@code offset} of the segment starting at {@code segmentFirstLsn},
     * LSN {@code lsn}: the journal as after a crash where only that much had been fsynced.
     */
    static void rewindWatermark(Path dir, long segmentFirstLsn, long offset, long lsn) throws IOException {
        java.util.UUID generation = org.boomerang.journal.recovery.IdentityStamp.read(dir).generation();
        org.boomerang.journal.segment.DurableMark.reset(dir, generation, segmentFirstLsn, offset, lsn);
    }

    static void flipByte(Path file, long position) throws IOException {
        Corruption.flipByte(file, position);
    }

    /** Copies a directory as a crash would leave it while the journal runs: files that vanish meanwhile are not copied. */
    static void copyTree(Path from, Path to) throws IOException {
        // Listed one directory at a time, not with Files.walk: a file that vanishes between the listing
        // and its copy (a segment index's temporary, written in the background) must not end the walk.
        Files.createDirectories(to);
        List<Path> entries = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
            ds.forEach(entries::add);
        }
        for (Path p : entries) {
            Path t = to.resolve(p.getFileName().toString());
            if (Files.isDirectory(p)) {
                copyTree(p, t);
            } else {
                try {
                    Files.copy(p, t);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed or deleted since the listing (a segment index written in the background):
                    // a crash at this moment leaves it out of the copy too
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
