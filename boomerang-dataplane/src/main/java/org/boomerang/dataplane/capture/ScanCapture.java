package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.dataplane.capture.CapturedChange.WindowClose;
import org.boomerang.dataplane.capture.CapturedChange.WindowOpen;
import org.boomerang.dataplane.capture.CapturedChange.Write;
import org.boomerang.dataplane.capture.CapturedChange.Zero;
import org.boomerang.journal.Marker;
import org.boomerang.sync.BlockHash;
import org.boomerang.sync.Digests;
import org.boomerang.sync.LocalBlockDigester;
import org.boomerang.sync.ReadBuffers;
import org.boomerang.sync.SyncOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scan capture, for a disk the agent cannot sit in front of: every {@code every} it digests the whole
 * disk with the sync engine's digester ({@link LocalBlockDigester}, XXH3-128 per block), and ships the
 * blocks whose digest differs from what the replica holds inside an inconsistent window, followed by a
 * {@link MarkerKind#CRASH} marker tagged {@value #TAG}. A scan that finds nothing changed sends nothing.
 *
 * <p>What the replica holds is tracked as digests of the bytes actually shipped (a block that changed
 * between the digest pass and its read is recorded as read, so a later scan still sees any change);
 * they become the baseline once the master target acknowledged the window's close. A resume anywhere
 * else (a reconnect in the middle of a window) scans against the last acknowledged baseline; the first
 * scan after the capture starts sends every block (zero runs as {@link Zero} records). The replica is
 * consistent at a scan's marker only as far as the disk was quiescent while it was read (a snapshot, or
 * a frozen file system): scan capture sees no write order.
 *
 * <p>Thread-safety: {@link #poll} and {@link #resume} from one sender thread; the rest from any thread.
 * Ownership: borrows the device; owns its digest threads.
 */
public final class ScanCapture implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ScanCapture.class);
    public static final String TAG = "scan";

    private final DiskId disk;
    private final BlockDevice device;
    private final Duration every;
    private final SyncOptions syncOptions;
    private final Clock clock;
    private final ExecutorService pool;
    private final int blockSize;
    private final long blocks;

    // guarded by this
    private long nextLsn = -1;
    private long durableTarget;
    private long[] confirmed;
    private long[] candidate;
    private long candidateCloseLsn = -1;
    private long[] changedBlocks;
    private int cursor;
    private long lastScanNanos;
    private boolean scanned;
    private long scans;
    private long bytesShipped;
    private final java.util.ArrayDeque<CapturedChange> marks = new java.util.ArrayDeque<>();
    private boolean closed;

    public ScanCapture(DiskId disk, BlockDevice device, Duration every, int blockSize) {
        this(disk, device, every, blockSize, Clock.SYSTEM);
    }

    ScanCapture(DiskId disk, BlockDevice device, Duration every, int blockSize, Clock clock) {
        this.disk = requireNonNull(disk, "disk is null");
        this.device = requireNonNull(device, "device is null");
        this.every = requireNonNull(every, "every is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (every.isNegative()) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "scan period " + every + " is negative", "give a period such as 5m");
        }
        if (blockSize < 4096 || blockSize > CapturedChange.MAX_WRITE_BYTES || Integer.bitCount(blockSize) != 1) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "scan block size " + blockSize + " is out of range",
                    "use a power of two from 4096 to " + CapturedChange.MAX_WRITE_BYTES + " (64K is the sync engine's default)");
        }
        this.blockSize = blockSize;
        this.syncOptions = SyncOptions.withBlockSize(blockSize);
        this.blocks = (device.size() + blockSize - 1) / blockSize;
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "scan-" + disk);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public DiskId disk() {
        return disk;
    }

    @Override
    public long size() {
        return device.size();
    }

    @Override
    public synchronized void resume(long receiverDurableLsn) {
        checkOpen();
        if (candidate != null && receiverDurableLsn >= candidateCloseLsn) {
            confirmed = candidate;
        }
        candidate = null;
        candidateCloseLsn = -1;
        changedBlocks = null;
        marks.clear();
        nextLsn = receiverDurableLsn + 1;
        scanned = false; // scan at once: the receiver may lack a window cut short
    }

    @Override
    public List<CapturedChange> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                checkOpen();
                if (nextLsn < 0) {
                    throw new CaptureException(CaptureError.NOT_RESUMED, "disk " + disk + ": poll before resume",
                            "call resume with the receiver's durable LSN first");
                }
                if (changedBlocks != null) {
                    return ship(maxBytes);
                }
                if (!marks.isEmpty()) {
                    List<CapturedChange> out = new ArrayList<>(marks);
                    marks.clear();
                    return out;
                }
                if (!scanned || clock.nanoTime() - lastScanNanos >= every.toNanos()) {
                    List<CapturedChange> opened = scan();
                    if (!opened.isEmpty()) {
                        return opened;
                    }
                }
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    /** Digests the disk; opens a window over the blocks that differ from the baseline (empty when none). */
    private List<CapturedChange> scan() throws IOException {
        lastScanNanos = clock.nanoTime();
        scanned = true;
        scans++;
        long[] now;
        try (LocalBlockDigester digester = new LocalBlockDigester(device, "scan of " + disk, syncOptions, pool,
                new ReadBuffers(syncOptions.chunkSize()))) {
            Digests d = digester.blockDigests(0, (int) blocks);
            now = new long[(int) blocks * 2];
            for (int i = 0; i < blocks; i++) {
                now[2 * i] = d.high(i);
                now[2 * i + 1] = d.low(i);
            }
        }
        long[] base = confirmed;
        long[] changed = new long[(int) blocks];
        int n = 0;
        for (int i = 0; i < blocks; i++) {
            if (base == null || base[2 * i] != now[2 * i] || base[2 * i + 1] != now[2 * i + 1]) {
                changed[n++] = i;
            }
        }
        if (n == 0) {
            return List.of();
        }
        changedBlocks = java.util.Arrays.copyOf(changed, n);
        cursor = 0;
        candidate = base == null ? now.clone() : base.clone();
        WindowOpen open = new WindowOpen(nextLsn++, base == null ? "scan: full copy" : "scan: " + n + " changed blocks");
        LOG.info("disk={} lsn={} {}", disk, open.lsn(), open.reason());
        return List.of(open);
    }

    private List<CapturedChange> ship(int maxBytes) throws IOException {
        List<CapturedChange> out = new ArrayList<>();
        long bytes = 0;
        while (cursor < changedBlocks.length && (out.isEmpty() || bytes + blockSize <= maxBytes)) {
            long block = changedBlocks[cursor++];
            long offset = block * blockSize;
            int length = (int) Math.min(blockSize, device.size() - offset);
            ByteBuffer buf = ByteBuffer.allocate(length);
            device.read(offset, buf);
            buf.flip();
            BlockHash.digest(buf, 0, length, candidate, (int) block * 2);
            out.add(isZero(buf) ? new Zero(nextLsn++, offset, length) : new Write(nextLsn++, offset, buf.asReadOnlyBuffer()));
            bytes += length;
        }
        bytesShipped += bytes;
        if (cursor == changedBlocks.length) {
            changedBlocks = null;
            WindowClose close = new WindowClose(nextLsn++);
            candidateCloseLsn = close.lsn();
            out.add(close);
            out.add(new Mark(nextLsn++, new Marker(MarkerKind.CRASH, UUID.randomUUID().toString(), clock.now(), "", TAG)));
            LOG.info("disk={} lsn={} scan window closed", disk, close.lsn());
        }
        return out;
    }

    private static boolean isZero(ByteBuffer buf) {
        for (int i = 0; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void released(long lsn) {
        // nothing is held after it was polled: a resume scans again
    }

    @Override
    public synchronized void durableAtTarget(long lsn) {
        durableTarget = Math.max(durableTarget, lsn);
        if (candidate != null && candidateCloseLsn > 0 && lsn >= candidateCloseLsn) {
            confirmed = candidate;
            candidate = null;
            candidateCloseLsn = -1;
        }
    }

    @Override
    public synchronized Optional<Mark> mark(MarkerKind kind, String groupId, String tag) {
        checkOpen();
        if (nextLsn < 0 || changedBlocks != null || !scanned) {
            return Optional.empty();
        }
        // the replica holds the disk as of the last scan: a point there is as consistent as that scan
        Mark mark = new Mark(nextLsn++, new Marker(kind, UUID.randomUUID().toString(), clock.now(), groupId, tag));
        marks.add(mark);
        return Optional.of(mark);
    }

    @Override
    public synchronized long lastLsn() {
        return Math.max(0, nextLsn - 1);
    }

    /** Scans run so far. */
    public synchronized long scans() {
        return scans;
    }

    /** Block bytes shipped so far. */
    public synchronized long bytesShipped() {
        return bytesShipped;
    }

    private void checkOpen() {
        if (closed) {
            throw new CaptureException(CaptureError.CLOSED, "the scan capture of disk " + disk + " is closed", "open it again");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        pool.shutdownNow();
    }
}
