package org.boomerang.journal.segment;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.boomerang.common.AtomicFile;
import org.boomerang.journal.RecordKind;

/**
 * The owner of the index checkpoint file {@code index.ckpt}: the locators of the records the journal
 * held when it was written, so that reopening scans only the segment tail written after it instead of
 * every segment.
 *
 * <h2>Format, version 1 (big-endian), written atomically</h2>
 * <pre>
 * index.ckpt := magic:8 ("BMRGJIDX") version:u32 (=1) generationMsb:u64 generationLsb:u64
 *               baseLsn:u64 count:u64 entry*count crc:u32
 * entry      := lsn:u64 kind:u8 segmentFirstLsn:u64 position:u64 bodyLength:u32 offset:u64 length:u64
 * </pre>
 * Entries have consecutive LSNs from {@code baseLsn + 1}. The checkpoint is a cache: when it is
 * missing, damaged, from another generation or disagrees with the segments, recovery ignores it and
 * scans every segment. Records known only from a checkpoint are checksum-verified on first read.
 */
public final class IndexCheckpoint {
    public static final String FILE_NAME = "index.ckpt";
    static final long MAGIC = 0x424d52474a494458L; // "BMRGJIDX"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;
    private static final int PREFIX = 8 + 4 + 16 + 8 + 8;
    private static final int ENTRY = 8 + 1 + 8 + 8 + 4 + 8 + 8;

    /** One record locator as stored. */
    public record Entry(long lsn, RecordKind kind, long segmentFirstLsn, long position, int bodyLength, long offset,
            long length) {}

    /** A loaded checkpoint. */
    public record Loaded(long baseLsn, List<Entry> entries) {}

    private IndexCheckpoint() {}

    public static void write(Path dir, UUID generation, long baseLsn, List<RecordRef> records) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(PREFIX + ENTRY * records.size());
        b.putLong(MAGIC).putInt(VERSION_1).putLong(generation.getMostSignificantBits())
                .putLong(generation.getLeastSignificantBits()).putLong(baseLsn).putLong(records.size());
        for (RecordRef r : records) {
            b.putLong(r.lsn()).put((byte) r.kind().id()).putLong(r.segment().firstLsn().value()).putLong(r.position())
                    .putInt(r.bodyLength()).putLong(r.offset()).putLong(r.length());
        }
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    /** The checkpoint, or null when there is none or it cannot be trusted (then recovery scans everything). */
    public static Loaded read(Path dir, UUID generation) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        if (b == null) {
            return null;
        }
        try {
            if (b.getLong() != MAGIC || b.getInt() != VERSION_1
                    || !new UUID(b.getLong(), b.getLong()).equals(generation)) {
                return null;
            }
            long baseLsn = b.getLong();
            long count = b.getLong();
            if (count < 0 || count * ENTRY != b.remaining()) {
                return null;
            }
            List<Entry> entries = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                long lsn = b.getLong();
                RecordKind kind = RecordKind.fromId(b.get() & 0xff);
                Entry e = new Entry(lsn, kind, b.getLong(), b.getLong(), b.getInt(), b.getLong(), b.getLong());
                if (kind == null || lsn != baseLsn + 1 + i) {
                    return null;
                }
                entries.add(e);
            }
            return new Loaded(baseLsn, entries);
        } catch (BufferUnderflowException e) {
            return null;
        }
    }

    /** Removes the checkpoint (when it no longer matches the segments). */
    public static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }
}
