package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.journal.Marker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inline capture of one protected disk (SPEC §2.1, the agent): export {@link #device()} over NBD in place
 * of the local disk, and give {@link #feed()} to the stream sender. Every write, trim and zeroing through
 * the device reaches the local disk, its extents marked in the persistent dirty map before it is
 * acknowledged (one fsync only when an extent turns dirty), and is queued in LSN order; the feed streams
 * the queue, or catches up from the dirty map inside an inconsistent window when the queue cannot serve
 * the receiver (overflow, restart, initial copy). See {@link InlineChangeFeed} for the ordering guarantee.
 *
 * <h2>State directory</h2>
 * {@code stateDir} holds {@code capture-state} ({@link CaptureState}: disk identity, lineage, LSN
 * ceiling), {@code dirty-map} ({@link DirtyMap}) and {@code lock} (held while open, so that two captures
 * never share it). A fresh directory marks every allocated extent of the disk dirty, so the first
 * connection copies the disk as a catch-up window (initial replication); the first marker succeeds only
 * once that window has closed. A directory is reopened after a restart: its dirty extents are caught up
 * from the LSN the receiver resumes at.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: borrows {@code local} (the caller closes it after
 * this capture); owns the state directory's files while open.
 */
public final class InlineCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InlineCapture.class);
    static final String LOCK_FILE = "lock";

    private final DiskId disk;
    private final InlineChangeFeed feed;
    private final WriteGate gate;
    private final SynchronousAck sync;
    private final CapturingBlockDevice device;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private InlineCapture(DiskId disk, InlineChangeFeed feed, WriteGate gate, SynchronousAck sync,
            CapturingBlockDevice device, FileChannel lockChannel, FileLock lock) {
        this.disk = disk;
        this.feed = feed;
        this.gate = gate;
        this.sync = sync;
        this.device = device;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (or creates) the capture of {@code disk} on {@code local} with its state in {@code stateDir}. */
    public static InlineCapture open(DiskId disk, BlockDevice local, Path stateDir, CaptureOptions options) throws IOException {
        return open(disk, local, stateDir, options, MetadataWriter.ATOMIC, Clock.SYSTEM);
    }

    /**
     * As {@link #open(DiskId, BlockDevice, Path, CaptureOptions)}, but a fresh state directory starts with
     * no dirty extent: for a disk whose replica the caller brings up to date itself (a tracked or delta sync
     * into the replica's base, run while this capture already streams every new write). The caller must
     * not offer a point of the replica until that sync has finished.
     */
    public static InlineCapture openWithoutInitialCopy(DiskId disk, BlockDevice local, Path stateDir, CaptureOptions options)
            throws IOException {
        return open(disk, local, stateDir, options, MetadataWriter.ATOMIC, Clock.SYSTEM, false);
    }

    /** As {@link #open(DiskId, BlockDevice, Path, CaptureOptions)} with the metadata I/O and time seams. */
    static InlineCapture open(DiskId disk, BlockDevice local, Path stateDir, CaptureOptions options, MetadataWriter writer,
            Clock clock) throws IOException {
        return open(disk, local, stateDir, options, writer, clock, true);
    }

    private static InlineCapture open(DiskId disk, BlockDevice local, Path stateDir, CaptureOptions options, MetadataWriter writer,
            Clock clock, boolean initialCopy) throws IOException {
        requireNonNull(disk, "disk is null");
        requireNonNull(local, "local is null");
        requireNonNull(options, "options is null");
        if (local.isReadOnly()) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "disk " + disk + " is read-only: nothing to capture",
                    "open the local disk read-write, or use scan capture for a disk the agent cannot sit in front of");
        }
        Files.createDirectories(stateDir);
        FileChannel lockChannel = FileChannel.open(stateDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new CaptureException(CaptureError.IN_USE, "capture state " + stateDir + " is in use by another capture",
                    "stop the other agent (or close the other capture) of disk " + disk + " first");
        }
        try {
            CaptureState state = CaptureState.read(stateDir);
            DirtyMap map;
            String reason;
            if (state == null) {
                state = new CaptureState(disk, local.size(), options.extentBytes(), UUID.randomUUID(), 0, 0);
                map = DirtyMap.create(stateDir, writer, local.size(), options.extentBytes(), state.lineage(),
                        initialCopy ? allocated(local) : new long[0]);
                state.write(stateDir, writer);
                reason = initialCopy ? "initial copy" : "start";
                LOG.info("disk={} new capture state in {}: lineage {}, {} extents to copy first", disk, stateDir,
                        state.lineage(), map.pendingCount());
            } else {
                if (!state.disk().equals(disk) || state.diskSize() != local.size() || state.extentBytes() != options.extentBytes()) {
                    throw new CaptureException(CaptureError.STATE_MISMATCH, "capture state " + stateDir + " belongs to disk "
                            + state.disk() + " of " + state.diskSize() + " bytes with " + state.extentBytes()
                            + "-byte extents, not disk " + disk + " of " + local.size() + " bytes with " + options.extentBytes(),
                            "give each disk its own state directory, keep extentBytes as it was, or remove the directory to start a full initial copy");
                }
                map = DirtyMap.load(stateDir, writer, local.size(), options.extentBytes(), state.lineage());
                reason = "agent restart";
                LOG.info("disk={} capture state reopened from {}: {} dirty extents to catch up", disk, stateDir, map.dirtyCount());
            }
            InlineChangeFeed feed = new InlineChangeFeed(disk, local, stateDir, writer, clock, options, state, map, reason);
            WriteGate gate = new WriteGate(disk, options.maxGuestBlock());
            SynchronousAck sync = new SynchronousAck(disk, feed, options.synchronous(), options.maxGuestBlock());
            return new InlineCapture(disk, feed, gate, sync, new CapturingBlockDevice(local, feed, gate, sync), lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** The allocated, not-known-zero ranges of the disk as {@code offset, length} pairs. */
    private static long[] allocated(BlockDevice local) throws IOException {
        List<Extent> extents = local.allocation(0, local.size());
        List<Long> ranges = new ArrayList<>();
        for (Extent e : extents) {
            if (!e.zero()) {
                ranges.add(e.offset());
                ranges.add(e.length());
            }
        }
        return ranges.stream().mapToLong(Long::longValue).toArray();
    }

    public DiskId disk() {
        return disk;
    }

    /** The capturing device to export over NBD: writes go to the local disk, the dirty map and the queue. */
    public BlockDevice device() {
        return device;
    }

    /** The outgoing change stream of this disk. */
    public ChangeFeed feed() {
        return feed;
    }

    public CaptureStatus status() {
        return feed.status(sync.active(), sync.fallbacks());
    }

    /**
     * Holds every new guest write back and waits until the writes in flight are done (a group cut's
     * barrier). Writes that wait longer than {@code maxGuestBlock} break the barrier and go on.
     *
     * @throws CaptureException {@link CaptureError#BARRIER_TIMEOUT} when the writes in flight did not drain
     *     within {@code timeout}
     */
    public WriteBarrier pause(Duration timeout) throws InterruptedException {
        return gate.close(timeout);
    }

    /** A recovery point with the caller's marker (a group cut gives every member the same point id); empty inside a window. */
    public Optional<Mark> mark(Marker marker) throws IOException {
        return feed.mark(marker);
    }

    /** Runs {@code action} while nothing reaches the local disk: a consistent snapshot for tests and verification. */
    <T> T whileQuiesced(java.util.concurrent.Callable<T> action) throws Exception {
        return feed.underLock(action);
    }

    InlineChangeFeed inlineFeed() {
        return feed;
    }

    @Override
    public void close() throws IOException {
        try {
            feed.close();
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    @Override
    public String toString() {
        return "InlineCapture[" + disk + "]";
    }
}
