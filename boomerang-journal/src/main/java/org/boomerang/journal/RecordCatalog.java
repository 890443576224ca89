package org.boomerang.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.RecordRange;
import org.boomerang.journal.segment.RecordRef;
import org.boomerang.journal.segment.SegmentFile;

/**
 * The in-memory index of every retained record: its locator by LSN, the recovery points and the
 * inconsistent windows. The locators themselves live compactly in each segment's
 * {@link org.boomerang.journal.segment.RecordTable} (about 21 bytes per record, no object per record);
 * the catalog keeps the retained LSN range, the points and the windows. It is rebuilt on open from the
 * segment indexes plus a scan of what they do not cover.
 *
 * <p>Thread-safety: every method is synchronized; {@link #range} returns a list that builds locators on
 * demand, so that callers can build views without holding the lock.
 */
final class RecordCatalog {
    private final NavigableMap<Long, SegmentFile> segments;
    private final ArrayList<RecoveryPoint> points = new ArrayList<>();
    /** Inconsistent windows, oldest first; they never overlap and only the last may be open. */
    private final ArrayList<InconsistentWindow> windows = new ArrayList<>();
    /** The first retained LSN; always baseLsn + 1. */
    private long firstLsn;
    /** The number of retained records. */
    private long count;

    /** An empty catalog after {@code baseLsn}, whose locators are in the tables of {@code segments}. */
    RecordCatalog(Lsn baseLsn, NavigableMap<Long, SegmentFile> segments) {
        this.firstLsn = baseLsn.value() + 1;
        this.segments = segments;
    }

    /** Appends a record: its locator goes into its segment's table. */
    synchronized void add(RecordRef ref) {
        checkNext(ref);
        ref.segment().records().add(ref);
        adopted(ref);
    }

    /**
     * Takes every record through {@code lastLsn}, whose locators recovery already put into the segments'
     * tables: it counts them and notes the points and windows, reading only the (few) marker and window
     * records, never one object per data record.
     */
    synchronized void adoptThrough(long lastLsn) {
        long after = firstLsn - 1 + count;
        for (SegmentFile segment : segments.values()) {
            for (RecordRef ref : segment.records().nonData(after, lastLsn)) {
                count = ref.lsn() - firstLsn;
                adopted(ref);
            }
        }
        count = Math.max(count, lastLsn - firstLsn + 1);
    }

    private void checkNext(RecordRef ref) {
        long expected = firstLsn + count;
        if (ref.lsn() != expected) {
            throw new IllegalStateException("record LSN " + ref.lsn() + " where " + expected + " was expected");
        }
    }

    private void adopted(RecordRef ref) {
        count++;
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
        long l = Math.min(through, firstLsn + count - 1);
        for (int i = windows.size() - 1; i >= 0; i--) {
            if (windows.get(i).contains(l)) {
                l = windows.get(i).open().value() - 1;
            }
        }
        return l >= firstLsn - 1 ? Lsn.of(l) : null;
    }

    /** The newest LSN, or the base LSN when no record is retained. */
    synchronized Lsn lastLsn() {
        return Lsn.of(firstLsn + count - 1);
    }

    synchronized Lsn baseLsn() {
        return Lsn.of(firstLsn - 1);
    }

    synchronized RecordRef get(long lsn) {
        long i = lsn - firstLsn;
        if (i < 0 || i >= count) {
            throw new IllegalArgumentException("LSN " + lsn + " is not retained");
        }
        return RecordRange.ref(segments, lsn);
    }

    synchronized long size() {
        return count;
    }

    /**
     * The records with LSN in {@code (after, through]} that are retained now, as a list that builds each
     * locator when it is read (it holds none).
     */
    synchronized List<RecordRef> range(long after, long through) {
        long from = Math.max(after, firstLsn - 1);
        long to = Math.min(through, firstLsn + count - 1);
        return to <= from ? List.of() : new RecordRange(segments, from, to);
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
        long n = Math.min(newBase.value() - firstLsn + 1, count);
        if (n <= 0) {
            return;
        }
        count -= n;
        firstLsn = newBase.value() + 1;
        points.removeIf(p -> p.lsn().value() <= newBase.value());
        windows.removeIf(w -> w.close() != null && w.close().value() <= newBase.value());
    }
}
