package org.boomerang.stream;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.boomerang.stream.proto.Batch;
import org.boomerang.stream.proto.Codec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Mark;
import org.boomerang.stream.proto.MarkKind;
import org.boomerang.stream.proto.Range;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.Write;

/**
 * The receiver's rules for one stream (see replication.proto): a hello first, then batches of the
 * hello's disk and generation whose records continue the receiver's LSN sequence. A refused batch
 * changes nothing here: the next good batch is judged against the same position.
 *
 * <p>Thread-safety: not thread-safe; one per stream, used by the stream's worker.
 */
public final class FrameCheck {
    private final Hello hello;
    private long lastAccepted;

    /** A check for a stream whose receiver has everything up to {@code lastAccepted}. */
    public FrameCheck(Hello hello, long lastAccepted) {
        this.hello = hello;
        this.lastAccepted = lastAccepted;
    }

    /** Checks a hello on its own: a disk id, a UUID generation, a size and a power-of-two block size. */
    public static void checkHello(Hello h) {
        if (h.getDiskId().isBlank()) {
            throw malformed("the hello names no disk", "set disk_id");
        }
        try {
            UUID.fromString(h.getGeneration());
        } catch (IllegalArgumentException e) {
            throw malformed("the hello's generation '" + h.getGeneration() + "' is not a UUID", "send the disk's lineage UUID");
        }
        if (h.getDiskSize() <= 0 || h.getBlockSize() < 512 || Integer.bitCount(h.getBlockSize()) != 1) {
            throw malformed("the hello's geometry size=" + h.getDiskSize() + " block=" + h.getBlockSize() + " is invalid",
                    "send the disk's size and a power-of-two block size >= 512");
        }
    }

    public long lastAccepted() {
        return lastAccepted;
    }

    /**
     * The records of {@code batch} to apply, duplicates (at or below the last accepted LSN) left out;
     * advances the position past them. Throws {@link StreamException} and changes nothing when the batch
     * is refused. A compressed write is returned decoded ({@code CODEC_NONE}, the same bytes, length and
     * CRC32C): checking it decoded it already, and the receiver need not decode it a second time.
     */
    public List<Record> accept(Batch batch) {
        if (!batch.getDiskId().equals(hello.getDiskId())) {
            throw new StreamException(StreamError.WRONG_DISK, "a batch of disk '" + batch.getDiskId() + "' came on the stream of disk '"
                    + hello.getDiskId() + "'", "open one stream per disk");
        }
        if (!batch.getGeneration().equals(hello.getGeneration())) {
            throw new StreamException(StreamError.WRONG_GENERATION, "a batch of generation " + batch.getGeneration()
                    + " came on the stream of generation " + hello.getGeneration() + " (disk " + hello.getDiskId() + ")",
                    "reconnect with a new hello");
        }
        List<Record> fresh = new ArrayList<>(batch.getRecordsCount());
        long previous = -1;
        long expected = lastAccepted + 1;
        for (Record r : batch.getRecordsList()) {
            if (previous >= 0 && r.getLsn() != previous + 1) {
                throw new StreamException(StreamError.OUT_OF_ORDER, "disk " + hello.getDiskId() + ": lsn=" + r.getLsn()
                        + " follows lsn=" + previous + " in one batch", "send records in consecutive LSN order");
            }
            previous = r.getLsn();
            if (r.getLsn() < expected) {
                continue;
            }
            if (r.getLsn() > expected) {
                throw new StreamException(StreamError.LSN_GAP, "disk " + hello.getDiskId() + ": lsn=" + r.getLsn()
                        + " came after lsn=" + (expected - 1) + " (records " + expected + ".." + (r.getLsn() - 1) + " are missing)",
                        "resume from the receiver's durable LSN " + lastAccepted);
            }
            fresh.add(checkRecord(r));
            expected++;
        }
        lastAccepted = expected - 1;
        return fresh;
    }

    /** {@code r} when it is well formed; a compressed write comes back decoded (see {@link #accept}). */
    private Record checkRecord(Record r) {
        long lsn = r.getLsn();
        switch (r.getChangeCase()) {
            case WRITE -> {
                Write w = r.getWrite();
                ByteBuffer bytes = WriteCodec.decode(lsn, w);
                inside(lsn, w.getOffset(), w.getLength());
                if (w.getCodec() != Codec.CODEC_NONE) {
                    return r.toBuilder().setWrite(w.toBuilder().setCodec(Codec.CODEC_NONE).setData(UnsafeByteOperations.unsafeWrap(bytes))).build();
                }
            }
            case TRIM -> range(lsn, r.getTrim());
            case ZERO -> range(lsn, r.getZero());
            case MARK -> mark(lsn, r.getMark());
            case WINDOW_OPEN, WINDOW_CLOSE -> {}
            case CHANGE_NOT_SET -> throw malformed("record lsn=" + lsn + " carries no change", "set one of its changes");
        }
        return r;
    }

    private void range(long lsn, Range range) {
        if (range.getLength() <= 0) {
            throw malformed("record lsn=" + lsn + " has an empty range", "send ranges of at least one byte");
        }
        inside(lsn, range.getOffset(), range.getLength());
    }

    private void mark(long lsn, Mark m) {
        if (m.getKind() == MarkKind.MARK_KIND_UNSPECIFIED || m.getKind() == MarkKind.UNRECOGNIZED || m.getPointId().isBlank()) {
            throw malformed("marker lsn=" + lsn + " has no kind or no point id", "set kind and point_id");
        }
    }

    private void inside(long lsn, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > hello.getDiskSize() || offset + length < offset) {
            throw malformed("record lsn=" + lsn + " offset=" + offset + " length=" + length + " lies outside disk "
                    + hello.getDiskId() + " of " + hello.getDiskSize() + " bytes", "send changes inside the disk");
        }
    }

    private static StreamException malformed(String what, String fix) {
        return new StreamException(StreamError.MALFORMED_FRAME, what, fix);
    }
}
