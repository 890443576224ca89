package org.boomerang.journal.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;

/**
 * The owner of the journal segment file format: the grammar below is normative; every byte a
 * segment holds is written and checked here.
 *
 * <h2>Segment file, version 1 (all integers big-endian)</h2>
 * <pre>
 * segment   := header record*
 * header    := magic:8 ("BMRGJSEG") version:u32 (=1) firstLsn:u64 generationMsb:u64 generationLsb:u64
 *              headerCrc:u32                         CRC32C of the 36 bytes before it; HEADER_SIZE = 40
 * record    := crc:u32 kind:u8 reserved:u8*3 (=0) lsn:u64 bodyLength:u32 body
 *                                                    RECORD_HEADER_SIZE = 20;
 *                                                    crc = CRC32C of every byte from kind to the end of body
 * body      := write | trim | zero | marker | windowOpen | windowClose   chosen by kind
 * write     := offset:u64 payload:u8*(bodyLength-8)   kind 1; 0 &lt; payload length &lt;= MAX_PAYLOAD
 * trim      := offset:u64 length:u64                   kind 2
 * zero      := offset:u64 length:u64                   kind 3
 * marker    := markerKind:u8 wallTimeMillis:i64 text(pointId) text(groupId) text(tag)   kind 4
 * windowOpen  := text(reason)                          kind 5; bodyLength = 2 + reason bytes
 * windowClose := (empty)                               kind 6; bodyLength = 0
 * text      := length:u16 utf8:u8*length
 * </pre>
 * Kinds 5 and 6 bound an <em>inconsistent window</em> (docs/formats.md): the LSNs from a window-open
 * record through its window-close record are not write-order consistent and are never offered as
 * points. Windows do not nest; a window may stay open at the end of the journal. A reader that
 * predates kinds 5 and 6 sees them as damage, so a journal that used windows needs this version of the
 * reader; segments without them are unchanged.
 *
 * <p>A segment is named by its first LSN ({@link SegmentName}); records in it have consecutive LSNs
 * starting there. The generation is the journal's identity generation: a segment from another
 * journal is refused.
 *
 * <h2>Lifecycle of a roll</h2>
 * <ol>
 * <li><b>Spare.</b> Off the append path, the writer creates the empty file {@code next-segment.tmp}
 *     ({@link SegmentFile#SPARE_NAME}) and fsyncs it and the directory.
 * <li><b>Roll</b> (under the append lock, no fsync): the old segment's direct-I/O padding is cut
 *     ({@link SegmentFile#finishAppends()}); the header is written into the spare, which is renamed to
 *     the new segment's name ({@link SegmentFile#activate}). The old segment is <em>unsealed</em>: it
 *     takes no more records but is not yet fsynced.
 * <li><b>Seal</b> (the next group commit, or a background task the roll starts): fsync every unsealed
 *     segment, then the directory, then the new segment; only then is any LSN after the roll
 *     acknowledged, and the watermark ({@link DurableMark}) names the new segment and is fsynced.
 * </ol>
 * Without a spare (the first segment, or two rolls in quick succession) the roll creates the segment
 * with its header, file and directory fsynced ({@link SegmentFile#create}). A crash between steps 2 and 3
 * can leave, after the watermark's segment, an unsealed segment with a torn or missing end, and a new
 * segment that is missing, headerless, or holding some of its records in any order; a leftover spare is
 * a {@code *.tmp} file, deleted on open.
 *
 * <p><b>Recovery</b> treats everything from the watermark on (its offset in its segment, and every later
 * segment whole) as possibly torn: it truncates at the first bad record, or at the end of a segment that
 * stops short of the next segment's first LSN, and deletes every segment after that point (and a
 * headerless segment with every one after it). None of that was acknowledged: the writer fsyncs every
 * earlier segment and the directory before it acknowledges a later record, and fsynced bytes survive.
 * A bad record before the watermark, or in a segment before the watermark's, is corruption.
 *
 * <p>The active segment may end in zero padding up to a file-system block after a direct-I/O write
 * ({@link DirectAppender}); sealing cuts it off, and after a crash recovery cuts it as a torn tail (a
 * zero kind byte is never a record).
 *
 * <p>Thread-safety: stateless.
 */
public final class SegmentFormat {
    public static final long MAGIC = 0x424d52474a534547L; // "BMRGJSEG"
    /** Version 1: the first and only version. */
    public static final int VERSION_1 = 1;
    public static final int HEADER_SIZE = 8 + 4 + 8 + 8 + 8 + 4;
    public static final int RECORD_HEADER_SIZE = 4 + 1 + 3 + 8 + 4;
    /** Bytes of a write body before its payload: the offset. */
    public static final int WRITE_PREFIX = 8;
    /** Body size of trim and zero records. */
    public static final int RANGE_BODY_SIZE = 16;
    /** The largest payload of one write record; bigger writes are split by the writer. */
    public static final int MAX_PAYLOAD = 32 << 20;
    static final int MAX_BODY = MAX_PAYLOAD + WRITE_PREFIX;

    private SegmentFormat() {}

    public static ByteBuffer encodeHeader(Lsn firstLsn, UUID generation) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putLong(MAGIC).putInt(VERSION_1).putLong(firstLsn.value())
                .putLong(generation.getMostSignificantBits()).putLong(generation.getLeastSignificantBits());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** The parsed header, or null when the bytes are not a valid version-1 header. */
    public static Header decodeHeader(ByteBuffer b) {
        if (b.remaining() < HEADER_SIZE) {
            return null;
        }
        ByteBuffer h = b.slice().order(ByteOrder.BIG_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(h.slice(0, HEADER_SIZE - 4));
        if (h.getInt(HEADER_SIZE - 4) != (int) crc.getValue() || h.getLong(0) != MAGIC || h.getInt(8) != VERSION_1) {
            return null;
        }
        return new Header(Lsn.of(h.getLong(12)), new UUID(h.getLong(20), h.getLong(28)));
    }

    /** A decoded segment header. */
    public record Header(Lsn firstLsn, UUID generation) {}

    /**
     * Builds the record header of a write and the checksum over header and payload; the payload's
     * position is not moved. Returns the 28 bytes to write before the payload.
     */
    public static ByteBuffer encodeWriteHeader(long lsn, long offset, ByteBuffer payload) {
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_SIZE + WRITE_PREFIX).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0).put((byte) RecordKind.WRITE.id()).put((byte) 0).putShort((short) 0).putLong(lsn)
                .putInt(WRITE_PREFIX + payload.remaining()).putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 4, b.position() - 4);
        crc.update(payload.duplicate());
        b.putInt(0, (int) crc.getValue());
        return b.flip();
    }

    /** A whole trim or zero record. */
    public static ByteBuffer encodeRange(RecordKind kind, long lsn, long offset, long length) {
        if (kind != RecordKind.TRIM && kind != RecordKind.ZERO) {
            throw new IllegalArgumentException("not a range kind: " + kind);
        }
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_SIZE + RANGE_BODY_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0).put((byte) kind.id()).put((byte) 0).putShort((short) 0).putLong(lsn)
                .putInt(RANGE_BODY_SIZE).putLong(offset).putLong(length);
        return sealed(b);
    }

    /** A whole marker record. */
    public static ByteBuffer encodeMarker(long lsn, Marker marker) {
        byte[] id = marker.pointId().getBytes(StandardCharsets.UTF_8);
        byte[] group = marker.groupId().getBytes(StandardCharsets.UTF_8);
        byte[] tag = marker.tag().getBytes(StandardCharsets.UTF_8);
        int body = 1 + 8 + 2 + id.length + 2 + group.length + 2 + tag.length;
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_SIZE + body).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0).put((byte) RecordKind.MARKER.id()).put((byte) 0).putShort((short) 0).putLong(lsn).putInt(body);
        b.put((byte) marker.kind().id()).putLong(marker.time().toEpochMilli());
        b.putShort((short) id.length).put(id).putShort((short) group.length).put(group).putShort((short) tag.length).put(tag);
        return sealed(b);
    }

    /** A whole window-open ({@code reason} non-null) or window-close ({@code reason} null) record. */
    public static ByteBuffer encodeWindow(long lsn, String reason) {
        byte[] text = reason == null ? null : reason.getBytes(StandardCharsets.UTF_8);
        if (text != null && text.length > Marker.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("window reason longer than " + Marker.MAX_TEXT_BYTES + " bytes");
        }
        RecordKind kind = text == null ? RecordKind.WINDOW_CLOSE : RecordKind.WINDOW_OPEN;
        int body = text == null ? 0 : 2 + text.length;
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_SIZE + body).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0).put((byte) kind.id()).put((byte) 0).putShort((short) 0).putLong(lsn).putInt(body);
        if (text != null) {
            b.putShort((short) text.length).put(text);
        }
        return sealed(b);
    }

    /** Decodes a window-open body (positioned at its start), or null when it is malformed. */
    public static String decodeReason(ByteBuffer body) {
        try {
            ByteBuffer b = body.slice().order(ByteOrder.BIG_ENDIAN);
            String reason = text(b);
            return b.hasRemaining() ? null : reason;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Decodes a marker body (positioned at its start), or null when it is malformed. */
    public static Marker decodeMarker(ByteBuffer body) {
        try {
            ByteBuffer b = body.slice().order(ByteOrder.BIG_ENDIAN);
            MarkerKind kind = MarkerKind.fromId(b.get() & 0xff);
            Instant time = Instant.ofEpochMilli(b.getLong());
            String id = text(b);
            String group = text(b);
            String tag = text(b);
            if (kind == null || b.hasRemaining()) {
                return null;
            }
            return new Marker(kind, id, time, group, tag);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The checksum a record with this header (kind..bodyLength, 16 bytes) and body must carry. */
    static int checksum(ByteBuffer headerAfterCrc, ByteBuffer body) {
        CRC32C crc = new CRC32C();
        crc.update(headerAfterCrc.duplicate());
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }

    private static String text(ByteBuffer b) {
        int n = b.getShort() & 0xffff;
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static ByteBuffer sealed(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 4, b.position() - 4);
        b.putInt(0, (int) crc.getValue());
        return b.flip();
    }
}
