package org.boomerang.dataplane.digests;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.proto.DigestChunk;
import org.boomerang.stream.proto.DigestRequest;
import org.boomerang.stream.proto.DigestsGrpc;
import org.boomerang.stream.proto.DiskInfo;
import org.boomerang.stream.proto.DiskRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@code digests.proto}: digests the blocks of the disks a {@link DiskLookup} names,
 * where they live, and streams the digests back. Served next to the replication service, behind the
 * same mutual TLS and peer check ({@link org.boomerang.stream.StreamEndpoints#serve}).
 *
 * <p>Thread-safety: each call runs on its own thread with its own buffer; the lookup must be thread-safe.
 */
public final class DigestService extends DigestsGrpc.DigestsImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(DigestService.class);
    /** Digests per answer chunk: 1 MiB of digests. */
    static final int CHUNK_DIGESTS = 65_536;
    static final int MIN_BLOCK = 4096;
    static final int MAX_BLOCK = 16 << 20;

    private final String self;
    private final DiskLookup disks;

    public DigestService(String self, DiskLookup disks) {
        this.self = requireNonNull(self, "self is null");
        this.disks = requireNonNull(disks, "disks is null");
    }

    @Override
    public void describe(DiskRequest request, StreamObserver<DiskInfo> answer) {
        try (DiskLookup.Opened disk = open(request.getDisk())) {
            answer.onNext(DiskInfo.newBuilder().setSize(disk.device().size()).setState(disk.state()).build());
            answer.onCompleted();
        } catch (Refused r) {
            answer.onError(r.status.asRuntimeException());
        } catch (IOException | RuntimeException e) {
            answer.onError(storageFailed(request.getDisk(), e));
        }
    }

    @Override
    public void digest(DigestRequest request, StreamObserver<DigestChunk> answer) {
        ServerCallStreamObserver<DigestChunk> call = (ServerCallStreamObserver<DigestChunk>) answer;
        try (DiskLookup.Opened disk = open(request.getDisk())) {
            int blockSize = request.getBlockSize();
            if (blockSize < MIN_BLOCK || blockSize > MAX_BLOCK || Integer.bitCount(blockSize) != 1) {
                throw bad("block size " + blockSize + " is not a power of two from " + MIN_BLOCK + " to " + MAX_BLOCK,
                        "ask with e.g. block_size 65536");
            }
            DiskDigesting digesting = new DiskDigesting(disk.device(), blockSize);
            long first = request.getFirstBlock();
            long count = request.getBlockCount();
            if (first < 0 || count < 0 || first > digesting.blocks() - count) {
                throw bad("blocks [" + first + ", " + (first + count) + ") are outside disk " + request.getDisk() + " of "
                        + digesting.blocks() + " blocks of " + blockSize + " bytes", "ask for a range inside the disk (Describe gives its size)");
            }
            int perDigest = Math.max(1, request.getBlocksPerDigest());
            if ((long) perDigest * blockSize > Integer.MAX_VALUE / 2) {
                throw bad(perDigest + " blocks per digest is too many", "ask for regions of at most 1 GiB");
            }
            ByteBuffer wire = ByteBuffer.allocate(CHUNK_DIGESTS * 16);
            digesting.digest(first, count, perDigest, CHUNK_DIGESTS, (index, words, n) -> {
                if (call.isCancelled()) {
                    throw new IOException("the client cancelled the call");
                }
                wire.clear();
                for (int i = 0; i < n * 2; i++) {
                    wire.putLong(words[i]);
                }
                wire.flip();
                answer.onNext(DigestChunk.newBuilder().setFirstIndex(index).setDigests(ByteString.copyFrom(wire)).build());
            });
            answer.onNext(DigestChunk.newBuilder().setDone(true).setBytesRead(digesting.bytesRead()).build());
            answer.onCompleted();
            LOG.debug("{} digested {} blocks of {} from block {} ({} bytes read)", self, count, request.getDisk(), first,
                    digesting.bytesRead());
        } catch (Refused r) {
            answer.onError(r.status.asRuntimeException());
        } catch (IOException | RuntimeException e) {
            if (!call.isCancelled()) {
                answer.onError(storageFailed(request.getDisk(), e));
            }
        }
    }

    private DiskLookup.Opened open(String name) throws IOException {
        Optional<DiskLookup.Opened> disk;
        try {
            disk = disks.open(name);
        } catch (BoomerangException e) {
            throw bad("disk '" + name + "': " + e.code().name() + ": " + e.getMessage(), e.hint());
        } catch (IllegalArgumentException e) {
            throw bad("disk '" + name + "': " + e.getMessage(), "name a disk id, or at the master target disk@POINT as 'journal points' lists them");
        }
        if (disk.isEmpty()) {
            throw new Refused(Status.NOT_FOUND.withDescription(StreamError.WRONG_DISK + ": " + self + " serves no disk '" + name
                    + "' — name a disk of this role (the agent's disk ids; at the master target a journal's disk id, optionally disk@POINT)"));
        }
        return disk.get();
    }

    private Refused bad(String what, String next) {
        return new Refused(Status.INVALID_ARGUMENT.withDescription(StreamError.BAD_DIGEST_REQUEST + ": " + what + " — " + next));
    }

    private io.grpc.StatusRuntimeException storageFailed(String disk, Exception e) {
        LOG.warn("{} could not digest disk {}: {}", self, disk, e.toString());
        return Status.UNAVAILABLE.withDescription(StreamError.STORAGE_FAILED + ": " + self + " could not read disk " + disk + ": "
                + e.getMessage() + " — check the role's log and storage, then run the sync again").asRuntimeException();
    }

    /** A request this service refuses, with the status to answer. */
    private static final class Refused extends RuntimeException {
        final Status status;

        Refused(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
