package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import org.boomerang.journal.Marker;

/**
 * One change of a protected disk as the agent captured it, in the disk's LSN order: the unit that
 * travels agent → process server → master target and becomes exactly one journal record there.
 *
 * <p>Contract: LSNs of one {@link ChangeFeed} are consecutive (no gaps) from the position the feed was
 * {@linkplain ChangeFeed#resume resumed} at; a {@link Write} carries at most {@link #MAX_WRITE_BYTES}
 * (larger guest writes are split into consecutive LSNs), so every change maps to one journal record
 * and the journal's LSN of it equals {@link #lsn()}. Inside an inconsistent window (between
 * {@link WindowOpen} and {@link WindowClose}) the replica is not write-order consistent and no
 * recovery point may be offered; {@link Mark}s never appear inside one.
 */
public sealed interface CapturedChange {
    /** The largest payload of one {@link Write}: one frame on the wire, one journal record. */
    int MAX_WRITE_BYTES = 1 << 20;

    /** The disk's log sequence number of this change. */
    long lsn();

    /** Guest data written at {@code offset}; {@code data} is read-only from its position to its limit. */
    record Write(long lsn, long offset, ByteBuffer data) implements CapturedChange {
        public Write {
            requireNonNull(data, "data is null");
            if (offset < 0 || !data.hasRemaining() || data.remaining() > MAX_WRITE_BYTES) {
                throw new IllegalArgumentException("write offset=" + offset + " length=" + data.remaining()
                        + " must have 1.." + MAX_WRITE_BYTES + " bytes at a non-negative offset");
            }
        }
    }

    /** The range was trimmed (reads as zeroes). */
    record Trim(long lsn, long offset, long length) implements CapturedChange {}

    /** The range was zeroed. */
    record Zero(long lsn, long offset, long length) implements CapturedChange {}

    /** A recovery point: a crash-, app- or group-consistent marker at this position of the stream. */
    record Mark(long lsn, Marker marker) implements CapturedChange {
        public Mark {
            requireNonNull(marker, "marker is null");
        }
    }

    /**
     * From here the replica is not write-order consistent: a catch-up from the dirty map (after a queue
     * overflow or an agent restart, or an initial copy) sends current data out of order.
     */
    record WindowOpen(long lsn, String reason) implements CapturedChange {
        public WindowOpen {
            requireNonNull(reason, "reason is null");
        }
    }

    /** The catch-up is complete: the replica equals the source as of this LSN, consistent again. */
    record WindowClose(long lsn) implements CapturedChange {}
}
