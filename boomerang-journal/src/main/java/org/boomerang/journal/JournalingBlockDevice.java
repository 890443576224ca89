package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.BlockDeviceError;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.blockdev.Extent;
import org.boomerang.common.Lsn;

/**
 * A disk whose every write is journaled: local continuous data protection ({@code journal record}).
 * Writes, trims and zeroes become journal records; reads show the newest state. A write returns once
 * its record is appended; flush and FUA wait until the records are durable (group commit), so the
 * disk's usual contract holds: what a flush covered survives a crash.
 *
 * <p><b>Errors.</b> A journal failure reaches the caller as the block device's own error, so an NBD
 * client sees an I/O error and the server's log names the journal's code: a {@link JournalException} becomes
 * a {@link BlockDeviceException} whose message starts with {@code journal CODE:} and keeps the journal's hint
 * and the exception as its cause ({@link #deviceError} gives the mapping). An fsync failure stays final:
 * the journal refuses every later append, so every later write, flush, trim and zeroing fails the same way.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: borrows the journal; closing the device does not
 * close the journal.
 */
public final class JournalingBlockDevice implements BlockDevice {
    private final SegmentedJournal journal;
    private final PointInTimeView live;

    public JournalingBlockDevice(SegmentedJournal journal) {
        this.journal = requireNonNull(journal, "journal is null");
        this.live = journal.liveView();
    }

    @Override
    public long size() {
        return journal.identity().diskSize();
    }

    @Override
    public int logicalBlockSize() {
        return journal.identity().blockSize();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        try {
            live.read(offset, dst);
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, src.remaining());
        if (!src.hasRemaining()) {
            return;
        }
        try {
            Lsn lsn = journal.appendWrite(offset, src);
            if (fua) {
                journal.awaitDurable(lsn);
            }
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            journal.sync();
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        try {
            journal.appendTrim(offset, length);
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        try {
            Lsn lsn = journal.appendZero(offset, length);
            if (fua) {
                journal.awaitDurable(lsn);
            }
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        try {
            return live.allocation(offset, length);
        } catch (JournalException e) {
            throw deviceError(e);
        }
    }

    /**
     * The block device error for a journal failure: {@code FSYNC_FAILED} stays {@code FSYNC_FAILED}, a
     * read-only journal is a read-only device, a malformed record request a bad size, and every other
     * code (closed, I/O failure, corruption, ...) an I/O failure. The message names the journal's code.
     */
    static BlockDeviceException deviceError(JournalException e) {
        BlockDeviceError code = switch (e.code()) {
            case FSYNC_FAILED -> BlockDeviceError.FSYNC_FAILED;
            case READ_ONLY -> BlockDeviceError.READ_ONLY;
            case BAD_REQUEST -> BlockDeviceError.BAD_SIZE;
            case NOT_A_JOURNAL, ALREADY_EXISTS, IDENTITY_MISMATCH, IDENTITY_DAMAGED, CORRUPT_RECORD, MISSING_SEGMENT,
                    CORRUPT_SEGMENT, BASE_UNAVAILABLE, CORRUPT_METADATA, POINT_NOT_FOUND, BAD_POINT_NAME, LSN_GAP,
                    LSN_CONFLICT, INCONSISTENT_POINT, OVERLAY_MISMATCH, IN_USE, CLOSED, IO_FAILED -> BlockDeviceError.IO_FAILED;
        };
        return new BlockDeviceException(code, "journal " + e.code().name() + ": " + e.getMessage(), e.hint(), e);
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return false;
    }

    @Override
    public void close() {
        live.close();
    }

    @Override
    public String toString() {
        return "JournalingBlockDevice[" + journal + "]";
    }
}
