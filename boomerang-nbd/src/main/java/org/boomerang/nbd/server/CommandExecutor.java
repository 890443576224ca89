package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.blockdev.Extent;
import org.boomerang.nbd.codec.NbdCommand;
import org.boomerang.nbd.codec.NbdReplyEncoder;
import org.boomerang.nbd.codec.NbdRequest;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs checked requests against the export's device and sends their replies. A device failure becomes the
 * protocol's errno in the reply (EIO, ENOSPC, EPERM, EINVAL) and the connection goes on; only a failure
 * to send ends it.
 *
 * <p>READ with structured replies asks the device for its allocation when the read is at least
 * {@link #HOLE_QUERY_MIN} bytes and answers holes with OFFSET_HOLE chunks instead of zeroes; smaller reads
 * are one OFFSET_DATA chunk, since the query would cost more than the zeroes it saves.
 *
 * <p>Thread-safety: safe for concurrent use; it holds no per-request state.
 */
final class CommandExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
    static final int HOLE_QUERY_MIN = 64 * 1024;
    /**
     * A READ at least this large is sent by the device itself when it can ({@link BlockDevice#canTransfer}):
     * sendfile from the page cache to the socket, no copy through our memory. Smaller ones are read into a
     * buffer and queued, so that a burst of them still leaves in one gathering write. Only while the server
     * has a single connection: with four, sendfile ran at 0.6× the copy (bench/nbd.sh, 1 MiB reads, the
     * same with disjoint regions per connection; not explained yet), with one at 1.6×.
     */
    static final int TRANSFER_MIN = 64 * 1024;

    private final Negotiated session;
    private final ServedExport export;
    private final DirectBufferPool buffers;

    private final IntSupplier connections;

    /** {@code connections} tells how many connections the server has now. */
    CommandExecutor(Negotiated session, DirectBufferPool buffers, IntSupplier connections) {
        this.connections = requireNonNull(connections, "connections is null");
        this.session = requireNonNull(session, "session is null");
        this.export = session.export();
        this.buffers = requireNonNull(buffers, "buffers is null");
    }

    /** Sends {@code errno} as the reply to a request refused before it ran. */
    void refuse(NbdRequest request, int errno, String why, Replies out) throws IOException {
        boolean structuredOnly = session.structuredReplies()
                && (request.type() == NbdProtocol.CMD_READ || request.type() == NbdProtocol.CMD_BLOCK_STATUS);
        if (structuredOnly) {
            out.structuredError(request.cookie(), errno, why);
        } else {
            out.simple(request.cookie(), errno);
        }
    }

    /** Refuses a request that came after the export was removed, see {@link ServedExport#retire}. */
    void refuseGone(NbdRequest request, Replies out) throws IOException {
        refuse(request, ServedExport.goneErrno(), "export '" + export.name() + "' was removed from the server", out);
    }

    /**
     * Runs a checked request that changes nothing (READ, BLOCK_STATUS, CACHE), replying into {@code out}. It
     * reads the export's device of the moment, which a swap waits for.
     */
    void query(NbdCommand command, NbdRequest request, Replies out) throws IOException {
        switch (command) {
            case CACHE -> {
                out.simple(request.cookie(), 0);
                return;
            }
            case READ, BLOCK_STATUS -> { }
            case WRITE, FLUSH, TRIM, WRITE_ZEROES, DISC -> throw new IllegalStateException(command + " is not a query");
        }
        ServedExport.Generation generation = export.beginRead();
        if (generation == null) {
            refuseGone(request, out);
            return;
        }
        try {
            if (command == NbdCommand.READ) {
                read(generation.device(), request, out);
            } else {
                blockStatus(generation.device(), request, out);
            }
        } finally {
            export.endRead(generation);
        }
    }

    /**
     * Runs a checked WRITE, FLUSH, TRIM or WRITE_ZEROES on {@code device} (the one its admission by
     * {@link ServedExport#beginMutation} gave), replying into {@code out}; {@code payload} is the write's data,
     * else null.
     */
    void mutate(NbdCommand command, NbdRequest request, ByteBuffer payload, BlockDevice device, Replies out) throws IOException {
        boolean fua = request.hasFlag(NbdProtocol.CMD_FLAG_FUA);
        try {
            switch (command) {
                case READ, BLOCK_STATUS, CACHE, DISC -> throw new IllegalStateException(command + " is not a mutation");
                case WRITE -> device.write(request.offset(), payload, fua);
                case FLUSH -> device.flush();
                case TRIM -> {
                    device.trim(request.offset(), request.length());
                    if (fua) {
                        device.flush();
                    }
                }
                case WRITE_ZEROES -> device.writeZeroes(request.offset(), request.length(),
                        !request.hasFlag(NbdProtocol.CMD_FLAG_NO_HOLE), fua);
            }
        } catch (IOException | BlockDeviceException e) {
            int errno = errno(e);
            LOG.warn("{} on export '{}' at offset {} length {} failed (errno {}): {}", command, session.export().name(),
                    request.offset(), request.length(), errno, e.getMessage());
            refuse(request, errno, command + " failed: " + e.getMessage(), out);
            return;
        }
        out.simple(request.cookie(), 0);
    }

    private void read(BlockDevice device, NbdRequest request, Replies out) throws IOException {
        int length = (int) request.length();
        if (session.structuredReplies() && length == 0) {
            out.none(request.cookie());
            return;
        }
        if (length >= TRANSFER_MIN && device.canTransfer() && connections.getAsInt() == 1) {
            readByTransfer(device, request, out);
            return;
        }
        ByteBuffer data = buffers.take(length);
        try {
            if (!session.structuredReplies()) {
                if (readInto(device, request, data, request.offset(), out)) {
                    out.simpleData(request.cookie(), data.flip());
                }
                return;
            }
            List<Extent> extents = length >= HOLE_QUERY_MIN
                    ? allocationOrAllData(device, request.offset(), length)
                    : List.of(Extent.data(request.offset(), length));
            if (!readInto(device, request, data, request.offset(), out)) {
                return;
            }
            sendChunks(request.cookie(), data.flip(), request.offset(), extents, out);
        } finally {
            out.release(data); // back to the pool once the reply that points into it is sent
        }
    }

    /**
     * A READ whose data the device sends. A device failure here ends the connection (the header is out,
     * so no error reply can follow), which the client sees as an I/O error on its outstanding requests.
     */
    private void readByTransfer(BlockDevice device, NbdRequest request, Replies out) throws IOException {
        int length = (int) request.length();
        long offset = request.offset();
        if (!session.structuredReplies()) {
            out.simpleTransfer(request.cookie(), device, offset, length);
            return;
        }
        List<Extent> extents = allocationOrAllData(device, offset, length);
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            boolean last = i == extents.size() - 1;
            if (e.zero()) {
                out.offsetHole(request.cookie(), e.offset(), (int) e.length(), last);
            } else {
                out.offsetDataTransfer(request.cookie(), device, e.offset(), (int) e.length(), last);
            }
        }
    }

    /** The allocation map; when the device cannot tell, the whole range is data, which is always correct. */
    private static List<Extent> allocationOrAllData(BlockDevice device, long offset, int length) {
        try {
            return device.allocation(offset, length);
        } catch (IOException | BlockDeviceException e) {
            LOG.debug("allocation query failed, sending data: {}", e.getMessage());
            return List.of(Extent.data(offset, length));
        }
    }

    /** Reads the whole range; false (and an error reply sent) when the device failed. */
    private boolean readInto(BlockDevice device, NbdRequest request, ByteBuffer data, long offset, Replies out) throws IOException {
        try {
            device.read(offset, data);
            return true;
        } catch (IOException | BlockDeviceException e) {
            LOG.warn("READ on export '{}' at offset {} length {} failed: {}", session.export().name(), offset, request.length(), e.getMessage());
            refuse(request, errno(e), "READ failed: " + e.getMessage(), out);
            return false;
        }
    }

    /**
     * One chunk per run of data or zeroes, the last flagged DONE. The data of the whole range was read
     * before the first chunk is sent, so no error can follow a chunk and DONE may ride on the last one.
     */
    private void sendChunks(long cookie, ByteBuffer data, long base, List<Extent> extents, Replies out) throws IOException {
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            boolean last = i == extents.size() - 1;
            int from = (int) (e.offset() - base);
            if (e.zero()) {
                out.offsetHole(cookie, e.offset(), (int) e.length(), last);
            } else {
                out.offsetData(cookie, e.offset(), data.slice(from, (int) e.length()), last);
            }
        }
    }

    private void blockStatus(BlockDevice device, NbdRequest request, Replies out) throws IOException {
        List<Extent> extents;
        try {
            extents = device.allocation(request.offset(), request.length());
        } catch (IOException | BlockDeviceException e) {
            LOG.warn("BLOCK_STATUS on export '{}' at offset {} length {} failed: {}", session.export().name(),
                    request.offset(), request.length(), e.getMessage());
            refuse(request, errno(e), "BLOCK_STATUS failed: " + e.getMessage(), out);
            return;
        }
        List<long[]> runs = new ArrayList<>();
        for (Extent e : extents) {
            int status = status(e);
            long[] last = runs.isEmpty() ? null : runs.getLast();
            if (last != null && last[1] == status) {
                last[0] += e.length();
            } else {
                runs.add(new long[] {e.length(), status});
            }
        }
        int max = request.hasFlag(NbdProtocol.CMD_FLAG_REQ_ONE) ? 1 : Math.min(runs.size(), ReplySender.maxDescriptors());
        ByteBuffer descriptors = ByteBuffer.allocate(max * NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE);
        for (int i = 0; i < max; i++) {
            NbdReplyEncoder.blockDescriptor(descriptors, (int) runs.get(i)[0], (int) runs.get(i)[1]);
        }
        out.blockStatus(request.cookie(), session.allocationContextId(), descriptors.flip());
    }

    private static int status(Extent e) {
        if (e.hole()) {
            return NbdProtocol.STATE_HOLE | NbdProtocol.STATE_ZERO;
        }
        return e.zero() ? NbdProtocol.STATE_ZERO : 0;
    }

    static int errno(Exception e) {
        if (e instanceof BlockDeviceException be) {
            return switch (be.code()) {
                case OUT_OF_RANGE, BAD_SIZE -> NbdProtocol.EINVAL;
                case READ_ONLY -> NbdProtocol.EPERM;
                case NOT_FOUND, CHANGE_MAP_DAMAGED, IO_FAILED, FSYNC_FAILED -> NbdProtocol.EIO;
            };
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("quota") || message.contains("File too large")) {
            return NbdProtocol.ENOSPC;
        }
        return NbdProtocol.EIO;
    }
}
