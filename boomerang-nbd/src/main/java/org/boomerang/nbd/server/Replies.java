package org.boomerang.nbd.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.nbd.codec.NbdReplyEncoder;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * The replies a request can make. Each method encodes one reply or chunk header and hands it, with its
 * data buffer if any, to the subclass, which decides when the bytes reach the socket: the connection's
 * own queue ({@link ReplySender}) or a worker's batch ({@link ReplySender.Batch}).
 *
 * <p>Thread-safety: an instance belongs to one thread at a time (see the subclasses).
 */
abstract sealed class Replies permits ReplySender, ReplySender.Batch {
    /** Room one header (the largest is an ERROR chunk) needs. */
    static final int MAX_HEADER = NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE + 6 + NbdReplyEncoder.MAX_ERROR_MESSAGE;

    final void simple(long cookie, int error) throws IOException {
        NbdReplyEncoder.simple(header(), cookie, error);
        endHeader(null);
    }

    final void structuredError(long cookie, int error, String message) throws IOException {
        NbdReplyEncoder.error(header(), cookie, error, message);
        endHeader(null);
    }

    /** A successful simple READ reply: the header and then {@code data} from its position to its limit. */
    final void simpleData(long cookie, ByteBuffer data) throws IOException {
        NbdReplyEncoder.simple(header(), cookie, 0);
        endHeader(data);
    }

    final void offsetData(long cookie, long offset, ByteBuffer data, boolean done) throws IOException {
        NbdReplyEncoder.offsetDataHeader(header(), done, cookie, offset, data.remaining());
        endHeader(data);
    }

    /** A successful simple READ reply whose data {@code device} sends itself ({@link BlockDevice#transferTo}). */
    final void simpleTransfer(long cookie, BlockDevice device, long offset, int length) throws IOException {
        NbdReplyEncoder.simple(header(), cookie, 0);
        endHeaderThenTransfer(device, offset, length);
    }

    /** An OFFSET_DATA chunk whose data {@code device} sends itself ({@link BlockDevice#transferTo}). */
    final void offsetDataTransfer(long cookie, BlockDevice device, long offset, int length, boolean done) throws IOException {
        NbdReplyEncoder.offsetDataHeader(header(), done, cookie, offset, length);
        endHeaderThenTransfer(device, offset, length);
    }

    final void offsetHole(long cookie, long offset, int size, boolean done) throws IOException {
        NbdReplyEncoder.offsetHole(header(), done, cookie, offset, size);
        endHeader(null);
    }

    final void none(long cookie) throws IOException {
        NbdReplyEncoder.none(header(), cookie);
        endHeader(null);
    }

    /** A final BLOCK_STATUS chunk; {@code descriptors} holds (length, status) pairs already encoded. */
    final void blockStatus(long cookie, int contextId, ByteBuffer descriptors) throws IOException {
        NbdReplyEncoder.blockStatusHeader(header(), true, cookie, contextId,
                descriptors.remaining() / NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE);
        endHeader(descriptors);
    }

    /** Gives a pooled buffer back once every reply that may point into it has been sent. */
    abstract void release(ByteBuffer pooled);

    /**
     * A buffer positioned where the next header goes, with at least {@link #MAX_HEADER} bytes of room; the
     * header ends at the buffer's position when {@link #endHeader} is called.
     */
    abstract ByteBuffer header() throws IOException;

    /**
     * Takes the header just encoded and then the device's bytes of {@code [offset, offset + length)}, sent by
     * the device straight to the socket. A failure part-way leaves the stream broken: it is thrown, and the
     * connection ends.
     */
    abstract void endHeaderThenTransfer(BlockDevice device, long offset, long length) throws IOException;

    /** Takes the header just encoded and then {@code data} (null or empty for none) as the next reply bytes. */
    abstract void endHeader(ByteBuffer data) throws IOException;
}
