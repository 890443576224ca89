package org.boomerang.journal.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The owner of the durability watermark file {@code durable.mark}: a lower bound of what the journal
 * knows durable, as (segment, offset, LSN). Every record of the named segment before the offset, and
 * every record of earlier segments, was fsynced before the watermark was written.
 *
 * <h2>Format, version 1 (big-endian)</h2>
 * <pre>
 * durable.mark := slot slot                  two slots of SLOT_SIZE (512) bytes, written in place, alternately
 * slot         := magic:8 ("BMRGJDUR") version:u32 (=1) generationMsb:u64 generationLsb:u64 sequence:u64
 *                 segmentFirstLsn:u64 offset:u64 lsn:u64 crc:u32 zero:u8*(512-68)
 *                 crc = CRC32C of the 64 bytes before it; segmentFirstLsn 0 = no segment yet
 * </pre>
 * The valid slot with the highest sequence is the watermark. Slot {@code sequence % 2} is written.
 *
 * <p><b>Why in place, without its own fsync.</b> The watermark is written after the fsync it describes
 * returned, so whatever version reaches the disk is never ahead of durability; a lost or older version
 * only makes the watermark lag, which is safe (see below). A slot is one 512-byte sector, written whole;
 * a torn slot fails its checksum and the other slot serves. It is fsynced by the first group commit after
 * a segment roll, and when the journal closes. Other processes read it through the page cache, so a read-only opener sees the
 * newest group commit at once.
 *
 * <p><b>How recovery uses it.</b> Damage at or after the watermark — past its offset in its segment, or
 * anywhere in a later segment (a roll leaves segments unsynced until the next group commit, see
 * {@link SegmentFormat}) — is a torn tail (power loss writes unsynced pages back in any order, so a bad
 * record may be followed by a valid one that was never acknowledged): it is truncated at the first bad
 * record and later segments are deleted. Damage before the offset, or anywhere in an earlier segment,
 * is {@code CORRUPT_RECORD} naming segment and offset. Since
 * every acknowledged record lies before the first bad record after a power loss (fsynced bytes are
 * intact), truncating there never drops an acknowledged record, whatever the watermark's lag.
 *
 * <p>Thread-safety: {@link #advance} and {@link #force} are synchronized; readers are stateless.
 */
public final class DurableMark implements AutoCloseable {
    public static final String FILE_NAME = "durable.mark";
    static final long MAGIC = 0x424d52474a445552L; // "BMRGJDUR"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;
    static final int SLOT_SIZE = 512;
    private static final int CONTENT = 8 + 4 + 16 + 8 + 8 + 8 + 8;

    /** A watermark: records before {@code offset} of segment {@code segmentFirstLsn}, through {@code lsn}, are durable. */
    public record Mark(long sequence, long segmentFirstLsn, long offset, long lsn) {}

    private final FileChannel channel;
    private final UUID generation;
    private Mark last;

    private DurableMark(FileChannel channel, UUID generation, Mark last) {
        this.channel = channel;
        this.generation = generation;
        this.last = last;
    }

    /** Creates the file with a watermark at {@code lsn} and no segment, durable on return. */
    public static void create(Path dir, UUID generation, long lsn) throws IOException {
        reset(dir, generation, 0, 0, lsn);
    }

    /**
     * Replaces the file with one watermark in both slots, durable on return (creation, and tests that
     * model a crash before the last fsync).
     */
    public static void reset(Path dir, UUID generation, long segmentFirstLsn, long offset, long lsn) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeSlot(ch, generation, new Mark(0, segmentFirstLsn, offset, lsn));
            writeSlot(ch, generation, new Mark(1, segmentFirstLsn, offset, lsn));
            ch.force(true);
        }
        org.boomerang.common.AtomicFile.fsyncDirectory(dir);
    }

    /** Opens the file for advancing; {@code current} is the watermark recovery read (or null). */
    public static DurableMark openForWriting(Path dir, UUID generation, Mark current) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new DurableMark(ch, generation, current == null ? new Mark(-1, 0, 0, 0) : current);
    }

    /** The newest valid watermark, or null when the file is missing or neither slot is valid. */
    public static Mark read(Path dir, UUID generation) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        Mark best = null;
        for (int slot = 0; slot + SLOT_SIZE <= bytes.length && slot < 2 * SLOT_SIZE; slot += SLOT_SIZE) {
            Mark m = decode(ByteBuffer.wrap(bytes, slot, SLOT_SIZE).slice(), generation);
            if (m != null && (best == null || m.sequence() > best.sequence())) {
                best = m;
            }
        }
        return best;
    }

    /** True when the directory has a watermark file (journals created before it have none). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /** Writes a newer watermark (ignored when it is not newer than the last one written). No fsync. */
    public synchronized void advance(long segmentFirstLsn, long offset, long lsn) throws IOException {
        if (lsn < last.lsn() || (lsn == last.lsn() && segmentFirstLsn <= last.segmentFirstLsn() && offset <= last.offset())) {
            return;
        }
        Mark next = new Mark(last.sequence() + 1, segmentFirstLsn, offset, lsn);
        writeSlot(channel, generation, next);
        last = next;
    }

    /** Makes the last written watermark durable. */
    public synchronized void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeSlot(FileChannel ch, UUID generation, Mark m) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SLOT_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putLong(MAGIC).putInt(VERSION_1).putLong(generation.getMostSignificantBits())
                .putLong(generation.getLeastSignificantBits()).putLong(m.sequence()).putLong(m.segmentFirstLsn())
                .putLong(m.offset()).putLong(m.lsn());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CONTENT);
        b.putInt((int) crc.getValue());
        b.clear();
        long pos = (m.sequence() & 1) * SLOT_SIZE;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static Mark decode(ByteBuffer b, UUID generation) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, CONTENT));
        if (b.getInt(CONTENT) != (int) crc.getValue() || b.getLong(0) != MAGIC || b.getInt(8) != VERSION_1
                || !new UUID(b.getLong(12), b.getLong(20)).equals(generation)) {
            return null;
        }
        return new Mark(b.getLong(28), b.getLong(36), b.getLong(44), b.getLong(52));
    }
}
