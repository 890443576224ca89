package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.common.AtomicFile;
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
 * <p>After each fsync the writer advances the durability watermark ({@link DurableMark}) to what that
 * fsync covered.
 *
 * <p><b>Rolling without an fsync on the append path.</b> A roll runs no fsync under the append lock: the
 * next segment is a spare file created and fsynced (with its directory entry) in the background before it
 * is needed ({@link SegmentFile#prepareSpare}); the roll writes its header and renames it
 * ({@link SegmentFile#activate}), and ends appending to the old segment ({@link SegmentFile#finishAppends()}).
 * The old segment joins the <em>unsealed</em> list. The next group commit (or the background task the
 * roll starts) fsyncs every unsealed segment, then the directory (the new name), then the active
 * segment, and only then advances the durable LSN and the watermark (and forces the watermark, once per
 * roll): an acknowledged LSN is durable with every record before it. Until then a crash leaves the
 * unsealed segments and the new one as a torn tail, which recovery truncates (see {@link SegmentFormat}).
 * When no spare is ready (the first segment, or two rolls in quick succession) the roll creates the
 * segment durably in place, as before.
 */
final class JournalWriter {
    /** Told about every appended record and every new segment, under the append lock, in LSN order. */
    interface Listener {
        void appended(RecordRef ref);

        void rolled(SegmentFile newSegment) throws IOException;

        /**
         * Told once about each segment rolled away from, after it is durable (fsynced with every record it
         * holds); called outside the append lock, from the thread that made it durable.
         */
        void sealed(SegmentFile segment);
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
    /** Segments rolled away from and not yet fsynced, oldest first; guarded by the append lock. */
    private final List<SegmentFile> unsealed = new ArrayList<>();
    /** True when a roll renamed a spare since the directory was last fsynced; guarded by the append lock. */
    private boolean directoryDirty;
    /** The spare being prepared for the next roll (null for a read-only writer); guarded by the append lock. */
    private CompletableFuture<SegmentFile.Spare> spare;
    /** Prepares spares and seals rolled segments, off the append path. */
    private final ExecutorService background;
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
        this.background = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("journal-roll " + dir.getFileName()).factory());
        if (mark != null) {
            spare = CompletableFuture.supplyAsync(this::newSpare, background);
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

    /**
     * Starts the next segment at {@code nextLsn}, under the append lock and without an fsync when a
     * spare is ready (see the class comment); the old segment is sealed by the next group commit or by
     * the background task started here, whichever comes first.
     */
    private void roll() throws IOException {
        SegmentFile old = active;
        try {
            if (old != null) {
                old.finishAppends();
                unsealed.add(old);
            }
            SegmentFile.Spare ready = takeSpare();
            SegmentFile next;
            if (ready != null) {
                next = SegmentFile.activate(ready, Lsn.of(nextLsn), generation);
                directoryDirty = true;
            } else {
                next = SegmentFile.create(dir, Lsn.of(nextLsn), generation);
            }
            active = next;
            listener.rolled(next);
        } catch (IOException e) {
            failure = e;
            fsyncFailed = true;
            throw failed(e);
        }
        long rolledAfter = nextLsn - 1;
        try {
            background.execute(() -> {
                if (old != null) {
                    try {
                        awaitDurable(rolledAfter);
                    } catch (IOException | RuntimeException e) {
                        return; // the writer is poisoned (or closed): appends and syncs report it
                    }
                }
                replenishSpare();
            });
        } catch (RejectedExecutionException closing) {
            // The writer is closing: close() seals the unsealed segments itself.
        }
    }

    /**
     * Waits until a spare is prepared (or its preparation failed), so that the next roll runs without an
     * fsync: for tests that need rolls through a spare at a pace faster than the disk's.
     */
    void awaitSpare() throws IOException {
        CompletableFuture<SegmentFile.Spare> s;
        appendLock.lock();
        try {
            s = spare;
        } finally {
            appendLock.unlock();
        }
        if (s == null) {
            // The roll's background task is replenishing it: wait for that task by queueing behind it.
            try {
                background.submit(() -> { }).get();
            } catch (RejectedExecutionException closing) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a spare segment");
            } catch (java.util.concurrent.ExecutionException e) {
                return;
            }
            appendLock.lock();
            try {
                s = spare;
            } finally {
                appendLock.unlock();
            }
        }
        if (s != null) {
            try {
                s.handle((x, e) -> null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a spare segment");
            } catch (java.util.concurrent.ExecutionException e) {
                // handled above: never thrown
            }
        }
    }

    /** The prepared spare, or null when none is ready (then a new one is being prepared, or is started). */
    private SegmentFile.Spare takeSpare() {
        CompletableFuture<SegmentFile.Spare> s = spare;
        if (s == null || !s.isDone()) {
            return null;
        }
        spare = null;
        return s.isCompletedExceptionally() ? null : s.join();
    }

    /** Starts preparing a spare when none is prepared or being prepared (runs on the background thread). */
    private void replenishSpare() {
        appendLock.lock();
        try {
            if (spare == null && !closed && failure == null) {
                spare = CompletableFuture.supplyAsync(this::newSpare, background);
            }
        } catch (RejectedExecutionException closing) {
            // The writer is closing: no spare is needed.
        } finally {
            appendLock.unlock();
        }
    }

    private SegmentFile.Spare newSpare() {
        try {
            return SegmentFile.prepareSpare(dir);
        } catch (IOException e) {
            // Not fatal: the next roll creates its segment in place and reports any failure itself.
            throw new java.io.UncheckedIOException(e);
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
            List<SegmentFile> sealing;
            boolean rename;
            appendLock.lock();
            try {
                segment = active;
                target = nextLsn - 1;
                end = segment == null ? 0 : segment.size();
                sealing = List.copyOf(unsealed);
                rename = directoryDirty;
            } finally {
                appendLock.unlock();
            }
            if (segment != null) {
                try {
                    // A record is acknowledged only with every record before it: the segments rolled away
                    // from first, then the new names, then the active segment.
                    for (SegmentFile s : sealing) {
                        s.forceSealed();
                    }
                    if (rename) {
                        AtomicFile.fsyncDirectory(dir);
                    }
                    segment.force();
                } catch (IOException e) {
                    failure = e;
                    fsyncFailed = true;
                    throw failed(e);
                }
                appendLock.lock();
                try {
                    unsealed.removeAll(sealing);
                    if (rename) {
                        directoryDirty = false;
                    }
                } finally {
                    appendLock.unlock();
                }
                try {
                    mark.advance(segment.firstLsn().value(), end, target);
                    if (!sealing.isEmpty() || rename) {
                        mark.force(); // once per roll: the watermark names the new segment durably
                    }
                } catch (IOException e) {
                    failure = e;
                    throw failed(e);
                }
            }
            durable.accumulateAndGet(target, Math::max);
            for (SegmentFile s : sealing) {
                listener.sealed(s);
            }
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
        background.shutdown();
        try {
            if (!background.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IOException("the roll task of the journal in " + dir + " did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the journal in " + dir + " closed");
        }
        appendLock.lock();
        try {
            try {
                discardSpare();
                if (!closed && active != null && failure == null && mark != null) {
                    for (SegmentFile s : List.copyOf(unsealed)) {
                        s.forceSealed();
                        unsealed.remove(s);
                        listener.sealed(s);
                    }
                    if (directoryDirty) {
                        AtomicFile.fsyncDirectory(dir);
                        directoryDirty = false;
                    }
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

    /** Deletes a prepared spare (a leftover one would be deleted by the next recovery anyway). */
    private void discardSpare() throws IOException {
        CompletableFuture<SegmentFile.Spare> s = spare;
        spare = null;
        if (s != null && s.isDone() && !s.isCompletedExceptionally()) {
            s.join().close();
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
