package org.boomerang.blockdev;

/**
 * A run of bytes with one allocation state, as reported by {@link BlockDevice#allocation}.
 *
 * @param hole true when the range is not allocated (reads as zeroes and takes no space)
 * @param zero true when the range is known to read as zeroes (always true for a hole)
 */
public record Extent(long offset, long length, boolean hole, boolean zero) {
    public Extent {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad extent offset=" + offset + " length=" + length);
        }
        if (hole && !zero) {
            throw new IllegalArgumentException("a hole always reads as zeroes");
        }
    }

    public static Extent data(long offset, long length) {
        return new Extent(offset, length, false, false);
    }

    public static Extent hole(long offset, long length) {
        return new Extent(offset, length, true, true);
    }

    public long end() {
        return offset + length;
    }
}
