package org.boomerang.blockdev;

/** A range of a disk's bytes, {@code [offset, offset + length)}, never empty: what the journal and sync report as changed or differing. */
public record ByteRange(long offset, long length) {
    public ByteRange {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad range offset=" + offset + " length=" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
