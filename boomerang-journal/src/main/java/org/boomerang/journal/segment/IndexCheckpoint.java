package org.boomerang.journal.segment;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
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
 * {@code crc} is the CRC32C of every byte before it. Entries have consecutive LSNs from {@code baseLsn + 1}.
 * The file is written and read as a stream, so its size is not bounded by one buffer. The checkpoint is a cache: when it is
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

    /**
     * Writes the checkpoint of {@code records} atomically. It is streamed (never one buffer of the whole
     * file), so any number of records fits.
     */
    public static void write(Path dir, UUID generation, long baseLsn, List<RecordRef> records) throws IOException {
        AtomicFile.write(dir.resolve(FILE_NAME), out -> {
            CRC32C crc = new CRC32C();
            DataOutputStream data = new DataOutputStream(new CheckedOutputStream(out, crc));
            data.writeLong(MAGIC);
            data.writeInt(VERSION_1);
            data.writeLong(generation.getMostSignificantBits());
            data.writeLong(generation.getLeastSignificantBits());
            data.writeLong(baseLsn);
            data.writeLong(records.size());
            for (RecordRef r : records) {
                data.writeLong(r.lsn());
                data.writeByte(r.kind().id());
                data.writeLong(r.segment().firstLsn().value());
                data.writeLong(r.position());
                data.writeInt(r.bodyLength());
                data.writeLong(r.offset());
                data.writeLong(r.length());
            }
            data.flush();
            new DataOutputStream(out).writeInt((int) crc.getValue());
        });
    }

    /** The checkpoint, or null when there is none or it cannot be trusted (then recovery scans everything). */
    public static Loaded read(Path dir, UUID generation) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long fileSize = Files.size(file);
        CRC32C crc = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream data = new DataInputStream(new CheckedInputStream(raw, crc));
            if (fileSize < PREFIX + 4L || data.readLong() != MAGIC || data.readInt() != VERSION_1
                    || !new UUID(data.readLong(), data.readLong()).equals(generation)) {
                return null;
            }
            long baseLsn = data.readLong();
            long count = data.readLong();
            if (count < 0 || count > (fileSize - PREFIX - 4) / ENTRY || PREFIX + count * ENTRY + 4 != fileSize) {
                return null;
            }
            List<Entry> entries = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE - 8));
            for (long i = 0; i < count; i++) {
                long lsn = data.readLong();
                RecordKind kind = RecordKind.fromId(data.readUnsignedByte());
                Entry e = new Entry(lsn, kind, data.readLong(), data.readLong(), data.readInt(), data.readLong(), data.readLong());
                if (kind == null || lsn != baseLsn + 1 + i) {
                    return null;
                }
                entries.add(e);
            }
            int computed = (int) crc.getValue();
            int stored = new DataInputStream(raw).readInt();
            return stored == computed ? new Loaded(baseLsn, entries) : null;
        } catch (EOFException e) {
            return null;
        }
    }

    /** Removes the checkpoint (when it no longer matches the segments). */
    public static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }
}
