package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.BlockDeviceError;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Lsn;

/**
 * The failed-over disk: a {@link PointInTimeView} with a writable overlay (SPEC §2.3). Writes go to a
 * sparse overlay image; a {@link ChangeMap} of 4 KiB blocks records which blocks the recovered machine
 * wrote (the input of a cheap failback). Reads take marked blocks from the overlay and the rest from the
 * view. The journal is never written.
 *
 * <p><b>Durability decision.</b> The map is the truth for reads: an unmarked block reads from the view
 * whatever the overlay file holds. The map file ({@code overlay.pages}, {@link OverlayMapFile}) is updated
 * on every flush and FUA write, after the overlay data was fsynced, and only in the pages (32 640 blocks
 * each) where blocks were newly marked since the last flush; each page is written into its other slot, so
 * a torn write leaves its previous version. A write is durable only after a flush or FUA, as on any disk; a crash before that
 * may lose a write, but never makes the map miss a block whose new data is visible — a block is either
 * marked with its data durable, or unmarked and read from the view. Partial-block writes to an unmarked
 * block copy the block from the view first (read-modify-write), so marked blocks are always whole.
 *
 * <p><b>A failed flush is final.</b> When the overlay's fsync (or the map's rewrite) fails once, the
 * kernel may already have dropped the dirty pages, so a retry that succeeds would save a map for data
 * that is lost. The view is poisoned instead: every later write, trim, zero and flush fails with
 * {@code IO_FAILED} naming the first failure, and nothing is acknowledged after it. Reopening the
 * overlay reads the last map saved, which only marks blocks whose data was durable.
 *
 * <p>Directory: {@code overlay.stamp} ({@link OverlayStamp}), {@code overlay.img}, {@code overlay.pages}
 * ({@link OverlayMapFile}; an overlay written before it has {@code overlay.map}, converted on open).
 *
 * <p>Thread-safety: reads run concurrently; writes, trims and flushes are serialised on one lock.
 */
public final class WritableView implements BlockDevice {
    public static final int OVERLAY_BLOCK = 4096;
    static final String IMAGE = "overlay.img";
    /** The whole-map file of overlays before {@link OverlayMapFile}; read and converted on open. */
    static final String MAP = "overlay.map";

    private final PointInTimeView view;
    private final RawFileBlockDevice overlay;
    private final ChangeMap written;
    private final OverlayMapFile mapFile;
    /** The pages of the map with blocks marked since the last flush. */
    private final BitSet dirtyPages = new BitSet();
    private final Object writeLock = new Object();
    private final List<ChangeMap> trackers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The first failed flush: final (fsyncgate), every later write and flush is refused with it. */
    private volatile IOException failure;

    private WritableView(PointInTimeView view, RawFileBlockDevice overlay, ChangeMap written, OverlayMapFile mapFile) {
        this.view = requireNonNull(view, "view is null");
        this.overlay = requireNonNull(overlay, "overlay is null");
        this.written = requireNonNull(written, "written is null");
        this.mapFile = requireNonNull(mapFile, "mapFile is null");
    }

    /** Creates or reopens the overlay in {@code dir} over {@code view}; the writable view owns the view. */
    static WritableView open(PointInTimeView view, Path dir, JournalIdentity identity) throws IOException {
        Files.createDirectories(dir);
        OverlayStamp stamp = OverlayStamp.read(dir);
        if (stamp == null) {
            Files.deleteIfExists(dir.resolve(IMAGE));
            stamp = new OverlayStamp(identity.generation(), identity.diskSize(), view.lsn(), UUID.randomUUID());
            Files.deleteIfExists(dir.resolve(MAP));
            Files.deleteIfExists(dir.resolve(OverlayMapFile.FILE_NAME));
            RawFileBlockDevice.create(dir.resolve(IMAGE), identity.diskSize()).close();
            OverlayMapFile.create(dir.resolve(OverlayMapFile.FILE_NAME),
                    new ChangeMap(identity.diskSize(), OVERLAY_BLOCK, stamp.overlayGeneration())).close();
            stamp.write(dir);
        } else if (!stamp.journalGeneration().equals(identity.generation()) || !stamp.at().equals(view.lsn())
                || stamp.diskSize() != identity.diskSize()) {
            throw new JournalException(JournalError.OVERLAY_MISMATCH, "overlay " + dir + " sits on journal generation "
                    + stamp.journalGeneration() + " at " + stamp.at() + ", not on generation " + identity.generation()
                    + " at " + view.lsn(), "reuse it at " + stamp.at() + ", or fail over into a new overlay directory");
        }
        ChangeMap map = new ChangeMap(identity.diskSize(), OVERLAY_BLOCK, stamp.overlayGeneration());
        OverlayMapFile mapFile = OverlayMapFile.exists(dir) ? OverlayMapFile.open(dir, map) : convertWholeMap(dir, map);
        try {
            return new WritableView(view, RawFileBlockDevice.open(dir.resolve(IMAGE), false), map, mapFile);
        } catch (IOException | RuntimeException e) {
            mapFile.close();
            throw e;
        }
    }

    /**
     * Reads the whole-map file of an overlay written before the paged map, writes its marks as a paged
     * map into {@code into}'s file, and only then deletes it (a crash in between keeps both; the paged
     * one wins on the next open).
     */
    private static OverlayMapFile convertWholeMap(Path dir, ChangeMap into) throws IOException {
        ChangeMap old = ChangeMap.readFrom(dir.resolve(MAP));
        if (!old.generation().equals(into.generation()) || old.blockSize() != OVERLAY_BLOCK) {
            throw new JournalException(JournalError.OVERLAY_MISMATCH, "overlay map " + dir.resolve(MAP)
                    + " has generation " + old.generation() + ", the stamp says " + into.generation(),
                    "the overlay directory was mixed from two failovers; fail over into a new directory");
        }
        into.addAll(old);
        BitSet pages = new BitSet();
        old.forEachRun((offset, length) -> {
            for (long p = OverlayMapFile.pageOf(offset / OVERLAY_BLOCK);
                    p <= OverlayMapFile.pageOf((offset + length - 1) / OVERLAY_BLOCK); p++) {
                pages.set((int) p);
            }
        });
        Path converted = dir.resolve(OverlayMapFile.FILE_NAME + ".new");
        OverlayMapFile fresh = OverlayMapFile.create(converted, into);
        try {
            fresh.writePages(into, pages);
        } finally {
            fresh.close();
        }
        Files.move(converted, dir.resolve(OverlayMapFile.FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        org.boomerang.common.AtomicFile.fsyncDirectory(dir);
        Files.delete(dir.resolve(MAP));
        org.boomerang.common.AtomicFile.fsyncDirectory(dir);
        return OverlayMapFile.open(dir, new ChangeMap(into.deviceSize(), OVERLAY_BLOCK, into.generation()));
    }

    /** The point the overlay sits on. */
    public Lsn lsn() {
        return view.lsn();
    }

    /** The blocks written since failover (live; persisted at each flush). Its generation is the overlay's. */
    public ChangeMap writtenBlocks() {
        return written;
    }

    @Override
    public long size() {
        return view.size();
    }

    @Override
    public int logicalBlockSize() {
        return view.logicalBlockSize();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        BlockDevice.checkRange(this, offset, dst.remaining());
        long end = offset + dst.remaining();
        int start = dst.position();
        long pos = offset;
        while (pos < end) {
            boolean marked = written.isMarked(pos / OVERLAY_BLOCK);
            long runEnd = Math.min(end, (pos / OVERLAY_BLOCK + 1) * OVERLAY_BLOCK);
            while (runEnd < end && written.isMarked(runEnd / OVERLAY_BLOCK) == marked) {
                runEnd = Math.min(end, runEnd + OVERLAY_BLOCK);
            }
            int from = start + (int) (pos - offset);
            ByteBuffer slice = dst.duplicate().limit(from + (int) (runEnd - pos)).position(from);
            (marked ? overlay : view).read(pos, slice);
            pos = runEnd;
        }
        dst.position(dst.limit());
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, src.remaining());
        long length = src.remaining();
        synchronized (writeLock) {
            checkHealthy();
            prepareEdges(offset, length);
            overlay.write(offset, src, false);
            mark(offset, length);
            if (fua) {
                flushLocked();
            }
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        writeZeroes(offset, length, true, false);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        synchronized (writeLock) {
            checkHealthy();
            prepareEdges(offset, length);
            overlay.writeZeroes(offset, length, mayUnmap, false);
            mark(offset, length);
            if (fua) {
                flushLocked();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (writeLock) {
            flushLocked();
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        List<Extent> out = new ArrayList<>();
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            boolean marked = written.isMarked(pos / OVERLAY_BLOCK);
            long runEnd = Math.min(end, (pos / OVERLAY_BLOCK + 1) * OVERLAY_BLOCK);
            while (runEnd < end && written.isMarked(runEnd / OVERLAY_BLOCK) == marked) {
                runEnd = Math.min(end, runEnd + OVERLAY_BLOCK);
            }
            out.addAll((marked ? overlay : view).allocation(pos, runEnd - pos));
            pos = runEnd;
        }
        return out;
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return overlay.releasesSpaceOnTrim();
    }

    /** How many map pages this view's flushes wrote (each flush writes only the pages it changed). */
    long mapPagesWritten() {
        return mapFile.pagesWritten();
    }

    /** From now on every block this view's writes, trims and zeroings touch is also marked in {@code tracker} (hydration uses it to catch up). */
    public void track(ChangeMap tracker) {
        trackers.add(tracker);
    }

    /** Stops marking {@code tracker}. */
    public void untrack(ChangeMap tracker) {
        trackers.remove(tracker);
    }

    /** Runs {@code action} with writes paused (hydration's final pass). */
    void whileWritesPaused(JournalWriter.IoAction action) throws IOException {
        synchronized (writeLock) {
            action.run();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                flush();
            } finally {
                try {
                    mapFile.close();
                } finally {
                    overlay.close();
                    view.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "WritableView[" + view.lsn() + ", " + written.markedCount() + " blocks written]";
    }

    /** Copies the view's bytes into unmarked blocks that a write covers only partly. */
    private void prepareEdges(long offset, long length) throws IOException {
        long end = offset + length;
        long first = offset / OVERLAY_BLOCK;
        long last = (end - 1) / OVERLAY_BLOCK;
        if (!covers(first, offset, end)) {
            copyBlockFromView(first);
        }
        if (last != first && !covers(last, offset, end)) {
            copyBlockFromView(last);
        }
    }

    private boolean covers(long block, long start, long end) {
        long blockStart = block * OVERLAY_BLOCK;
        long blockEnd = Math.min(blockStart + OVERLAY_BLOCK, size());
        return start <= blockStart && end >= blockEnd;
    }

    private void copyBlockFromView(long block) throws IOException {
        if (written.isMarked(block)) {
            return;
        }
        long start = block * OVERLAY_BLOCK;
        int n = (int) Math.min(OVERLAY_BLOCK, size() - start);
        ByteBuffer b = ByteBuffer.allocate(n);
        view.read(start, b);
        overlay.write(start, b.flip(), false);
    }

    private void mark(long offset, long length) {
        for (long b = offset / OVERLAY_BLOCK; b <= (offset + length - 1) / OVERLAY_BLOCK; b++) {
            if (!written.isMarked(b)) {
                written.markBlock(b);
                dirtyPages.set(OverlayMapFile.pageOf(b));
            }
        }
        for (ChangeMap t : trackers) {
            t.mark(offset, length);
        }
    }

    private void flushLocked() throws IOException {
        checkHealthy();
        try {
            overlay.flush();
            if (!dirtyPages.isEmpty()) {
                mapFile.writePages(written, dirtyPages);
                dirtyPages.clear();
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
            throw poisoned();
        }
    }

    private void checkHealthy() {
        if (failure != null) {
            throw poisoned();
        }
    }

    private BlockDeviceException poisoned() {
        BlockDeviceException e = new BlockDeviceException(BlockDeviceError.IO_FAILED, "a flush of the failed-over disk at " + view.lsn()
                + " failed (" + failure.getMessage() + "); it refuses every later write and flush, and nothing after"
                + " its last successful flush is durable", "check the disk under the overlay, then open the overlay"
                + " again: it comes back as of its last successful flush");
        e.addSuppressed(failure);
        return e;
    }
}
