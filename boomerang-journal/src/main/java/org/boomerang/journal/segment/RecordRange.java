package org.boomerang.journal.segment;

import java.util.AbstractList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.RandomAccess;

/**
 * The records with LSNs in {@code (after, through]} as a list, without holding them: each element is
 * built on demand from its segment's {@link RecordTable}, so a range of a hundred million records costs
 * no heap until it is read. Iterating it in order walks the segments once.
 *
 * <p>Thread-safety: as safe as the segments map it reads; the caller keeps the segments in the range
 * open (the journal's retention never deletes a segment an open view or a running operation reads).
 */
public final class RecordRange extends AbstractList<RecordRef> implements RandomAccess {
    private final NavigableMap<Long, SegmentFile> segments;
    private final long after;
    private final int size;

    /** The records {@code (after, through]} of {@code segments}; empty when {@code through <= after}. */
    public RecordRange(NavigableMap<Long, SegmentFile> segments, long after, long through) {
        this.segments = segments;
        this.after = after;
        long n = Math.max(0, through - after);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a range of " + n + " records is too long for one list; take it in parts");
        }
        this.size = (int) n;
    }

    @Override
    public RecordRef get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return ref(segments, after + 1 + index);
    }

    @Override
    public int size() {
        return size;
    }

    /** The record at {@code lsn}, from the segment that holds it. */
    public static RecordRef ref(NavigableMap<Long, SegmentFile> segments, long lsn) {
        Map.Entry<Long, SegmentFile> e = segments.floorEntry(lsn);
        if (e == null || !e.getValue().records().holds(lsn)) {
            throw new IllegalArgumentException("LSN " + lsn + " is in no open segment");
        }
        return e.getValue().records().ref(lsn);
    }
}
