package org.boomerang.common;

/**
 * A log sequence number: the position of one record in a disk's change stream and journal.
 * LSNs start at 1 and grow by one per record; {@link #NONE} (0) means "before any record".
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn NONE = new Lsn(0);

    public Lsn {
        if (value < 0) {
            throw new IllegalArgumentException("LSN must not be negative: " + value);
        }
    }

    public static Lsn of(long value) {
        return new Lsn(value);
    }

    public Lsn next() {
        return new Lsn(value + 1);
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "lsn:" + value;
    }
}
