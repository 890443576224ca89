package org.boomerang.nbd.codec;

import static org.boomerang.nbd.protocol.NbdProtocol.REPLY_TYPE_BLOCK_STATUS;
import static org.boomerang.nbd.protocol.NbdProtocol.REPLY_TYPE_ERROR;
import static org.boomerang.nbd.protocol.NbdProtocol.REPLY_TYPE_NONE;
import static org.boomerang.nbd.protocol.NbdProtocol.REPLY_TYPE_OFFSET_DATA;
import static org.boomerang.nbd.protocol.NbdProtocol.REPLY_TYPE_OFFSET_HOLE;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Writes transmission-phase replies into a caller's buffer (big-endian, position advanced).
 *
 * <pre>
 * simple     := magic:u32 (0x67446698) error:u32 cookie:u64 [data when a successful READ]
 * chunk      := magic:u32 (0x668e33ef) flags:u16 type:u16 cookie:u64 length:u32 payload(length)
 * OFFSET_DATA payload := offset:u64 data(length - 8)
 * OFFSET_HOLE payload := offset:u64 holeSize:u32
 * BLOCK_STATUS payload:= contextId:u32 (extentLength:u32 statusFlags:u32)+
 * ERROR payload      := error:u32 messageLength:u16 message
 * NONE payload       := (empty)
 * </pre>
 * Data payloads are not copied here: the caller writes the header from this encoder and the data buffer
 * after it with one gathering write.
 *
 * <p>Thread-safety: stateless.
 */
public final class NbdReplyEncoder {
    /** Bytes of an OFFSET_DATA chunk before its data. */
    public static final int OFFSET_DATA_HEADER_SIZE = NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE + Long.BYTES;
    /** Bytes of a whole OFFSET_HOLE chunk. */
    public static final int OFFSET_HOLE_SIZE = NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE + Long.BYTES + Integer.BYTES;
    /** Bytes of one block-status descriptor. */
    public static final int BLOCK_DESCRIPTOR_SIZE = 2 * Integer.BYTES;
    /** The longest error message sent in an ERROR chunk (the protocol advises at most 256 bytes). */
    public static final int MAX_ERROR_MESSAGE = 256;

    private NbdReplyEncoder() {}

    public static void simple(ByteBuffer out, long cookie, int error) {
        out.putInt(NbdProtocol.SIMPLE_REPLY_MAGIC).putInt(error).putLong(cookie);
    }

    public static void chunkHeader(ByteBuffer out, int flags, int type, long cookie, int length) {
        out.putInt(NbdProtocol.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putInt(length);
    }

    /** The header of an OFFSET_DATA chunk carrying {@code dataLength} bytes; the data follows on the wire. */
    public static void offsetDataHeader(ByteBuffer out, boolean done, long cookie, long offset, int dataLength) {
        chunkHeader(out, done ? NbdProtocol.REPLY_FLAG_DONE : 0, REPLY_TYPE_OFFSET_DATA, cookie, Long.BYTES + dataLength);
        out.putLong(offset);
    }

    public static void offsetHole(ByteBuffer out, boolean done, long cookie, long offset, int holeSize) {
        chunkHeader(out, done ? NbdProtocol.REPLY_FLAG_DONE : 0, REPLY_TYPE_OFFSET_HOLE, cookie, Long.BYTES + Integer.BYTES);
        out.putLong(offset).putInt(holeSize);
    }

    public static void none(ByteBuffer out, long cookie) {
        chunkHeader(out, NbdProtocol.REPLY_FLAG_DONE, REPLY_TYPE_NONE, cookie, 0);
    }

    /** The header of a BLOCK_STATUS chunk with {@code descriptors} descriptors, which the caller puts next. */
    public static void blockStatusHeader(ByteBuffer out, boolean done, long cookie, int contextId, int descriptors) {
        chunkHeader(out, done ? NbdProtocol.REPLY_FLAG_DONE : 0, REPLY_TYPE_BLOCK_STATUS, cookie,
                Integer.BYTES + descriptors * BLOCK_DESCRIPTOR_SIZE);
        out.putInt(contextId);
    }

    public static void blockDescriptor(ByteBuffer out, int length, int status) {
        out.putInt(length).putInt(status);
    }

    /** A final ERROR chunk; the message is cut to {@link #MAX_ERROR_MESSAGE} bytes. */
    public static void error(ByteBuffer out, long cookie, int error, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, MAX_ERROR_MESSAGE);
        chunkHeader(out, NbdProtocol.REPLY_FLAG_DONE, REPLY_TYPE_ERROR, cookie, Integer.BYTES + Short.BYTES + n);
        out.putInt(error).putShort((short) n).put(text, 0, n);
    }

    /** The size of an ERROR chunk for {@code message}. */
    public static int errorSize(String message) {
        return NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE + Integer.BYTES + Short.BYTES
                + Math.min(message.getBytes(StandardCharsets.UTF_8).length, MAX_ERROR_MESSAGE);
    }
}
