package org.boomerang.dataplane.digests;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.proto.DigestChunk;
import org.boomerang.stream.proto.DigestRequest;
import org.boomerang.stream.proto.DigestsGrpc;
import org.boomerang.stream.proto.DiskInfo;
import org.boomerang.stream.proto.DiskRequest;
import org.boomerang.sync.BlockDigester;
import org.boomerang.sync.Digests;

/**
 * A {@link BlockDigester} whose digests are computed by the role that holds the disk (the agent for
 * its disks, the master target for its journals), over {@code digests.proto} with mutual TLS: only
 * digests cross the wire. Region digests are one call over the whole disk, block digests one call per
 * differing region; this process reads nothing of the disk ({@link #bytesRead()} is 0), and
 * {@link #provenance()} says where the digests were made and how much the server read for them.
 *
 * <p>A refused certificate is {@code PEER_CERTIFICATE_REFUSED}, a disk the server does not serve
 * {@code WRONG_DISK}, an unreachable server {@code DIGESTS_UNAVAILABLE} ({@link StreamException}).
 *
 * <p>Thread-safety: one caller at a time. Ownership: owns its channel when made by {@link #connect}.
 */
public final class RemoteBlockDigester implements BlockDigester {
    /** How long one answer may take: a region pass reads the whole disk at the server. */
    static final long CALL_DEADLINE_SECONDS = 6 * 3600;

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final String server;
    private final String disk;
    private final int blockSize;
    private final long size;
    private final String state;
    private long remoteBytesRead;
    private long digestBytesReceived;

    private RemoteBlockDigester(ManagedChannel channel, boolean ownsChannel, String server, String disk, int blockSize) {
        this.channel = requireNonNull(channel, "channel is null");
        this.ownsChannel = ownsChannel;
        this.server = requireNonNull(server, "server is null");
        this.disk = requireNonNull(disk, "disk is null");
        this.blockSize = blockSize;
        DiskInfo info;
        try {
            info = DigestsGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .describe(DiskRequest.newBuilder().setDisk(disk).build());
        } catch (StatusRuntimeException e) {
            throw failure("describe disk " + disk, e);
        }
        this.size = info.getSize();
        this.state = info.getState();
    }

    /** Connects to the digest server at {@code host:port} (its own channel, closed with this digester). */
    public static RemoteBlockDigester connect(String host, int port, StreamTls tls, String disk, int blockSize) {
        ManagedChannel ch = StreamEndpoints.channel(host, port, tls);
        try {
            return new RemoteBlockDigester(ch, true, host + ":" + port, disk, blockSize);
        } catch (RuntimeException e) {
            ch.shutdownNow();
            throw e;
        }
    }

    /** A digester over an existing channel (the caller's) to {@code server}. */
    public static RemoteBlockDigester over(ManagedChannel channel, String server, String disk, int blockSize) {
        return new RemoteBlockDigester(channel, false, server, disk, blockSize);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public Digests regionDigests(int regionSize) throws IOException {
        if (regionSize % blockSize != 0) {
            throw new IllegalArgumentException("region size " + regionSize + " is not a multiple of the block size");
        }
        long blocks = (size + blockSize - 1) / blockSize;
        int perRegion = regionSize / blockSize;
        return call(0, blocks, perRegion, (blocks + perRegion - 1) / perRegion);
    }

    @Override
    public Digests blockDigests(long firstBlock, int count) throws IOException {
        return call(firstBlock, count, 1, count);
    }

    private Digests call(long firstBlock, long blockCount, int perDigest, long expected) throws IOException {
        if (expected * 2 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(expected + " digests do not fit in memory; use a larger block size");
        }
        DigestRequest request = DigestRequest.newBuilder().setDisk(disk).setBlockSize(blockSize).setFirstBlock(firstBlock)
                .setBlockCount(blockCount).setBlocksPerDigest(perDigest).build();
        long[] words = new long[(int) expected * 2];
        long received = 0;
        boolean done = false;
        try {
            Iterator<DigestChunk> chunks = DigestsGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .digest(request);
            while (chunks.hasNext()) {
                DigestChunk c = chunks.next();
                if (c.getDone()) {
                    remoteBytesRead += c.getBytesRead();
                    done = true;
                    continue;
                }
                ByteBuffer b = c.getDigests().asReadOnlyByteBuffer();
                int n = b.remaining() / Digests.DIGEST_BYTES;
                if (b.remaining() % Digests.DIGEST_BYTES != 0 || c.getFirstIndex() != received || received + n > expected) {
                    throw new StreamException(StreamError.MALFORMED_FRAME, "the digest server " + server + " answered digests "
                            + c.getFirstIndex() + ".." + (c.getFirstIndex() + n) + " where " + received + " of " + expected + " was next",
                            "check that the server runs the same Boomerang version");
                }
                for (int i = 0; i < n * 2; i++) {
                    words[(int) (received * 2) + i] = b.getLong();
                }
                received += n;
                digestBytesReceived += (long) n * Digests.DIGEST_BYTES;
            }
        } catch (StatusRuntimeException e) {
            throw failure("digest disk " + disk, e);
        }
        if (!done || received != expected) {
            throw new StreamException(StreamError.DIGESTS_UNAVAILABLE, "the digest server " + server + " ended the answer after "
                    + received + " of " + expected + " digests of disk " + disk, "run the sync again");
        }
        return new Digests(words);
    }

    private StreamException failure(String what, StatusRuntimeException e) {
        Status s = e.getStatus();
        String description = StreamSender.describe(s);
        StreamError code = StreamError.DIGESTS_UNAVAILABLE;
        for (StreamError c : new StreamError[] {StreamError.PEER_CERTIFICATE_REFUSED, StreamError.WRONG_DISK,
                StreamError.BAD_DIGEST_REQUEST, StreamError.STORAGE_FAILED}) {
            if (description.startsWith(c.name()) || description.contains(c.name() + ":")) {
                code = c;
                break;
            }
        }
        if (code == StreamError.DIGESTS_UNAVAILABLE && s.getCode() == Status.Code.UNAUTHENTICATED) {
            code = StreamError.PEER_CERTIFICATE_REFUSED;
        }
        String next = switch (code) {
            case PEER_CERTIFICATE_REFUSED -> "use the certificates made by the same 'boomerang certs init' as the role's (--tls-dir)";
            case WRONG_DISK -> "name a disk the role at " + server + " serves (the disk id of its config)";
            default -> "check that the role at " + server + " runs and serves digests there, then run the sync again";
        };
        return new StreamException(code, "cannot " + what + " at " + server + ": " + s.getCode() + " " + description, next, e);
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    /** Bytes the server read from its disk for the answers so far. */
    public long remoteBytesRead() {
        return remoteBytesRead;
    }

    /** Digest bytes received so far. */
    public long digestBytesReceived() {
        return digestBytesReceived;
    }

    @Override
    public String provenance() {
        return "digested next to the disk by " + server + " (" + state + "): " + remoteBytesRead + " bytes read there, "
                + digestBytesReceived + " digest bytes received, none of the disk's bytes read here";
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
