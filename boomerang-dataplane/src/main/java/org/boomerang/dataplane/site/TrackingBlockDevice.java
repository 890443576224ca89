package org.boomerang.dataplane.site;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.Extent;

/**
 * A disk that remembers which of its blocks were written since a moment (a committed failover's disk,
 * whose writes since the failover a tracked reprotect must send): every write, trim and zeroing marks
 * its blocks in a {@link ChangeMap}. When a write marks a block that was not marked yet, the map is
 * written to {@code mapFile} (temp file, fsync, rename) before the write reaches the disk, as DRBD's
 * activity log does for its extents: whatever a power loss leaves on the disk, the map names every
 * block that may differ. Later writes to marked blocks cost nothing extra. A reprotect that finds the
 * map missing or damaged falls back to a delta sync.
 *
 * <p>Thread-safety: as the underlying device; the map is guarded by this object.
 */
final class TrackingBlockDevice implements BlockDevice {
    private final BlockDevice inner;
    private final ChangeMap map;
    private final Path mapFile;

    TrackingBlockDevice(BlockDevice inner, ChangeMap map, Path mapFile) {
        this.inner = requireNonNull(inner, "inner is null");
        this.map = requireNonNull(map, "map is null");
        this.mapFile = requireNonNull(mapFile, "mapFile is null");
    }

    /** The blocks written so far (a copy). */
    synchronized ChangeMap written() {
        ChangeMap copy = new ChangeMap(map.deviceSize(), map.blockSize(), map.generation());
        copy.addAll(map);
        return copy;
    }

    BlockDevice inner() {
        return inner;
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int logicalBlockSize() {
        return inner.logicalBlockSize();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        int length = src.remaining();
        mark(offset, length);
        inner.write(offset, src, false);
        if (fua) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
        synchronized (this) {
            map.writeTo(mapFile);
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        mark(offset, length);
        inner.trim(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        mark(offset, length);
        inner.writeZeroes(offset, length, mayUnmap, false);
        if (fua) {
            flush();
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        return inner.allocation(offset, length);
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return inner.releasesSpaceOnTrim();
    }

    private synchronized void mark(long offset, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        long first = offset / map.blockSize();
        long last = (offset + length - 1) / map.blockSize();
        boolean fresh = false;
        for (long b = first; b <= last && !fresh; b++) {
            fresh = !map.isMarked(b);
        }
        if (fresh) {
            map.mark(offset, length);
            map.writeTo(mapFile);
        }
    }

    /** Writes the map and closes the underlying device. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (this) {
                map.writeTo(mapFile);
            }
        } finally {
            inner.close();
        }
    }

    @Override
    public String toString() {
        return "Tracking[" + inner + "]";
    }
}
