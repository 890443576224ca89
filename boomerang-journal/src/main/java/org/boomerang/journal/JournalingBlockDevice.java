package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;

/**
 * A disk whose every write is journaled: local continuous data protection ({@code journal record}).
 * Writes, trims and zeroes become journal records; reads show the newest state. A write returns once
 * its record is appended; flush and FUA wait until the records are durable (group commit), so the
 * disk's usual contract holds: what a flush covered survives a crash.
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
        live.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, src.remaining());
        if (!src.hasRemaining()) {
            return;
        }
        org.boomerang.common.Lsn lsn = journal.appendWrite(offset, src);
        if (fua) {
            journal.awaitDurable(lsn);
        }
    }

    @Override
    public void flush() throws IOException {
        journal.sync();
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length > 0) {
            journal.appendTrim(offset, length);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        org.boomerang.common.Lsn lsn = journal.appendZero(offset, length);
        if (fua) {
            journal.awaitDurable(lsn);
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        return live.allocation(offset, length);
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
