package org.boomerang.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.boomerang.journal.segment.RecordRef;

/**
 * Where each byte of a disk comes from at one LSN: non-overlapping pieces that each name the write
 * record holding the bytes (by LSN), or zeroes (trimmed or zeroed ranges). Bytes not covered by any piece
 * come from the base image. Built by replaying record locators in LSN order, never by reading the disk,
 * so its cost grows with the journal and not with the disk size.
 *
 * <p>Layout: the pieces, sorted by start, in leaves of primitive arrays (start, end, source LSN: 24
 * bytes a piece, no object per piece), found by a binary search over the leaves' first starts. A
 * {@link #copy()} shares the leaves (copy on write: a map clones a shared leaf before changing it), so
 * copying the live map for a view at the newest LSN costs a reference per leaf, not the pieces. A piece
 * names its record by LSN only; the reader resolves the LSN to a locator ({@link RecordRef}) when it
 * reads, so the map holds no locator.
 *
 * <p>Thread-safety: every method synchronises on the map, so the journal's live map can be read while
 * records are applied to it.
 */
final class ExtentMap {
    /** The source LSN of a piece of zeroes. */
    static final long ZEROES = -1;
    /** Pieces per leaf; a full leaf splits in two (or, at the end of the map, starts a new leaf). */
    private static final int LEAF = 512;

    /** Where a part of a queried range comes from. */
    enum Source {
        /** The base image. */
        BASE,
        /** Zeroes: a trim or zeroing covers it. */
        ZEROES,
        /** The payload of the write record at {@link Part#lsn()}. */
        RECORD
    }

    /** A part of a queried range: {@code [start, end)} from {@code source}; {@code lsn} names the record for RECORD. */
    record Part(long start, long end, Source source, long lsn) {}

    /** Receives the parts of a queried range in order. */
    @FunctionalInterface
    interface PartConsumer {
        void accept(long start, long end, Source source, long lsn) throws IOException;
    }

    private static final class Leaf {
        long[] starts;
        long[] ends;
        long[] lsns;
        int n;
        /** The map that may change this leaf in place; null once a copy shares it (then each map clones it first). */
        ExtentMap owner;

        Leaf(int capacity) {
            starts = new long[capacity];
            ends = new long[capacity];
            lsns = new long[capacity];
        }

        Leaf copy(ExtentMap newOwner) {
            Leaf c = new Leaf(0);
            c.starts = Arrays.copyOf(starts, starts.length);
            c.ends = Arrays.copyOf(ends, ends.length);
            c.lsns = Arrays.copyOf(lsns, lsns.length);
            c.n = n;
            c.owner = newOwner;
            return c;
        }

        void ensureCapacity() {
            if (n == starts.length) {
                int cap = Math.max(8, Math.min(LEAF, n * 2));
                starts = Arrays.copyOf(starts, cap);
                ends = Arrays.copyOf(ends, cap);
                lsns = Arrays.copyOf(lsns, cap);
            }
        }

        /** The first slot whose start is greater than {@code key} (n when none). */
        int upper(long key) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] <= key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The first slot whose start is at least {@code key} (n when none). */
        int lower(long key) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        void insert(int slot, long start, long end, long lsn) {
            ensureCapacity();
            System.arraycopy(starts, slot, starts, slot + 1, n - slot);
            System.arraycopy(ends, slot, ends, slot + 1, n - slot);
            System.arraycopy(lsns, slot, lsns, slot + 1, n - slot);
            starts[slot] = start;
            ends[slot] = end;
            lsns[slot] = lsn;
            n++;
        }

        void remove(int from, int to) {
            System.arraycopy(starts, to, starts, from, n - to);
            System.arraycopy(ends, to, ends, from, n - to);
            System.arraycopy(lsns, to, lsns, from, n - to);
            n -= to - from;
        }
    }

    private final ArrayList<Leaf> leaves;
    private long pieces;
    /** The LSN of the last record applied, or -1. */
    private long appliedThrough = -1;

    ExtentMap() {
        this.leaves = new ArrayList<>();
    }

    private ExtentMap(ArrayList<Leaf> leaves, long pieces, long appliedThrough) {
        this.leaves = leaves;
        this.pieces = pieces;
        this.appliedThrough = appliedThrough;
    }

    /** The LSN of the last record applied, or -1 when none was. */
    synchronized long appliedThrough() {
        return appliedThrough;
    }

    /** A copy sharing this map's leaves (copy on write), made in time proportional to the leaves. */
    synchronized ExtentMap copy() {
        for (Leaf l : leaves) {
            l.owner = null;
        }
        return new ExtentMap(new ArrayList<>(leaves), pieces, appliedThrough);
    }

    /** The leaf at {@code li}, cloned first when another map shares it. */
    private Leaf writable(int li) {
        Leaf leaf = leaves.get(li);
        if (leaf.owner != this) {
            leaf = leaf.copy(this);
            leaves.set(li, leaf);
        }
        return leaf;
    }

    synchronized int pieceCount() {
        return (int) Math.min(Integer.MAX_VALUE, pieces);
    }

    /** Bytes of heap the pieces take (for measurements). */
    synchronized long heapBytes() {
        long b = 0;
        for (Leaf l : leaves) {
            b += 24L * l.starts.length;
        }
        return b;
    }

    /** Applies every data record of {@code table} with LSN in {@code (after, through]}, without a locator object per record. */
    synchronized void applyAll(org.boomerang.journal.segment.RecordTable table, long after, long through) {
        table.forEachData(after, through, (lsn, kind, offset, length) -> {
            switch (kind) {
                case WRITE -> put(offset, offset + length, lsn);
                case TRIM, ZERO -> put(offset, offset + length, ZEROES);
                case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> {
                    // forEachData gives data records only
                }
            }
        });
    }

    /**
     * Removes the pieces of records up to {@code lsn} (retention folded them into the base image, which now
     * holds their bytes). Pieces of zeroes stay: zeroes are right whichever record made them.
     */
    synchronized void dropThrough(long lsn) {
        for (int li = leaves.size() - 1; li >= 0; li--) {
            Leaf leaf = leaves.get(li);
            boolean any = false;
            for (int k = 0; k < leaf.n && !any; k++) {
                any = leaf.lsns[k] != ZEROES && leaf.lsns[k] <= lsn;
            }
            if (!any) {
                continue;
            }
            leaf = writable(li);
            int kept = 0;
            for (int k = 0; k < leaf.n; k++) {
                if (leaf.lsns[k] == ZEROES || leaf.lsns[k] > lsn) {
                    leaf.starts[kept] = leaf.starts[k];
                    leaf.ends[kept] = leaf.ends[k];
                    leaf.lsns[kept] = leaf.lsns[k];
                    kept++;
                }
            }
            pieces -= leaf.n - kept;
            leaf.n = kept;
            if (kept == 0) {
                leaves.remove(li);
            }
        }
    }

    /** Notes that every record through {@code lsn} is applied (after {@link #applyAll} of each table). */
    synchronized void appliedThrough(long lsn) {
        appliedThrough = lsn;
    }

    /** Applies one data record: writes point at it, trims and zeroes make zeroes; markers change nothing. */
    synchronized void apply(RecordRef ref) {
        appliedThrough = ref.lsn();
        switch (ref.kind()) {
            case WRITE -> put(ref.offset(), ref.diskEnd(), ref.lsn());
            case TRIM, ZERO -> put(ref.offset(), ref.diskEnd(), ZEROES);
            case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> {
                // markers and window bounds change no bytes
            }
        }
    }

    /** The index of the last leaf whose first start is at most {@code key}, or 0. */
    private int leafFor(long key) {
        int lo = 0;
        int hi = leaves.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (leaves.get(mid).starts[0] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Maps {@code [start, end)} to the record at {@code lsn}, or to zeroes when {@code lsn} is {@link #ZEROES}. */
    synchronized void put(long start, long end, long lsn) {
        if (start >= end) {
            return;
        }
        if (!leaves.isEmpty()) {
            cutBefore(start, end);
            removeFrom(start, end);
        }
        insert(start, end, lsn);
    }

    /** Cuts the piece that starts before {@code start} and reaches into {@code [start, end)}, if any. */
    private void cutBefore(long start, long end) {
        int li = leafFor(start - 1);
        Leaf leaf = leaves.get(li);
        int k = leaf.lower(start) - 1;
        if (k < 0 || leaf.ends[k] <= start) {
            return;
        }
        leaf = writable(li);
        long oldEnd = leaf.ends[k];
        long lsn = leaf.lsns[k];
        leaf.ends[k] = start;
        if (oldEnd > end) {
            insert(end, oldEnd, lsn); // the old piece continues after the new one
        }
    }

    /** Removes the pieces starting in {@code [start, end)}; one reaching past {@code end} keeps its tail. */
    private void removeFrom(long start, long end) {
        int li = leafFor(start);
        while (li < leaves.size()) {
            Leaf leaf = leaves.get(li);
            int a = leaf.lower(start);
            int b = leaf.lower(end);
            // Every piece from a on starts before end: the next leaf may hold more of them.
            boolean reachesNext = b == leaf.n;
            if (a < b) {
                leaf = writable(li);
            }
            if (a < b && leaf.ends[b - 1] > end) {
                leaf.starts[b - 1] = end; // the last one reaches past the new piece: keep its tail
                b--;
                reachesNext = false;
            }
            if (a < b) {
                leaf.remove(a, b);
                pieces -= b - a;
            }
            if (leaf.n == 0) {
                leaves.remove(li);
            } else {
                li++;
            }
            if (!reachesNext) {
                return;
            }
        }
    }

    private void insert(long start, long end, long lsn) {
        if (leaves.isEmpty()) {
            leaves.add(newLeaf(8));
        }
        int li = leafFor(start);
        Leaf leaf = writable(li);
        int slot = leaf.upper(start);
        if (leaf.n == LEAF) {
            if (slot == LEAF && li == leaves.size() - 1) {
                // Appending past the end (sequential writes): a new leaf keeps the full one full.
                Leaf next = newLeaf(8);
                next.insert(0, start, end, lsn);
                leaves.add(next);
                pieces++;
                return;
            }
            Leaf right = newLeaf(LEAF);
            int half = LEAF / 2;
            System.arraycopy(leaf.starts, half, right.starts, 0, LEAF - half);
            System.arraycopy(leaf.ends, half, right.ends, 0, LEAF - half);
            System.arraycopy(leaf.lsns, half, right.lsns, 0, LEAF - half);
            right.n = LEAF - half;
            leaf.n = half;
            leaves.add(li + 1, right);
            if (slot > half) {
                leaf = right;
                slot -= half;
            }
        }
        leaf.insert(slot, start, end, lsn);
        pieces++;
    }

    private Leaf newLeaf(int capacity) {
        Leaf leaf = new Leaf(capacity);
        leaf.owner = this;
        return leaf;
    }

    /** The parts covering {@code [start, end)} exactly, in order, as a snapshot. */
    synchronized List<Part> parts(long start, long end) {
        List<Part> out = new ArrayList<>();
        try {
            forEach(start, end, (s, e, source, lsn) -> out.add(new Part(s, e, source, lsn)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Replaces the whole content with {@code other}'s (after retention moved the base). */
    void replaceWith(ExtentMap other) {
        ExtentMap copy = other.copy();
        synchronized (this) {
            leaves.clear();
            leaves.addAll(copy.leaves);
            pieces = copy.pieces;
            appliedThrough = copy.appliedThrough;
        }
    }

    /** Calls {@code consumer} for consecutive parts covering {@code [start, end)} exactly. */
    synchronized void forEach(long start, long end, PartConsumer consumer) throws IOException {
        long pos = start;
        int li = leaves.isEmpty() ? 0 : leafFor(start);
        int k = 0;
        if (li < leaves.size()) {
            Leaf leaf = leaves.get(li);
            k = Math.max(0, leaf.upper(start) - 1);
            if (k < leaf.n && leaf.ends[k] <= start) {
                k++;
            }
        }
        while (pos < end) {
            while (li < leaves.size() && k >= leaves.get(li).n) {
                li++;
                k = 0;
            }
            if (li >= leaves.size() || leaves.get(li).starts[k] >= end) {
                consumer.accept(pos, end, Source.BASE, 0);
                return;
            }
            Leaf leaf = leaves.get(li);
            long pStart = leaf.starts[k];
            if (pStart > pos) {
                consumer.accept(pos, pStart, Source.BASE, 0);
                pos = pStart;
            }
            long partEnd = Math.min(leaf.ends[k], end);
            long lsn = leaf.lsns[k];
            consumer.accept(pos, partEnd, lsn == ZEROES ? Source.ZEROES : Source.RECORD, lsn);
            pos = partEnd;
            k++;
        }
    }
}
