package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.boomerang.common.ChecksummedFile;

/**
 * The agent's persistent dirty map of one disk: which coarse extents may hold writes the master target
 * has not made durable yet, as DRBD's activity log. It is the owner of the {@code dirty-map} file format.
 *
 * <h2>File {@code dirty-map}, version 1 (all integers big-endian)</h2>
 * <pre>
 * file     := magic:8 ("BMRGDMAP") version:u32 (=1) extentBytes:u32 diskSize:u64
 *             lineageMsb:u64 lineageLsb:u64 extentCount:u64 word:u64*wordCount crc:u32
 *                         wordCount = ceil(extentCount / 64); extentCount = ceil(diskSize / extentBytes)
 *                         bit i of word w set: extent w*64+i may be dirty
 *                         crc = CRC32C of every byte before it
 * </pre>
 * The file is replaced whole through {@link MetadataWriter} (temp file, fsync, rename, directory fsync),
 * so a reader sees the old map or the new, never a torn one. The lineage is the capture state's
 * ({@link CaptureState}); a map of another lineage is refused.
 *
 * <p>Two views are kept. The <em>persisted</em> bits are what the file says: a superset of every extent a
 * write not yet durable at the target touched, because an extent is persisted before the write that
 * touches it first reaches the local disk ({@link #ensurePersisted}), and cleared bits are written out
 * only lazily ({@link #persistClean}). The <em>logical</em> state records per extent the newest LSN that
 * touched it, or {@link #PENDING} when its current data must be sent by a catch-up (it was written
 * while no LSN was given, or the changes that carried it were dropped); an extent leaves the logical
 * map only when it is not pending and its newest LSN is durable at the target.
 *
 * <p>Thread-safety: not thread-safe; the owning capture calls it under its lock.
 */
final class DirtyMap {
    static final String FILE_NAME = "dirty-map";
    static final long MAGIC = 0x424d5247444d4150L; // "BMRGDMAP"
    static final int VERSION_1 = 1;
    static final int HEADER_SIZE = 8 + 4 + 4 + 8 + 8 + 8 + 8;
    /** The newest-LSN value of an extent whose current data a catch-up must send. */
    static final long PENDING = Long.MAX_VALUE;
    private static final long CLEAN = 0;
    /**
     * Extents marked in the file beyond the last one a write touches when the map must be written anyway:
     * a sequential writer then costs one map write per this many extents, not one per extent.
     */
    static final int LOOK_AHEAD = 32;

    private final Path file;
    private final MetadataWriter writer;
    private final long diskSize;
    private final int extentBytes;
    private final int extentCount;
    private final UUID lineage;
    private final long[] persisted;
    private final long[] lastLsn;
    private final BitSet dirty;
    private final BitSet recent;
    private long persistCount;

    private DirtyMap(Path file, MetadataWriter writer, long diskSize, int extentBytes, UUID lineage) {
        this.file = requireNonNull(file, "file is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.diskSize = diskSize;
        this.extentBytes = extentBytes;
        this.lineage = requireNonNull(lineage, "lineage is null");
        long count = (diskSize + extentBytes - 1) / extentBytes;
        if (count > Integer.MAX_VALUE - 64) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "disk of " + diskSize + " bytes has too many extents of " + extentBytes,
                    "choose a larger extentBytes");
        }
        this.extentCount = (int) count;
        this.persisted = new long[(extentCount + 63) / 64];
        this.lastLsn = new long[extentCount];
        this.dirty = new BitSet(extentCount);
        this.recent = new BitSet(extentCount);
    }

    /** A new map with every extent of {@code initial} (byte ranges as {@code offset, length} pairs) pending, written out. */
    static DirtyMap create(Path dir, MetadataWriter writer, long diskSize, int extentBytes, UUID lineage, long[] initial)
            throws IOException {
        DirtyMap map = new DirtyMap(dir.resolve(FILE_NAME), writer, diskSize, extentBytes, lineage);
        for (int i = 0; i + 1 < initial.length; i += 2) {
            map.markPending(initial[i], initial[i + 1]);
        }
        map.persistClean(false);
        if (map.persistCount == 0) {
            map.write(map.persisted.clone()); // a fresh directory always gets its file, even when nothing is dirty
        }
        return map;
    }

    /** Reads the map; every extent it marks becomes pending (the LSNs that touched them are not known after a restart). */
    static DirtyMap load(Path dir, MetadataWriter writer, long diskSize, int extentBytes, UUID lineage) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw damaged(file, "the file is missing");
        }
        DirtyMap map = new DirtyMap(file, writer, diskSize, extentBytes, lineage);
        int expected = HEADER_SIZE + map.persisted.length * 8 + 4;
        if (bytes.length != expected) {
            throw damaged(file, "it is " + bytes.length + " bytes, expected " + expected);
        }
        ByteBuffer buf = ChecksummedFile.open(bytes, MAGIC, VERSION_1, "bad magic", why -> damaged(file, why));
        int fileExtent = buf.getInt();
        long fileSize = buf.getLong();
        UUID fileLineage = new UUID(buf.getLong(), buf.getLong());
        long fileCount = buf.getLong();
        if (fileExtent != extentBytes || fileSize != diskSize || fileCount != map.extentCount || !fileLineage.equals(lineage)) {
            throw damaged(file, "geometry or lineage differs: extentBytes=" + fileExtent + " diskSize=" + fileSize
                    + " lineage=" + fileLineage + ", expected " + extentBytes + "/" + diskSize + "/" + lineage);
        }
        for (int w = 0; w < map.persisted.length; w++) {
            long word = buf.getLong();
            map.persisted[w] = word;
            while (word != 0) {
                int e = w * 64 + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (e < map.extentCount) {
                    map.dirty.set(e);
                    map.lastLsn[e] = PENDING;
                }
            }
        }
        return map;
    }

    int extentBytes() {
        return extentBytes;
    }

    int extentCount() {
        return extentCount;
    }

    long extentOffset(int extent) {
        return (long) extent * extentBytes;
    }

    long extentLength(int extent) {
        return Math.min(extentBytes, diskSize - extentOffset(extent));
    }

    /** How many times the file was written (one fsync of the file and one of the directory each). */
    long persistCount() {
        return persistCount;
    }

    /**
     * Makes sure the file marks every extent {@code [offset, offset + length)} touches, writing it when one
     * is missing: the step that must happen before the write reaches the local disk.
     *
     * @return true when the file was written
     */
    boolean ensurePersisted(long offset, long length) throws IOException {
        if (length == 0) {
            return false;
        }
        int first = first(offset);
        int last = last(offset, length);
        recent.set(first, last + 1);
        boolean missing = false;
        for (int e = first; e <= last && !missing; e++) {
            missing = (persisted[e >>> 6] & (1L << (e & 63))) == 0;
        }
        if (!missing) {
            return false;
        }
        long[] next = persisted.clone();
        for (int e = first, end = Math.min(extentCount - 1, last + LOOK_AHEAD); e <= end; e++) {
            next[e >>> 6] |= 1L << (e & 63);
        }
        write(next);
        return true;
    }

    /** Records that the change with {@code lsn} touched the range (a pending extent stays pending). */
    void touch(long offset, long length, long lsn) {
        if (length == 0) {
            return;
        }
        for (int e = first(offset), last = last(offset, length); e <= last; e++) {
            dirty.set(e);
            if (lastLsn[e] < lsn) {
                lastLsn[e] = lsn;
            }
        }
    }

    /** The range's current data must be sent by a catch-up. */
    void markPending(long offset, long length) {
        if (length == 0) {
            return;
        }
        for (int e = first(offset), last = last(offset, length); e <= last; e++) {
            dirty.set(e);
            lastLsn[e] = PENDING;
        }
    }

    /** Makes every dirty extent touched at or after {@code fromLsn} pending: those changes will not be sent as they were. */
    void pendFrom(long fromLsn) {
        for (int e = dirty.nextSetBit(0); e >= 0; e = dirty.nextSetBit(e + 1)) {
            if (lastLsn[e] >= fromLsn) {
                lastLsn[e] = PENDING;
            }
        }
    }

    /** A catch-up sent the extent's current data as the change {@code lsn}. */
    void sent(int extent, long lsn) {
        if (lastLsn[extent] == PENDING) {
            lastLsn[extent] = lsn;
        }
    }

    boolean isPending(int extent) {
        return lastLsn[extent] == PENDING;
    }

    /** The first pending extent at or after {@code from}, or -1. */
    int nextPending(int from) {
        for (int e = dirty.nextSetBit(from); e >= 0; e = dirty.nextSetBit(e + 1)) {
            if (lastLsn[e] == PENDING) {
                return e;
            }
        }
        return -1;
    }

    long pendingCount() {
        long n = 0;
        for (int e = dirty.nextSetBit(0); e >= 0; e = dirty.nextSetBit(e + 1)) {
            if (lastLsn[e] == PENDING) {
                n++;
            }
        }
        return n;
    }

    /** Extents in the logical map (not yet durable at the target, or pending). */
    int dirtyCount() {
        return dirty.cardinality();
    }

    boolean isDirty(int extent) {
        return dirty.get(extent);
    }

    boolean isPersisted(int extent) {
        return (persisted[extent >>> 6] & (1L << (extent & 63))) != 0;
    }

    /** Extents marked in the file. */
    long persistedCount() {
        long n = 0;
        for (long w : persisted) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Drops from the logical map every extent whose newest change is durable at the target; the file keeps them until {@link #persistClean}. */
    int clearDurable(long durableLsn) {
        int cleared = 0;
        for (int e = dirty.nextSetBit(0); e >= 0; e = dirty.nextSetBit(e + 1)) {
            if (lastLsn[e] <= durableLsn) {
                lastLsn[e] = CLEAN;
                dirty.clear(e);
                cleared++;
            }
        }
        return cleared;
    }

    /** True when the file marks an extent the logical map no longer holds. */
    boolean hasStaleBits() {
        for (int w = 0; w < persisted.length; w++) {
            long word = persisted[w];
            while (word != 0) {
                int e = w * 64 + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (!dirty.get(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Writes the logical map out, clearing the extents that became durable. With {@code keepRecent}, extents
     * written since the previous clean stay marked (as DRBD keeps hot extents in its activity log), so a
     * steady writer does not pay a map write each time its extents were cleared.
     */
    void persistClean(boolean keepRecent) throws IOException {
        long[] next = new long[persisted.length];
        for (int e = dirty.nextSetBit(0); e >= 0; e = dirty.nextSetBit(e + 1)) {
            next[e >>> 6] |= 1L << (e & 63);
        }
        if (keepRecent) {
            for (int e = recent.nextSetBit(0); e >= 0; e = recent.nextSetBit(e + 1)) {
                next[e >>> 6] |= persisted[e >>> 6] & (1L << (e & 63));
            }
        }
        recent.clear();
        if (!java.util.Arrays.equals(next, persisted)) {
            write(next);
        }
    }

    private void write(long[] words) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE + words.length * 8 + 4).order(ByteOrder.BIG_ENDIAN);
        buf.putLong(MAGIC).putInt(VERSION_1).putInt(extentBytes).putLong(diskSize)
                .putLong(lineage.getMostSignificantBits()).putLong(lineage.getLeastSignificantBits()).putLong(extentCount);
        for (long w : words) {
            buf.putLong(w);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue()).flip();
        writer.replace(file, buf);
        System.arraycopy(words, 0, persisted, 0, words.length);
        persistCount++;
    }

    private int first(long offset) {
        return (int) (offset / extentBytes);
    }

    private int last(long offset, long length) {
        return (int) ((offset + length - 1) / extentBytes);
    }

    private static CaptureException damaged(Path file, String why) {
        return new CaptureException(CaptureError.STATE_DAMAGED, "dirty map " + file + " is damaged: " + why,
                "the capture cannot know which extents the replica lacks; remove the state directory to start a full initial copy");
    }
}
