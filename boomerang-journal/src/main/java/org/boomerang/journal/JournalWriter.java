package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.RecordRef;
import org.boomerang.journal.segment.SegmentFile;

/**
 * Appends records to the active segment, rolls segments, and makes LSNs durable with group commit:
 * many appenders share one fsync (leader/follower: the first waiter forces the file for everyone
 * appended so far; the others find their LSN durable when it returns).
 *
 * <p>Thread-safety: safe for many appending and syncing threads. LSNs are assigned and written under
 * one lock, so file order equals LSN order; fsync runs outside it, so appends continue during a sync.
 * An fsync failure poisons the writer (fsyncgate): every later call fails with {@code IO_FAILED}.
 */
final class JournalWriter {
    /** Told about every appended record and every new segment, under the append lock, in LSN order. */
    interface Listener {
        void appended(RecordRef ref);

        void rolled(SegmentFile newSegment) throws IOException;
    }

    /** Writes one record into a segment at an LSN. */
    @FunctionalInterface
    interface Encoder {
        RecordRef append(SegmentFile segment, long lsn) throws IOException;
    }

    private final Path dir;
    private final UUID generation;
    private final long segmentBytes;
    private final Listener listener;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final AtomicLong durable;
    private SegmentFile active;
    private long nextLsn;
    private volatile IOException failure;
    private volatile boolean closed;

    JournalWriter(Path dir, UUID generation, long segmentBytes, SegmentFile active, Lsn lastLsn, Listener listener) {
        this.dir = requireNonNull(dir, "dir is null");
        this.generation = requireNonNull(generation, "generation is null");
        this.segmentBytes = segmentBytes;
        this.active = active;
        this.listener = requireNonNull(listener, "listener is null");
        this.nextLsn = lastLsn.value() + 1;
        this.durable = new AtomicLong(lastLsn.value());
    }

    RecordRef appendWrite(long offset, ByteBuffer payload) throws IOException {
        return append((seg, lsn) -> seg.appendWrite(lsn, offset, payload));
    }

    RecordRef appendRange(RecordKind kind, long offset, long length) throws IOException {
        return append((seg, lsn) -> seg.appendRange(kind, lsn, offset, length));
    }

    RecordRef appendMarker(Marker marker) throws IOException {
        return append((seg, lsn) -> seg.appendMarker(lsn, marker));
    }

    /** Runs {@code action} while no record can be appended (retention swaps its in-memory state this way). */
    void whilePaused(IoAction action) throws IOException {
        appendLock.lock();
        try {
            action.run();
        } finally {
            appendLock.unlock();
        }
    }

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    private RecordRef append(Encoder encoder) throws IOException {
        appendLock.lock();
        try {
            check();
            if (active == null || active.size() >= segmentBytes) {
                roll();
            }
            RecordRef ref;
            try {
                ref = encoder.append(active, nextLsn);
            } catch (IOException e) {
                failure = e;
                throw failed(e);
            }
            nextLsn++;
            listener.appended(ref);
            return ref;
        } finally {
            appendLock.unlock();
        }
    }

    private void roll() throws IOException {
        try {
            if (active != null) {
                active.seal();
                durable.accumulateAndGet(nextLsn - 1, Math::max);
            }
            SegmentFile next = SegmentFile.create(dir, Lsn.of(nextLsn), generation);
            active = next;
            listener.rolled(next);
        } catch (IOException e) {
            failure = e;
            throw failed(e);
        }
    }

    Lsn lastLsn() {
        appendLock.lock();
        try {
            return Lsn.of(nextLsn - 1);
        } finally {
            appendLock.unlock();
        }
    }

    Lsn durableLsn() {
        return Lsn.of(durable.get());
    }

    /** Returns once every record up to {@code lsn} is durable (one fsync may cover many callers). */
    void awaitDurable(long lsn) throws IOException {
        if (durable.get() >= lsn) {
            return;
        }
        syncLock.lock();
        try {
            if (durable.get() >= lsn) {
                return;
            }
            check();
            SegmentFile segment;
            long target;
            appendLock.lock();
            try {
                segment = active;
                target = nextLsn - 1;
            } finally {
                appendLock.unlock();
            }
            if (segment != null) {
                try {
                    segment.force();
                } catch (IOException e) {
                    failure = e;
                    throw failed(e);
                }
            }
            durable.accumulateAndGet(target, Math::max);
        } finally {
            syncLock.unlock();
        }
    }

    /** Makes everything appended so far durable and returns the durable LSN. */
    Lsn sync() throws IOException {
        long target = lastLsn().value();
        awaitDurable(target);
        return Lsn.of(target);
    }

    /** Refuses further appends and seals the active segment (cuts direct-I/O padding). */
    void close() throws IOException {
        appendLock.lock();
        try {
            if (!closed && active != null && failure == null) {
                active.seal();
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
    }

    private void check() {
        if (closed) {
            throw new JournalException(JournalError.CLOSED, "the journal in " + dir + " is closed", "open it again");
        }
        if (failure != null) {
            throw failed(failure);
        }
    }

    private JournalException failed(IOException e) {
        return new JournalException(JournalError.IO_FAILED, "writing the journal in " + dir + " failed: " + e.getMessage(),
                "check the disk and file system; reopen the journal to recover to the last durable record", e);
    }
}
