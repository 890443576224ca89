package org.boomerang.blockdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * A disk: a fixed number of bytes that can be read, written, flushed, trimmed and zeroed.
 *
 * <p>Contract: offsets and lengths are in bytes and need not be aligned to
 * {@link #logicalBlockSize()}; every call checks {@code 0 <= offset && offset + length <= size()}
 * and throws {@link BlockDeviceException} with {@link BlockDeviceError#OUT_OF_RANGE} otherwise,
 * touching nothing. {@link #write} returns once the data is in the device's cache; it is durable
 * after {@link #flush()} (or at once when {@code fua} is set). Reads of a trimmed or never-written
 * range return zeroes.
 *
 * <p>Thread-safety: implementations are safe for concurrent use by many threads; concurrent
 * writes to overlapping ranges land in an unspecified order, as on a real disk. A caller may promise
 * more: Boomerang's NBD server never calls {@link #write}, {@link #trim} or {@link #writeZeroes} of one
 * export with overlapping ranges at the same time (the second waits until the first returned), so a
 * decorator that records the changes it passes on sees overlapping ones in the order they land.
 */
public interface BlockDevice extends AutoCloseable {
    /** The size in bytes; fixed for the life of the object. */
    long size();

    /** The smallest unit the device reads and writes without read-modify-write, usually 512 or 4096. */
    int logicalBlockSize();

    boolean isReadOnly();

    /** Fills {@code dst} from its position to its limit with the bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /**
     * False when part of the range is known not to be in memory, so reading it waits for the disk; true
     * when all of it is, or when the device cannot tell. A hint for scheduling (a caller {@link #prefetch}es
     * such ranges together before it reads them), never for correctness: the answer may be stale by the
     * time of the read.
     */
    default boolean inMemory(long offset, int length) {
        return true;
    }

    /**
     * Starts bringing the range into memory and returns without waiting, so that several ranges can be on
     * their way from the disk at once and a later {@link #read} waits less. A hint: no effect where the
     * device cannot do it, never an error.
     */
    default void prefetch(long offset, long length) {
    }

    /**
     * True when {@link #transferTo} can send this device's bytes to a channel without passing them through
     * a buffer of the caller's (a file sent to a socket with sendfile).
     */
    default boolean canTransfer() {
        return false;
    }

    /**
     * Writes the bytes of {@code [offset, offset + length)} to {@code target}, all of them, without a copy
     * through the caller's memory; only when {@link #canTransfer()}. A failure part-way leaves some of the
     * range written to {@code target}, so the caller must give the target up (a reply header already sent
     * cannot be taken back).
     *
     * @throws UnsupportedOperationException when {@link #canTransfer()} is false
     */
    default void transferTo(long offset, long length, WritableByteChannel target) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot transfer to a channel; read instead");
    }

    /** Writes {@code src} from its position to its limit at {@code offset}; with {@code fua} the data is durable on return. */
    void write(long offset, ByteBuffer src, boolean fua) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    /**
     * Tells the device the range is no longer needed; it then reads as zeroes. Implementations
     * release the space where they can (hole punching) and otherwise write zeroes.
     */
    void trim(long offset, long length) throws IOException;

    /**
     * Makes the range read as zeroes. With {@code mayUnmap} the device may deallocate it (as a trim);
     * without, the space stays allocated.
     */
    void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException;

    /**
     * The allocation state of {@code [offset, offset + length)} as contiguous, sorted extents that
     * cover the range exactly. A device that does not know reports one data extent.
     */
    List<Extent> allocation(long offset, long length) throws IOException;

    /** True when {@link #trim} releases space rather than writing zeroes. */
    boolean releasesSpaceOnTrim();

    @Override
    void close() throws IOException;

    /** Checks a request against the device bounds; shared by implementations. */
    static void checkRange(BlockDevice device, long offset, long length) {
        if (offset < 0 || length < 0 || offset > device.size() - length) {
            throw new BlockDeviceException(BlockDeviceError.OUT_OF_RANGE,
                    "range offset=" + offset + " length=" + length + " is outside the device of size " + device.size(),
                    "keep requests within [0, " + device.size() + ")");
        }
    }
}
