package org.boomerang.journal.segment;

import static java.util.Objects.requireNonNull;

import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;

/**
 * Where one record lives and what it covers, without its payload: the journal's in-memory index
 * entry. For writes {@code offset}/{@code length} are the disk range of the payload; for trims and
 * zeroes the range; markers cover nothing and carry their {@link Marker}; window-open records carry
 * their reason.
 *
 * <p>Immutable except for the verified flag, which records that the record's checksum was checked
 * against the bytes on disk (so a corrupt record is never served).
 */
public final class RecordRef {
    private final long lsn;
    private final RecordKind kind;
    private final SegmentFile segment;
    private final long position;
    private final int bodyLength;
    private final long offset;
    private final long length;
    private final Marker marker;
    private final String reason;
    private volatile boolean verified;

    public RecordRef(long lsn, RecordKind kind, SegmentFile segment, long position, int bodyLength,
            long offset, long length, Marker marker, String reason, boolean verified) {
        this.lsn = lsn;
        this.kind = requireNonNull(kind, "kind is null");
        this.segment = requireNonNull(segment, "segment is null");
        this.position = position;
        this.bodyLength = bodyLength;
        this.offset = offset;
        this.length = length;
        this.marker = marker;
        this.reason = reason;
        this.verified = verified;
        if (kind == RecordKind.MARKER && marker == null) {
            throw new IllegalArgumentException("a marker record needs its marker");
        }
        if (kind == RecordKind.WINDOW_OPEN && reason == null) {
            throw new IllegalArgumentException("a window-open record needs its reason");
        }
    }

    public long lsn() {
        return lsn;
    }

    public RecordKind kind() {
        return kind;
    }

    public SegmentFile segment() {
        return segment;
    }

    /** The file position of the record's first byte (its crc field). */
    public long position() {
        return position;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** The position just after the record. */
    public long end() {
        return position + SegmentFormat.RECORD_HEADER_SIZE + bodyLength;
    }

    /** The file position of a write's first payload byte. */
    public long payloadPosition() {
        return position + SegmentFormat.RECORD_HEADER_SIZE + SegmentFormat.WRITE_PREFIX;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    public long diskEnd() {
        return offset + length;
    }

    /** The marker of a marker record; null for other kinds. */
    public Marker marker() {
        return marker;
    }

    /** The reason of a window-open record; null for other kinds. */
    public String reason() {
        return reason;
    }

    public boolean verified() {
        return verified;
    }

    void markVerified() {
        verified = true;
    }

    @Override
    public String toString() {
        return "RecordRef[lsn=" + lsn + " " + kind + " segment=" + segment.name() + " position=" + position + "]";
    }
}
