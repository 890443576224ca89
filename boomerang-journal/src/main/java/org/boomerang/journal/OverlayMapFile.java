package org.boomerang.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.AtomicFile;

/**
 * The owner of {@code overlay.pages}: the map of the blocks a failed-over disk wrote
 * ({@link WritableView}), persisted page by page, so that a flush that marks new blocks writes only the
 * pages it changed (4 KiB each), not the whole map (32 MiB at 1 TiB).
 *
 * <h2>Format, version 1 (big-endian)</h2>
 * <pre>
 * overlay.pages := header slot*(2 * pageCount)
 * header        := magic:8 ("BMRGOPGS") version:u32 (=1) generationMsb:u64 generationLsb:u64 diskSize:u64
 *                  blockSize:u32 pageCount:u32 crc:u32 zero*(4096 - 48)
 * slot          := sequence:u64 page:u32 crc:u32 bits:4080      (4096 bytes, at 4096 * (1 + 2 * page + k), k = 0, 1)
 * </pre>
 * Page {@code p} holds blocks {@code [p * 32640, (p + 1) * 32640)}: bit {@code j} (least significant first)
 * of byte {@code i} of {@code bits} marks block {@code p * 32640 + i * 8 + j}. {@code crc} is the CRC32C of
 * the sequence, the page number and the bits; the header's crc covers the header bytes before it.
 *
 * <p><b>Torn-write safety.</b> Each page has two slots. A flush writes a changed page into the slot that
 * does <i>not</i> hold its newest valid version, with the next sequence number, then fsyncs; so a crash,
 * or a write torn at any sector, leaves the previous version intact in the other slot. Reading takes, per
 * page, the valid slot with the highest sequence; a slot that fails its CRC (a torn write) or that was
 * never written (zeroes, past the end of the sparse file) is ignored, and a page with no valid slot is
 * empty. The header is written once, atomically (temp file, fsync, rename).
 *
 * <p>Format history: before this file an overlay kept its map as a whole {@link ChangeMap} file,
 * {@code overlay.map} (magic "BMRGCMAP", version 1), rewritten atomically at each flush that marked new
 * blocks. Opening such an overlay reads it, writes {@code overlay.pages} with every marked page, and only
 * then deletes {@code overlay.map}; when both exist (a crash in between) {@code overlay.pages} is the map.
 *
 * <p>Thread-safety: not thread-safe; the writable view calls it under its write lock.
 */
final class OverlayMapFile implements AutoCloseable {
    static final String FILE_NAME = "overlay.pages";
    static final long MAGIC = 0x424d52474f504753L; // "BMRGOPGS"
    /** Version 1: the first version of the paged overlay map. */
    static final int VERSION_1 = 1;
    static final int SLOT = 4096;
    private static final int SLOT_HEADER = 8 + 4 + 4;
    static final int BITS_BYTES = SLOT - SLOT_HEADER;
    static final int BLOCKS_PER_PAGE = BITS_BYTES * 8;
    private static final int HEADER_FIELDS = 8 + 4 + 16 + 8 + 4 + 4;

    private final Path file;
    private final FileChannel channel;
    private final int pageCount;
    /** Per page: the sequence of its newest valid version (0 when never written) and the slot holding it. */
    private final long[] sequences;
    private final byte[] currentSlot;
    private long pagesWritten;

    private OverlayMapFile(Path file, FileChannel channel, int pageCount) {
        this.file = file;
        this.channel = channel;
        this.pageCount = pageCount;
        this.sequences = new long[pageCount];
        this.currentSlot = new byte[pageCount];
    }

    static int pageOf(long block) {
        return (int) (block / BLOCKS_PER_PAGE);
    }

    /** Creates an empty map {@code file} for {@code map}'s disk (header written atomically), open for writing. */
    static OverlayMapFile create(Path file, ChangeMap map) throws IOException {
        int pages = pages(map);
        ByteBuffer header = ByteBuffer.allocate(SLOT).order(ByteOrder.BIG_ENDIAN);
        header.putLong(MAGIC).putInt(VERSION_1).putLong(map.generation().getMostSignificantBits())
                .putLong(map.generation().getLeastSignificantBits()).putLong(map.deviceSize()).putInt(map.blockSize())
                .putInt(pages);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_FIELDS);
        header.putInt((int) crc.getValue());
        header.clear();
        AtomicFile.write(file, header);
        return new OverlayMapFile(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), pages);
    }

    /** True when {@code dir} holds a paged map. */
    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /**
     * Opens the map file in {@code dir} and marks into {@code into} (an empty map of the overlay's disk,
     * block size and generation) every block it records.
     */
    static OverlayMapFile open(Path dir, ChangeMap into) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_FIELDS + 4).order(ByteOrder.BIG_ENDIAN);
            readAt(ch, header, 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_FIELDS);
            if (header.getLong(0) != MAGIC || header.getInt(HEADER_FIELDS) != (int) crc.getValue()) {
                throw damaged(file, "its header fails its magic or checksum");
            }
            if (header.getInt(8) != VERSION_1) {
                throw damaged(file, "it has version " + header.getInt(8) + "; this build reads version " + VERSION_1);
            }
            UUID generation = new UUID(header.getLong(12), header.getLong(20));
            long diskSize = header.getLong(28);
            int blockSize = header.getInt(36);
            int pages = header.getInt(40);
            if (!generation.equals(into.generation()) || diskSize != into.deviceSize() || blockSize != into.blockSize()
                    || pages != pages(into)) {
                throw new JournalException(JournalError.OVERLAY_MISMATCH, "overlay map " + file + " is for generation "
                        + generation + ", " + diskSize + " bytes in blocks of " + blockSize + ", not for this overlay",
                        "the overlay directory was mixed from two failovers; fail over into a new directory");
            }
            OverlayMapFile map = new OverlayMapFile(file, ch, pages);
            map.load(into);
            return map;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void load(ChangeMap into) throws IOException {
        ByteBuffer pair = ByteBuffer.allocate(2 * SLOT).order(ByteOrder.BIG_ENDIAN);
        for (int p = 0; p < pageCount; p++) {
            pair.clear();
            readAt(channel, pair, slotPosition(p, 0));
            int best = -1;
            long bestSequence = 0;
            for (int k = 0; k < 2; k++) {
                long sequence = validSequence(pair, k * SLOT, p);
                if (sequence > bestSequence) {
                    best = k;
                    bestSequence = sequence;
                }
            }
            if (best < 0) {
                continue; // never written, or its first write was torn: the page is empty
            }
            sequences[p] = bestSequence;
            currentSlot[p] = (byte) best;
            int base = best * SLOT + SLOT_HEADER;
            long firstBlock = (long) p * BLOCKS_PER_PAGE;
            for (int i = 0; i < BITS_BYTES; i++) {
                int bits = pair.get(base + i) & 0xff;
                while (bits != 0) {
                    int j = Integer.numberOfTrailingZeros(bits);
                    long block = firstBlock + i * 8L + j;
                    if (block < into.blockCount()) {
                        into.markBlock(block);
                    }
                    bits &= bits - 1;
                }
            }
        }
    }

    /** The slot's sequence when it is a valid version of page {@code page}, else 0. */
    private static long validSequence(ByteBuffer pair, int at, int page) {
        long sequence = pair.getLong(at);
        if (sequence <= 0 || pair.getInt(at + 8) != page) {
            return 0;
        }
        CRC32C crc = new CRC32C();
        crc.update(pair.array(), at, 12);
        crc.update(pair.array(), at + SLOT_HEADER, BITS_BYTES);
        return pair.getInt(at + 12) == (int) crc.getValue() ? sequence : 0;
    }

    /**
     * Writes the pages in {@code pages} as {@code map} has them now, each into its other slot, then fsyncs
     * once: on return they are durable; after a crash before that each page is its old or its new version.
     */
    void writePages(ChangeMap map, BitSet pages) throws IOException {
        ByteBuffer slot = ByteBuffer.allocate(SLOT).order(ByteOrder.BIG_ENDIAN);
        for (int p = pages.nextSetBit(0); p >= 0; p = pages.nextSetBit(p + 1)) {
            long sequence = sequences[p] + 1;
            int k = sequences[p] == 0 ? 0 : 1 - currentSlot[p];
            slot.clear();
            slot.putLong(sequence).putInt(p).putInt(0);
            long firstBlock = (long) p * BLOCKS_PER_PAGE;
            long lastBlock = Math.min(map.blockCount(), firstBlock + BLOCKS_PER_PAGE);
            for (int i = 0; i < BITS_BYTES; i++) {
                int bits = 0;
                for (int j = 0; j < 8; j++) {
                    long block = firstBlock + i * 8L + j;
                    if (block < lastBlock && map.isMarked(block)) {
                        bits |= 1 << j;
                    }
                }
                slot.put(SLOT_HEADER + i, (byte) bits);
            }
            CRC32C crc = new CRC32C();
            crc.update(slot.array(), 0, 12);
            crc.update(slot.array(), SLOT_HEADER, BITS_BYTES);
            slot.putInt(12, (int) crc.getValue());
            slot.clear();
            long position = slotPosition(p, k);
            while (slot.hasRemaining()) {
                position += channel.write(slot, position);
            }
            sequences[p] = sequence;
            currentSlot[p] = (byte) k;
            pagesWritten++;
        }
        channel.force(false);
    }

    /** How many page versions this object wrote (a measure of a flush's cost). */
    long pagesWritten() {
        return pagesWritten;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int pages(ChangeMap map) {
        long n = (map.blockCount() + BLOCKS_PER_PAGE - 1) / BLOCKS_PER_PAGE;
        return (int) Math.max(1, n);
    }

    private static long slotPosition(int page, int k) {
        return SLOT * (1L + 2L * page + k);
    }

    /** Reads {@code dst} at {@code position}; bytes past the end of the (sparse) file read as zeroes. */
    private static void readAt(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    private static JournalException damaged(Path file, String why) {
        return new JournalException(JournalError.CORRUPT_METADATA, "overlay map " + file + " cannot be read: " + why,
                "the failed-over disk's map is lost; fail over again into a new overlay directory (the writes in this"
                        + " one cannot be told from the point's data)");
    }
}
