package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.LongFunction;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.BlockDeviceError;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.blockdev.Extent;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.RecordRef;

/**
 * A read-only {@link BlockDevice} showing a journal's disk exactly as of one LSN, without copying the
 * disk: each read is served from the write records that cover it, zeroes for trimmed ranges, and the
 * base image for everything else. Opening one replays record locators (not payloads) from the base
 * LSN, so its cost grows with the journal, never with the disk size.
 *
 * <p>Thread-safety: safe for concurrent reads. Ownership: the view borrows the journal's base image
 * and segments; while it is open, retention keeps the segments it reads. Close it to release them.
 */
public final class PointInTimeView implements BlockDevice {
    private final ExtentMap map;
    /** Resolves a record LSN the map names to its locator (from the segment that holds it). */
    private final LongFunction<RecordRef> records;
    private final BlockDevice base;
    private final Lsn at;
    private final Lsn builtFrom;
    private final int blockSize;
    private final Lock segmentsReadLock;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    PointInTimeView(ExtentMap map, LongFunction<RecordRef> records, BlockDevice base, Lsn at, Lsn builtFrom, int blockSize,
            Lock segmentsReadLock, Runnable onClose) {
        this.map = requireNonNull(map, "map is null");
        this.records = requireNonNull(records, "records is null");
        this.base = requireNonNull(base, "base is null");
        this.at = requireNonNull(at, "at is null");
        this.builtFrom = requireNonNull(builtFrom, "builtFrom is null");
        this.blockSize = blockSize;
        this.segmentsReadLock = requireNonNull(segmentsReadLock, "segmentsReadLock is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    /** The LSN this view shows. */
    public Lsn lsn() {
        return at;
    }

    /** The base LSN the view was built from; retention keeps segments after it while the view is open. */
    Lsn builtFrom() {
        return builtFrom;
    }

    /** How many pieces of journal data the view maps (a measure of its opening cost). */
    public int mappedPieces() {
        return map.pieceCount();
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public int logicalBlockSize() {
        return blockSize;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkOpen();
        BlockDevice.checkRange(this, offset, dst.remaining());
        int start = dst.position();
        // Lock before taking the parts: retention deletes segments under the write lock, after it
        // swapped the journal's live map, so parts taken under the read lock always point at live files.
        segmentsReadLock.lock();
        try {
            List<ExtentMap.Part> parts = map.parts(offset, offset + dst.remaining());
            for (ExtentMap.Part part : parts) {
                int from = start + (int) (part.start() - offset);
                ByteBuffer slice = dst.duplicate().limit(from + (int) (part.end() - part.start())).position(from);
                switch (part.source()) {
                    case BASE -> base.read(part.start(), slice);
                    case ZEROES -> fillZeroes(slice);
                    case RECORD -> {
                        RecordRef ref = records.apply(part.lsn());
                        ref.segment().readPayload(ref, part.start(), slice);
                    }
                }
            }
        } finally {
            segmentsReadLock.unlock();
        }
        dst.position(dst.limit());
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        throw readOnly();
    }

    @Override
    public void flush() {
        // nothing to flush: the view never changes
    }

    @Override
    public void trim(long offset, long length) {
        throw readOnly();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) {
        throw readOnly();
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        checkOpen();
        BlockDevice.checkRange(this, offset, length);
        List<Extent> out = new ArrayList<>();
        for (ExtentMap.Part part : map.parts(offset, offset + length)) {
            switch (part.source()) {
                case BASE -> {
                    for (Extent e : base.allocation(part.start(), part.end() - part.start())) {
                        add(out, e);
                    }
                }
                case ZEROES -> add(out, Extent.hole(part.start(), part.end() - part.start()));
                case RECORD -> add(out, Extent.data(part.start(), part.end() - part.start()));
            }
        }
        return out;
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return false;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "PointInTimeView[" + at + "]";
    }

    private static void add(List<Extent> out, Extent e) {
        if (!out.isEmpty()) {
            Extent last = out.get(out.size() - 1);
            if (last.end() == e.offset() && last.hole() == e.hole() && last.zero() == e.zero()) {
                out.set(out.size() - 1, new Extent(last.offset(), last.length() + e.length(), e.hole(), e.zero()));
                return;
            }
        }
        out.add(e);
    }

    static void fillZeroes(ByteBuffer b) {
        while (b.remaining() >= Long.BYTES) {
            b.putLong(0L);
        }
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new JournalException(JournalError.CLOSED, "the view at " + at + " is closed", "open a new view");
        }
    }

    private BlockDeviceException readOnly() {
        return new BlockDeviceException(BlockDeviceError.READ_ONLY, "a point-in-time view at " + at + " is read-only",
                "open it writable (with an overlay) to fail over onto it");
    }
}
