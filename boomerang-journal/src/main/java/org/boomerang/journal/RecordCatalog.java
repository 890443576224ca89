package org.boomerang.journal;

import java.util.ArrayList;
import java.util.List;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.RecordRef;

/**
 * The in-memory index of every retained record: its locator by LSN, the recovery points and the
 * inconsistent windows. It is
 * rebuilt on open from the index checkpoint plus a scan of the segment tail.
 *
 * <p>Thread-safety: every method is synchronized; {@link #range} returns a copy so that callers can
 * build views without holding the lock.
 */
final class RecordCatalog {
    private final ArrayList<RecordRef> records = new ArrayList<>();
    private final ArrayList<RecoveryPoint> points = new ArrayList<>();
    /** Inconsistent windows, oldest first; they never overlap and only the last may be open. */
    private final ArrayList<InconsistentWindow> windows = new ArrayList<>();
    /** The LSN of {@code records.get(0)} when it exists; always baseLsn + 1. */
    private long firstLsn;

    RecordCatalog(Lsn baseLsn) {
        this.firstLsn = baseLsn.value() + 1;
    }

    synchronized void add(RecordRef ref) {
        long expected = firstLsn + records.size();
        if (ref.lsn() != expected) {
            throw new IllegalStateException("record LSN " + ref.lsn() + " where " + expected + " was expected");
        }
        records.add(ref);
        switch (ref.kind()) {
            case MARKER -> points.add(new RecoveryPoint(Lsn.of(ref.lsn()), ref.marker()));
            case WINDOW_OPEN -> {
                if (openWindow() == null) {
                    windows.add(new InconsistentWindow(Lsn.of(ref.lsn()), null, ref.reason()));
                }
                // else the sender started its catch-up again inside the window it opened: that window goes on
            }
            case WINDOW_CLOSE -> {
                InconsistentWindow open = openWindow();
                if (open != null) {
                    windows.set(windows.size() - 1, new InconsistentWindow(open.open(), Lsn.of(ref.lsn()), open.reason()));
                }
            }
            case WRITE, TRIM, ZERO -> {
                // data records are indexed by LSN only
            }
        }
    }

    /** The open inconsistent window, or null. */
    synchronized InconsistentWindow openWindow() {
        InconsistentWindow last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
        return last != null && last.isOpen() ? last : null;
    }

    /** Every retained inconsistent window, oldest first. */
    synchronized List<InconsistentWindow> windows() {
        return List.copyOf(windows);
    }

    /** The window holding {@code lsn}, or null when the LSN is write-order consistent. */
    synchronized InconsistentWindow windowAt(long lsn) {
        for (int i = windows.size() - 1; i >= 0; i--) {
            InconsistentWindow w = windows.get(i);
            if (w.contains(lsn)) {
                return w;
            }
            if (w.close() != null && w.close().value() < lsn) {
                return null;
            }
        }
        return null;
    }

    /**
     * The newest LSN at or before {@code through} that is retained and outside every window, or null when
     * there is none (the whole retained range up to there is inconsistent).
     */
    synchronized Lsn latestConsistent(long through) {
        long l = Math.min(through, firstLsn + records.size() - 1);
        for (int i = windows.size() - 1; i >= 0; i--) {
            if (windows.get(i).contains(l)) {
                l = windows.get(i).open().value() - 1;
            }
        }
        return l >= firstLsn - 1 ? Lsn.of(l) : null;
    }

    /** The newest LSN, or the base LSN when no record is retained. */
    synchronized Lsn lastLsn() {
        return Lsn.of(firstLsn + records.size() - 1);
    }

    synchronized Lsn baseLsn() {
        return Lsn.of(firstLsn - 1);
    }

    synchronized RecordRef get(long lsn) {
        long i = lsn - firstLsn;
        if (i < 0 || i >= records.size()) {
            throw new IllegalArgumentException("LSN " + lsn + " is not retained");
        }
        return records.get((int) i);
    }

    synchronized int size() {
        return records.size();
    }

    /** A copy of the records with LSN in {@code (after, through]}. */
    synchronized List<RecordRef> range(long after, long through) {
        long from = Math.max(after + 1, firstLsn) - firstLsn;
        long to = Math.min(through, firstLsn + records.size() - 1) - firstLsn + 1;
        if (to <= from) {
            return List.of();
        }
        return new ArrayList<>(records.subList((int) from, (int) to));
    }

    /** Every marker still retained, oldest first. */
    synchronized List<RecoveryPoint> points() {
        return List.copyOf(points);
    }

    /** The markers at or before {@code through} and outside every inconsistent window, oldest first. */
    synchronized List<RecoveryPoint> points(long through) {
        List<RecoveryPoint> out = new ArrayList<>();
        int w = 0;
        for (RecoveryPoint p : points) {
            long lsn = p.lsn().value();
            if (lsn > through) {
                break;
            }
            while (w < windows.size() && windows.get(w).close() != null && windows.get(w).close().value() < lsn) {
                w++;
            }
            if (w < windows.size() && windows.get(w).contains(lsn)) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** Forgets records up to {@code newBase} (they are in the base image now). */
    synchronized void dropThrough(Lsn newBase) {
        long n = Math.min(newBase.value() - firstLsn + 1, records.size());
        if (n <= 0) {
            return;
        }
        records.subList(0, (int) n).clear();
        firstLsn = newBase.value() + 1;
        points.removeIf(p -> p.lsn().value() <= newBase.value());
        windows.removeIf(w -> w.close() != null && w.close().value() <= newBase.value());
    }
}
