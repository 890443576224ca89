package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.DurableMark;
import org.boomerang.journal.segment.RecordRef;
import org.boomerang.journal.segment.SegmentFile;

/**
 * Appends records to the active segment, rolls segments, and makes LSNs durable with group commit:
 * many appenders share one fsync (leader/follower: the first waiter forces the file for everyone
 * appended so far; the others find their LSN durable when it returns).
 *
 * <p>Thread-safety: safe for many appending and syncing threads. LSNs are assigned and written under
 * one lock, so file order equals LSN order; fsync runs outside it, so appends continue during a sync.
 * An fsync failure poisons the writer (fsyncgate): every later call fails with {@code FSYNC_FAILED}, and
 * nothing is acknowledged after it; any other write failure poisons it with {@code IO_FAILED}.
 *
 * <p>After each fsync (and at each roll) the writer advances the durability watermark
 * ({@link DurableMark}) to what that fsync covered.
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
    /** The watermark file; null for a read-only journal. */
    private final DurableMark mark;
    private SegmentFile active;
    private long nextLsn;
    private volatile IOException failure;
    private volatile boolean fsyncFailed;
    private volatile boolean closed;
    /** True once {@link #close()} sealed the active segment with nothing failed: it may be indexed. */
    private volatile boolean sealedAtClose;

    /**
     * A writer appending after {@code lastLsn} (everything up to it durable) to {@code active} (null when
     * no segment exists yet). {@code mark} is null for a read-only journal: every append is then refused.
     */
    JournalWriter(Path dir, UUID generation, long segmentBytes, SegmentFile active, Lsn lastLsn, DurableMark mark,
            Listener listener) throws IOException {
        this.dir = requireNonNull(dir, "dir is null");
        this.generation = requireNonNull(generation, "generation is null");
        this.segmentBytes = segmentBytes;
        this.active = active;
        this.listener = requireNonNull(listener, "listener is null");
        this.nextLsn = lastLsn.value() + 1;
        this.durable = new AtomicLong(lastLsn.value());
        this.mark = mark;
        if (mark != null && active != null) {
            mark.advance(active.firstLsn().value(), active.size(), lastLsn.value());
            mark.force();
        }
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

    /** Appends one record with {@code encoder} (which may refuse it, unchecked, before writing anything). */
    RecordRef append(Encoder encoder) throws IOException {
        return appendAt(-1, encoder);
    }

    /**
     * Appends at exactly LSN {@code expected} (any LSN when negative). Returns null, appending nothing,
     * when that LSN is already taken (the caller compares the records); refuses with {@code LSN_GAP} when
     * it lies past the next LSN.
     */
    RecordRef appendAt(long expected, Encoder encoder) throws IOException {
        appendLock.lock();
        try {
            check();
            if (expected >= 0 && expected != nextLsn) {
                if (expected < nextLsn) {
                    return null;
                }
                throw new JournalException(JournalError.LSN_GAP, "an append expected LSN " + expected
                        + " but the journal in " + dir + " is at LSN " + (nextLsn - 1) + " (next " + nextLsn + ")",
                        "resend from LSN " + nextLsn + ": the records between are missing");
            }
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

    /** Poisons the writer after a failure elsewhere in the journal (retention, a checkpoint): nothing more is appended. */
    void poison(IOException e) {
        if (failure == null) {
            failure = e;
        }
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

    /** Runs {@code action}, which does no I/O, while no record can be appended. */
    void underAppendLock(Runnable action) {
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

    private void roll() throws IOException {
        try {
            if (active != null) {
                active.seal();
            }
            SegmentFile next = SegmentFile.create(dir, Lsn.of(nextLsn), generation);
            active = next;
            mark.advance(next.firstLsn().value(), next.size(), nextLsn - 1);
            mark.force();
            durable.accumulateAndGet(nextLsn - 1, Math::max);
            listener.rolled(next);
        } catch (IOException e) {
            failure = e;
            fsyncFailed = true;
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
            long end;
            appendLock.lock();
            try {
                segment = active;
                target = nextLsn - 1;
                end = segment == null ? 0 : segment.size();
            } finally {
                appendLock.unlock();
            }
            if (segment != null) {
                try {
                    segment.force();
                } catch (IOException e) {
                    failure = e;
                    fsyncFailed = true;
                    throw failed(e);
                }
                try {
                    mark.advance(segment.firstLsn().value(), end, target);
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
            try {
                if (!closed && active != null && failure == null && mark != null) {
                    active.seal();
                    mark.advance(active.firstLsn().value(), active.size(), nextLsn - 1);
                    mark.force();
                    sealedAtClose = true;
                }
            } finally {
                closed = true;
                if (mark != null) {
                    mark.close();
                }
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** True when {@link #close()} sealed the active segment and nothing had failed. */
    boolean sealedCleanly() {
        return sealedAtClose;
    }

    private void check() {
        if (closed) {
            throw new JournalException(JournalError.CLOSED, "the journal in " + dir + " is closed", "open it again");
        }
        if (mark == null) {
            throw new JournalException(JournalError.READ_ONLY, "the journal in " + dir + " was opened read-only",
                    "append through the process that has it open for writing");
        }
        if (failure != null) {
            throw failed(failure);
        }
    }

    private JournalException failed(IOException e) {
        if (fsyncFailed) {
            return new JournalException(JournalError.FSYNC_FAILED, "an fsync of the journal in " + dir + " failed: "
                    + e.getMessage() + "; nothing after the last durable LSN " + durable.get() + " is acknowledged",
                    "check the disk and file system, then reopen the journal: it recovers to the last durable record", e);
        }
        return new JournalException(JournalError.IO_FAILED, "writing the journal in " + dir + " failed: " + e.getMessage(),
                "check the disk and file system; reopen the journal to recover to the last durable record", e);
    }
}
