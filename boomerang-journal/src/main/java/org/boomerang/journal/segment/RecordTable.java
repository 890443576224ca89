package org.boomerang.journal.segment;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;

/**
 * The locators of one segment's records, kept compact: primitive arrays instead of one object per
 * record (21 bytes per record: kind and verified flag, position, disk offset, length). Markers and
 * window reasons, which are rare, sit in a small side map. A {@link RecordRef} is built on demand by
 * {@link #ref} and is equal in content to the one that was added.
 *
 * <p>Entries have consecutive LSNs from the first one added (which need not be the segment's first LSN:
 * records before the journal's base are not held). Trims and zeroes store their length; markers and
 * windows, which cover nothing, store their body length in the same slot.
 *
 * <p>Thread-safety: one writer (the journal's append lock, or recovery) adds; readers call {@link #ref}
 * concurrently. Synchronised on the table, so a reader sees a record only once it is wholly added.
 */
public final class RecordTable {
    private static final int INITIAL = 64;
    private static final byte VERIFIED = (byte) 0x80;
    private static final byte KIND_MASK = 0x7f;

    private final SegmentFile segment;
    private long firstLsn = -1;
    private int count;
    private byte[] kinds = new byte[INITIAL];
    private int[] positions = new int[INITIAL];
    private long[] offsets = new long[INITIAL];
    private long[] lengths = new long[INITIAL];
    /** Markers, window reasons and window closes by slot: the records that are not data. */
    private final TreeMap<Integer, Object> texts = new TreeMap<>();
    private static final Object WINDOW_CLOSE = new Object();

    /** Receives one data record of a table: a write of {@code [offset, offset + length)}, or a trim or zero. */
    @FunctionalInterface
    public interface DataConsumer {
        void accept(long lsn, RecordKind kind, long offset, long length);
    }

    RecordTable(SegmentFile segment) {
        this.segment = segment;
    }

    /** Adds the record after the last one (its LSN must follow it). */
    public synchronized void add(RecordRef ref) {
        if (ref.segment() != segment) {
            throw new IllegalArgumentException(ref + " is not in " + segment);
        }
        if (count == 0) {
            firstLsn = ref.lsn();
        } else if (ref.lsn() != firstLsn + count) {
            throw new IllegalStateException("record LSN " + ref.lsn() + " where " + (firstLsn + count) + " was expected in " + segment);
        }
        if (ref.position() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("record position " + ref.position() + " is past 2 GiB in " + segment);
        }
        if (count == kinds.length) {
            int n = count * 2;
            kinds = Arrays.copyOf(kinds, n);
            positions = Arrays.copyOf(positions, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
        }
        kinds[count] = (byte) (ref.kind().id() | (ref.verified() ? VERIFIED : 0));
        positions[count] = (int) ref.position();
        offsets[count] = ref.offset();
        lengths[count] = coversBytes(ref.kind()) ? ref.length() : ref.bodyLength();
        if (ref.marker() != null) {
            texts.put(count, ref.marker());
        } else if (ref.reason() != null) {
            texts.put(count, ref.reason());
        } else if (ref.kind() == RecordKind.WINDOW_CLOSE) {
            texts.put(count, WINDOW_CLOSE);
        }
        count++;
    }

    /** Frees the slack of the growing arrays (once the segment is sealed). */
    public synchronized void trim() {
        kinds = Arrays.copyOf(kinds, count);
        positions = Arrays.copyOf(positions, count);
        offsets = Arrays.copyOf(offsets, count);
        lengths = Arrays.copyOf(lengths, count);
    }

    /** True when the table holds {@code lsn}. */
    public synchronized boolean holds(long lsn) {
        return count > 0 && lsn >= firstLsn && lsn < firstLsn + count;
    }

    /** The locator of the record at {@code lsn}, which the table must hold. */
    public synchronized RecordRef ref(long lsn) {
        if (!holds(lsn)) {
            throw new IllegalArgumentException("LSN " + lsn + " is not held by " + segment);
        }
        int i = (int) (lsn - firstLsn);
        RecordKind kind = RecordKind.fromId(kinds[i] & KIND_MASK);
        boolean verified = (kinds[i] & VERIFIED) != 0;
        return switch (kind) {
            case WRITE -> new RecordRef(lsn, kind, segment, positions[i], SegmentFormat.WRITE_PREFIX + (int) lengths[i],
                    offsets[i], lengths[i], null, null, verified);
            case TRIM, ZERO -> new RecordRef(lsn, kind, segment, positions[i], SegmentFormat.RANGE_BODY_SIZE, offsets[i],
                    lengths[i], null, null, verified);
            case MARKER -> new RecordRef(lsn, kind, segment, positions[i], (int) lengths[i], 0, 0, (Marker) texts.get(i), null,
                    verified);
            case WINDOW_OPEN -> new RecordRef(lsn, kind, segment, positions[i], (int) lengths[i], 0, 0, null,
                    (String) texts.get(i), verified);
            case WINDOW_CLOSE -> new RecordRef(lsn, kind, segment, positions[i], (int) lengths[i], 0, 0, null, null, verified);
        };
    }

    /** Calls {@code consumer} for each write, trim and zero record with LSN in {@code (after, through]}, in order. */
    public synchronized void forEachData(long after, long through, DataConsumer consumer) {
        long from = Math.max(after + 1, firstLsn);
        long to = Math.min(through, firstLsn + count - 1);
        for (long lsn = from; lsn <= to; lsn++) {
            int i = (int) (lsn - firstLsn);
            RecordKind kind = RecordKind.fromId(kinds[i] & KIND_MASK);
            if (coversBytes(kind)) {
                consumer.accept(lsn, kind, offsets[i], lengths[i]);
            }
        }
    }

    /** The markers and window records with LSN in {@code (after, through]}, in order (they are few). */
    public synchronized java.util.List<RecordRef> nonData(long after, long through) {
        java.util.List<RecordRef> out = new java.util.ArrayList<>();
        if (count == 0) {
            return out;
        }
        long from = Math.max(after + 1, firstLsn);
        long to = Math.min(through, firstLsn + count - 1);
        if (to < from) {
            return out;
        }
        for (Map.Entry<Integer, Object> e : texts.subMap((int) (from - firstLsn), true, (int) (to - firstLsn), true).entrySet()) {
            out.add(ref(firstLsn + e.getKey()));
        }
        return out;
    }

    /** Records that the record at {@code lsn} passed its checksum, so later reads skip the check. */
    synchronized void markVerified(long lsn) {
        if (holds(lsn)) {
            kinds[(int) (lsn - firstLsn)] |= VERIFIED;
        }
    }

    /** The number of records held. */
    public synchronized int size() {
        return count;
    }

    /** Bytes of heap the arrays take (for measurements). */
    public synchronized long heapBytes() {
        return kinds.length + 4L * positions.length + 8L * offsets.length + 8L * lengths.length;
    }

    private static boolean coversBytes(RecordKind kind) {
        return switch (kind) {
            case WRITE, TRIM, ZERO -> true;
            case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> false;
        };
    }
}
