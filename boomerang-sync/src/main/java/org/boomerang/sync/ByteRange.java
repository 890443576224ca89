package org.boomerang.sync;

/** A range of bytes of a disk: {@code [offset, offset + length)}. */
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
