package org.boomerang.journal;

import java.util.ArrayList;
import java.util.List;
import org.boomerang.common.Lsn;
import org.boomerang.journal.segment.RecordRef;

/**
 * The in-memory index of every retained record: its locator by LSN, and the recovery points. It is
 * rebuilt on open from the index checkpoint plus a scan of the segment tail.
 *
 * <p>Thread-safety: every method is synchronized; {@link #range} returns a copy so that callers can
 * build views without holding the lock.
 */
final class RecordCatalog {
    private final ArrayList<RecordRef> records = new ArrayList<>();
    private final ArrayList<RecoveryPoint> points = new ArrayList<>();
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
        if (ref.marker() != null) {
            points.add(new RecoveryPoint(Lsn.of(ref.lsn()), ref.marker()));
        }
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

    /** Forgets records up to {@code newBase} (they are in the base image now). */
    synchronized void dropThrough(Lsn newBase) {
        long n = Math.min(newBase.value() - firstLsn + 1, records.size());
        if (n <= 0) {
            return;
        }
        records.subList(0, (int) n).clear();
        firstLsn = newBase.value() + 1;
        points.removeIf(p -> p.lsn().value() <= newBase.value());
    }
}
