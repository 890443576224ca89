package org.boomerang.nbd.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;
import org.boomerang.common.BoomerangException;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * A {@link BlockDevice} backed by an export on an NBD server, so that {@code nbd://host:port/export}
 * opens like an image file. Requests larger than the server's maximum payload are split and the
 * pieces pipelined on the one connection.
 *
 * <p>Trim becomes NBD_CMD_TRIM when the server offers it and otherwise writes zeroes; write-zeroes
 * becomes NBD_CMD_WRITE_ZEROES when offered and otherwise writes zero-filled buffers. The allocation
 * map comes from NBD_CMD_BLOCK_STATUS when the server offers {@code base:allocation}.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: owns its {@link NbdClient}.
 */
public final class NbdBlockDevice implements BlockDevice {
    /** Zero-fill and trim pieces: large enough to be cheap, small enough to fit any server's payload cap. */
    private static final int ZERO_PIECE = 1 << 20;
    private static final int DEFAULT_LOGICAL_BLOCK_SIZE = 512;
    /** The longest range asked of NBD_CMD_BLOCK_STATUS at once (its length field is 32 bits). */
    private static final int MAX_STATUS_LENGTH = 1 << 30;

    private final NbdClient client;
    private final ExportInfo export;

    public NbdBlockDevice(NbdClient client) {
        this.client = requireNonNull(client, "client is null");
        this.export = client.export();
    }

    public static NbdBlockDevice open(NbdUri uri) throws IOException {
        return new NbdBlockDevice(NbdClient.connect(uri));
    }

    public NbdUri uri() {
        return client.uri();
    }

    @Override
    public long size() {
        return export.size();
    }

    @Override
    public int logicalBlockSize() {
        return Math.max(export.minimumBlockSize(), DEFAULT_LOGICAL_BLOCK_SIZE);
    }

    @Override
    public boolean isReadOnly() {
        return export.readOnly();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        BlockDevice.checkRange(this, offset, dst.remaining());
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        int start = dst.position();
        int end = dst.limit();
        for (int pos = start; pos < end; pos += export.maximumPayload()) {
            int len = Math.min(export.maximumPayload(), end - pos);
            parts.add(client.read(offset + (pos - start), dst.duplicate().position(pos).limit(pos + len)));
        }
        await(parts);
        dst.position(end);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, src.remaining());
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        int start = src.position();
        int end = src.limit();
        for (int pos = start; pos < end; pos += export.maximumPayload()) {
            int len = Math.min(export.maximumPayload(), end - pos);
            parts.add(client.write(offset + (pos - start), src.duplicate().position(pos).limit(pos + len), fua));
        }
        await(parts);
        src.position(end);
    }

    @Override
    public void flush() throws IOException {
        await(List.of(client.flush()));
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (export.has(NbdProtocol.TFLAG_SEND_TRIM)) {
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (long pos = offset; pos < offset + length; pos += ZERO_PIECE) {
                parts.add(client.trim(pos, (int) Math.min(ZERO_PIECE, offset + length - pos)));
            }
            await(parts);
        } else {
            writeZeroes(offset, length, true, false);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        boolean offloaded = export.has(NbdProtocol.TFLAG_SEND_WRITE_ZEROES);
        ByteBuffer zeroes = offloaded ? null : ByteBuffer.allocateDirect((int) Math.min(ZERO_PIECE, Math.max(length, 1)));
        for (long pos = offset; pos < offset + length; pos += ZERO_PIECE) {
            int len = (int) Math.min(ZERO_PIECE, offset + length - pos);
            parts.add(offloaded
                    ? client.writeZeroes(pos, len, mayUnmap, fua)
                    : client.write(pos, zeroes.duplicate().limit(len), fua));
        }
        await(parts);
    }

    /**
     * With a server that offers {@code base:allocation} (qemu-nbd, nbdkit), asks NBD_CMD_BLOCK_STATUS
     * until the range is covered; otherwise reports one data extent. A range the server marks
     * HOLE+ZERO is a hole; ZERO alone is allocated but reads as zeroes.
     */
    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return List.of();
        }
        if (!export.reportsAllocation()) {
            return List.of(Extent.data(offset, length));
        }
        List<Extent> extents = new ArrayList<>();
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            int ask = (int) Math.min(end - pos, MAX_STATUS_LENGTH);
            List<long[]> status = awaitStatus(client.blockStatus(pos, ask));
            if (status.isEmpty()) {
                add(extents, Extent.data(pos, end - pos)); // a server that says nothing: treat the rest as data
                break;
            }
            for (long[] d : status) {
                long len = Math.min(d[0], end - pos);
                if (len <= 0) {
                    break;
                }
                int flags = (int) d[1];
                boolean zero = (flags & NbdProtocol.STATE_ZERO) != 0;
                boolean hole = zero && (flags & NbdProtocol.STATE_HOLE) != 0;
                add(extents, new Extent(pos, len, hole, zero));
                pos += len;
            }
        }
        return extents;
    }

    private static void add(List<Extent> extents, Extent e) {
        if (!extents.isEmpty()) {
            Extent last = extents.getLast();
            if (last.end() == e.offset() && last.hole() == e.hole() && last.zero() == e.zero()) {
                extents.set(extents.size() - 1, new Extent(last.offset(), last.length() + e.length(), e.hole(), e.zero()));
                return;
            }
        }
        extents.add(e);
    }

    private static List<long[]> awaitStatus(CompletableFuture<List<long[]>> status) throws IOException {
        List<CompletableFuture<Void>> one = List.of(status.thenAccept(x -> { }));
        await(one);
        return status.join();
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return export.has(NbdProtocol.TFLAG_SEND_TRIM);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    @Override
    public String toString() {
        return "NbdBlockDevice[" + client.uri() + ", " + size() + " bytes" + (isReadOnly() ? ", ro" : "") + "]";
    }

    private static void await(List<CompletableFuture<Void>> parts) throws IOException {
        for (CompletableFuture<Void> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the NBD server");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BoomerangException be) {
                    throw be;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(cause);
            }
        }
    }
}
