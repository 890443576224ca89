package org.boomerang.journal.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;

/**
 * Reads the records of one segment from a position, checking framing, LSN continuity and checksums,
 * and classifies how the segment ends.
 *
 * <p>Rules (SPEC §2.3), when the durability watermark is known: a record that fails a check is
 * <em>corrupt</em> before the watermark and <em>torn</em> at or after it. Without a watermark (older
 * journals): a record that fails a check is <em>torn</em> when nothing valid follows it
 * (the file ends inside it, or only garbage follows; this is the last write of a crash) and
 * <em>corrupt</em> when a valid record follows it anywhere later in the segment. Only the last segment
 * may end torn; the caller decides that. A corrupt record throws
 * {@link org.boomerang.journal.JournalError#CORRUPT_RECORD} naming segment and offset.
 *
 * <p>Thread-safety: one scan per instance; not shared.
 */
public final class SegmentScanner {
    /** How far past the expected LSN a candidate record may claim to be when searching for a valid successor. */
    private static final long LSN_SEARCH_WINDOW = 1L << 16;

    /** How a scan ended. */
    public enum Tail {
        /** Every byte up to the end of the file is a valid record. */
        CLEAN,
        /** A damaged record with nothing valid after it starts at {@link Result#validEnd()}. */
        TORN
    }

    /** The records found, where valid content ends, and how the segment ends. */
    public record Result(List<RecordRef> records, long validEnd, Tail tail, String tornReason) {}

    private SegmentScanner() {}

    /** Every damaged record is corruption (a sealed segment, wholly durable). */
    public static final long ALL_DURABLE = Long.MAX_VALUE;
    /** No durability watermark is known (a journal written before it existed): the look-ahead rule above decides. */
    public static final long NO_WATERMARK = -1;

    /**
     * Scans {@code segment} from {@code from} (a record boundary) expecting {@code expectedLsn} as the
     * first LSN there. {@code durableBefore} is the file position before which every byte is known
     * durable (the durability watermark, {@link DurableMark}): a bad record before it is corruption; a bad
     * record at or after it is a torn tail whatever follows it (a power loss writes unsynced pages back in
     * any order). {@link #NO_WATERMARK} keeps the look-ahead rule.
     */
    public static Result scan(SegmentFile segment, long from, long expectedLsn, long durableBefore) throws IOException {
        ByteBuffer map = segment.mapFrom(from);
        List<RecordRef> records = new ArrayList<>();
        long lsn = expectedLsn;
        int pos = 0;
        while (pos < map.limit()) {
            String problem = check(map, pos, lsn);
            if (problem != null) {
                if (durableBefore >= 0 ? from + pos < durableBefore : validRecordAfter(map, pos, lsn)) {
                    throw JournalException.corruptRecord(segment.name(), from + pos, problem);
                }
                return new Result(records, from + pos, Tail.TORN, problem);
            }
            records.add(decode(segment, map, pos, from));
            pos += SegmentFormat.RECORD_HEADER_SIZE + map.getInt(pos + 16);
            lsn++;
        }
        return new Result(records, from + pos, Tail.CLEAN, "");
    }

    /** Null when a complete, valid record with {@code lsn} starts at {@code pos}; otherwise why not. */
    private static String check(ByteBuffer map, int pos, long lsn) {
        int remaining = map.limit() - pos;
        if (remaining < SegmentFormat.RECORD_HEADER_SIZE) {
            return "the file ends inside a record header";
        }
        String framing = framing(map, pos);
        if (framing != null) {
            return framing;
        }
        int body = map.getInt(pos + 16);
        if (remaining - SegmentFormat.RECORD_HEADER_SIZE < body) {
            return "the file ends inside a record body";
        }
        if (!checksumMatches(map, pos, body)) {
            return "checksum mismatch";
        }
        if (map.getLong(pos + 8) != lsn) {
            return "LSN " + map.getLong(pos + 8) + " where " + lsn + " was expected";
        }
        return null;
    }

    private static String framing(ByteBuffer map, int pos) {
        RecordKind kind = RecordKind.fromId(map.get(pos + 4) & 0xff);
        if (kind == null) {
            return "unknown record kind " + (map.get(pos + 4) & 0xff);
        }
        if (map.get(pos + 5) != 0 || map.getShort(pos + 6) != 0) {
            return "reserved bytes are not zero";
        }
        int body = map.getInt(pos + 16);
        boolean ok = switch (kind) {
            case WRITE -> body > SegmentFormat.WRITE_PREFIX && body <= SegmentFormat.MAX_BODY;
            case TRIM, ZERO -> body == SegmentFormat.RANGE_BODY_SIZE;
            case MARKER -> body >= 1 + 8 + 6 && body <= 1 + 8 + 6 + 3 * Marker.MAX_TEXT_BYTES;
            case WINDOW_OPEN -> body >= 2 && body <= 2 + Marker.MAX_TEXT_BYTES;
            case WINDOW_CLOSE -> body == 0;
        };
        return ok ? null : "body length " + body + " is impossible for a " + kind + " record";
    }

    private static boolean checksumMatches(ByteBuffer map, int pos, int body) {
        int actual = SegmentFormat.checksum(map.slice(pos + 4, SegmentFormat.RECORD_HEADER_SIZE - 4),
                map.slice(pos + SegmentFormat.RECORD_HEADER_SIZE, body));
        return map.getInt(pos) == actual;
    }

    /**
     * True when a complete record with a checksum that matches and an LSN at or after {@code lsn} starts
     * anywhere after {@code bad}. Cheap framing checks run first, so garbage is skipped quickly.
     */
    private static boolean validRecordAfter(ByteBuffer map, int bad, long lsn) {
        int last = map.limit() - SegmentFormat.RECORD_HEADER_SIZE;
        for (int p = bad + 1; p <= last; p++) {
            if (RecordKind.fromId(map.get(p + 4) & 0xff) == null || map.get(p + 5) != 0 || map.getShort(p + 6) != 0) {
                continue;
            }
            long candidate = map.getLong(p + 8);
            if (candidate < lsn || candidate - lsn > LSN_SEARCH_WINDOW || framing(map, p) != null) {
                continue;
            }
            int body = map.getInt(p + 16);
            if (map.limit() - p - SegmentFormat.RECORD_HEADER_SIZE >= body && checksumMatches(map, p, body)) {
                return true;
            }
        }
        return false;
    }

    private static RecordRef decode(SegmentFile segment, ByteBuffer map, int pos, long from) {
        RecordKind kind = RecordKind.fromId(map.get(pos + 4) & 0xff);
        long lsn = map.getLong(pos + 8);
        int body = map.getInt(pos + 16);
        int b = pos + SegmentFormat.RECORD_HEADER_SIZE;
        long position = from + pos;
        return switch (kind) {
            case WRITE -> new RecordRef(lsn, kind, segment, position, body, map.getLong(b),
                    body - SegmentFormat.WRITE_PREFIX, null, null, true);
            case TRIM, ZERO -> new RecordRef(lsn, kind, segment, position, body, map.getLong(b), map.getLong(b + 8), null,
                    null, true);
            case MARKER -> {
                Marker marker = SegmentFormat.decodeMarker(map.slice(b, body));
                if (marker == null) {
                    throw JournalException.corruptRecord(segment.name(), position, "the marker body is malformed");
                }
                yield new RecordRef(lsn, kind, segment, position, body, 0, 0, marker, null, true);
            }
            case WINDOW_OPEN -> {
                String reason = SegmentFormat.decodeReason(map.slice(b, body));
                if (reason == null) {
                    throw JournalException.corruptRecord(segment.name(), position, "the window-open body is malformed");
                }
                yield new RecordRef(lsn, kind, segment, position, body, 0, 0, null, reason, true);
            }
            case WINDOW_CLOSE -> new RecordRef(lsn, kind, segment, position, body, 0, 0, null, null, true);
        };
    }
}
