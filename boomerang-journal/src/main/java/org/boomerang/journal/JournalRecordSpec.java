package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import org.boomerang.journal.segment.SegmentFormat;

/**
 * One journal record as a sender describes it, before it has an LSN: what {@link Journal#appendAt}
 * appends. The kinds map one to one onto the records of {@link SegmentFormat}, so a change stream can
 * carry a journal's records and the receiving journal holds the same records at the same LSNs.
 */
public sealed interface JournalRecordSpec {
    /** Data at {@code offset}; {@code data} holds 1 to {@link SegmentFormat#MAX_PAYLOAD} bytes (its position is not moved). */
    record Write(long offset, ByteBuffer data) implements JournalRecordSpec {
        public Write {
            requireNonNull(data, "data is null");
        }
    }

    /** A range the disk no longer needs (reads as zeroes). */
    record Trim(long offset, long length) implements JournalRecordSpec {}

    /** A range explicitly zeroed. */
    record Zero(long offset, long length) implements JournalRecordSpec {}

    /** A recovery point with its id and time as the source took it. */
    record MarkerRecord(Marker marker) implements JournalRecordSpec {
        public MarkerRecord {
            requireNonNull(marker, "marker is null");
        }
    }

    /** Opens an inconsistent window (see {@link Journal#appendWindowOpen}). */
    record WindowOpen(String reason) implements JournalRecordSpec {
        public WindowOpen {
            requireNonNull(reason, "reason is null");
        }
    }

    /** Closes the open inconsistent window. */
    record WindowClose() implements JournalRecordSpec {}
}
