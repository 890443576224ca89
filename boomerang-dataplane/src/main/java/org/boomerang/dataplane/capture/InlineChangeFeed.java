package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.dataplane.capture.CapturedChange.Trim;
import org.boomerang.dataplane.capture.CapturedChange.WindowClose;
import org.boomerang.dataplane.capture.CapturedChange.WindowOpen;
import org.boomerang.dataplane.capture.CapturedChange.Write;
import org.boomerang.dataplane.capture.CapturedChange.Zero;
import org.boomerang.journal.Marker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of inline capture: numbers the guest's changes, queues them, and catches up from the dirty
 * map when the queue cannot serve the receiver (see {@link CaptureMode} for the states).
 *
 * <p><b>Ordering guarantee.</b> A change's LSN is taken and its local write (trim, zeroing) is done under
 * one lock per disk ({@link #apply}), so for any two requests, overlapping or not, LSN order equals the
 * order in which they reached the local disk, whatever thread or NBD connection they came from. A FUA
 * request's flush runs after the lock is released: it adds durability, not order.
 *
 * <p><b>Catch-up.</b> Passes over the pending extents read current data from the local disk outside the
 * lock; a write that lands meanwhile marks its extent pending again, so it is sent by a later pass. When
 * little is left (or after {@link CaptureOptions#maxScanPasses()} passes) the last pass reserves LSNs for
 * the remaining extents and switches writes back to the queue, behind them: a remaining extent read after
 * a later write holds that write's data too, and the write follows it in LSN order, so the replica equals
 * the source when the window closes, which happens once every remaining extent was read.
 *
 * <p><b>Batching.</b> In asynchronous mode a queued write does not wake the sender each time: the first
 * change queued behind an empty queue wakes it, and it then lingers up to {@link #LINGER} (or until a
 * batch's worth of bytes is queued) so that one poll carries the changes of many small writes. A guest
 * write never waits for this; it only delays when its change leaves the agent, by at most the linger.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #poll} and {@link #resume} from one sender thread.
 */
final class InlineChangeFeed implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(InlineChangeFeed.class);
    /**
     * How long a poll in asynchronous mode waits for more changes once one is queued: each wake-up of the
     * sender, each frame and each journal append at the master target is then shared by the writes of
     * this long. Synchronous mode does not linger (its guest waits for the change to be durable).
     */
    static final Duration LINGER = Duration.ofMillis(5);
    /** The reason of the window around the records of one write larger than a record. */
    static final String SPLIT_WRITE = "one write split into records";

    private final DiskId disk;
    private final BlockDevice local;
    private final Path stateDir;
    private final MetadataWriter writer;
    private final Clock clock;
    private final CaptureOptions options;
    private final DirtyMap map;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // everything below is guarded by lock
    private CaptureState state;
    private CaptureMode mode = CaptureMode.AWAITING_RESUME;
    private String windowReason;
    private long nextLsn;
    private long sendCursor;
    private long durableTarget;
    private final ArrayDeque<CapturedChange> unsent = new ArrayDeque<>();
    private final ArrayDeque<CapturedChange> sent = new ArrayDeque<>();
    private long queueBytes;
    private long unsentBytes;
    private long lingerBytes = Long.MAX_VALUE;
    private int scanCursor;
    private int scanPasses;
    private int[] finalExtents;
    private int finalIndex;
    private long catchUpSent;
    private long catchUpTotal;
    private long lastCleanNanos;
    private CaptureException failure;
    private boolean closed;

    InlineChangeFeed(DiskId disk, BlockDevice local, Path stateDir, MetadataWriter writer, Clock clock,
            CaptureOptions options, CaptureState state, DirtyMap map, String firstWindowReason) {
        this.disk = requireNonNull(disk, "disk is null");
        this.local = requireNonNull(local, "local is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.options = requireNonNull(options, "options is null");
        this.state = requireNonNull(state, "state is null");
        this.map = requireNonNull(map, "map is null");
        this.windowReason = requireNonNull(firstWindowReason, "firstWindowReason is null");
        this.durableTarget = state.durableAtTarget();
        this.lastCleanNanos = clock.nanoTime();
    }

    /** One local operation of the guest, run under the ordering lock. */
    @FunctionalInterface
    interface LocalOp {
        void run() throws IOException;
    }

    /** The kind of change a local operation makes, for the record queued behind it. */
    enum ChangeKind { WRITE, TRIM, ZERO }

    @Override
    public DiskId disk() {
        return disk;
    }

    @Override
    public long size() {
        return local.size();
    }

    /** True when a write's data will be queued, so the caller copies it before taking the lock. */
    boolean wantsData() {
        CaptureMode m = mode; // racy read: only a hint, apply() copies when the guess was wrong
        return m == CaptureMode.STREAMING || m == CaptureMode.CLOSING;
    }

    /**
     * Marks the range in the dirty map (persisting it when an extent turns dirty), runs {@code op} on the
     * local disk, and queues the change with the next LSNs, all under the ordering lock.
     *
     * @param data for a write: a copy of the guest's data (or null to copy {@code source} under the lock)
     * @return the LSN of the change's last record, or 0 when it got none (a catch-up will send it)
     */
    long apply(ChangeKind kind, long offset, long length, ByteBuffer source, ByteBuffer data, LocalOp op) throws IOException {
        lock.lock();
        try {
            checkWritable();
            try {
                map.ensurePersisted(offset, length);
            } catch (IOException e) {
                throw fail("writing the dirty map", e);
            }
            try {
                op.run();
            } catch (IOException | RuntimeException e) {
                // the range may be partly written: nothing says which part, so its current data goes by a catch-up
                map.markPending(offset, length);
                if (mode == CaptureMode.STREAMING || mode == CaptureMode.CLOSING) {
                    enterCatchUp(sendCursor, "local " + kind.name().toLowerCase(java.util.Locale.ROOT) + " failed");
                }
                throw e;
            }
            return switch (mode) {
                case AWAITING_RESUME, CATCHUP_NEEDED, CATCHING_UP -> {
                    map.markPending(offset, length);
                    yield 0L;
                }
                case STREAMING, CLOSING -> enqueue(kind, offset, length, source, data);
            };
        } finally {
            lock.unlock();
        }
    }

    private long enqueue(ChangeKind kind, long offset, long length, ByteBuffer source, ByteBuffer data) throws IOException {
        long payload = kind == ChangeKind.WRITE ? length : 0;
        if (queueBytes + payload > options.queueBytes()) {
            LOG.warn("disk={} lsn={} queue of {} bytes is full: dropping it, the feed catches up from the dirty map",
                    disk, nextLsn, queueBytes);
            enterCatchUp(sendCursor, "queue overflow");
            map.markPending(offset, length);
            return 0;
        }
        boolean wake = true;
        long last = switch (kind) {
            case WRITE -> {
                ByteBuffer copy = data;
                if (copy == null) {
                    copy = ByteBuffer.allocate((int) length).put(source.duplicate()).flip();
                }
                int pieces = (int) ((length + CapturedChange.MAX_WRITE_BYTES - 1) / CapturedChange.MAX_WRITE_BYTES);
                // A write split into several records passes through states the guest never saw (its first
                // pieces without the rest): in streaming mode the pieces go inside a window of their own, so
                // no point ('latest' included) can fall between them. In CLOSING a catch-up window is open.
                boolean bracket = pieces > 1 && mode == CaptureMode.STREAMING;
                long end = reserve(pieces + (bracket ? 2 : 0));
                long lsn = end - pieces + 1 - (bracket ? 1 : 0);
                wake = unsent.isEmpty() || unsentBytes + length >= lingerBytes;
                if (bracket) {
                    unsent.add(new WindowOpen(lsn - 1, SPLIT_WRITE));
                }
                for (int done = 0; done < length; done += CapturedChange.MAX_WRITE_BYTES, lsn++) {
                    int n = (int) Math.min(CapturedChange.MAX_WRITE_BYTES, length - done);
                    unsent.add(new Write(lsn, offset + done, copy.slice(done, n).asReadOnlyBuffer()));
                }
                if (bracket) {
                    unsent.add(new WindowClose(end));
                }
                queueBytes += length;
                unsentBytes += length;
                yield end;
            }
            case TRIM -> {
                long lsn = reserve(1);
                unsent.add(new Trim(lsn, offset, length));
                yield lsn;
            }
            case ZERO -> {
                long lsn = reserve(1);
                unsent.add(new Zero(lsn, offset, length));
                yield lsn;
            }
        };
        map.touch(offset, length, last);
        if (wake) {
            changed.signalAll();
        }
        return last;
    }

    /** Takes {@code count} LSNs, raising the persisted ceiling first when they would pass it; returns the last. */
    private long reserve(long count) throws IOException {
        long last = nextLsn + count - 1;
        if (last > state.lsnCeiling()) {
            CaptureState next = state.withCeiling(last + CaptureState.CEILING_STEP);
            try {
                next.write(stateDir, writer);
            } catch (IOException e) {
                throw fail("raising the LSN ceiling", e);
            }
            state = next;
        }
        nextLsn = last + 1;
        return last;
    }

    private void enterCatchUp(long fromLsn, String reason) {
        unsent.clear();
        sent.clear();
        queueBytes = 0;
        unsentBytes = 0;
        finalExtents = null;
        nextLsn = fromLsn;
        sendCursor = fromLsn;
        map.pendFrom(fromLsn);
        mode = CaptureMode.CATCHUP_NEEDED;
        windowReason = reason;
        changed.signalAll();
    }

    @Override
    public void resume(long receiverDurableLsn) throws IOException {
        lock.lock();
        try {
            checkOpen();
            if (receiverDurableLsn < 0 || receiverDurableLsn > state.lsnCeiling()) {
                throw new CaptureException(CaptureError.RECEIVER_AHEAD, "disk " + disk + ": the receiver is durable at lsn:"
                        + receiverDurableLsn + " but this capture (lineage " + state.lineage() + ") never issued past lsn:"
                        + state.lsnCeiling(), "the replica belongs to another lineage: start a new replica with a full resync");
            }
            if (receiverDurableLsn < durableTarget) {
                throw new CaptureException(CaptureError.RECEIVER_BEHIND, "disk " + disk + ": the receiver resumes at lsn:"
                        + receiverDurableLsn + " but the master target had acknowledged lsn:" + durableTarget + " as durable",
                        "the replica lost acknowledged changes: start a new replica with a full resync");
            }
            long from = receiverDurableLsn + 1;
            if (mode == CaptureMode.STREAMING && from >= lowestHeld() && from <= nextLsn) {
                while (!sent.isEmpty()) {
                    CapturedChange c = sent.pollLast();
                    if (c.lsn() >= from) {
                        unsent.addFirst(c);
                        unsentBytes += payload(c);
                    } else {
                        queueBytes -= payload(c);
                    }
                }
                sendCursor = from;
                LOG.info("disk={} lsn={} feed resumed from its queue", disk, from);
                return;
            }
            String reason = switch (mode) {
                case AWAITING_RESUME -> windowReason;
                case CATCHUP_NEEDED, CATCHING_UP, CLOSING, STREAMING -> "resume at lsn:" + from + ", changes no longer held";
            };
            LOG.info("disk={} lsn={} feed resumes with a catch-up from the dirty map ({})", disk, from, reason);
            enterCatchUp(from, reason);
        } finally {
            lock.unlock();
        }
    }

    private long lowestHeld() {
        if (!sent.isEmpty()) {
            return sent.peekFirst().lsn();
        }
        return unsent.isEmpty() ? nextLsn : unsent.peekFirst().lsn();
    }

    @Override
    public List<CapturedChange> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        boolean lingered = options.synchronous();
        lock.lock();
        try {
            while (true) {
                checkOpen();
                switch (mode) {
                    case AWAITING_RESUME -> throw new CaptureException(CaptureError.NOT_RESUMED,
                            "disk " + disk + ": poll before resume", "call resume with the receiver's durable LSN first");
                    case CATCHUP_NEEDED -> {
                        WindowOpen open = new WindowOpen(reserve(1), windowReason);
                        sendCursor = nextLsn;
                        mode = CaptureMode.CATCHING_UP;
                        scanCursor = 0;
                        scanPasses = 0;
                        catchUpSent = 0;
                        catchUpTotal = map.pendingCount() * map.extentBytes();
                        LOG.info("disk={} lsn={} window open: {} ({} extents to send)", disk, open.lsn(), windowReason,
                                map.pendingCount());
                        return List.of(open);
                    }
                    case CATCHING_UP -> {
                        List<CapturedChange> out = scanChunk(maxBytes);
                        if (out != null) {
                            return out;
                        }
                    }
                    case CLOSING -> {
                        return finalChunk(maxBytes);
                    }
                    case STREAMING -> {
                        long left = deadline - clock.nanoTime();
                        if (!unsent.isEmpty()) {
                            if (lingered || unsentBytes >= maxBytes || left <= 0) {
                                return takeQueued(maxBytes);
                            }
                            lingered = true;
                            lingerBytes = maxBytes;
                            try {
                                changed.awaitNanos(Math.min(left, LINGER.toNanos()));
                            } finally {
                                lingerBytes = Long.MAX_VALUE;
                            }
                            continue;
                        }
                        if (left <= 0) {
                            return List.of();
                        }
                        changed.awaitNanos(left);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private List<CapturedChange> takeQueued(int maxBytes) {
        List<CapturedChange> out = new ArrayList<>();
        long bytes = 0;
        while (!unsent.isEmpty() && (out.isEmpty() || bytes + payload(unsent.peekFirst()) <= maxBytes)) {
            CapturedChange c = unsent.pollFirst();
            bytes += payload(c);
            unsentBytes -= payload(c);
            sent.addLast(c);
            out.add(c);
            sendCursor = c.lsn() + 1;
        }
        return out;
    }

    /** One chunk of a scan pass, or null when the loop should look again (a pass ended or the last pass began). */
    private List<CapturedChange> scanChunk(int maxBytes) throws IOException {
        long pending = map.pendingCount();
        if (pending * map.extentBytes() <= options.finalPassBytes() || scanPasses >= options.maxScanPasses()) {
            startClosing();
            return null;
        }
        int e = map.nextPending(scanCursor);
        if (e < 0) {
            scanPasses++;
            scanCursor = 0;
            return null;
        }
        int[] list = new int[16];
        int count = 0;
        long bytes = 0;
        long firstLsn = nextLsn;
        while (e >= 0 && (count == 0 || bytes + map.extentLength(e) <= maxBytes)) {
            map.sent(e, reserve(pieces(e)));
            if (count == list.length) {
                list = java.util.Arrays.copyOf(list, count * 2);
            }
            list[count++] = e;
            bytes += map.extentLength(e);
            scanCursor = e + 1;
            e = map.nextPending(scanCursor);
        }
        sendCursor = nextLsn;
        list = java.util.Arrays.copyOf(list, count);
        lock.unlock();
        try {
            return readExtents(list, firstLsn);
        } finally {
            lock.lock();
        }
    }

    private void startClosing() throws IOException {
        List<Integer> remaining = new ArrayList<>();
        for (int e = map.nextPending(0); e >= 0; e = map.nextPending(e + 1)) {
            remaining.add(e);
        }
        finalExtents = remaining.stream().mapToInt(Integer::intValue).toArray();
        finalIndex = 0;
        long total = 0;
        for (int e : finalExtents) {
            total += pieces(e);
        }
        long first = nextLsn;
        reserve(total);
        long lsn = first;
        for (int e : finalExtents) {
            lsn += pieces(e);
            map.sent(e, lsn - 1);
        }
        sendCursor = first;
        mode = CaptureMode.CLOSING;
        LOG.info("disk={} lsn={} catch-up last pass: {} extents after {} passes; writes queue again", disk, first,
                finalExtents.length, scanPasses);
    }

    private List<CapturedChange> finalChunk(int maxBytes) throws IOException {
        int[] extents = finalExtents;
        if (finalIndex == extents.length) {
            closeWindow();
            return takeQueued(maxBytes);
        }
        long firstLsn = sendCursor;
        int from = finalIndex;
        long bytes = 0;
        while (finalIndex < extents.length && (finalIndex == from || bytes + map.extentLength(extents[finalIndex]) <= maxBytes)) {
            bytes += map.extentLength(extents[finalIndex]);
            sendCursor += pieces(extents[finalIndex]);
            finalIndex++;
        }
        int[] chunk = java.util.Arrays.copyOfRange(extents, from, finalIndex);
        List<CapturedChange> out;
        lock.unlock();
        try {
            out = readExtents(chunk, firstLsn);
        } finally {
            lock.lock();
        }
        if (mode == CaptureMode.CLOSING && finalExtents == extents && finalIndex == extents.length) {
            closeWindow();
        }
        return out;
    }

    private void closeWindow() throws IOException {
        WindowClose close = new WindowClose(reserve(1));
        unsent.addLast(close);
        finalExtents = null;
        mode = CaptureMode.STREAMING;
        LOG.info("disk={} lsn={} window closed: replica consistent again ({} bytes sent by the catch-up)", disk,
                close.lsn(), catchUpSent);
        changed.signalAll();
    }

    /** Reads the extents' current data (outside the lock) as records numbered from {@code firstLsn}. */
    private List<CapturedChange> readExtents(int[] extents, long firstLsn) throws IOException {
        List<CapturedChange> out = new ArrayList<>();
        long lsn = firstLsn;
        long bytes = 0;
        for (int e : extents) {
            long offset = map.extentOffset(e);
            long length = map.extentLength(e);
            for (long done = 0; done < length; done += CapturedChange.MAX_WRITE_BYTES, lsn++) {
                int n = (int) Math.min(CapturedChange.MAX_WRITE_BYTES, length - done);
                ByteBuffer buf = ByteBuffer.allocate(n);
                local.read(offset + done, buf);
                buf.flip();
                out.add(allZero(buf) ? new Zero(lsn, offset + done, n) : new Write(lsn, offset + done, buf.asReadOnlyBuffer()));
                bytes += n;
            }
        }
        catchUpSent += bytes;
        return out;
    }

    private int pieces(int extent) {
        return (int) ((map.extentLength(extent) + CapturedChange.MAX_WRITE_BYTES - 1) / CapturedChange.MAX_WRITE_BYTES);
    }

    private static boolean allZero(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate();
        while (b.remaining() >= 8) {
            if (b.getLong() != 0) {
                return false;
            }
        }
        while (b.hasRemaining()) {
            if (b.get() != 0) {
                return false;
            }
        }
        return true;
    }

    private static long payload(CapturedChange c) {
        return c instanceof Write w ? w.data().remaining() : 0;
    }

    @Override
    public void released(long lsn) {
        lock.lock();
        try {
            while (!sent.isEmpty() && sent.peekFirst().lsn() <= lsn) {
                queueBytes -= payload(sent.pollFirst());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void durableAtTarget(long lsn) throws IOException {
        lock.lock();
        try {
            if (lsn <= durableTarget) {
                return;
            }
            durableTarget = lsn;
            map.clearDurable(lsn);
            changed.signalAll();
            long now = clock.nanoTime();
            if (failure == null && now - lastCleanNanos >= options.cleanInterval().toNanos() && map.hasStaleBits()) {
                lastCleanNanos = now;
                persistClean(true);
            }
        } finally {
            lock.unlock();
        }
    }

    private void persistClean(boolean keepRecent) throws IOException {
        try {
            CaptureState next = state.withDurableAtTarget(durableTarget);
            next.write(stateDir, writer);
            state = next;
            map.persistClean(keepRecent);
        } catch (IOException e) {
            throw fail("clearing durable extents from the dirty map", e);
        }
    }

    @Override
    public Optional<Mark> mark(MarkerKind kind, String groupId, String tag) throws IOException {
        return mark(new Marker(kind, UUID.randomUUID().toString(), clock.now(), groupId, tag));
    }

    /** As {@link #mark(MarkerKind, String, String)} with a marker built by the caller (a group cut shares its point id). */
    Optional<Mark> mark(Marker marker) throws IOException {
        lock.lock();
        try {
            checkOpen();
            if (mode != CaptureMode.STREAMING) {
                LOG.info("disk={} no {} point: an inconsistent window is open ({})", disk, marker.kind().label(), mode);
                return Optional.empty();
            }
            Mark mark = new Mark(reserve(1), marker);
            unsent.addLast(mark);
            changed.signalAll();
            return Optional.of(mark);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code lsn} is durable at the target or the timeout passes; true when it is. */
    boolean awaitDurable(long lsn, Duration timeout) throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (durableTarget < lsn && !closed) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return durableTarget >= lsn;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lastLsn() {
        lock.lock();
        try {
            return Math.max(0, nextLsn - 1);
        } finally {
            lock.unlock();
        }
    }

    long durableTarget() {
        lock.lock();
        try {
            return durableTarget;
        } finally {
            lock.unlock();
        }
    }

    CaptureMode mode() {
        lock.lock();
        try {
            return mode;
        } finally {
            lock.unlock();
        }
    }

    /** The status snapshot; the synchronous fields are filled by the capture. */
    CaptureStatus status(boolean synchronousActive, long fallbacks) {
        lock.lock();
        try {
            long dirty = map.dirtyCount();
            return new CaptureStatus(disk, mode, queueBytes, unsent.size() + sent.size(), dirty,
                    Math.min(dirty * map.extentBytes(), local.size()), map.pendingCount(), catchUpSent, catchUpTotal,
                    Math.max(0, nextLsn - 1), durableTarget, map.persistCount(), synchronousActive, fallbacks,
                    Optional.ofNullable(failure).map(CaptureException::code));
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} with the ordering lock held: nothing reaches the local disk meanwhile (tests take snapshots so). */
    <T> T underLock(java.util.concurrent.Callable<T> action) throws Exception {
        lock.lock();
        try {
            return action.call();
        } finally {
            lock.unlock();
        }
    }

    private CaptureException fail(String what, IOException e) {
        if (failure == null) {
            failure = new CaptureException(CaptureError.CAPTURE_FAILED, "disk " + disk + ": " + what + " in " + stateDir
                    + " failed (" + e.getMessage() + "); the capture takes no more writes",
                    "check the state directory's file system, then restart the agent: the dirty map it reopens is still valid", e);
            LOG.error("disk={} capture failed: {}", disk, failure.getMessage(), e);
        }
        return failure;
    }

    private void checkWritable() {
        checkOpen();
        if (failure != null) {
            throw failure;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new CaptureException(CaptureError.CLOSED, "the capture of disk " + disk + " is closed", "open it again");
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
            if (failure == null && map.hasStaleBits()) {
                persistClean(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The dirty map, for the capture's own status and tests; callers hold no lock, so only under {@link #underLock}. */
    DirtyMap map() {
        return map;
    }
}
