package org.boomerang.journal.segment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;
import org.boomerang.journal.RecordKind;

/**
 * The owner of the segment index files {@code NNN…NNN.idx}: beside each sealed segment, the locators of
 * its records, so that reopening a journal reads one small file per segment instead of scanning the
 * segment. Each file covers one segment only, so writing it costs the same at any journal size, and the
 * journal writes it off the append path (a background task after the segment is sealed, and at close).
 *
 * <h2>Format, version 1 (big-endian), written atomically (temp file, fsync, rename)</h2>
 * <pre>
 * NNN…NNN.idx := magic:8 ("BMRGSIDX") version:u32 (=1) generationMsb:u64 generationLsb:u64
 *                segmentFirstLsn:u64 validEnd:u64 count:u32 entry*count crc:u32
 * entry       := kind:u8 position:u64 bodyLength:u32 offset:u64 length:u64
 * </pre>
 * The name is the segment's first LSN, zero-padded like the segment's ({@link SegmentName}). Entry
 * {@code i} is the record at LSN {@code segmentFirstLsn + i}; the records are contiguous from the
 * segment header to {@code validEnd}, the segment's size when the index was written. {@code crc} is the
 * CRC32C of every byte before it.
 *
 * <p>An index is a cache: when it is missing, damaged, from another generation, or disagrees with its
 * segment, recovery ignores it and scans the segment. When a segment grows after its index was written
 * (the last segment of a journal closed and reopened), recovery uses the index and scans only the bytes
 * after {@code validEnd}. Records known only from an index are checksum-verified on first read.
 *
 * <p>Format history: journals before this format kept one index checkpoint for the whole journal
 * ({@code index.ckpt}, magic "BMRGJIDX", version 1), rewritten whole at segment rolls. It is no longer
 * read: a journal that holds one opens by scanning its segments once, writes their index files and
 * deletes it.
 */
public final class SegmentIndexFile {
    public static final String SUFFIX = ".idx";
    /** The retired whole-journal checkpoint; deleted by the first writable open. */
    public static final String RETIRED_CHECKPOINT = "index.ckpt";
    static final long MAGIC = 0x424d524753494458L; // "BMRGSIDX"
    /** Version 1: the first version of the per-segment index. */
    static final int VERSION_1 = 1;
    private static final int PREFIX = 8 + 4 + 16 + 8 + 8 + 4;
    private static final int ENTRY = 1 + 8 + 4 + 8 + 8;
    private static final int BUFFER = 1 << 16;

    /** One record locator as stored; its LSN is {@code segmentFirstLsn} plus its index. */
    public record Entry(long lsn, RecordKind kind, long position, int bodyLength, long offset, long length) {}

    /** A loaded index: the segment's records up to {@code validEnd}. */
    public record Loaded(long validEnd, List<Entry> entries) {}

    private SegmentIndexFile() {}

    /** The index file of the segment starting at {@code firstLsn}. */
    public static Path path(Path dir, Lsn firstLsn) {
        String segment = SegmentName.of(firstLsn);
        return dir.resolve(segment.substring(0, segment.length() - SegmentName.SUFFIX.length()) + SUFFIX);
    }

    /**
     * Writes the index of {@code segment} holding {@code records} (its records, in LSN order from its first,
     * ending at {@code validEnd}), atomically. The cost is bounded by one segment's records.
     */
    public static void write(Path dir, UUID generation, SegmentFile segment, long validEnd, List<RecordRef> records)
            throws IOException {
        long first = segment.firstLsn().value();
        for (int i = 0; i < records.size(); i++) {
            RecordRef r = records.get(i);
            if (r.lsn() != first + i || r.segment() != segment) {
                throw new IllegalArgumentException("record " + r + " is not record " + i + " of " + segment);
            }
        }
        AtomicFile.write(path(dir, segment.firstLsn()), out -> {
            CRC32C crc = new CRC32C();
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(out, crc), BUFFER));
            data.writeLong(MAGIC);
            data.writeInt(VERSION_1);
            data.writeLong(generation.getMostSignificantBits());
            data.writeLong(generation.getLeastSignificantBits());
            data.writeLong(first);
            data.writeLong(validEnd);
            data.writeInt(records.size());
            for (RecordRef r : records) {
                data.writeByte(r.kind().id());
                data.writeLong(r.position());
                data.writeInt(r.bodyLength());
                data.writeLong(r.offset());
                data.writeLong(r.length());
            }
            data.flush();
            new DataOutputStream(out).writeInt((int) crc.getValue());
        });
    }

    /**
     * The index of the segment starting at {@code firstLsn}, or null when there is none or it cannot be
     * trusted (then recovery scans the segment).
     */
    public static Loaded read(Path dir, UUID generation, Lsn firstLsn) throws IOException {
        Path file = path(dir, firstLsn);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long fileSize = Files.size(file);
        CRC32C crc = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            DataInputStream data = new DataInputStream(new CheckedInputStream(raw, crc));
            if (fileSize < PREFIX + 4L || data.readLong() != MAGIC || data.readInt() != VERSION_1
                    || !new UUID(data.readLong(), data.readLong()).equals(generation) || data.readLong() != firstLsn.value()) {
                return null;
            }
            long validEnd = data.readLong();
            long count = Integer.toUnsignedLong(data.readInt());
            if (PREFIX + count * ENTRY + 4 != fileSize) {
                return null;
            }
            List<Entry> entries = new ArrayList<>((int) count);
            long expectedPosition = SegmentFormat.HEADER_SIZE;
            for (long i = 0; i < count; i++) {
                RecordKind kind = RecordKind.fromId(data.readUnsignedByte());
                Entry e = new Entry(firstLsn.value() + i, kind, data.readLong(), data.readInt(), data.readLong(), data.readLong());
                if (kind == null || e.position() != expectedPosition || e.bodyLength() < 0) {
                    return null;
                }
                expectedPosition = e.position() + SegmentFormat.RECORD_HEADER_SIZE + e.bodyLength();
                entries.add(e);
            }
            if (expectedPosition != validEnd) {
                return null;
            }
            int computed = (int) crc.getValue();
            int stored = new DataInputStream(raw).readInt();
            return stored == computed ? new Loaded(validEnd, entries) : null;
        } catch (EOFException e) {
            return null;
        }
    }

    /** Removes the index of the segment starting at {@code firstLsn} (before the segment itself is deleted). */
    public static void delete(Path dir, Lsn firstLsn) throws IOException {
        Files.deleteIfExists(path(dir, firstLsn));
    }
}
