package org.boomerang.blockdev;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.ChecksummedFile;

/**
 * A map of which fixed-size blocks of a disk changed: the input of tracked sync (SPEC §2.4), written
 * by the journal ("blocks written after a point"), by a failover overlay ("blocks the recovered
 * machine wrote") and by the agent's dirty map.
 *
 * <p>Each map carries a generation id (as DRBD's generation UUIDs): the id of the disk lineage it
 * describes. A consumer that expects a different generation must not trust the map.
 *
 * <h2>File format (version 1), all integers big-endian</h2>
 * <pre>
 * file       := header words crc
 * header     := magic:8 ("BMRGCMAP") version:u32 (=1) blockSize:u32 deviceSize:u64
 *               generationMsb:u64 generationLsb:u64 wordCount:u64
 * words      := u64 * wordCount      bit i of word w marks block w*64+i; blocks = ceil(deviceSize/blockSize)
 * crc        := u32                  CRC32C of every byte before it
 * </pre>
 * Files are written to a temporary name, fsynced, renamed atomically and the directory fsynced,
 * so a reader sees the old map or the new one, never a torn one.
 *
 * <p>Thread-safety: {@link #mark} and the readers may run concurrently from many threads.
 */
public final class ChangeMap {
    public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
    static final long MAGIC = 0x424d5247434d4150L; // "BMRGCMAP"
    static final int VERSION_1 = 1;
    private static final int HEADER_SIZE = 8 + 4 + 4 + 8 + 8 + 8 + 8;

    private final int blockSize;
    private final long deviceSize;
    private final UUID generation;
    private final long blocks;
    private final AtomicLongArray words;

    public ChangeMap(long deviceSize, int blockSize, UUID generation) {
        if (deviceSize < 0) {
            throw new IllegalArgumentException("device size must not be negative: " + deviceSize);
        }
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two: " + blockSize);
        }
        this.deviceSize = deviceSize;
        this.blockSize = blockSize;
        this.generation = requireNonNull(generation, "generation is null");
        this.blocks = (deviceSize + blockSize - 1) / blockSize;
        long wordCount = (blocks + 63) / 64;
        if (wordCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device too large for block size " + blockSize);
        }
        this.words = new AtomicLongArray((int) wordCount);
    }

    public int blockSize() {
        return blockSize;
    }

    public long deviceSize() {
        return deviceSize;
    }

    public UUID generation() {
        return generation;
    }

    /** The number of blocks the map covers; the last may be shorter than {@link #blockSize()}. */
    public long blockCount() {
        return blocks;
    }

    /** Marks every block that {@code [offset, offset + length)} touches. */
    public void mark(long offset, long length) {
        if (offset < 0 || length < 0 || offset > deviceSize - length) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length + " outside " + deviceSize);
        }
        if (length == 0) {
            return;
        }
        long first = offset / blockSize;
        long last = (offset + length - 1) / blockSize;
        for (long b = first; b <= last; b++) {
            markBlock(b);
        }
    }

    public void markBlock(long block) {
        int w = (int) (block >>> 6);
        long bit = 1L << (block & 63);
        long old;
        do {
            old = words.get(w);
            if ((old & bit) != 0) {
                return;
            }
        } while (!words.compareAndSet(w, old, old | bit));
    }

    public boolean isMarked(long block) {
        return (words.get((int) (block >>> 6)) & (1L << (block & 63))) != 0;
    }

    /** Adds every block marked in {@code other}; both maps must describe the same geometry. */
    public void addAll(ChangeMap other) {
        if (other.blockSize != blockSize || other.deviceSize != deviceSize) {
            throw new IllegalArgumentException("change maps differ in geometry: " + describe() + " vs " + other.describe());
        }
        for (int i = 0; i < words.length(); i++) {
            long add = other.words.get(i);
            if (add != 0) {
                words.accumulateAndGet(i, add, (a, b) -> a | b);
            }
        }
    }

    public long markedCount() {
        long n = 0;
        for (int i = 0; i < words.length(); i++) {
            n += Long.bitCount(words.get(i));
        }
        return n;
    }

    /** Bytes covered by marked blocks (the last block counts only up to the device size). */
    public long markedBytes() {
        long[] total = {0};
        forEachRun((offset, length) -> total[0] += length);
        return total[0];
    }

    /** A run of marked blocks, as a byte range clipped to the device size. */
    @FunctionalInterface
    public interface RunConsumer {
        void accept(long offset, long length) throws IOException;
    }

    /** Calls {@code consumer} for each maximal run of marked blocks, in ascending order. */
    public void forEachRun(RunConsumer consumer) {
        try {
            forEachRunChecked(consumer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As {@link #forEachRun} for consumers that do I/O. */
    public void forEachRunChecked(RunConsumer consumer) throws IOException {
        long b = 0;
        while (b < blocks) {
            if (!isMarked(b)) {
                b++;
                continue;
            }
            long start = b;
            while (b < blocks && isMarked(b)) {
                b++;
            }
            long offset = start * blockSize;
            long end = Math.min(b * blockSize, deviceSize);
            consumer.accept(offset, end - offset);
        }
    }

    /** Writes the map atomically to {@code file} (temp file, fsync, rename, directory fsync). */
    public void writeTo(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE + words.length() * 8 + 4).order(ByteOrder.BIG_ENDIAN);
        buf.putLong(MAGIC).putInt(VERSION_1).putInt(blockSize).putLong(deviceSize)
                .putLong(generation.getMostSignificantBits()).putLong(generation.getLeastSignificantBits())
                .putLong(words.length());
        for (int i = 0; i < words.length(); i++) {
            buf.putLong(words.get(i));
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        buf.flip();
        AtomicFile.write(file, buf);
    }

    /** Reads a map written by {@link #writeTo}; a damaged file is refused, never half-read. */
    public static ChangeMap readFrom(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BlockDeviceException(BlockDeviceError.NOT_FOUND, "no change map at " + file,
                    "write one with 'boomerang journal changes' or run a delta sync instead");
        }
        if (bytes.length < HEADER_SIZE + 4) {
            throw damaged(file, "file is " + bytes.length + " bytes, shorter than a header");
        }
        ByteBuffer buf = ChecksummedFile.open(bytes, MAGIC, VERSION_1, "not a change map (bad magic)", why -> damaged(file, why));
        int blockSize = buf.getInt();
        long deviceSize = buf.getLong();
        UUID generation = new UUID(buf.getLong(), buf.getLong());
        long wordCount = buf.getLong();
        ChangeMap map;
        try {
            map = new ChangeMap(deviceSize, blockSize, generation);
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage());
        }
        if (wordCount != map.words.length() || bytes.length != HEADER_SIZE + wordCount * 8 + 4) {
            throw damaged(file, "word count " + wordCount + " does not match the geometry");
        }
        for (int i = 0; i < wordCount; i++) {
            map.words.set(i, buf.getLong());
        }
        return map;
    }

    private static BlockDeviceException damaged(Path file, String why) {
        return new BlockDeviceException(BlockDeviceError.CHANGE_MAP_DAMAGED, "change map " + file + " is damaged: " + why,
                "do not trust it: run a delta sync, which needs no change map");
    }

    private String describe() {
        return "size=" + deviceSize + " blockSize=" + blockSize;
    }
}
