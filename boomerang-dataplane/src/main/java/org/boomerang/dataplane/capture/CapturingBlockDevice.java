package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;
import org.boomerang.dataplane.capture.InlineChangeFeed.ChangeKind;

/**
 * The disk the agent exports over NBD: each write, trim and zeroing reaches the local disk through the
 * capture ({@link InlineChangeFeed#apply}): its extents are in the persistent dirty map before it reaches
 * the local disk, and it is queued in LSN order. Reads go straight to the local disk.
 *
 * <p>FUA and flush keep their meaning for the local disk: a FUA write is written, then the local disk is
 * flushed, before it returns. In synchronous mode a change returns once durable at the master target
 * (bounded, see {@link SynchronousAck}).
 *
 * <p>Thread-safety: safe for concurrent use (NBD connections and worker threads). Ownership: borrows the
 * local disk; closing this device does not close it.
 */
final class CapturingBlockDevice implements BlockDevice {
    private final BlockDevice local;
    private final InlineChangeFeed feed;
    private final WriteGate gate;
    private final SynchronousAck sync;

    CapturingBlockDevice(BlockDevice local, InlineChangeFeed feed, WriteGate gate, SynchronousAck sync) {
        this.local = requireNonNull(local, "local is null");
        this.feed = requireNonNull(feed, "feed is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.sync = requireNonNull(sync, "sync is null");
    }

    @Override
    public long size() {
        return local.size();
    }

    @Override
    public int logicalBlockSize() {
        return local.logicalBlockSize();
    }

    @Override
    public boolean isReadOnly() {
        return local.isReadOnly();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        local.read(offset, dst);
    }

    @Override
    public boolean inMemory(long offset, int length) {
        return local.inMemory(offset, length);
    }

    @Override
    public void prefetch(long offset, long length) {
        local.prefetch(offset, length);
    }

    @Override
    public boolean canTransfer() {
        return local.canTransfer();
    }

    @Override
    public void transferTo(long offset, long length, WritableByteChannel target) throws IOException {
        local.transferTo(offset, length, target);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, src.remaining());
        int length = src.remaining();
        if (length == 0) {
            return;
        }
        ByteBuffer copy = feed.wantsData() ? ByteBuffer.allocate(length).put(src.duplicate()).flip() : null;
        long lsn = change(ChangeKind.WRITE, offset, length, src, copy, () -> local.write(offset, src.duplicate(), false));
        finish(lsn, fua);
    }

    @Override
    public void flush() throws IOException {
        local.flush();
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        finish(change(ChangeKind.TRIM, offset, length, null, null, () -> local.trim(offset, length)), false);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        long lsn = change(ChangeKind.ZERO, offset, length, null, null, () -> local.writeZeroes(offset, length, mayUnmap, false));
        finish(lsn, fua);
    }

    private long change(ChangeKind kind, long offset, long length, ByteBuffer src, ByteBuffer copy,
            InlineChangeFeed.LocalOp op) throws IOException {
        try {
            gate.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted at a write barrier");
        }
        try {
            return feed.apply(kind, offset, length, src, copy, op);
        } finally {
            gate.exit();
        }
    }

    private void finish(long lsn, boolean fua) throws IOException {
        if (fua) {
            local.flush();
        }
        try {
            sync.await(lsn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the master target");
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        return local.allocation(offset, length);
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return local.releasesSpaceOnTrim();
    }

    @Override
    public void close() {
        // borrows the local disk: InlineCapture closes what it owns
    }

    @Override
    public String toString() {
        return "CapturingBlockDevice[" + feed.disk() + " on " + local + "]";
    }
}
